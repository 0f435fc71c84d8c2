#include "hprof/viewer/timeline_widget.h"

#include "hprof/function_labels.h"
#include "hprof/queries.h"
#include "hprof/viewer/frame_colors.h"

#include <QContextMenuEvent>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace hprof::viewer {

namespace {

constexpr double kTitleWidth = 190;
constexpr double kAxisHeight = 22;
constexpr double kProcessLaneHeight = 30;
constexpr double kThreadLaneHeight = 24;
constexpr double kTraceRowHeight = 14;
constexpr double kHoverTolerancePx = 4;
constexpr size_t kMaxStackLines = 32;
const QColor kCpuColor(40, 120, 200);
const QColor kOffCpuColor(170, 170, 185);
const QColor kRunQueueColor(230, 140, 40);
const QColor kLifetimeColor(90, 90, 90);

} // namespace

TimelineWidget::TimelineWidget(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setMinimumSize(300, 100);
    bins_timer_.setSingleShot(true);
    bins_timer_.setInterval(40);
    connect(&bins_timer_, &QTimer::timeout, this, &TimelineWidget::requestBins);
}

TimelineWidget::~TimelineWidget() = default;

void TimelineWidget::setData(const Profile& profile, Timeline timeline) {
    profile_ = &profile;
    expanded_.clear();
    expanded_hosts_.clear();
    selection_.reset();
    scroll_ = 0;
    int64_t last_sample = profile.samples.empty() ? 0 : profile.samples.back().time_ns;
    axis_.setWidth(width() - kTitleWidth);
    axis_.setRun(0, std::max({profile.run.wall_ns, last_sample, timeline.to_ns}));
    axis_.setView(timeline.from_ns, timeline.to_ns);
    lane_threads_.clear();
    for (const ThreadActivity& activity : timeline.threads)
        lane_threads_.push_back(activity.thread);
    setFilter(SampleFilter{});
    setTimeline(std::move(timeline));
    expandALoneHost();
}

// A job on one host: its ranks are what there is to see, so its lane starts expanded.
void TimelineWidget::expandALoneHost() {
    const auto is_host = [](const TimelineLane& lane) {
        return lane.kind == TimelineLane::Kind::Host;
    };
    if (std::count_if(lanes_.begin(), lanes_.end(), is_host) == 1)
        setHostExpanded(std::find_if(lanes_.begin(), lanes_.end(), is_host)->host, true);
}

void TimelineWidget::setTimeline(Timeline timeline) {
    timeline_ = std::move(timeline);
    keepEveryLane();
    if (profile_)
        lanes_ = buildTimelineLanes(*profile_, timeline_);
    update();
}

// A zoomed timeline lists only the threads alive in its window; the others keep their lanes
// (empty) so that lanes do not come and go while zooming.
void TimelineWidget::keepEveryLane() {
    std::vector<ThreadId> present;
    for (const ThreadActivity& activity : timeline_.threads)
        present.push_back(activity.thread);
    std::sort(present.begin(), present.end());
    std::vector<int64_t> empty(timeline_.bins, 0);
    for (ThreadId thread : lane_threads_)
        if (!std::binary_search(present.begin(), present.end(), thread))
            timeline_.threads.push_back({thread, empty, empty, empty});
    std::sort(timeline_.threads.begin(), timeline_.threads.end(),
              [](const ThreadActivity& a, const ThreadActivity& b) { return a.thread < b.thread; });
}

void TimelineWidget::setFilter(const SampleFilter& filter) {
    filter_ = filter;
    if (!profile_)
        return;
    selector_ = std::make_unique<SampleSelector>(*profile_, filter_);
    computeTraces();
    update();
}

void TimelineWidget::computeTraces() {
    traces_.clear();
    if (profile_->trace_events.empty())
        return;
    traces_.resize(profile_->threads.size());
    for (ThreadTrace& thread : computeTrace(*profile_, filter_)) {
        TraceLane& lane = traces_[thread.thread.value];
        for (const TraceCall& call : thread.calls)
            lane.depth = std::max(lane.depth, call.depth + 1);
        lane.calls = std::move(thread.calls);
    }
}

