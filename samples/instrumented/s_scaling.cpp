// Exact call counts that grow with the input, for `hprof scaling` on an instrumented build: for n
// items (the argument, or $HPROF_SIZE when there is none, as hprof scaling sets it), load_item is
// called n times, same_pair n(n-1)/2 times (every pair), and prepare once. Prints its own counts
// (call_counter.h) so a test can compare them with the profiles'.
//
// Usage: s_scaling [n]   (default: $HPROF_SIZE, else 100)
#include "call_counter.h"
#include "scaling_size.h"

#include <cstdlib>
#include <string>
#include <vector>

namespace {

samples::CallCounter prepare_calls{.name = "prepare()"};
samples::CallCounter load_calls{.name = "load_item(unsigned long)"};
samples::CallCounter pair_calls{.name = "same_pair(unsigned long, unsigned long)"};

} // namespace

[[gnu::noinline]] void prepare() {
    samples::countCall(prepare_calls);
}

[[gnu::noinline]] unsigned long load_item(unsigned long index) {
    samples::countCall(load_calls);
    return index * 2654435761UL % 1000003UL;
}

[[gnu::noinline]] bool same_pair(unsigned long a, unsigned long b) {
    samples::countCall(pair_calls);
    return a == b;
}

int main(int argc, char** argv) {
    const unsigned long count = samples::scalingSize(argc, argv, "s_scaling", 100, 100000);
    prepare();
    std::vector<unsigned long> items;
    for (unsigned long i = 0; i < count; ++i)
        items.push_back(load_item(i));
    unsigned long equal = 0;
    for (unsigned long i = 0; i < count; ++i)
        for (unsigned long j = i + 1; j < count; ++j)
            equal += same_pair(items[i], items[j]);
    std::printf("items=%lu equal_pairs=%lu\n", count, equal);
    samples::printCounts({&prepare_calls, &load_calls, &pair_calls});
    return 0;
}
