#include "graphics_views.h"

#include "profile_document.h"

#include "hprof/viewer/flame_graph_widget.h"
#include "hprof/viewer/timeline_widget.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace hprof::viewer {

FlameGraphView::FlameGraphView(ProfileDocument* document, QWidget* parent)
    : View(parent), flame_(new FlameGraphWidget), mode_(new QComboBox), search_(new QLineEdit),
      regex_(new QCheckBox(tr("Regular expression"))), search_summary_(new QLabel) {
    mode_->addItem(tr("Flame graph (root at the bottom)"));
    mode_->addItem(tr("Icicle (root at the top)"));
    search_->setPlaceholderText(tr("Highlight functions (Ctrl+F)"));
    search_->setClearButtonEnabled(true);
    connect(mode_, &QComboBox::currentIndexChanged, this, &FlameGraphView::showTree);
    connect(search_, &QLineEdit::textChanged, this, &FlameGraphView::applySearch);
    connect(regex_, &QCheckBox::toggled, this, &FlameGraphView::applySearch);
    connect(flame_, &FlameGraphWidget::focusRequested, document, &ProfileDocument::focusFunction);
    connect(flame_, &FlameGraphWidget::excludeRequested, document,
            &ProfileDocument::excludeFunction);
    auto* bar = new QHBoxLayout;
    bar->addWidget(mode_);
    bar->addWidget(search_, 1);
    bar->addWidget(regex_);
    bar->addWidget(search_summary_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(flame_, 1);
}

QWidget* FlameGraphView::searchField() {
    return search_;
}

void FlameGraphView::showAggregation(const std::shared_ptr<const Aggregation>& aggregation) {
    aggregation_ = aggregation;
    showTree();
}

void FlameGraphView::showTree() {
    if (!aggregation_)
        return;
    const auto mode = mode_->currentIndex() == 0 ? FlameGraphWidget::Mode::TopDown
                                                 : FlameGraphWidget::Mode::Inverted;
    flame_->setData(*aggregation_->profile, *aggregation_->top_down, mode);
    applySearch();
}

void FlameGraphView::applySearch() {
    const auto kind = regex_->isChecked() ? FlameGraphWidget::SearchKind::Regex
                                          : FlameGraphWidget::SearchKind::Substring;
    if (!flame_->setSearch(search_->text(), kind)) {
        search_summary_->setText(tr("invalid regular expression"));
        return;
    }
    search_summary_->setText(flame_->searchSummary());
}

TimelineView::TimelineView(ProfileDocument* document, QWidget* parent)
    : View(parent), timeline_(new TimelineWidget) {
    connect(timeline_, &TimelineWidget::timeRangeSelected, document,
            &ProfileDocument::setTimeRange);
    connect(timeline_, &TimelineWidget::threadFilterRequested, document,
            [document](ThreadId thread, bool include) {
                include ? document->includeThread(thread) : document->excludeThread(thread);
            });
    connect(timeline_, &TimelineWidget::processFilterRequested, document,
            [document](ProcessId process, bool include) {
                include ? document->includeProcess(process) : document->excludeProcess(process);
            });
    connect(timeline_, &TimelineWidget::binsRequested, this, &TimelineView::computeBins);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(timeline_);
}

// The whole run stays on the timeline whatever the time range: the range is what it selects.
void TimelineView::showAggregation(const std::shared_ptr<const Aggregation>& aggregation) {
    const bool sameProfile = aggregation_ && aggregation_->profile == aggregation->profile;
    aggregation_ = aggregation;
    timeline_->setFilter(aggregation->filter);
    if (!sameProfile)
        timeline_->setData(*aggregation->profile, aggregation->timeline);
    else
        timeline_->setTimeline(aggregation->timeline);
}

void TimelineView::computeBins(int64_t from_ns, int64_t to_ns, int bins) {
    if (!aggregation_ || bins < 1)
        return;
    if (bins_watcher_)
        bins_watcher_->disconnect(this); // outdated by this request
    std::shared_ptr<const Aggregation> aggregation = aggregation_;
    bins_watcher_ = new QFutureWatcher<Timeline>(this);
    QFutureWatcher<Timeline>* watcher = bins_watcher_;
    connect(watcher, &QFutureWatcherBase::finished, watcher, &QObject::deleteLater);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, aggregation] {
        bins_watcher_ = nullptr;
        if (aggregation == aggregation_)
            timeline_->setTimeline(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([aggregation, from_ns, to_ns, bins] {
        SampleFilter window = aggregation->filter;
        window.from_ns = from_ns;
        window.to_ns = to_ns;
        return computeTimeline(SampleSelector(*aggregation->profile, window), size_t(bins));
    }));
}

} // namespace hprof::viewer
