// tsp_heuristic: a fast approximate travelling-salesman solver, the counterpart of
// tsp_bruteforce. It builds two tours, a nearest-neighbour tour and the preorder walk of a
// minimum spanning tree (Prim; at most twice the optimum), improves both with 2-opt and
// keeps the shorter. For up to 10 cities it also solves the problem exactly and prints how
// far from the optimum the heuristic is.
//
// A profile of it with many cities (e.g. 2000) is dominated by improve_with_two_opt.
//
// Usage: tsp_heuristic [number-of-cities]   (default 12)
#include "sample_args.h"
#include "tsp.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <vector>

namespace {

constexpr int kLargestExactlySolved = 10;

tsp::Tour nearest_neighbour_tour(const std::vector<tsp::City>& cities) {
    const int count = static_cast<int>(cities.size());
    std::vector<bool> visited(count, false);
    tsp::Tour tour{0};
    visited[0] = true;
    while (static_cast<int>(tour.size()) < count) {
        const tsp::City& here = cities[tour.back()];
        int nearest = -1;
        for (int candidate = 0; candidate < count; ++candidate) {
            if (!visited[candidate] && (nearest < 0 || tsp::distance(here, cities[candidate]) <
                                                           tsp::distance(here, cities[nearest])))
                nearest = candidate;
        }
        visited[nearest] = true;
        tour.push_back(nearest);
    }
    return tour;
}

// Prim's algorithm on the complete graph; returns each city's parent (-1 for the root 0).
std::vector<int> minimum_spanning_tree(const std::vector<tsp::City>& cities) {
    const int count = static_cast<int>(cities.size());
    std::vector<int> parent(count, -1);
    std::vector<double> link_cost(count, std::numeric_limits<double>::infinity());
    std::vector<bool> in_tree(count, false);
    link_cost[0] = 0.0;
    for (int added = 0; added < count; ++added) {
        int next = -1;
        for (int city = 0; city < count; ++city) {
            if (!in_tree[city] && (next < 0 || link_cost[city] < link_cost[next]))
                next = city;
        }
        in_tree[next] = true;
        for (int city = 0; city < count; ++city) {
            const double cost = tsp::distance(cities[next], cities[city]);
            if (!in_tree[city] && cost < link_cost[city]) {
                link_cost[city] = cost;
                parent[city] = next;
            }
        }
    }
    return parent;
}

// Visiting the spanning tree in preorder and skipping repeats gives a tour at most twice
// the optimum (the triangle inequality holds for Euclidean distances).
tsp::Tour spanning_tree_tour(const std::vector<tsp::City>& cities) {
    const std::vector<int> parent = minimum_spanning_tree(cities);
    std::vector<std::vector<int>> children(cities.size());
    for (int city = 1; city < static_cast<int>(cities.size()); ++city)
        children[parent[city]].push_back(city);
    tsp::Tour tour;
    std::vector<int> pending{0};
    while (!pending.empty()) {
        const int city = pending.back();
        pending.pop_back();
        tour.push_back(city);
        pending.insert(pending.end(), children[city].rbegin(), children[city].rend());
    }
    return tour;
}

// Reverses tour segments while that shortens the tour.
void improve_with_two_opt(const std::vector<tsp::City>& cities, tsp::Tour& tour) {
    const int count = static_cast<int>(tour.size());
    bool improved = true;
    while (improved) {
        improved = false;
        for (int i = 0; i + 1 < count; ++i) {
            for (int j = i + 2; j < count; ++j) {
                const tsp::City& a = cities[tour[i]];
                const tsp::City& b = cities[tour[i + 1]];
                const tsp::City& c = cities[tour[j]];
                const tsp::City& d = cities[tour[(j + 1) % count]];
                const double change = tsp::distance(a, c) + tsp::distance(b, d) -
                                      tsp::distance(a, b) - tsp::distance(c, d);
                if (change < -1e-9) {
                    std::reverse(tour.begin() + i + 1, tour.begin() + j + 1);
                    improved = true;
                }
            }
        }
    }
}

} // namespace

int main(int argc, char** argv) {
    const int count = static_cast<int>(samples::integer_argument(argc, argv, 1, 12, 3, 100000));
    const auto cities = tsp::make_cities(count);
    tsp::Tour best;
    for (tsp::Tour tour : {nearest_neighbour_tour(cities), spanning_tree_tour(cities)}) {
        improve_with_two_opt(cities, tour);
        if (best.empty() || tsp::tour_length(cities, tour) < tsp::tour_length(cities, best))
            best = tour;
    }
    const double length = tsp::tour_length(cities, best);
    std::printf("cities=%d heuristic_length=%.3f\n", count, length);
    if (count <= kLargestExactlySolved) {
        const double optimum = tsp::tour_length(cities, tsp::solve_bruteforce(cities));
        std::printf("optimal_length=%.3f ratio=%.4f\n", optimum, length / optimum);
    }
    return 0;
}
