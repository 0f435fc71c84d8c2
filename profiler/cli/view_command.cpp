#include "view_command.h"

#include "hprof/error.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <unistd.h>

namespace hprof::cli {

std::string viewerPathForExecutable(const std::string& executable) {
    return (std::filesystem::path(executable).parent_path() / "hprof-viewer").string();
}

void execViewer(const std::string& viewer, const std::vector<std::string>& args) {
    if (access(viewer.c_str(), X_OK) != 0)
        throw Error("the viewer is not installed: " + viewer +
                    " is missing (it is built when Qt 6 is found: install qt6-base-dev and "
                    "rebuild)");
    std::vector<char*> argv{const_cast<char*>(viewer.c_str())};
    for (const std::string& arg : args)
        argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    execv(viewer.c_str(), argv.data());
    throw Error("cannot start " + viewer + ": " + std::strerror(errno));
}

void runView(const std::vector<std::string>& args) {
    std::error_code error;
    const auto executable = std::filesystem::read_symlink("/proc/self/exe", error);
    if (error)
        throw Error("cannot find the hprof executable: /proc/self/exe: " + error.message());
    execViewer(viewerPathForExecutable(executable), args);
}

} // namespace hprof::cli
