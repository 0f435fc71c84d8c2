#include "s_instrumented_lib.h"

namespace samples {
CallCounter lib_square_calls{.name = "lib_square(int)"};
CallCounter lib_sum_of_squares_calls{.name = "lib_sum_of_squares(int)"};
CallCounter lib_visit_calls{.name = "lib_visit(int, void (*)(int))"};
} // namespace samples

int lib_square(int value) {
    samples::countCall(samples::lib_square_calls);
    return value * value;
}

int lib_sum_of_squares(int count) {
    samples::countCall(samples::lib_sum_of_squares_calls);
    int sum = 0;
    for (int value = 0; value < count; ++value)
        sum += lib_square(value);
    return sum;
}

void lib_visit(int count, void (*visitor)(int)) {
    samples::countCall(samples::lib_visit_calls);
    for (int value = 0; value < count; ++value)
        visitor(value);
}
