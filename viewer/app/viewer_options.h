// The viewer's command line: `hprof-viewer [FILE] [--view NAME] [--size WxH] [--screenshot OUT]`,
// or `hprof-viewer --scaling DIR [--size WxH] [--screenshot OUT]`.
// Parsed before QApplication exists, so --help and bad arguments need no display.
#pragma once

#include "main_window.h"

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace hprof::viewer {

struct ViewerOptions {
    std::string file;
    ViewKind view = ViewKind::Summary;
    int width = 1280;
    int height = 800;
    std::string screenshot;  // empty: interactive
    std::string scaling_dir; // --scaling DIR (hprof scaling -o DIR): the scaling view instead
    bool help = false;
};

// The options, or a one-line error for bad arguments.
std::variant<ViewerOptions, std::string> parseViewerOptions(const std::vector<std::string>& args);

extern const char* const kViewerHelp;

} // namespace hprof::viewer
