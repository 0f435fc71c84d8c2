// Colours of flame-graph frames: plain functions, so that a module keeps its colour from run to
// run and from view to view.
#pragma once

#include <cstdint>
#include <string_view>

namespace hprof::viewer {

// A hue in [0, 360) from a stable hash (FNV-1a) of a module path: the same module always gets
// the same hue, whatever the profile or the platform.
int moduleHue(std::string_view module_path);

// 0 (cold) .. 1 (hottest): a frame's self share relative to the largest self share of the
// graph, square-rooted so that small shares still show.
double heat(int64_t self_weight_ns, int64_t max_self_weight_ns);

} // namespace hprof::viewer
