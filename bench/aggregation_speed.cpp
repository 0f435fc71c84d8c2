// Benchmark of the viewer-side aggregation in the profile library: synthesizes a profile (8
// threads, ~5,000 distinct leaf stacks of depth 10-40 over 2,000 functions in 5 modules, a skewed
// choice of stacks), writes it, then times (median of 5) readProfile of the file, and
// computeStackCosts + both call trees + the function statistics with no filter, a time range
// (the middle half of the run) and a thread filter (2 of the 8 threads). Prints the resident
// memory per sample of the loaded profile.
// Usage: hprof_aggregation_bench [samples...] (default 1000000 10000000)
//        hprof_aggregation_bench --write FILE SAMPLES   (only writes the synthetic profile, for
//                                                      bench/viewer_first_paint.sh)
#include "hprof/analysis.h"
#include "hprof/call_tree.h"
#include "hprof/profile_builder.h"
#include "hprof/profile_io.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <malloc.h>
#include <random>
#include <string>
#include <unistd.h>

namespace {

using namespace hprof;

constexpr uint32_t kThreads = 8;
constexpr size_t kFunctions = 2000;
constexpr size_t kModules = 5;
constexpr size_t kLeafStacks = 5000;
constexpr int kRuns = 5;
constexpr int64_t kPeriodNs = 1'000'000; // 1000 Hz per thread

// Leaf stacks grown from each other's prefixes, as real call trees share their outer frames.
std::vector<StackId> makeStacks(ProfileBuilder& builder, std::mt19937_64& random) {
    std::vector<FrameId> frames;
    for (size_t i = 0; i < kFunctions; ++i) {
        const ModuleId module(uint32_t(i % kModules));
        const FunctionId function = builder.internFunction(
            {"namespace_" + std::to_string(i % 37) + "::function_" + std::to_string(i) + "(int)",
             "src/file_" + std::to_string(i % 300) + ".cpp", uint32_t(i), module});
        frames.push_back(builder.internFrame({function, uint32_t(i + 1), false}));
    }
    std::vector<std::vector<FrameId>> paths;
    std::vector<StackId> leaves;
    std::uniform_int_distribution<size_t> depth(10, 40);
    std::uniform_int_distribution<size_t> frame(0, frames.size() - 1);
    while (leaves.size() < kLeafStacks) {
        std::vector<FrameId> path;
        if (!paths.empty()) { // share a prefix of an earlier stack
            const std::vector<FrameId>& base = paths[random() % paths.size()];
            path.assign(base.begin(), base.begin() + ptrdiff_t(random() % base.size()));
        }
        const size_t wanted = depth(random);
        while (path.size() < wanted)
            path.push_back(frames[frame(random)]);
        StackId node;
        for (FrameId id : path)
            node = builder.internStack(node, id);
        paths.push_back(path);
        leaves.push_back(node);
    }
    return leaves;
}

Profile synthesize(size_t sample_count) {
    std::mt19937_64 random(42);
    ProfileBuilder builder;
    Profile& profile = builder.profile();
    profile.run.command = {"./synthetic"};
    profile.run.frequency_hz = 1000;
    profile.processes.push_back({});
    profile.processes.back().pid = 1000;
    for (size_t i = 0; i < kModules; ++i)
        builder.internModule({"/usr/lib/libsynthetic" + std::to_string(i) + ".so", ""});
    for (uint32_t t = 0; t < kThreads; ++t)
        profile.threads.push_back({ProcessId(0), int32_t(1000 + t), "worker", 0, 0, 0});
    const std::vector<StackId> leaves = makeStacks(builder, random);
    std::geometric_distribution<size_t> hot(0.002); // a few stacks hold most samples
    std::uniform_int_distribution<int64_t> jitter(-20'000, 20'000);
    profile.samples.reserve(sample_count);
    for (size_t i = 0; i < sample_count; ++i) {
        const int64_t time = int64_t(i) * kPeriodNs / kThreads;
        profile.samples.push_back({time, ThreadId(uint32_t(i % kThreads)),
                                   leaves[std::min(hot(random), leaves.size() - 1)],
                                   kPeriodNs + jitter(random)});
    }
    const int64_t end = profile.samples.empty() ? 0 : profile.samples.back().time_ns;
    profile.run.wall_ns = end;
    profile.processes.back().end_ns = end;
    for (Thread& thread : profile.threads)
        thread.end_ns = end;
    return builder.take();
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

// Median wall time of `runs` calls, in milliseconds.
double timeMs(const std::function<void()>& work, int runs = kRuns) {
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        const auto start = std::chrono::steady_clock::now();
        work();
        ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count());
    }
    return median(ms);
}

