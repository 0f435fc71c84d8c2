#include "compare_exact.h"

#include "hprof/analysis.h"

#include <cmath>
#include <numbers>
#include <numeric>

namespace hprof {
namespace {

// P(|T| <= t) for Student's t with an integer number of degrees of freedom, in closed form
// (Abramowitz and Stegun 26.7.3 and 26.7.4).
double studentTCentralProbability(double t, int degrees) {
    const double theta = std::atan(t / std::sqrt(double(degrees)));
    const double c2 = std::cos(theta) * std::cos(theta);
    if (degrees % 2 == 0) {
        double term = 1, sum = 1;
        for (int k = 2; k <= degrees - 2; k += 2) {
            term *= c2 * double(k - 1) / double(k);
            sum += term;
        }
        return std::sin(theta) * sum;
    }
    double sum = 0;
    if (degrees > 1) {
        double term = 1;
        sum = 1;
        for (int k = 3; k <= degrees - 2; k += 2) {
            term *= c2 * double(k - 1) / double(k);
            sum += term;
        }
    }
    return 2 / std::numbers::pi * (theta + std::sin(theta) * std::cos(theta) * sum);
}

double mean(const std::vector<double>& values) {
    return std::accumulate(values.begin(), values.end(), 0.0) / double(values.size());
}

double squaredDeviations(const std::vector<double>& values) {
    const double centre = mean(values);
    double sum = 0;
    for (double value : values)
        sum += (value - centre) * (value - centre);
    return sum;
}

} // namespace

bool hasExactTimesOnly(const Profile& profile) {
    return profile.run.missing.samples;
}

ExactTimes exactTimes(const Profile& profile, const std::vector<size_t>& keys, size_t key_count) {
    ExactTimes times;
    times.self_ns.assign(key_count, 0.0);
    times.inclusive_ns.assign(key_count, 0.0);
    for (const FunctionStats& stats : computeFunctionStats(profile)) {
        times.self_ns[keys[stats.function.value]] += double(stats.self_ns);
        times.inclusive_ns[keys[stats.function.value]] += double(stats.total_ns);
    }
    times.total_ns = double(computeTotals(profile).weight_ns);
    return times;
}

double studentTQuantile(double confidence, int degrees) {
    double low = 0, high = 1;
    while (studentTCentralProbability(high, degrees) < confidence)
        high *= 2;
    for (int i = 0; i < 100; ++i) {
        const double middle = (low + high) / 2;
        (studentTCentralProbability(middle, degrees) < confidence ? low : high) = middle;
    }
    return (low + high) / 2;
}

RunSpread runSpreadInterval(double change, const std::vector<double>& before,
                            const std::vector<double>& after, double confidence) {
    const int degrees = int(before.size() + after.size()) - 2;
    if (before.empty() || after.empty() || degrees < 1)
        return {change, change};
    const double pooled_variance =
        (squaredDeviations(before) + squaredDeviations(after)) / double(degrees);
    const double standard_error =
        std::sqrt(pooled_variance * (1 / double(before.size()) + 1 / double(after.size())));
    const double half_width = studentTQuantile(confidence, degrees) * standard_error;
    return {change - half_width, change + half_width};
}

} // namespace hprof
