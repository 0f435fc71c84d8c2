// The text view of an MPI job's ranks (hprof/job_balance.h), after the parallelism summary.
#include "report_text.h"

#include <ostream>

namespace hprof {
namespace {

std::string secondsCell(int64_t ns, size_t width) {
    return rightAligned(fixed("%.3f", seconds(ns)), width);
}

std::string boundText(std::optional<double> bound, int64_t cpu_ns) {
    if (bound)
        return fixed("%.2fx", *bound);
    return cpu_ns == 0 ? "-" : "unbounded";
}

void printRankTable(const JobBalance& job, std::ostream& out) {
    size_t host_width = 4;
    for (const RankBalance& row : job.ranks)
        host_width = std::max(host_width, oneLine(row.host).size());
    out << "   " << rightAligned("rank", 6) << "  " << leftAligned("host", host_width) << "  "
        << rightAligned("cpu_s", 9) << "  " << rightAligned("mpi_s", 9) << "  "
        << rightAligned("compute_s", 9) << "  " << rightAligned("vs_mean", 7) << "\n";
    for (const RankBalance& row : job.ranks) {
        const std::string versus_mean =
            job.mean_compute_ns == 0
                ? "-"
                : fixed("%.2fx", double(row.computeNs()) / double(job.mean_compute_ns));
        out << "   " << rightAligned(std::to_string(row.rank), 6) << "  "
            << leftAligned(oneLine(row.host), host_width) << "  " << secondsCell(row.cpu_ns, 9)
            << "  " << secondsCell(row.mpi_ns, 9) << "  " << secondsCell(row.computeNs(), 9) << "  "
            << rightAligned(versus_mean, 7) << "\n";
    }
}

// "rank 2 does 2.90x the mean compute; the others wait for it in MPI_Allreduce"
std::string slowestText(const JobBalance& job) {
    const RankBalance& slowest = job.ranks[job.slowest];
    std::string text = "rank " + std::to_string(slowest.rank) + " does " +
                       fixed("%.2fx", job.imbalance) + " the mean compute";
    if (!job.wait_function.empty())
        text += "; the others wait for it in " + oneLine(job.wait_function);
    return text;
}

} // namespace

void printJobBalance(const ReportData& data, std::ostream& out) {
    if (!data.job || data.job->ranks.empty())
        return;
    const JobBalance& job = *data.job;
    const Parallelism& compute = job.compute;
    out << "\n   MPI ranks (mpi_s: CPU time with an MPI library frame on the stack; MPI "
           "busy-waits, "
           "so waiting shows as CPU)\n";
    printRankTable(job, out);
    out << "   load imbalance       " << fixed("%.2f", job.imbalance)
        << " (max / mean compute time of the ranks)\n";
    if (job.ranks.size() > 1 && job.imbalance > 0)
        out << "   slowest rank         " << slowestText(job) << "\n";
    out << "   Amdahl's bound       "
        << boundText(compute.speedupBoundOverOneCore(), compute.cpu_ns)
        << " the speed of one core, counting compute only (serial compute: "
        << fixed("%.1f%%", 100 * compute.serialWorkFraction()) << " of it)\n"
        << "                        "
        << boundText(compute.speedupBoundOverThisRun(), compute.cpu_ns)
        << " the speed of this run (time in MPI and idle time stay)\n";
}

} // namespace hprof
