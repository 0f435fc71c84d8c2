// The Flame graph and Timeline tabs: helper "graphics"' widgets (viewer/graphics) in the tabs'
// frame, connected to the document (built when HPROF_VIEWER_GRAPHICS is defined).
#pragma once

#include "view.h"

#include <QFutureWatcher>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;

namespace hprof::viewer {

class FlameGraphWidget;
class ProfileDocument;
class TimelineWidget;

// The flame graph (or icicle) of the top-down tree, with a search whose matches' share is said.
class FlameGraphView : public View {
    Q_OBJECT
  public:
    explicit FlameGraphView(ProfileDocument* document, QWidget* parent = nullptr);
    void showAggregation(const std::shared_ptr<const Aggregation>& aggregation) override;
    QWidget* searchField() override;
    FlameGraphWidget* flameGraph() const { return flame_; }

  private:
    void showTree();
    void applySearch();

    std::shared_ptr<const Aggregation> aggregation_; // keeps the profile the widget draws
    FlameGraphWidget* flame_;
    QComboBox* mode_;
    QLineEdit* search_;
    QCheckBox* regex_;
    QLabel* search_summary_;
};

// The timeline; a drag sets the document's time range, a lane's menu filters a process or thread,
// and zooming asks for new bins, computed off the GUI thread.
class TimelineView : public View {
    Q_OBJECT
  public:
    explicit TimelineView(ProfileDocument* document, QWidget* parent = nullptr);
    void showAggregation(const std::shared_ptr<const Aggregation>& aggregation) override;
    TimelineWidget* timeline() const { return timeline_; }

  private:
    void computeBins(int64_t from_ns, int64_t to_ns, int bins);

    std::shared_ptr<const Aggregation> aggregation_;
    TimelineWidget* timeline_;
    QFutureWatcher<Timeline>* bins_watcher_ = nullptr;
};

} // namespace hprof::viewer