void TimelineWidget::setView(int64_t from_ns, int64_t to_ns) {
    axis_.setView(from_ns, to_ns);
    viewChanged();
}

double TimelineWidget::timeAreaLeft() const {
    return kTitleWidth;
}

void TimelineWidget::viewChanged() {
    update();
    bins_timer_.start();
}

void TimelineWidget::requestBins() {
    emit binsRequested(axis_.viewFrom(), axis_.viewTo(), std::max(1, int(axis_.width())));
}

void TimelineWidget::setExpanded(ProcessId process, bool expanded) {
    if (expanded)
        expanded_.insert(process.value);
    else
        expanded_.erase(process.value);
    update();
}

void TimelineWidget::setHostExpanded(const std::string& host, bool expanded) {
    if (expanded)
        expanded_hosts_.insert(host);
    else
        expanded_hosts_.erase(host);
    update();
}

std::vector<const TimelineLane*> TimelineWidget::visibleLanes() const {
    std::vector<const TimelineLane*> shown;
    for (const TimelineLane& lane : lanes_) {
        const bool host_open = lane.host.empty() || isHostExpanded(lane.host);
        const bool visible = lane.kind == TimelineLane::Kind::Host ||
                             (lane.kind == TimelineLane::Kind::Process && host_open) ||
                             (host_open && isExpanded(lane.process));
        if (visible)
            shown.push_back(&lane);
    }
    return shown;
}

const TimelineWidget::TraceLane* TimelineWidget::traceOf(const TimelineLane& lane) const {
    if (lane.kind != TimelineLane::Kind::Thread || traces_.empty())
        return nullptr;
    const TraceLane& trace = traces_[lane.thread.value];
    return trace.calls.empty() ? nullptr : &trace;
}

double TimelineWidget::laneHeight(const TimelineLane& lane) const {
    if (lane.kind != TimelineLane::Kind::Thread)
        return kProcessLaneHeight;
    const TraceLane* trace = traceOf(lane);
    return kThreadLaneHeight + (trace ? double(trace->depth) * kTraceRowHeight : 0);
}

QRectF TimelineWidget::laneRect(const TimelineLane& lane) const {
    double top = kAxisHeight - scroll_;
    for (const TimelineLane* shown : visibleLanes()) {
        if (shown == &lane)
            return QRectF(0, top, width(), laneHeight(lane));
        top += laneHeight(*shown);
    }
    return {};
}

const TimelineLane* TimelineWidget::laneAt(QPointF position) const {
    if (position.y() < kAxisHeight)
        return nullptr;
    double top = kAxisHeight - scroll_;
    for (const TimelineLane* lane : visibleLanes()) {
        double bottom = top + laneHeight(*lane);
        if (position.y() >= top && position.y() < bottom)
            return lane;
        top = bottom;
    }
    return nullptr;
}

void TimelineWidget::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    if (!profile_)
        return;
    painter.setClipRect(QRectF(0, kAxisHeight, width(), height() - kAxisHeight));
    for (const TimelineLane* lane : visibleLanes()) {
        QRectF box = laneRect(*lane);
        if (box.bottom() >= kAxisHeight && box.top() <= height())
            paintLane(painter, *lane, box);
    }
    paintSelection(painter);
    painter.setClipping(false);
    paintAxis(painter);
    if (profile_->run.clock == "wall")
        paintLegend(painter);
}

// Wall-clock mode: which colour is which state, in the bottom-left corner.
void TimelineWidget::paintLegend(QPainter& painter) {
    const QFontMetricsF metrics(font());
    const std::pair<QColor, QString> entries[] = {{kCpuColor, tr("on CPU")},
                                                  {kRunQueueColor, tr("waiting for a CPU")},
                                                  {kOffCpuColor, tr("off CPU (blocked)")}};
    double x = 6;
    double y = height() - kAxisHeight;
    painter.fillRect(QRectF(0, y, width(), kAxisHeight), palette().window());
    painter.setPen(palette().color(QPalette::WindowText));
    for (const auto& [color, text] : entries) {
        painter.fillRect(QRectF(x, y + 6, 10, 10), color);
        painter.drawText(QPointF(x + 14, y + 6 + metrics.ascent() - 1), text);
        x += 14 + metrics.horizontalAdvance(text) + 16;
    }
}

