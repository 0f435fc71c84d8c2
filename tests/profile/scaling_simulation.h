// Simulated measurements of a loaded machine for the scaling fits' tests: per run, the true time
// times lognormal load noise, counted in samples (Poisson), the fastest run of each size fitted.
#pragma once

#include "hprof/scaling.h"

#include <cmath>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace hprof::scaling_simulation {

struct Measurement {
    std::vector<double> sizes;
    std::function<double(double)> seconds; // the true CPU time at a size
    double run_noise = 0.03;               // relative standard deviation of a run (load)
    size_t runs = 2;
    std::vector<size_t> runs_per_size = {}; // when given, the runs of each size instead of `runs`
    double frequency_hz = 1000;
    double short_point_error = 0; // the smallest size's runs all come out this much off
};

// One simulated series: each run's time is the truth times lognormal load noise, counted in
// samples (Poisson); the fastest run of each size is the fitted one.
inline ScalingSeries simulate(const Measurement& m, uint64_t seed) {
    std::mt19937_64 random(seed);
    std::normal_distribution<double> load(0, m.run_noise);
    ScalingSeries series;
    series.sizes = m.sizes;
    series.resolution = 1 / m.frequency_hz;
    for (size_t i = 0; i < m.sizes.size(); ++i) {
        const double bias = i == 0 ? 1 + m.short_point_error : 1;
        std::vector<double> values;
        size_t fastest = 0;
        const size_t runs = m.runs_per_size.empty() ? m.runs : m.runs_per_size.at(i);
        for (size_t r = 0; r < runs; ++r) {
            const double expected = m.seconds(m.sizes[i]) * bias * std::exp(load(random));
            std::poisson_distribution<long> samples(expected * m.frequency_hz);
            values.push_back(double(samples(random)) * series.resolution);
            if (values[r] < values[fastest])
                fastest = r;
        }
        series.values.push_back(values);
        series.fitted_run.push_back(fastest);
    }
    return series;
}

constexpr uint64_t kSeeds = 40;

// How often each model came out over kSeeds simulations, as "O(n^2) x38, O(n^2.21) x2".
struct Outcomes {
    std::map<std::string, int> counts;
    int matching = 0;
    double lowest = INFINITY, highest = -INFINITY; // exponents
    std::string text() const {
        std::string all;
        for (const auto& [model, count] : counts)
            all += model + " x" + std::to_string(count) + " ";
        return all + "exponents " + std::to_string(lowest) + ".." + std::to_string(highest);
    }
};

inline Outcomes outcomesOf(const Measurement& m,
                           const std::function<bool(const ScalingFit&)>& wanted) {
    Outcomes outcomes;
    for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
        const ScalingFit fit = fitScaling(simulate(m, seed));
        ++outcomes.counts[describeModel(fit).substr(0, fit.model == Complexity::PowerLaw ? 4 : 99)];
        outcomes.matching += wanted(fit);
        outcomes.lowest = std::min(outcomes.lowest, fit.exponent);
        outcomes.highest = std::max(outcomes.highest, fit.exponent);
    }
    return outcomes;
}

inline std::function<bool(const ScalingFit&)> is(Complexity model) {
    return [model](const ScalingFit& fit) { return fit.model == model; };
}

} // namespace hprof::scaling_simulation
