// Travelling-salesman pieces shared by `tsp_bruteforce` and `tsp_heuristic`.
#pragma once

#include <vector>

namespace tsp {

struct City {
    double x = 0.0;
    double y = 0.0;
};

// A closed tour: indices into the city list, each city once, returning to the first.
using Tour = std::vector<int>;

// `count` cities in a 1000 x 1000 square from a fixed-seed generator: the same on every run.
std::vector<City> make_cities(int count);

double distance(const City& a, const City& b);

double tour_length(const std::vector<City>& cities, const Tour& tour);

// The optimal tour, by trying every permutation of the cities after the first:
// (n-1)! tours, each measured from scratch.
Tour solve_bruteforce(const std::vector<City>& cities);

} // namespace tsp
