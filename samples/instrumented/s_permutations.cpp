// Exact call counts that grow faster than any polynomial, for `hprof scaling` on an instrumented
// build: for n items (the argument, or $HPROF_SIZE), visit_tour is called once per ordering of
// the items (n! times) and visit_subset once per subset (2^n times). Prints its own counts
// (call_counter.h) so a test can compare them with the profiles'.
//
// Usage: s_permutations [n]   (default: $HPROF_SIZE, else 6; at most 10)
#include "call_counter.h"
#include "scaling_size.h"

#include <cstdlib>
#include <numeric>
#include <utility>
#include <vector>

namespace {

samples::CallCounter tour_calls{.name =
                                    "visit_tour(std::vector<int, std::allocator<int> > const&)"};
samples::CallCounter subset_calls{.name = "visit_subset(unsigned long)"};

} // namespace

[[gnu::noinline]] unsigned long visit_tour(const std::vector<int>& order) {
    samples::countCall(tour_calls);
    return static_cast<unsigned long>(order.front() * 31 + order.back());
}

[[gnu::noinline]] unsigned long visit_subset(unsigned long mask) {
    samples::countCall(subset_calls);
    return mask & 1;
}

// Every ordering of order[first..]: swaps each remaining item to the front in turn. Not
// instrumented, so that visit_tour's n! calls are the only ones growing as n!.
NOT_INSTRUMENTED unsigned long permute(std::vector<int>& order, size_t first) {
    if (first == order.size())
        return visit_tour(order);
    unsigned long sum = 0;
    for (size_t i = first; i < order.size(); ++i) {
        std::swap(order[first], order[i]);
        sum += permute(order, first + 1);
        std::swap(order[first], order[i]);
    }
    return sum;
}

int main(int argc, char** argv) {
    const unsigned long count = samples::scalingSize(argc, argv, "s_permutations", 6, 10);
    std::vector<int> order(count);
    std::iota(order.begin(), order.end(), 0);
    const unsigned long tours = permute(order, 0);
    unsigned long odd = 0;
    for (unsigned long mask = 0; mask < (1UL << count); ++mask)
        odd += visit_subset(mask);
    std::printf("items=%lu tour_sum=%lu odd_subsets=%lu\n", count, tours, odd);
    samples::printCounts({&tour_calls, &subset_calls});
    return 0;
}
