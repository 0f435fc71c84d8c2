// The instrumented shared library of s_library: libs_instrumented_lib.so.
#pragma once

#include "call_counter.h"

namespace samples {
extern CallCounter lib_square_calls;
extern CallCounter lib_sum_of_squares_calls;
extern CallCounter lib_visit_calls;
} // namespace samples

int lib_square(int value);
int lib_sum_of_squares(int count);
// Calls `visitor` (a function of the program) for 0..count-1.
void lib_visit(int count, void (*visitor)(int));