void TimelineWidget::paintAxis(QPainter& painter) {
    painter.fillRect(QRectF(0, 0, width(), kAxisHeight), palette().window());
    const QFontMetricsF metrics(font());
    auto text_width = [&metrics](const std::string& text) {
        return metrics.horizontalAdvance(QString::fromStdString(text));
    };
    painter.setPen(palette().color(QPalette::WindowText));
    for (const TimeTick& tick : axis_.ticks(text_width)) {
        double x = timeAreaLeft() + tick.x;
        QString label = QString::fromStdString(tick.label);
        double label_width = metrics.horizontalAdvance(label);
        if (x - label_width / 2 < timeAreaLeft() || x + label_width / 2 > width())
            continue; // a label cut by an edge would read as another number
        painter.drawLine(QPointF(x, kAxisHeight - 5), QPointF(x, kAxisHeight));
        painter.drawText(QPointF(x - label_width / 2, kAxisHeight - 8), label);
    }
    painter.fillRect(QRectF(0, 0, kTitleWidth, kAxisHeight), palette().window());
    painter.drawText(QRectF(6, 0, kTitleWidth - 6, kAxisHeight), Qt::AlignVCenter,
                     profile_->run.clock == "wall" ? tr("wall clock") : tr("CPU time"));
}

// "▸ " / "▾ " before a host or process lane's title, indented under a host lane.
QString TimelineWidget::laneArrow(const TimelineLane& lane) const {
    const QString indent = lane.host.empty() || lane.kind == TimelineLane::Kind::Host
                               ? QString()
                               : QStringLiteral("  ");
    bool open = false;
    if (lane.kind == TimelineLane::Kind::Host)
        open = isHostExpanded(lane.host);
    else if (lane.kind == TimelineLane::Kind::Process)
        open = isExpanded(lane.process);
    else
        return indent + QStringLiteral("    ");
    return indent + (open ? QStringLiteral("▾ ") : QStringLiteral("▸ "));
}

void TimelineWidget::paintLane(QPainter& painter, const TimelineLane& lane, const QRectF& box) {
    bool process = lane.kind != TimelineLane::Kind::Thread; // a host lane looks like one too
    painter.fillRect(QRectF(0, box.top(), kTitleWidth, box.height()),
                     process ? palette().alternateBase() : palette().base());
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawLine(QPointF(0, box.bottom()), QPointF(width(), box.bottom()));
    painter.setPen(palette().color(QPalette::Text));
    QString arrow = laneArrow(lane);
    QRectF title(4, box.top(), kTitleWidth - 8, std::min(box.height(), kThreadLaneHeight));
    painter.drawText(title, Qt::AlignVCenter | Qt::AlignLeft,
                     QFontMetricsF(font()).elidedText(arrow + QString::fromStdString(lane.title),
                                                      Qt::ElideRight, title.width()));
    painter.save();
    painter.setClipRect(QRectF(kTitleWidth, box.top(), width() - kTitleWidth, box.height())
                            .intersected(QRectF(0, kAxisHeight, width(), height())));
    QRectF strip(kTitleWidth, box.top() + 2, width() - kTitleWidth,
                 (process ? kProcessLaneHeight : kThreadLaneHeight) - 4);
    // The lifetime: a thin line under the activity, from start to end.
    double start = std::max(timeX(lane.start_ns), kTitleWidth);
    double end = std::min(timeX(lane.end_ns), double(width()));
    if (end >= start)
        painter.fillRect(QRectF(start, strip.bottom() - 2, std::max(end - start, 1.0), 2),
                         kLifetimeColor);
    paintActivity(painter, lane, strip.adjusted(0, 0, 0, -3));
    if (const TraceLane* trace = traceOf(lane))
        paintTrace(painter, *trace,
                   QRectF(kTitleWidth, strip.bottom() + 2, strip.width(),
                          double(trace->depth) * kTraceRowHeight));
    painter.restore();
}

