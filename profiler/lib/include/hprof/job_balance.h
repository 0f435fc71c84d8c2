// The load balance of an MPI job (issue 14, `hprof report --parallelism` of a merged job; see
// docs/report-formats.md "MPI ranks"): per rank its CPU time, the part of it inside the MPI
// library, the compute outside it, the load imbalance and the rank everyone waits for, and
// Amdahl's bound on the compute.
//
// Time in MPI is inclusive: an on-CPU sample counts as MPI when any frame of its stack is in an
// MPI library module (isMpiModule), not only its leaf. MPI libraries busy-wait for messages, so a
// rank that waits stays on a CPU, and the waiting loop calls out of the library (poll,
// sched_yield, memcpy in libc; the transports): counting the leaf only would book that waiting as
// compute. A user function MPI calls back (a reduction operator) counts as MPI too; it is rare.
#pragma once

#include "hprof/filter.h"
#include "hprof/parallelism.h"
#include "hprof/profile.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hprof {

// libmpi*, libmpich*, libopen-pal*, libopen-rte*, libpmix*, mca_* (Open MPI's plugins),
// libucp*/libuct*/libucs* (UCX), libfabric*, libpsm*: by the file name of the module's path.
bool isMpiModule(const std::string& path);

struct RankBalance {
    int32_t rank = -1;
    std::string host;   // Process::host, or RunInfo::host when the process has none
    int64_t cpu_ns = 0; // on-CPU time of the rank's processes inside the window
    int64_t mpi_ns = 0; // the part with an MPI frame on the stack
    int64_t computeNs() const { return cpu_ns - mpi_ns; }
};

struct JobBalance {
    std::vector<RankBalance> ranks; // ordered by rank
    int64_t mean_compute_ns = 0;
    // max / mean compute time of the ranks; 0 when no rank computed.
    double imbalance = 0;
    size_t slowest = 0; // index into ranks of the rank with the most compute
    // The MPI function the other ranks spent most of their MPI time under (the outermost MPI
    // frame of their stacks, e.g. MPI_Allreduce): where they wait; "" when they spent none.
    // MPI_Init and MPI_Init_thread do not count: start-up (wiring the ranks up), not waiting for
    // a rank's work, and often the largest MPI time of a short job.
    std::string wait_function;
    // The parallelism of the compute alone (samples with an MPI frame left out): its serial work
    // and Amdahl's bounds are the job's, with MPI's busy-waiting not counted as work.
    Parallelism compute;
};

// Nullopt when no process of the profile has a rank. `parallelism` is computeParallelism of the
// same selector (the report has it already).
std::optional<JobBalance> computeJobBalance(const SampleSelector& selector,
                                            const Parallelism& parallelism);

} // namespace hprof
