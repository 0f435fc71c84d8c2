#include "program_lookup.h"

#include "hprof/error.h"

#include <cerrno>
#include <cstring>
#include <optional>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

namespace hprof::cli {
namespace {

constexpr const char* kDefaultSearchPath = "/bin:/usr/bin";

bool isRegularFile(const std::string& path) {
    struct stat status {};
    return stat(path.c_str(), &status) == 0 && S_ISREG(status.st_mode);
}

bool isExecutable(const std::string& path) {
    return access(path.c_str(), X_OK) == 0;
}

std::string joinPath(std::string_view directory, const std::string& name) {
    if (directory.empty())
        return name; // an empty PATH entry means the current directory
    return std::string(directory) + "/" + name;
}

// The dynamic loader runs a program in secure mode, ignoring LD_PRELOAD, when exec changes its
// user or group: a setuid bit, or a setgid bit with group execute permission.
bool changesCredentials(mode_t mode) {
    return (mode & S_ISUID) || ((mode & S_ISGID) && (mode & S_IXGRP));
}

} // namespace

std::string findProgram(const std::string& name, const char* path_variable) {
    if (name.empty())
        throw Error("empty program name");
    if (name.find('/') != std::string::npos)
        return name;
    const std::string_view search_path = path_variable ? path_variable : kDefaultSearchPath;
    std::optional<std::string> not_executable;
    size_t start = 0;
    while (start <= search_path.size()) {
        const size_t colon = std::min(search_path.find(':', start), search_path.size());
        const std::string candidate = joinPath(search_path.substr(start, colon - start), name);
        if (isRegularFile(candidate)) {
            if (isExecutable(candidate))
                return candidate;
            not_executable = not_executable.value_or(candidate);
        }
        start = colon + 1;
    }
    if (not_executable) // like execvp: report the permission problem rather than "not found"
        return *not_executable;
    throw Error(name + ": command not found in PATH");
}

void checkProgram(const std::string& path) {
    struct stat status {};
    if (stat(path.c_str(), &status) != 0)
        throw Error(path + ": " + std::strerror(errno));
    if (S_ISDIR(status.st_mode))
        throw Error(path + ": is a directory");
    if (!S_ISREG(status.st_mode))
        throw Error(path + ": not a regular file");
    if (!isExecutable(path))
        throw Error(path + ": not executable (" + std::strerror(errno) + ")");
    if (changesCredentials(status.st_mode))
        throw Error(path +
                    ": setuid/setgid program; LD_PRELOAD cannot enter setuid/setgid programs");
}

} // namespace hprof::cli
