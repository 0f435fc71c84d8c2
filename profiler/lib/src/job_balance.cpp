#include "hprof/job_balance.h"

#include "saturating.h"

#include <algorithm>
#include <array>
#include <map>
#include <string_view>

namespace hprof {
namespace {

bool hasRanks(const Profile& profile) {
    return std::any_of(profile.processes.begin(), profile.processes.end(),
                       [](const Process& process) { return process.rank >= 0; });
}

std::vector<bool> mpiFunctions(const Profile& profile) {
    std::vector<bool> module_is_mpi;
    for (const Module& module : profile.modules)
        module_is_mpi.push_back(isMpiModule(module.path));
    std::vector<bool> function_is_mpi;
    for (const Function& function : profile.functions)
        function_is_mpi.push_back(function.module.valid() && module_is_mpi[function.module.value]);
    return function_is_mpi;
}

// The user's filter with every MPI function excluded: a sample with one on its stack is dropped.
SampleFilter computeOnlyFilter(const SampleFilter& filter, const std::vector<bool>& is_mpi) {
    SampleFilter compute = filter;
    for (uint32_t id = 0; id < is_mpi.size(); ++id)
        if (is_mpi[id])
            compute.functions.exclude(FunctionId(id));
    return compute;
}

// Per stack node: the outermost MPI function on the path from the root to it (the MPI call the
// program made), invalid when there is none. A parent precedes its children in the trie.
std::vector<FunctionId> outermostMpiCalls(const Profile& profile, const std::vector<bool>& is_mpi) {
    std::vector<FunctionId> outermost(profile.stacks.size());
    for (size_t id = 0; id < profile.stacks.size(); ++id) {
        const StackNode& node = profile.stacks[id];
        const FunctionId function = profile.frame(node.frame).function;
        if (node.parent.valid() && outermost[node.parent.value].valid())
            outermost[id] = outermost[node.parent.value];
        else if (is_mpi[function.value])
            outermost[id] = function;
    }
    return outermost;
}

// One row per rank of the accepted processes, with the CPU of the two parallelism results.
std::vector<RankBalance> rankRows(const SampleSelector& selector, const Parallelism& all,
                                  const Parallelism& compute) {
    const Profile& profile = selector.profile();
    std::map<int32_t, RankBalance> ranks;
    for (uint32_t id = 0; id < profile.processes.size(); ++id) {
        const Process& process = profile.processes[id];
        if (process.rank >= 0 && selector.filter().acceptsProcess(profile, ProcessId(id)))
            ranks.try_emplace(
                process.rank,
                RankBalance{process.rank, process.host.empty() ? profile.run.host : process.host});
    }
    for (const ProcessParallelism& row : all.processes)
        if (auto rank = ranks.find(profile.process(row.process).rank); rank != ranks.end())
            addSaturating(rank->second.cpu_ns, row.busy.cpu_ns);
    for (const ProcessParallelism& row : compute.processes)
        if (auto rank = ranks.find(profile.process(row.process).rank); rank != ranks.end())
            addSaturating(rank->second.mpi_ns, -row.busy.cpu_ns); // cpu - compute, below
    std::vector<RankBalance> rows;
    for (auto& [rank, row] : ranks) {
        addSaturating(row.mpi_ns, row.cpu_ns);
        rows.push_back(row);
    }
    return rows;
}

bool isStartUp(const std::string& function) {
    return function.starts_with("MPI_Init") || function.starts_with("PMPI_Init");
}

// The MPI call under which the ranks other than `slowest` spent the most on-CPU time, start-up
// left out.
std::string waitFunction(const SampleSelector& selector, const std::vector<bool>& is_mpi,
                         int32_t slowest) {
    const Profile& profile = selector.profile();
    const std::vector<FunctionId> outermost = outermostMpiCalls(profile, is_mpi);
    std::map<FunctionId, int64_t> time_under;
    selector.forEach([&](const Sample& sample) {
        if (sample.off_cpu || sample.run_queue || !sample.stack.valid())
            return;
        const Process& process = profile.process(profile.thread(sample.thread).process);
        const FunctionId call = outermost[sample.stack.value];
        if (process.rank >= 0 && process.rank != slowest && call.valid() &&
            !isStartUp(profile.function(call).name))
            addSaturating(time_under[call], sample.weight_ns);
    });
    const auto most =
        std::max_element(time_under.begin(), time_under.end(),
                         [](const auto& a, const auto& b) { return a.second < b.second; });
    return most == time_under.end() ? "" : profile.function(most->first).name;
}

} // namespace

bool isMpiModule(const std::string& path) {
    static constexpr std::array<std::string_view, 12> kPrefixes{
        "libmpi", "libmpich", "libopen-pal", "libopen-rte", "libpmix", "mca_",
        "libucp", "libuct",   "libucs",      "libfabric",   "libpsm",  "libprrte"};
    const std::string_view name = std::string_view(path).substr(path.rfind('/') + 1);
    return std::any_of(kPrefixes.begin(), kPrefixes.end(),
                       [&](std::string_view prefix) { return name.starts_with(prefix); });
}

std::optional<JobBalance> computeJobBalance(const SampleSelector& selector,
                                            const Parallelism& parallelism) {
    const Profile& profile = selector.profile();
    if (!hasRanks(profile))
        return std::nullopt;
    const std::vector<bool> is_mpi = mpiFunctions(profile);
    JobBalance job;
    const SampleSelector compute_selector(profile, computeOnlyFilter(selector.filter(), is_mpi));
    job.compute = computeParallelism(compute_selector, parallelism.bins);
    job.ranks = rankRows(selector, parallelism, job.compute);
    if (job.ranks.empty())
        return job;
    int64_t compute_sum = 0;
    for (size_t index = 0; index < job.ranks.size(); ++index) {
        addSaturating(compute_sum, job.ranks[index].computeNs());
        if (job.ranks[index].computeNs() > job.ranks[job.slowest].computeNs())
            job.slowest = index;
    }
    job.mean_compute_ns = compute_sum / int64_t(job.ranks.size());
    job.imbalance = job.mean_compute_ns == 0
                        ? 0.0
                        : double(job.ranks[job.slowest].computeNs()) / double(job.mean_compute_ns);
    job.wait_function = waitFunction(selector, is_mpi, job.ranks[job.slowest].rank);
    return job;
}

} // namespace hprof
