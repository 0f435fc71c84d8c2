// What the MPI tests (Open MPI and MPICH) check alike about a job of samples/mpi/imbalance.c,
// where rank 2 does 3x the work of the others in compute_share.
#pragma once

#include "temp_dir.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace hprof::test {

// The lines of a job's stdout, sorted: ranks print in any order.
std::vector<std::string> sortedLines(const std::string& text);

// The "job" member of `hprof report --format json FILE` (the parallelism report of a merged
// job), after checking that it has four ranks and names rank 2 as the slowest, with the imbalance
// its extra work makes.
nlohmann::json expectRankTwoTheSlowestOfFour(const TempDir& dir, const std::string& file);

} // namespace hprof::test
