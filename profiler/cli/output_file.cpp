#include "output_file.h"

#include "hprof/error.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace hprof::cli {
namespace {

std::string directoryOf(const std::string& path) {
    const std::string parent = std::filesystem::path(path).parent_path();
    return parent.empty() ? "." : parent;
}

bool exists(const std::string& path) {
    struct stat status {};
    return lstat(path.c_str(), &status) == 0;
}

} // namespace

void checkOutputWritable(const std::string& output) {
    if (output.empty())
        throw Error("empty output file name");
    if (std::filesystem::is_directory(output))
        throw Error("output " + output + ": is a directory");
    std::string probe_file = directoryOf(output) + "/.hprof-write-test-XXXXXX";
    const int fd = mkstemp(probe_file.data());
    if (fd < 0)
        throw Error("cannot write output " + output + ": " + std::strerror(errno));
    close(fd);
    unlink(probe_file.c_str());
}

std::string backupPath(const std::string& output) {
    return output + ".old";
}

std::optional<std::string> moveAsideExisting(const std::string& output) {
    if (!exists(output))
        return std::nullopt;
    const std::string backup = backupPath(output);
    if (std::rename(output.c_str(), backup.c_str()) != 0)
        throw Error("cannot rename " + output + " to " + backup + ": " + std::strerror(errno));
    return backup;
}

} // namespace hprof::cli
