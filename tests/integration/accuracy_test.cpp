// Profiles of `split`, whose CPU time split between four functions is known exactly: the
// shares, the names (shared library, template, inline frame) and the sampling rate.
#include "hprof_runs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <vector>

using namespace hprof::test;

namespace {

bool endsWith(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

const hprof::Function* functionNamed(const hprof::Profile& profile, std::string_view name) {
    for (const hprof::Function& function : profile.functions) {
        if (function.name == name)
            return &function;
    }
    return nullptr;
}

// Whether some stack has the inlined `inlined` frame directly inside a frame of `caller`.
bool hasInlineFrameIn(const hprof::Profile& profile, std::string_view inlined,
                      std::string_view caller) {
    for (const hprof::StackNode& node : profile.stacks) {
        const hprof::Frame& frame = profile.frame(node.frame);
        if (!frame.inlined || plainName(profile.function(frame.function).name) != inlined ||
            !node.parent.valid())
            continue;
        const hprof::Frame& outer = profile.frame(profile.stack(node.parent).frame);
        if (plainName(profile.function(outer.function).name) == caller)
            return true;
    }
    return false;
}

// The split part (a key of `parts`) whose function is on the stack of `leaf`, or "" if none.
std::string splitPartOnStack(const hprof::Profile& profile, hprof::StackId leaf,
                             const std::map<std::string, double>& parts) {
    for (hprof::StackId node = leaf; node.valid(); node = profile.stack(node).parent) {
        const hprof::Frame& frame = profile.frame(profile.stack(node).frame);
        const std::string name = plainName(profile.function(frame.function).name);
        if (parts.contains(name))
            return name;
    }
    return "";
}

// What the samples say of split's four parts, the samples carrying a CPU clock step set apart.
struct SampledSplit {
    std::map<std::string, double> ns; // per part: the weights of the samples without a step
    double step_ns = 0;               // the weights of the samples with one
    size_t step_samples = 0;
};

// A sample's weight is the CPU time since the thread's previous sample: at most 1.5 periods
// plus the sample's own cost, unless the VM's clock stepped in between (split.cpp, clock_steps.h).
SampledSplit sampledSplit(const hprof::Profile& profile,
                          const std::map<std::string, double>& parts) {
    const double heaviest_without_step_ns = 4e9 / double(profile.run.frequency_hz);
    SampledSplit sampled;
    for (const hprof::Sample& sample : profile.samples) {
        const std::string part = splitPartOnStack(profile, sample.stack, parts);
        if (part.empty())
            continue;
        if (double(sample.weight_ns) > heaviest_without_step_ns) {
            sampled.step_ns += double(sample.weight_ns);
            ++sampled.step_samples;
        } else {
            sampled.ns[part] += double(sample.weight_ns);
        }
    }
    return sampled;
}

double sumOf(const std::map<std::string, double>& values) {
    double sum = 0;
    for (const auto& [key, value] : values)
        sum += value;
    return sum;
}

} // namespace

// Each function's share of the four functions' samples is within 2 points of the share of
// their CPU time that split measured itself on the thread's CPU clock, and near the share it
// asked for. A loaded VM's CPU clock can step by 69-200 ms at once (split.cpp): the sample after
// such a step carries it wherever the thread then is, which can be the next function, so both
// sides leave the steps out: split what it saw of them in each function, the profile the samples
// weighing more than 4 periods, which must not stand for much more than those steps.
TEST(Accuracy, KnownSplitWithinTwoPoints) {
    const TempDir dir;
    const CommandResult run = recordSample(dir, {}, "split");
    ASSERT_EQ(run.status, 0) << run.err;
    const CommandResult alone = runCommand({samplePath("split"), "0.01"}, {dir.path()});
    EXPECT_EQ(run.out, alone.out) << "hprof must pass the program's stdout on unchanged";

    const std::map<std::string, double> asked = parseSplit(run.out);
    const std::map<std::string, double> measured = parseSplit(run.err, "split measured:");
    const std::map<std::string, double> steps = parseSplit(run.err, "split clock steps:");
    ASSERT_EQ(asked.size(), 4u) << run.out;
    ASSERT_EQ(measured.size(), 4u) << run.err;
    ASSERT_EQ(steps.size(), 4u) << run.err;
    const hprof::Profile profile = recordedProfile(dir);
    const SampledSplit sampled = sampledSplit(profile, measured);
    const double sampled_total = sumOf(sampled.ns);
    const double measured_total = sumOf(measured) - sumOf(steps);
    ASSERT_GT(sampled_total, 0);
    // The samples set apart stand for the steps and little else: besides its step, such a sample
    // holds 1.5 periods of work, or a few more where periods ended in the kernel, which
    // `exclude_kernel` skips (weights of 4-6 periods without a step were seen under load).
    // Sampling stopped for a while would show here as tens of milliseconds.
    const double unexplained_ns = sampled.step_ns - sumOf(steps) * 1e9;
    EXPECT_LE(unexplained_ns, 0.01 * (sampled_total + sampled.step_ns))
        << sampled.step_samples << " samples over 4 periods\n"
        << run.err;
    for (const auto& [function, seconds] : measured) {
        SCOPED_TRACE(function);
        const double truth = (seconds - steps.at(function)) / measured_total;
        const auto found = sampled.ns.find(function);
        ASSERT_NE(found, sampled.ns.end());
        EXPECT_NEAR(found->second / sampled_total, truth, 0.02) << run.err;
        EXPECT_NEAR(seconds / sumOf(measured), asked.at(function), 0.1)
            << "split did not do what it asked for";
    }
}

TEST(Accuracy, NamesFromSharedLibraryTemplateAndInline) {
    const TempDir dir;
    ASSERT_EQ(recordSample(dir, {}, "split", {"0.5"}).status, 0);
    const hprof::Profile profile = recordedProfile(dir);

    const hprof::Function* library = functionNamed(profile, "splitwork::burn_in_library(double)");
    ASSERT_NE(library, nullptr);
    EXPECT_TRUE(endsWith(profile.module(library->module).path, "/libsplitwork.so"))
        << profile.module(library->module).path;
    EXPECT_TRUE(endsWith(library->file, "splitwork.cpp")) << library->file;
    EXPECT_GT(library->line, 0u);

    EXPECT_NE(functionNamed(profile, "Accumulator<double>::accumulate(double)"), nullptr);
    EXPECT_TRUE(hasInlineFrameIn(profile, "scramble_chunk", "spend_twenty"));
}

// The median CPU time a sample stands for, in ns: the sampling period actually used.
double medianWeightNs(const hprof::Profile& profile) {
    std::vector<int64_t> weights;
    for (const hprof::Sample& sample : profile.samples)
        weights.push_back(sample.weight_ns);
    if (weights.empty())
        return 0;
    std::nth_element(weights.begin(), weights.begin() + weights.size() / 2, weights.end());
    return double(weights[weights.size() / 2]);
}

TEST(Accuracy, RateAndCpuAccounting) {
    for (const int hz : {1000, 4000, 10000}) {
        SCOPED_TRACE("-F " + std::to_string(hz));
        const TempDir dir;
        ASSERT_EQ(recordSample(dir, {"-F", std::to_string(hz)}, "split", {"1"}).status, 0);
        const hprof::Profile profile = recordedProfile(dir);
        EXPECT_EQ(profile.run.frequency_hz, uint32_t(hz));
        const double cpu_seconds = double(profile.run.cpu_ns) * 1e-9;
        ASSERT_GT(cpu_seconds, 0.9); // split burns 1 s of CPU
        // The period in use: a typical sample stands for 1/hz of CPU time (periods are jittered
        // uniformly in [0.5, 1.5) of it; the median of 1000 of them is within 2% of it), plus
        // the kernel time around it, which the user-mode trigger does not count: interrupt and
        // signal delivery, 1.5 to 8 us, and under load context switches (13 us per 1 ms seen).
        const double period_ns = 1e9 / hz;
        EXPECT_GE(medianWeightNs(profile), 0.93 * period_ns);
        EXPECT_LE(medianWeightNs(profile), 1.25 * period_ns + 10'000);
        // Samples per CPU second: that kernel side is in run.cpu_ns and grows with the machine's
        // load (context switches): 99% of the rate on a quiet host, 93.7% at 1 kHz and 83.6% at
        // 10 kHz with four spinning neighbours on the 2 cores; the jittered periods cost about
        // 8% more at 10 kHz (79-88% at a load of 7.5). Below 70%, samples were lost. The CPU
        // seconds here are the samples' weights, each capped at 4 periods: a loaded VM's CPU
        // clock can step by 100-300 ms at once (docs/design.md), time no sampler could split
        // (uncapped, 0.66 of 10 kHz was measured while a CI build ran), while a lost sample
        // still shows as a weight of 2-3 periods.
        double capped_ns = 0;
        for (const hprof::Sample& sample : profile.samples)
            capped_ns += std::min(double(sample.weight_ns), 4 * period_ns);
        EXPECT_GE(double(profile.samples.size()) / (capped_ns * 1e-9), 0.7 * hz);
        // Whatever the samples miss, their weights add up to all the CPU time.
        EXPECT_NEAR(double(sampledCpuNs(profile)), double(profile.run.cpu_ns),
                    0.02 * double(profile.run.cpu_ns));
    }
}
