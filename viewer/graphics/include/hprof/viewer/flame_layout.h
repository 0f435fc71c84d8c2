// Where each frame of a flame graph goes: plain code, computed once per data or zoom change so
// that painting only walks the rectangles it needs.
#pragma once

#include "hprof/call_tree.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hprof::viewer {

// One rectangle of the graph. x and width are in pixels, depth counts rows from the zoomed node
// (0). A merged block stands for the children of `parent` that were each narrower than the
// minimum width: it carries their summed weight and has no children drawn.
struct FlameRect {
    CallNodeId node;   // invalid for a merged block
    CallNodeId parent; // the node whose children a merged block merges; the tree parent otherwise
    double x = 0;
    double width = 0;
    uint32_t depth = 0;
    bool merged = false;
    uint32_t merged_count = 0;    // how many children a merged block stands for
    int64_t merged_weight_ns = 0; // their summed total weight
};

class FlameLayout {
  public:
    FlameLayout() = default;
    // Lays out the subtree of `zoom` so that its total weight spans [0, width_px). Children sit
    // left to right in the tree's order inside their parent; a parent's children whose width is
    // below `min_width_px` become one merged block after the others.
    FlameLayout(const CallTree& tree, CallNodeId zoom, double width_px, double min_width_px = 1.0);

    const std::vector<FlameRect>& rects() const { return rects_; }
    uint32_t rows() const { return uint32_t(row_begin_.size()) - 1; } // deepest depth + 1
    // The rectangles of one row, ordered by x: [rowBegin(d), rowBegin(d + 1)).
    size_t rowBegin(uint32_t depth) const { return row_begin_[std::min<size_t>(depth, rows())]; }
    // The rectangle of row `depth` that contains x, or nullptr.
    const FlameRect* rectAt(double x, uint32_t depth) const;
    // The rectangle of a node, or nullptr when it is not laid out (merged, zoomed away).
    const FlameRect* rectOf(CallNodeId node) const;
    CallNodeId zoom() const { return zoom_; }

  private:
    std::vector<FlameRect> rects_; // by depth, then x
    std::vector<size_t> row_begin_{0};
    CallNodeId zoom_;
};

} // namespace hprof::viewer
