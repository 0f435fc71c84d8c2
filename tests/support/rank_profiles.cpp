#include "rank_profiles.h"

#include "hprof/profile_builder.h"

namespace hprof::test {
namespace {

constexpr int64_t kMs = 1'000'000;

} // namespace

Profile rankProfile(const RankShape& shape) {
    ProfileBuilder builder;
    Profile& profile = builder.profile();
    const int64_t wall_ms = shape.compute_ms + shape.mpi_ms;
    profile.run.command = {"/app/solver", "--size", "100"};
    profile.run.host = shape.host;
    profile.run.start_time_unix_ns = shape.start_unix_ns;
    profile.run.wall_ns = wall_ms * kMs;
    profile.run.cpu_ns = wall_ms * kMs;
    profile.run.frequency_hz = 1000;
    profile.run.exit_status = 0;
    profile.run.job_id = "42";
    profile.run.world_size = 4;
    const int32_t pid = 1000 + shape.rank;
    Process process;
    process.pid = pid;
    process.ppid = 1;
    process.command = "/app/solver --size 100";
    process.end_ns = wall_ms * kMs;
    process.exit_status = 0;
    process.rank = shape.rank;
    profile.processes.push_back(process);
    profile.threads.push_back({ProcessId(0), pid, "solver", 0, wall_ms * kMs, wall_ms * kMs});
    const ModuleId app = builder.internModule({"/app/solver", ""});
    const ModuleId mpi = builder.internModule({"/usr/lib/x86_64-linux-gnu/libmpi.so.40", ""});
    const ModuleId pal = builder.internModule({"/usr/lib/x86_64-linux-gnu/libopen-pal.so.40", ""});
    auto frame = [&](const char* name, ModuleId module) {
        return builder.internFrame({builder.internFunction({name, "", 0, module}), 0, false});
    };
    const StackId main = builder.internStack(StackId(), frame("main", app));
    const StackId compute = builder.internStack(main, frame("compute", app));
    const StackId wait = builder.internStack(builder.internStack(main, frame("MPI_Allreduce", mpi)),
                                             frame("opal_progress", pal));
    for (int64_t ms = 1; ms <= wall_ms; ++ms)
        profile.samples.push_back(
            {ms * kMs, ThreadId(0), ms <= shape.compute_ms ? compute : wait, kMs});
    return builder.take();
}

std::vector<Profile> imbalancedRanks() {
    std::vector<Profile> ranks;
    for (int32_t rank = 0; rank < 4; ++rank)
        ranks.push_back(rank == 2 ? rankProfile({.rank = 2, .compute_ms = 30})
                                  : rankProfile({.rank = rank, .compute_ms = 10, .mpi_ms = 20}));
    return ranks;
}

} // namespace hprof::test
