// The timeline: one lane per process (its threads summed), expandable into one lane per thread,
// showing when each existed and how busy it was; in trace mode a thread lane also shows its
// traced calls as a flame chart. The widget never bins samples: when the visible window changes
// it asks for a re-binned timeline (binsRequested) and paints what setTimeline gives it.
#pragma once

// moc (Qt 6.4) preprocesses as C++17 and cannot parse <compare>, which typed_id.h includes; it
// needs only the names of the types in the signals, and the compiler sees everything.
#ifndef Q_MOC_RUN
#include "hprof/filter.h"
#include "hprof/profile.h"
#include "hprof/timeline.h"
#include "hprof/viewer/time_axis.h"
#include "hprof/viewer/timeline_lanes.h"
#endif

#include <QTimer>
#include <QWidget>

#include <memory>
#include <optional>
#include <set>
#include <utility>
#include <vector>

class QMenu;

namespace hprof {
struct TraceCall;
}

namespace hprof::viewer {

class TimelineWidget : public QWidget {
    Q_OBJECT
  public:
    explicit TimelineWidget(QWidget* parent = nullptr);
    ~TimelineWidget() override;

    // Shows the timeline's window of the run. The profile must outlive the widget's use of it.
    void setData(const hprof::Profile& profile, hprof::Timeline timeline);
    // New bins for the same profile (the answer to binsRequested); the visible window stays.
    void setTimeline(hprof::Timeline timeline);
    // The filter whose samples the hover tooltip and the trace lanes show (default: all).
    void setFilter(const hprof::SampleFilter& filter);

    const TimeAxis& axis() const { return axis_; }
    void setView(int64_t from_ns, int64_t to_ns);
    double timeAreaLeft() const; // the pixel where the time axis starts (after the lane titles)

    void setExpanded(hprof::ProcessId process, bool expanded);
    bool isExpanded(hprof::ProcessId process) const { return expanded_.count(process.value) > 0; }
    // A job's profile: a host lane shows its processes when expanded (collapsed at first, but
    // for a job on one host).
    void setHostExpanded(const std::string& host, bool expanded);
    bool isHostExpanded(const std::string& host) const { return expanded_hosts_.count(host) > 0; }
    // The lanes shown, top to bottom, and where each is painted.
    std::vector<const TimelineLane*> visibleLanes() const;
    QRectF laneRect(const TimelineLane& lane) const;
    const TimelineLane* laneAt(QPointF position) const;

    std::optional<std::pair<int64_t, int64_t>> selection() const { return selection_; }
    // The tooltip at a point: the lane and time, and the sampled stack nearest to that moment.
    QString hoverText(QPointF position) const;
    // The context menu of the lane at a point; for contextMenuEvent and tests.
    std::unique_ptr<QMenu> laneMenuAt(QPointF position);

  signals:
    void timeRangeSelected(int64_t from_ns, int64_t to_ns);
    void selectionCleared();
    void threadFilterRequested(hprof::ThreadId thread, bool include);
    void processFilterRequested(hprof::ProcessId process, bool include);
    void binsRequested(int64_t from_ns, int64_t to_ns, int bins);

  protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    bool event(QEvent* event) override;

  private:
    struct TraceLane {
        std::vector<hprof::TraceCall> calls;
        size_t depth = 0; // rows: the deepest nesting + 1
    };

    double laneHeight(const TimelineLane& lane) const;
    void expandALoneHost();
    QString laneArrow(const TimelineLane& lane) const;
    bool inLane(const TimelineLane& lane, hprof::ThreadId thread) const;
    const TraceLane* traceOf(const TimelineLane& lane) const;
    void computeTraces();
    void keepEveryLane();
    void viewChanged();
    void requestBins();
    double timeX(int64_t time_ns) const { return timeAreaLeft() + axis_.toPixel(time_ns); }
    int64_t timeAt(double x) const { return axis_.toTime(x - timeAreaLeft()); }

    void paintAxis(QPainter& painter);
    void paintLane(QPainter& painter, const TimelineLane& lane, const QRectF& box);
    void paintActivity(QPainter& painter, const TimelineLane& lane, const QRectF& box);
    void paintTrace(QPainter& painter, const TraceLane& trace, const QRectF& box);
    void paintSelection(QPainter& painter);
    void paintLegend(QPainter& painter);
    QString stackText(size_t sample_index) const;
    QString traceCallText(const TimelineLane& lane, const QRectF& box, QPointF position) const;

    const hprof::Profile* profile_ = nullptr;
    hprof::Timeline timeline_;
    std::vector<hprof::ThreadId> lane_threads_; // the threads of setData's timeline
    std::vector<TimelineLane> lanes_;
    std::set<uint32_t> expanded_; // ProcessId values
    std::set<std::string> expanded_hosts_;
    hprof::SampleFilter filter_;
    std::unique_ptr<hprof::SampleSelector> selector_;
    std::vector<TraceLane> traces_; // by ThreadId value; empty without trace events
    TimeAxis axis_;
    double scroll_ = 0; // pixels of lanes scrolled away at the top
    std::optional<std::pair<int64_t, int64_t>> selection_;
    enum class Drag { None, Select, Pan } drag_ = Drag::None;
    double drag_start_x_ = 0;
    double drag_last_x_ = 0;
    QTimer bins_timer_; // coalesces a burst of wheel or pan steps into one binsRequested
};

} // namespace hprof::viewer
