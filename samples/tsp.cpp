#include "tsp.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>

namespace tsp {

std::vector<City> make_cities(int count) {
    std::vector<City> cities(count);
    std::uint64_t state = 2024;
    const auto next_coordinate = [&state] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(state >> 11) / static_cast<double>(1ULL << 53) * 1000.0;
    };
    for (City& city : cities) {
        city.x = next_coordinate();
        city.y = next_coordinate();
    }
    return cities;
}

double distance(const City& a, const City& b) {
    return std::sqrt((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y));
}

double tour_length(const std::vector<City>& cities, const Tour& tour) {
    double length = 0.0;
    for (std::size_t i = 0; i < tour.size(); ++i)
        length += distance(cities[tour[i]], cities[tour[(i + 1) % tour.size()]]);
    return length;
}

Tour solve_bruteforce(const std::vector<City>& cities) {
    Tour tour(cities.size());
    std::iota(tour.begin(), tour.end(), 0);
    Tour best = tour;
    double best_length = tour_length(cities, tour);
    // City 0 stays first: rotations of a tour have the same length.
    while (std::next_permutation(tour.begin() + 1, tour.end())) {
        const double length = tour_length(cities, tour);
        if (length < best_length) {
            best_length = length;
            best = tour;
        }
    }
    return best;
}

} // namespace tsp