// Per bin a bar as high as the share of the bin the lane's threads spent on a CPU, with the
// run-queue and off-CPU time stacked on top in their own colours (wall-clock mode).
void TimelineWidget::paintActivity(QPainter& painter, const TimelineLane& lane, const QRectF& box) {
    int64_t bin_ns = timeline_.binNs();
    double scale = box.height() / (double(bin_ns) * lane.peak_threads);
    for (size_t i = 0; i < lane.cpu_ns.size(); ++i) {
        int64_t bin_start = timeline_.from_ns + int64_t(i) * bin_ns;
        double x0 = timeX(bin_start);
        double x1 = timeX(bin_start + bin_ns);
        if (x1 < kTitleWidth || x0 > width())
            continue;
        double bottom = box.bottom();
        auto bar = [&](int64_t ns, const QColor& color) {
            double height = double(ns) * scale;
            if (height <= 0)
                return;
            painter.fillRect(QRectF(x0, bottom - height, std::max(x1 - x0, 1.0), height), color);
            bottom -= height;
        };
        bar(lane.cpu_ns[i], kCpuColor);
        bar(lane.run_queue_ns[i], kRunQueueColor);
        bar(lane.off_cpu_ns[i], kOffCpuColor);
    }
}

// The traced calls in time order, one row per nesting depth; calls that would share a pixel
// column with the previous one of their row are skipped (it already covers that pixel).
void TimelineWidget::paintTrace(QPainter& painter, const TraceLane& trace, const QRectF& box) {
    std::vector<double> last_x(trace.depth, -1);
    const QFontMetricsF metrics(font());
    for (const TraceCall& call : trace.calls) {
        const TraceEvent& event = *call.event;
        double x0 = std::max(timeX(event.start_ns), kTitleWidth);
        double x1 = std::min(timeX(event.start_ns + event.duration_ns), double(width()));
        if (x1 < kTitleWidth || x0 > width() || std::floor(x1) <= last_x[call.depth])
            continue;
        last_x[call.depth] = std::floor(x1);
        QRectF cell(x0, box.top() + double(call.depth) * kTraceRowHeight, std::max(x1 - x0, 1.0),
                    kTraceRowHeight - 1);
        const Function& function = profile_->function(event.function);
        std::string_view module =
            function.module.valid() ? std::string_view(profile_->module(function.module).path) : "";
        QRectF fill = cell.width() > 3 ? cell.adjusted(0, 0, -1, 0) : cell; // calls stay apart
        painter.fillRect(fill, QColor::fromHsl(moduleHue(module), 150, 180));
        if (cell.width() > 30) {
            painter.setPen(Qt::black);
            painter.drawText(cell.adjusted(2, 0, -1, 0), Qt::AlignVCenter,
                             metrics.elidedText(QString::fromStdString(function.name),
                                                Qt::ElideRight, cell.width() - 3));
        }
    }
}

void TimelineWidget::paintSelection(QPainter& painter) {
    if (!selection_)
        return;
    double x0 = std::max(timeX(selection_->first), kTitleWidth);
    double x1 = std::min(timeX(selection_->second), double(width()));
    if (x1 < x0)
        return;
    QColor shade = palette().color(QPalette::Highlight);
    shade.setAlpha(60);
    QRectF band(x0, kAxisHeight, std::max(x1 - x0, 1.0), height());
    painter.fillRect(band, shade);
    // Its length, at the top of the band when it fits.
    QString length = QString::fromStdString(formatDuration(selection_->second - selection_->first));
    if (QFontMetricsF(font()).horizontalAdvance(length) + 8 < band.width()) {
        painter.setPen(palette().color(QPalette::Text));
        painter.drawText(band.adjusted(0, 2, 0, 0), Qt::AlignHCenter | Qt::AlignTop, length);
    }
}

void TimelineWidget::resizeEvent(QResizeEvent*) {
    axis_.setWidth(width() - kTitleWidth);
    viewChanged();
}

