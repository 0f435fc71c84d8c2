#include "scaling_view.h"

#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <numeric>

namespace hprof::viewer {
namespace {

constexpr size_t kFirstShown = 5;
constexpr double kSmallestShownShare = 0.01; // self time, at the largest size

enum Column { Share, Model, Exponent, Function, Columns };

QString exponentText(const ScalingFit& fit) {
    return QString::asprintf("%.2f [%.2f, %.2f]", fit.exponent, fit.exponent_low,
                             fit.exponent_high);
}

} // namespace

ScalingView::ScalingView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    summary_ = new QLabel(this);
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(summary_);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    list_ = new QTreeWidget(splitter);
    list_->setColumnCount(Columns);
    list_->setHeaderLabels({tr("share"), tr("model"), tr("exponent [95%]"), tr("function")});
    list_->setRootIsDecorated(false);
    list_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    plot_ = new ScalingPlot(splitter);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({400, 600});
    layout->addWidget(splitter, 1);
    connect(list_, &QTreeWidget::itemChanged, this, [this] { showChecked(); });
}

QString ScalingView::load(const QString& dir) {
    try {
        const ScalingDirectory directory = readScalingDirectory(dir.toStdString());
        setReport(analyseScaling(directory.runs()));
        return {};
    } catch (const std::exception& error) {
        return QString::fromStdString(error.what());
    }
}

void ScalingView::setReport(ScalingReport report) {
    report_ = std::move(report);
    summary_->setText(QString::fromStdString(report_->program + ": " + report_->summary));
    plot_->setReport(&*report_);
    fillList();
    showChecked();
}

QString ScalingView::summary() const {
    return summary_->text();
}

std::vector<size_t> ScalingView::firstShown(const ScalingReport& report, size_t count) {
    std::vector<size_t> order(report.functions.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return report.functions[a].self_share_at_largest >
               report.functions[b].self_share_at_largest;
    });
    std::vector<size_t> shown;
    if (report.bottleneck)
        shown.push_back(report.bottleneck->function);
    for (size_t f : order)
        if (shown.size() < count && report.functions[f].inclusive_fit &&
            report.functions[f].self_share_at_largest >= kSmallestShownShare &&
            std::find(shown.begin(), shown.end(), f) == shown.end())
            shown.push_back(f);
    return shown;
}

void ScalingView::fillList() {
    const QSignalBlocker blocker(list_);
    list_->clear();
    const std::vector<size_t> shown = firstShown(*report_, kFirstShown);
    for (size_t f = 0; f < report_->functions.size(); ++f) {
        const FunctionScaling& function = report_->functions[f];
        auto* item = new QTreeWidgetItem(list_);
        item->setText(Share, QString::asprintf("%.1f%%", 100 * function.share_at_largest));
        item->setText(Model, function.inclusive_fit
                                 ? QString::fromStdString(describeModel(*function.inclusive_fit))
                                 : QStringLiteral("-"));
        item->setText(Exponent, function.inclusive_fit ? exponentText(*function.inclusive_fit)
                                                       : QStringLiteral("-"));
        item->setText(Function, QString::fromStdString(function.name));
        item->setToolTip(Function, QString::fromStdString(function.name + "\n" + function.file +
                                                          ":" + std::to_string(function.line)));
        item->setData(Share, Qt::UserRole, qulonglong(f));
        const bool checked = std::find(shown.begin(), shown.end(), f) != shown.end();
        item->setCheckState(Share, checked ? Qt::Checked : Qt::Unchecked);
    }
}

void ScalingView::showChecked() {
    std::vector<size_t> shown;
    if (report_ && report_->bottleneck) // the bottleneck keeps the first colour
        for (int row = 0; row < list_->topLevelItemCount(); ++row) {
            const QTreeWidgetItem* item = list_->topLevelItem(row);
            const size_t f = item->data(Share, Qt::UserRole).toULongLong();
            if (f == report_->bottleneck->function && item->checkState(Share) == Qt::Checked)
                shown.push_back(f);
        }
    for (int row = 0; row < list_->topLevelItemCount(); ++row) {
        QTreeWidgetItem* item = list_->topLevelItem(row);
        const size_t f = item->data(Share, Qt::UserRole).toULongLong();
        if (item->checkState(Share) == Qt::Checked &&
            std::find(shown.begin(), shown.end(), f) == shown.end())
            shown.push_back(f);
    }
    const QSignalBlocker blocker(list_); // the colours below are no change of the checks
    for (int row = 0; row < list_->topLevelItemCount(); ++row) {
        QTreeWidgetItem* item = list_->topLevelItem(row);
        const size_t f = item->data(Share, Qt::UserRole).toULongLong();
        const auto slot = std::find(shown.begin(), shown.end(), f);
        item->setForeground(Function, slot == shown.end()
                                          ? palette().color(QPalette::WindowText)
                                          : ScalingPlot::colourOf(size_t(slot - shown.begin())));
    }
    plot_->setShown(std::move(shown));
}

} // namespace hprof::viewer
