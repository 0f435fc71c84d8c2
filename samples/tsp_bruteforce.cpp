// tsp_bruteforce: solves the travelling-salesman problem exactly by trying all (n-1)!
// tours. With the default 12 cities that is 40 million tours, about a second of CPU.
//
// A profile of it is nearly all solve_bruteforce -> tour_length (and std::next_permutation);
// compare it with tsp_heuristic, which finds a near-optimal tour in microseconds.
//
// Usage: tsp_bruteforce [number-of-cities]   (default 12, at most 13)
#include "sample_args.h"
#include "tsp.h"

#include <cstdio>

int main(int argc, char** argv) {
    const int count = static_cast<int>(samples::integer_argument(argc, argv, 1, 12, 3, 13));
    const auto cities = tsp::make_cities(count);
    const tsp::Tour tour = tsp::solve_bruteforce(cities);
    std::printf("cities=%d optimal_length=%.3f\n", count, tsp::tour_length(cities, tour));
    return 0;
}