void TimelineWidget::mousePressEvent(QMouseEvent* event) {
    QPointF position = event->position();
    drag_start_x_ = drag_last_x_ = position.x();
    bool shift = event->modifiers() & Qt::ShiftModifier;
    if (event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && shift)) {
        drag_ = Drag::Pan;
        return;
    }
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    if (position.x() < kTitleWidth) {
        const TimelineLane* lane = laneAt(position);
        if (lane && lane->kind == TimelineLane::Kind::Host)
            setHostExpanded(lane->host, !isHostExpanded(lane->host));
        else if (lane && lane->kind == TimelineLane::Kind::Process)
            setExpanded(lane->process, !isExpanded(lane->process));
        return;
    }
    drag_ = Drag::Select;
}

void TimelineWidget::mouseMoveEvent(QMouseEvent* event) {
    double x = event->position().x();
    if (drag_ == Drag::Pan) {
        axis_.pan(x - drag_last_x_);
        viewChanged();
    } else if (drag_ == Drag::Select && std::abs(x - drag_start_x_) >= 3) {
        double left = std::max(std::min(x, drag_start_x_), kTitleWidth);
        double right = std::max(x, drag_start_x_);
        selection_ = std::make_pair(timeAt(left), timeAt(right));
        update();
    }
    drag_last_x_ = x;
}

void TimelineWidget::mouseReleaseEvent(QMouseEvent* event) {
    Drag drag = std::exchange(drag_, Drag::None);
    if (drag != Drag::Select)
        return;
    double x = event->position().x();
    if (std::abs(x - drag_start_x_) < 3)
        return;
    double left = std::max(std::min(x, drag_start_x_), kTitleWidth);
    double right = std::max(x, drag_start_x_);
    selection_ = std::make_pair(timeAt(left), timeAt(right));
    update();
    emit timeRangeSelected(selection_->first, selection_->second);
}

void TimelineWidget::wheelEvent(QWheelEvent* event) {
    double steps = event->angleDelta().y() / 120.0;
    if (event->position().x() < kTitleWidth) {
        double content = 0;
        for (const TimelineLane* lane : visibleLanes())
            content += laneHeight(*lane);
        double limit = std::max(0.0, content - (height() - kAxisHeight));
        scroll_ = std::clamp(scroll_ - steps * kThreadLaneHeight * 2, 0.0, limit);
        update();
        return;
    }
    axis_.zoom(std::pow(1.25, steps), event->position().x() - kTitleWidth);
    viewChanged();
}

void TimelineWidget::keyPressEvent(QKeyEvent* event) {
    if (event->key() != Qt::Key_Escape || !selection_)
        return QWidget::keyPressEvent(event);
    selection_.reset();
    update();
    emit selectionCleared();
}

std::unique_ptr<QMenu> TimelineWidget::laneMenuAt(QPointF position) {
    const TimelineLane* lane = laneAt(position);
    if (!lane)
        return nullptr;
    auto menu = std::make_unique<QMenu>(this);
    if (lane->kind == TimelineLane::Kind::Host) {
        const std::string host = lane->host;
        menu->addAction(isHostExpanded(host) ? tr("Collapse processes") : tr("Expand processes"),
                        this, [this, host] { setHostExpanded(host, !isHostExpanded(host)); });
    } else if (lane->kind == TimelineLane::Kind::Process) {
        ProcessId process = lane->process;
        int32_t pid = profile_->process(process).pid;
        menu->addAction(tr("Only process %1").arg(pid), this,
                        [this, process] { emit processFilterRequested(process, true); });
        menu->addAction(tr("Without process %1").arg(pid), this,
                        [this, process] { emit processFilterRequested(process, false); });
        menu->addAction(isExpanded(process) ? tr("Collapse threads") : tr("Expand threads"), this,
                        [this, process] { setExpanded(process, !isExpanded(process)); });
    } else {
        ThreadId thread = lane->thread;
        int32_t tid = profile_->thread(thread).tid;
        menu->addAction(tr("Only thread %1").arg(tid), this,
                        [this, thread] { emit threadFilterRequested(thread, true); });
        menu->addAction(tr("Without thread %1").arg(tid), this,
                        [this, thread] { emit threadFilterRequested(thread, false); });
    }
    return menu;
}

