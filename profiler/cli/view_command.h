// `hprof view [FILE] [viewer options]`: starts hprof-viewer, which is installed next to hprof.
#pragma once

#include <string>
#include <vector>

namespace hprof::cli {

// <bin>/hprof-viewer for <bin>/hprof: the build tree and an installed prefix share this layout.
std::string viewerPathForExecutable(const std::string& executable);

// Replaces this process with `viewer` and `args`. Returns only by throwing hprof::Error: the
// viewer is missing (not built or installed: no Qt 6 when hprof was built) or cannot start.
[[noreturn]] void execViewer(const std::string& viewer, const std::vector<std::string>& args);

// execViewer of the viewer next to /proc/self/exe.
[[noreturn]] void runView(const std::vector<std::string>& args);

} // namespace hprof::cli