// Resident set size of this process, in bytes.
size_t residentBytes() {
    std::ifstream statm("/proc/self/statm");
    size_t pages = 0, resident = 0;
    statm >> pages >> resident;
    return resident * size_t(sysconf(_SC_PAGESIZE));
}

// What a filter change in the viewer recomputes.
size_t aggregate(const Profile& profile, const SampleFilter& filter) {
    const SampleSelector selector(profile, filter);
    const StackCosts costs = computeStackCosts(selector);
    const CallTree top_down = buildTopDownTree(profile, costs);
    const CallTree bottom_up = buildBottomUpTree(profile, costs);
    const std::vector<FunctionStats> stats = computeFunctionStats(selector, costs);
    return top_down.nodes.size() + bottom_up.nodes.size() + stats.size();
}

void benchmark(size_t sample_count) {
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("hprof-aggregation-" + std::to_string(getpid()) + ".hprof"))
                                 .string();
    {
        const Profile profile = synthesize(sample_count);
        writeProfile(profile, path);
    }
    malloc_trim(0);
    const size_t before = residentBytes();
    Profile profile = readProfile(path);
    const size_t after = residentBytes();
    const double read_ms = timeMs([&] { readProfile(path); });
    std::filesystem::remove(path);

    const int64_t end = profile.samples.back().time_ns;
    SampleFilter time_range;
    time_range.from_ns = end / 4;
    time_range.to_ns = end * 3 / 4;
    SampleFilter threads;
    threads.threads.include(ThreadId(0));
    threads.threads.include(ThreadId(1));
    size_t nodes = 0;
    const double all_ms = timeMs([&] { nodes = aggregate(profile, {}); });
    const double range_ms = timeMs([&] { aggregate(profile, time_range); });
    const double thread_ms = timeMs([&] { aggregate(profile, threads); });
    std::printf("%zu samples, %zu stack nodes, %zu tree nodes + function rows (no filter)\n",
                profile.samples.size(), profile.stacks.size(), nodes);
    std::printf("  readProfile:                   %8.1f ms\n", read_ms);
    std::printf("  aggregate, no filter:          %8.1f ms\n", all_ms);
    std::printf("  aggregate, middle half of run: %8.1f ms\n", range_ms);
    std::printf("  aggregate, 2 of 8 threads:     %8.1f ms\n", thread_ms);
    std::printf("  resident memory of the loaded profile: %.1f bytes per sample\n",
                double(after - before) / double(profile.samples.size()));
}

} // namespace

int main(int argc, char** argv) {
    if (argc == 4 && std::string(argv[1]) == "--write") {
        const size_t count = size_t(std::strtoull(argv[3], nullptr, 10));
        if (count == 0) {
            std::fprintf(stderr, "hprof_aggregation_bench: bad sample count\n");
            return 2;
        }
        writeProfile(synthesize(count), argv[2]);
        return 0;
    }
    std::vector<size_t> counts;
    for (int i = 1; i < argc; ++i)
        counts.push_back(size_t(std::strtoull(argv[i], nullptr, 10)));
    if (counts.empty())
        counts = {1'000'000, 10'000'000};
    for (size_t count : counts) {
        if (count == 0) {
            std::fprintf(stderr, "hprof_aggregation_bench: bad sample count\n");
            return 2;
        }
        benchmark(count);
    }
    return 0;
}
