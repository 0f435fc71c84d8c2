// Writes the synthetic rank profiles of bench/merge_bench.sh: RANKS files DIR/rank-N.hprof of
// SAMPLES samples each, as the ranks of one MPI job (job id "bench", world size RANKS, 32 ranks per
// host, starts spread over 50 ms). Every rank runs the same program: 1,000 functions in 4 modules
// (the program, libmpi, libopen-pal, libc), 2,000 leaf stacks of depth 10-30 sharing prefixes, 2
// threads, samples every 1 ms per thread, each rank with its own choice of stacks.
// Usage: hprof_rank_profiles DIR RANKS SAMPLES
#include "hprof/profile_builder.h"
#include "hprof/profile_io.h"

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

namespace {

using namespace hprof;

constexpr size_t kFunctions = 1000;
constexpr size_t kLeafStacks = 2000;
constexpr int32_t kRanksPerHost = 32;
constexpr int64_t kPeriodNs = 1'000'000;
constexpr int64_t kStartNs = 1'780'000'000'000'000'000;

std::vector<StackId> makeStacks(ProfileBuilder& builder) {
    std::mt19937_64 random(7); // the same program in every rank
    const char* modules[] = {"/opt/app/solver", "/usr/lib/x86_64-linux-gnu/libmpi.so.40",
                             "/usr/lib/x86_64-linux-gnu/libopen-pal.so.40",
                             "/usr/lib/x86_64-linux-gnu/libc.so.6"};
    std::vector<FrameId> frames;
    for (size_t i = 0; i < kFunctions; ++i) {
        const ModuleId module = builder.internModule({modules[i % 4], ""});
        const FunctionId function = builder.internFunction(
            {"solver::kernel_" + std::to_string(i) + "(double*, int)",
             "src/k" + std::to_string(i % 100) + ".cpp", uint32_t(i), module});
        frames.push_back(builder.internFrame({function, uint32_t(i + 1), false}));
    }
    std::vector<std::vector<FrameId>> paths;
    std::vector<StackId> leaves;
    std::uniform_int_distribution<size_t> depth(10, 30);
    while (leaves.size() < kLeafStacks) {
        std::vector<FrameId> path;
        if (!paths.empty()) {
            const std::vector<FrameId>& base = paths[random() % paths.size()];
            path.assign(base.begin(), base.begin() + ptrdiff_t(random() % base.size()));
        }
        for (size_t wanted = depth(random); path.size() < wanted;)
            path.push_back(frames[random() % frames.size()]);
        StackId node;
        for (FrameId id : path)
            node = builder.internStack(node, id);
        paths.push_back(path);
        leaves.push_back(node);
    }
    return leaves;
}

Profile rank(int32_t rank, int32_t ranks, size_t samples) {
    ProfileBuilder builder;
    const std::vector<StackId> leaves = makeStacks(builder);
    Profile& profile = builder.profile();
    std::mt19937_64 random(uint64_t(rank) + 1);
    const int64_t wall_ns = int64_t(samples / 2) * kPeriodNs;
    profile.run.command = {"/opt/app/solver", "--size", "4096"};
    profile.run.host = "node" + std::to_string(rank / kRanksPerHost);
    profile.run.start_time_unix_ns = kStartNs + int64_t(random() % 50'000'000);
    profile.run.wall_ns = profile.run.cpu_ns = wall_ns;
    profile.run.frequency_hz = 1000;
    profile.run.exit_status = 0;
    profile.run.job_id = "bench";
    profile.run.world_size = ranks;
    Process process;
    process.pid = 10000 + rank;
    process.ppid = 1;
    process.command = "/opt/app/solver --size 4096";
    process.end_ns = wall_ns;
    process.exit_status = 0;
    process.rank = rank;
    profile.processes.push_back(process);
    for (int32_t t = 0; t < 2; ++t)
        profile.threads.push_back(
            {ProcessId(0), process.pid + t, "solver", 0, wall_ns, wall_ns / 2});
    std::geometric_distribution<size_t> skew(0.01); // a few hot stacks, a long tail
    for (size_t i = 0; i < samples; ++i)
        profile.samples.push_back({int64_t(i / 2 + 1) * kPeriodNs, ThreadId(uint32_t(i % 2)),
                                   leaves[skew(random) % leaves.size()], kPeriodNs});
    return builder.take();
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: hprof_rank_profiles DIR RANKS SAMPLES\n");
        return 2;
    }
    const std::string dir = argv[1];
    const int32_t ranks = std::atoi(argv[2]);
    const size_t samples = std::strtoul(argv[3], nullptr, 10);
    for (int32_t r = 0; r < ranks; ++r)
        writeProfile(rank(r, ranks, samples), dir + "/rank-" + std::to_string(r) + ".hprof");
    return 0;
}
