// The flame graph (root at the bottom) and the icicle (root at the top), custom-painted: the
// layout is computed once per data, zoom or size change (FlameLayout) and painting walks only the
// rows and rectangles that are visible.
#pragma once

// moc (Qt 6.4) preprocesses as C++17 and cannot parse <compare>, which typed_id.h includes; it
// needs only the names of the types in the signals, and the compiler sees everything.
#ifndef Q_MOC_RUN
#include "hprof/call_tree.h"
#include "hprof/function_labels.h"
#include "hprof/profile.h"
#include "hprof/viewer/flame_layout.h"
#endif

#include <QRectF>
#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

class QMenu;

namespace hprof {
class NameMatcher;
}

namespace hprof::viewer {

class FlameGraphWidget : public QWidget {
    Q_OBJECT
  public:
    enum class Mode { TopDown, Inverted };
    enum class ColorMode { ByModule, BySelfShare };
    enum class SearchKind { Substring, Regex };

    explicit FlameGraphWidget(QWidget* parent = nullptr);
    ~FlameGraphWidget() override;

    // The profile must outlive the widget's use of it (until the next setData). A new tree of
    // the same profile (after a filter change) keeps the zoom where the new tree has the zoomed
    // node's path of functions (else its deepest part that it has), and re-runs the search.
    void setData(const hprof::Profile& profile, hprof::CallTree tree, Mode mode);
    void setColorMode(ColorMode mode);
    // Highlights the frames whose function label matches (case-insensitively); an empty text
    // clears the search. Returns false, keeping no search, for an invalid regular expression.
    bool setSearch(const QString& text, SearchKind kind = SearchKind::Substring);

    // The share of the tree's total weight in samples with a matching function on the stack
    // (each sample once, however many matches it has); nullopt without a search.
    std::optional<double> searchShare() const { return search_share_; }
    QString searchSummary() const; // "\"hot_a\": 62.0% of the total", as painted

    void zoomTo(hprof::CallNodeId node); // records the zoom in the history
    hprof::CallNodeId zoomedNode() const { return layout_.zoom(); }
    bool canGoBack() const { return history_index_ > 0; }
    bool canGoForward() const { return history_index_ + 1 < history_.size(); }
    void goBack();
    void goForward();

    // The breadcrumb: "all", then the function names down to the zoomed node; where each is
    // painted.
    QStringList breadcrumb() const;
    QRectF breadcrumbRect(int index) const;

    const FlameLayout& layout() const { return layout_; }
    // Where a laid-out rectangle is painted, in widget coordinates.
    QRectF frameRect(const FlameRect& rect) const;
    const FlameRect* rectAt(QPointF position) const;
    QString tooltipText(const FlameRect& rect) const;
    // The context menu of a frame (focus on, exclude its function); for contextMenuEvent and
    // tests. nullptr where there is no function frame.
    std::unique_ptr<QMenu> contextMenuAt(QPointF position);

  signals:
    void frameActivated(hprof::CallNodeId node);
    void focusRequested(hprof::FunctionId function);
    void excludeRequested(hprof::FunctionId function);

  protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    bool event(QEvent* event) override;

  private:
    void relayout();
    void showZoom(hprof::CallNodeId node);
    void computeSearchMatches(const hprof::NameMatcher& matcher);
    QString frameLabel(const FlameRect& rect) const;
    QColor frameColor(const FlameRect& rect) const;
    double rowTop(uint32_t depth) const;
    double graphTop() const;
    void paintBreadcrumb(QPainter& painter);
    void paintFrames(QPainter& painter, const QRect& dirty);
    void paintRow(QPainter& painter, uint32_t depth, const QRect& dirty);
    void computeModuleColors();
    void paintSearchSummary(QPainter& painter);
    std::vector<hprof::CallNodeId> zoomPath() const; // root .. zoomed node
    // The node reached from the root through children of these functions, as far as they go.
    hprof::CallNodeId nodeAtPath(const std::vector<hprof::FunctionId>& path) const;

    const hprof::Profile* profile_ = nullptr;
    std::unique_ptr<hprof::FunctionLabels> labels_;
    hprof::CallTree tree_;
    Mode mode_ = Mode::TopDown;
    ColorMode color_mode_ = ColorMode::ByModule;
    FlameLayout layout_;
    std::vector<hprof::CallNodeId> history_;
    size_t history_index_ = 0;
    std::vector<bool> matched_function_; // by FunctionId, empty without a search
    std::optional<double> search_share_;
    std::vector<QColor> module_colors_; // by FunctionId
    int64_t max_self_ns_ = 0;           // the largest self weight of a function frame, for heat
    QString search_text_;
    SearchKind search_kind_ = SearchKind::Substring;
    double scroll_ = 0; // pixels of rows scrolled away from the root
};

} // namespace hprof::viewer
