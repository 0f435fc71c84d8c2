#include "hprof/viewer/flame_layout.h"

#include <algorithm>

namespace hprof::viewer {

namespace {

// Rows are filled in preorder, left child first, so every row comes out ordered by x.
class RowBuilder {
  public:
    RowBuilder(const CallTree& tree, double min_width) : tree_(tree), min_width_(min_width) {}

    void layOut(CallNodeId zoom, double width) {
        const CallNode& root = tree_.node(zoom);
        if (root.total.weight_ns <= 0)
            return;
        add({zoom, root.parent, 0, width, 0});
        stack_.push_back(Pending{zoom, 0, width, 0});
        while (!stack_.empty()) {
            Pending pending = stack_.back();
            stack_.pop_back();
            placeChildren(pending);
        }
    }
    std::vector<std::vector<FlameRect>> rows;

  private:
    struct Pending {
        CallNodeId node;
        double x;
        double width;
        uint32_t depth;
    };

    void placeChildren(const Pending& parent) {
        const CallNode& node = tree_.node(parent.node);
        double scale = parent.width / double(node.total.weight_ns);
        double x = parent.x;
        FlameRect merged{CallNodeId(), parent.node, 0, 0, parent.depth + 1, true};
        std::vector<Pending> wide;
        for (CallNodeId child : node.children) {
            int64_t weight = tree_.node(child).total.weight_ns;
            double width = double(weight) * scale;
            if (weight <= 0)
                continue;
            if (width < min_width_) {
                merged.merged_count++;
                merged.merged_weight_ns += weight;
                continue;
            }
            add({child, parent.node, x, width, parent.depth + 1});
            wide.push_back({child, x, width, parent.depth + 1});
            x += width;
        }
        if (merged.merged_count > 0) {
            merged.x = x;
            merged.width = double(merged.merged_weight_ns) * scale;
            add(merged);
        }
        // Reversed: the leftmost child is taken from the stack first.
        stack_.insert(stack_.end(), wide.rbegin(), wide.rend());
    }

    void add(const FlameRect& rect) {
        if (rows.size() <= rect.depth)
            rows.resize(rect.depth + 1);
        rows[rect.depth].push_back(rect);
    }

    const CallTree& tree_;
    double min_width_;
    std::vector<Pending> stack_;
};

} // namespace

FlameLayout::FlameLayout(const CallTree& tree, CallNodeId zoom, double width_px,
                         double min_width_px)
    : zoom_(zoom) {
    if (tree.nodes.empty() || !zoom.valid() || zoom.value >= tree.nodes.size())
        return;
    RowBuilder builder(tree, min_width_px);
    builder.layOut(zoom, width_px);
    for (auto& row : builder.rows) {
        rects_.insert(rects_.end(), row.begin(), row.end());
        row_begin_.push_back(rects_.size());
    }
}

const FlameRect* FlameLayout::rectAt(double x, uint32_t depth) const {
    if (depth >= rows())
        return nullptr;
    auto begin = rects_.begin() + ptrdiff_t(row_begin_[depth]);
    auto end = rects_.begin() + ptrdiff_t(row_begin_[depth + 1]);
    auto after = std::upper_bound(begin, end, x,
                                  [](double value, const FlameRect& r) { return value < r.x; });
    if (after == begin)
        return nullptr;
    const FlameRect& rect = *(after - 1);
    return x < rect.x + std::max(rect.width, 1.0) ? &rect : nullptr;
}

const FlameRect* FlameLayout::rectOf(CallNodeId node) const {
    auto found = std::find_if(rects_.begin(), rects_.end(),
                              [node](const FlameRect& rect) { return rect.node == node; });
    return found == rects_.end() ? nullptr : &*found;
}

} // namespace hprof::viewer
