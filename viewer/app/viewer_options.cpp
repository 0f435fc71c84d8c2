#include "viewer_options.h"

#include <charconv>

namespace hprof::viewer {

const char* const kViewerHelp =
    "usage: hprof-viewer [FILE] [--view VIEW] [--size WxH] [--screenshot OUT.png]\n"
    "       hprof-viewer --scaling DIR [--size WxH] [--screenshot OUT.png]\n"
    "\n"
    "Opens an hprof profile (hprof record -o FILE) in a window; with --scaling, the runs of\n"
    "'hprof scaling -o DIR': each function's time against the size, log-log, with its fit and\n"
    "the prediction.\n"
    "\n"
    "  --view VIEW          the tab to show first: summary (default), table, tree (top-down),\n"
    "                       bottomup, flamegraph, timeline\n"
    "  --size WxH           the window's size in pixels (default 1280x800)\n"
    "  --screenshot OUT.png load FILE, render the view without a display, write it to OUT.png\n"
    "                       and exit (0; 1 when FILE cannot be read; 2 for bad arguments)\n"
    "  --help               this text\n";

namespace {

std::optional<ViewKind> parseView(const std::string& name) {
    static const std::pair<const char*, ViewKind> views[] = {
        {"summary", ViewKind::Summary},       {"table", ViewKind::Table},
        {"tree", ViewKind::TopDown},          {"bottomup", ViewKind::BottomUp},
        {"flamegraph", ViewKind::FlameGraph}, {"timeline", ViewKind::Timeline}};
    for (const auto& [word, kind] : views) {
        if (name == word)
            return kind;
    }
    return std::nullopt;
}

std::optional<int> parseSide(std::string_view text) {
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < 100 || value > 16384)
        return std::nullopt;
    return value;
}

bool parseSize(const std::string& text, ViewerOptions& options) {
    const size_t x = text.find('x');
    if (x == std::string::npos)
        return false;
    const std::optional<int> width = parseSide(std::string_view(text).substr(0, x));
    const std::optional<int> height = parseSide(std::string_view(text).substr(x + 1));
    if (!width || !height)
        return false;
    options.width = *width;
    options.height = *height;
    return true;
}

} // namespace

std::variant<ViewerOptions, std::string> parseViewerOptions(const std::vector<std::string>& args) {
    ViewerOptions options;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        const bool takesValue =
            arg == "--view" || arg == "--size" || arg == "--screenshot" || arg == "--scaling";
        if (takesValue && i + 1 == args.size())
            return arg + " needs a value";
        if (arg == "--help" || arg == "-h") {
            options.help = true;
        } else if (arg == "--view") {
            const std::optional<ViewKind> view = parseView(args[++i]);
            if (!view)
                return "unknown view '" + args[i] +
                       "' (summary, table, tree, bottomup, flamegraph, timeline)";
            options.view = *view;
        } else if (arg == "--size") {
            if (!parseSize(args[++i], options))
                return "bad size '" + args[i] + "': WxH, each 100..16384";
        } else if (arg == "--screenshot") {
            options.screenshot = args[++i];
        } else if (arg == "--scaling") {
            options.scaling_dir = args[++i];
        } else if (arg.starts_with("-") && arg != "-") {
            return "unknown option '" + arg + "' (see --help)";
        } else if (!options.file.empty()) {
            return "one profile at a time: '" + options.file + "' and '" + arg + "'";
        } else {
            options.file = arg;
        }
    }
    if (!options.scaling_dir.empty() && !options.file.empty())
        return "--scaling DIR opens a scaling directory, not also '" + options.file + "'";
    if (!options.screenshot.empty() && options.file.empty() && options.scaling_dir.empty())
        return "--screenshot needs a profile FILE (or --scaling DIR)";
    return options;
}

} // namespace hprof::viewer
