// Run directories that a killed hprof left behind (SIGKILL cannot be caught), found so that the
// next hprof can say where they are and how to turn them into profiles.
#pragma once

#include <string>
#include <vector>

namespace hprof::cli {

struct LeftoverRun {
    std::string path;    // the run directory
    std::string command; // the program's command line, as recorded in its run-info
};

// Run directories of this user under runDirectoryRoot() whose run-info names an hprof that is
// no longer running. Directories without a readable run-info are not listed.
std::vector<LeftoverRun> findLeftoverRuns();

// One line on stderr per leftover run: where it is and the `hprof collect` command for it.
void mentionLeftoverRuns();

} // namespace hprof::cli