void TimelineWidget::contextMenuEvent(QContextMenuEvent* event) {
    if (auto menu = laneMenuAt(event->pos()))
        menu->exec(event->globalPos());
}

QString TimelineWidget::stackText(size_t sample_index) const {
    const Sample& sample = profile_->samples[sample_index];
    const Thread& thread = profile_->thread(sample.thread);
    QString kind = sample.off_cpu ? tr(" (off CPU)") : sample.run_queue ? tr(" (run queue)") : "";
    QStringList lines{tr("thread %1 %2 at %3%4")
                          .arg(thread.tid)
                          .arg(QString::fromStdString(thread.name),
                               QString::fromStdString(formatDuration(sample.time_ns)), kind)};
    size_t depth = 0;
    for (StackId node = sample.stack; node.valid(); node = profile_->stack(node).parent) {
        if (++depth > kMaxStackLines) {
            lines << QStringLiteral("  …");
            break;
        }
        const Frame& frame = profile_->frame(profile_->stack(node).frame);
        const Function& function = profile_->function(frame.function);
        QString where = function.file.empty() ? QString()
                                              : QStringLiteral("  %1:%2")
                                                    .arg(QString::fromStdString(function.file))
                                                    .arg(frame.line);
        lines << QStringLiteral("  ") + QString::fromStdString(function.name) + where;
    }
    return lines.join('\n');
}

QString TimelineWidget::traceCallText(const TimelineLane& lane, const QRectF& box,
                                      QPointF position) const {
    const TraceLane* trace = traceOf(lane);
    double rows_top = box.top() + kThreadLaneHeight;
    if (!trace || position.y() < rows_top)
        return {};
    size_t depth = size_t((position.y() - rows_top) / kTraceRowHeight);
    int64_t time = timeAt(position.x());
    for (const TraceCall& call : trace->calls) {
        const TraceEvent& event = *call.event;
        if (call.depth == depth && event.start_ns <= time &&
            time < event.start_ns + event.duration_ns)
            return tr("%1\nstart %2, duration %3")
                .arg(QString::fromStdString(profile_->function(event.function).name),
                     QString::fromStdString(formatDuration(event.start_ns)),
                     QString::fromStdString(formatDuration(event.duration_ns)));
    }
    return {};
}

bool TimelineWidget::inLane(const TimelineLane& lane, ThreadId thread) const {
    switch (lane.kind) {
    case TimelineLane::Kind::Host:
        return hostOf(*profile_, profile_->thread(thread).process) == lane.host;
    case TimelineLane::Kind::Process:
        return profile_->thread(thread).process == lane.process;
    case TimelineLane::Kind::Thread:
        return thread == lane.thread;
    }
    return false;
}

QString TimelineWidget::hoverText(QPointF position) const {
    const TimelineLane* lane = laneAt(position);
    if (!lane || !selector_ || position.x() < kTitleWidth)
        return {};
    QString call = traceCallText(*lane, laneRect(*lane), position);
    if (!call.isEmpty())
        return call;
    int64_t time = timeAt(position.x());
    auto tolerance = int64_t(kHoverTolerancePx * axis_.nsPerPixel()) + 1;
    std::optional<size_t> nearest;
    for (const ThreadActivity& activity : timeline_.threads) {
        bool in_lane = inLane(*lane, activity.thread);
        if (!in_lane)
            continue;
        std::optional<size_t> found = sampleNear(*selector_, activity.thread, time, tolerance);
        auto distance = [&](size_t index) {
            return std::abs(profile_->samples[index].time_ns - time);
        };
        if (found && (!nearest || distance(*found) < distance(*nearest)))
            nearest = found;
    }
    QString where = QString::fromStdString(lane->title) + tr(" at ") +
                    QString::fromStdString(formatDuration(time));
    return nearest ? stackText(*nearest) : where + tr("\nno sample here");
}

bool TimelineWidget::event(QEvent* event) {
    if (event->type() != QEvent::ToolTip)
        return QWidget::event(event);
    auto* help = static_cast<QHelpEvent*>(event);
    QString text = hoverText(help->pos());
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(help->globalPos(), text, this);
    return true;
}

} // namespace hprof::viewer
