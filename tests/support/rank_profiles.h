// Synthetic profiles of MPI ranks for the merge and job parallelism tests.
#pragma once

#include "hprof/profile.h"

#include <string>
#include <vector>

namespace hprof::test {

// One rank of job "42" (world size 4) started at start_unix_ns on `host`: process pid 1000+rank
// with that rank, one thread, and 1 ms samples: compute_ms of main -> compute (module /app/solver)
// from time 0, then mpi_ms of main -> MPI_Allreduce (libmpi.so.40) -> opal_progress
// (libopen-pal.so.40), the busy wait. Wall and process end at compute_ms + mpi_ms; RunInfo::cpu_ns
// is their sum. Functions are interned in the same order in every rank.
struct RankShape {
    int32_t rank = 0;
    std::string host = "node1";
    int64_t start_unix_ns = 1'700'000'000'000'000'000;
    int64_t compute_ms = 10;
    int64_t mpi_ms = 0;
};
Profile rankProfile(const RankShape& shape);

// Four ranks started together: 0, 1 and 3 compute 10 ms then wait 20 ms in MPI_Allreduce; rank 2
// computes 30 ms. Mean compute 15 ms, so rank 2 does 2x the mean; 20 of the 60 ms of compute run
// on rank 2 alone.
std::vector<Profile> imbalancedRanks();

} // namespace hprof::test
