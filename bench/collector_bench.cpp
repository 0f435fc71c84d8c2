// Benchmark of the collector: writes a raw stream of synthetic samples whose addresses lie in
// the real modules of this process (this binary, libc, libstdc++, ...), then times collect()
// and writeProfile() on it. Usage: hprof_collector_bench [samples] (default 1,000,000)
#include "hprof/collector.h"
#include "hprof/profile_io.h"
#include "loaded_modules.h"
#include "raw_stream_writer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <set>
#include <unistd.h>

namespace {

using hprof::testing::LoadedModule;

constexpr int kThreads = 4;
constexpr size_t kDistinctAddresses = 4000;
constexpr size_t kDistinctStacks = 20000;
constexpr int kRuns = 3;
constexpr uint64_t kStartNs = 1'000'000'000;
constexpr uint64_t kSampleIntervalNs = 1'000'000;

struct Workload {
    std::vector<uint64_t> addresses;           // distinct code addresses
    std::vector<std::vector<uint64_t>> stacks; // leaf first, 10-40 frames
};

// Addresses spread over the executable segments of the modules, weighted by code size.
Workload makeWorkload(const std::vector<LoadedModule>& modules, std::mt19937_64& random) {
    std::vector<std::pair<uint64_t, uint64_t>> code;
    for (const LoadedModule& module : modules) {
        if (module.path.empty() || module.path.front() == '/')
            code.insert(code.end(), module.code.begin(), module.code.end());
    }
    std::vector<double> sizes;
    for (const auto& [start, end] : code)
        sizes.push_back(static_cast<double>(end - start));
    std::discrete_distribution<size_t> pick_range(sizes.begin(), sizes.end());

    std::set<uint64_t> distinct;
    while (distinct.size() < kDistinctAddresses) {
        const auto [start, end] = code[pick_range(random)];
        distinct.insert(std::uniform_int_distribution<uint64_t>(start, end - 1)(random));
    }
    Workload workload;
    workload.addresses.assign(distinct.begin(), distinct.end());

    std::uniform_int_distribution<size_t> pick_address(0, workload.addresses.size() - 1);
    std::uniform_int_distribution<size_t> pick_depth(10, 40);
    for (size_t i = 0; i < kDistinctStacks; ++i) {
        std::vector<uint64_t> stack(pick_depth(random));
        for (uint64_t& address : stack)
            address = workload.addresses[pick_address(random)];
        workload.stacks.push_back(std::move(stack));
    }
    return workload;
}

void writeStream(const std::string& path, const std::vector<LoadedModule>& modules,
                 const Workload& workload, size_t samples, std::mt19937_64& random) {
    hprof::testing::RawStreamWriter writer(path, {.pid = 4242, .start_monotonic_ns = kStartNs});
    writer.process(kStartNs, {"collector_bench"}, std::filesystem::read_symlink("/proc/self/exe"));
    for (const LoadedModule& module : modules) {
        const bool on_disk = module.path.empty() || module.path.front() == '/';
        writer.moduleLoad(kStartNs, module.load_bias, module.start, module.end, module.build_id,
                          on_disk ? module.path : "[vdso]");
    }
    for (int thread = 0; thread < kThreads; ++thread)
        writer.thread(hprof::raw::RecordType::ThreadStart, kStartNs, 4242 + thread, 0, "worker");
    // Stack popularity is skewed, as in real programs: a few hot paths, a long tail.
    std::geometric_distribution<size_t> pick_stack(8.0 / kDistinctStacks);
    for (size_t i = 0; i < samples; ++i) {
        const std::vector<uint64_t>& stack = workload.stacks[pick_stack(random) % kDistinctStacks];
        writer.sample(kStartNs + i * kSampleIntervalNs / kThreads, kSampleIntervalNs,
                      4242 + static_cast<int>(i % kThreads), stack);
    }
    writer.processEnd(kStartNs + samples * kSampleIntervalNs / kThreads, 0);
}

double seconds(std::chrono::steady_clock::duration duration) {
    return std::chrono::duration<double>(duration).count();
}

} // namespace

int main(int argc, char** argv) {
    const size_t samples = argc > 1 ? std::stoul(argv[1]) : 1'000'000;
    const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                      ("hprof-collector-bench-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);

    std::mt19937_64 random(42);
    const std::vector<LoadedModule> modules = hprof::testing::loadedModules();
    const Workload workload = makeWorkload(modules, random);
    writeStream((dir / "4242.raw").string(), modules, workload, samples, random);
    const std::string output = (dir / "bench.hprof").string();

    std::vector<double> collect_times, write_times, totals;
    size_t profile_bytes = 0;
    size_t functions = 0;
    size_t stack_nodes = 0;
    for (int run = 0; run < kRuns; ++run) {
        const auto start = std::chrono::steady_clock::now();
        const hprof::Profile profile = hprof::collect({dir.string(), {}, {}});
        const auto collected = std::chrono::steady_clock::now();
        hprof::writeProfile(profile, output);
        const auto written = std::chrono::steady_clock::now();
        collect_times.push_back(seconds(collected - start));
        write_times.push_back(seconds(written - collected));
        totals.push_back(seconds(written - start));
        profile_bytes = std::filesystem::file_size(output);
        functions = profile.functions.size();
        stack_nodes = profile.stacks.size();
        std::printf("run %d: collect %.3f s, write %.3f s, total %.3f s\n", run + 1,
                    collect_times.back(), write_times.back(), totals.back());
    }
    std::filesystem::remove_all(dir);

    const auto median = [](std::vector<double> values) {
        std::sort(values.begin(), values.end());
        return values[values.size() / 2];
    };
    std::printf("samples:                       %zu\n", samples);
    std::printf("distinct addresses symbolized: %zu (%zu functions)\n", workload.addresses.size(),
                functions);
    std::printf("stack nodes:                   %zu\n", stack_nodes);
    std::printf("collect (median of %d):         %.3f s\n", kRuns, median(collect_times));
    std::printf("writeProfile (median):         %.3f s\n", median(write_times));
    std::printf("total (median):                %.3f s\n", median(totals));
    std::printf("profile bytes:                 %zu (%.2f bytes/sample)\n", profile_bytes,
                static_cast<double>(profile_bytes) / static_cast<double>(samples));
    return 0;
}
