#include "run_directory.h"

#include "hprof/error.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace hprof::cli {
namespace {

std::string temporaryRoot() {
    const char* tmpdir = std::getenv("TMPDIR");
    return (tmpdir && *tmpdir) ? tmpdir : "/tmp";
}

} // namespace

RunDirectory::RunDirectory() : path_(temporaryRoot() + "/hprof-run-XXXXXX") {
    if (!mkdtemp(path_.data()))
        throw Error("cannot create a run directory in " + temporaryRoot() + ": " +
                    std::strerror(errno));
}

RunDirectory::~RunDirectory() {
    std::error_code ignored; // nothing sensible to do about a failure in a destructor
    std::filesystem::remove_all(path_, ignored);
}

} // namespace hprof::cli
