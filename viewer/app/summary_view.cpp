#include "summary_view.h"

#include "bar_list_widget.h"
#include "cost_bar_delegate.h"
#include "format.h"
#include "profile_document.h"

#include "hprof/queries.h"
#include "hprof/source_gaps.h"

#include <QFileInfo>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QScrollArea>
#include <QTableView>
#include <QVBoxLayout>

namespace hprof::viewer {

namespace {

constexpr size_t kTopRows = 10;

QString code(const QString& text) {
    return QStringLiteral("<code>%1</code>").arg(text.toHtmlEscaped());
}

QString nameOf(const Aggregation& aggregation, FunctionId function) {
    return functionName(*aggregation.profile, *aggregation.labels, function);
}

QString fileName(const std::string& path) {
    return QFileInfo(QString::fromStdString(path)).fileName();
}

// Where the time in `function` goes: its hottest sampled line, or where it is defined.
QString placeOf(const Aggregation& aggregation, FunctionId function) {
    const Function& f = aggregation.profile->function(function);
    if (f.file.empty())
        return {};
    uint32_t line = f.line;
    for (const HotLine& hot : aggregation.hot_lines) {
        if (hot.function == function) {
            line = hot.line;
            break;
        }
    }
    return QStringLiteral(" at %1:%2").arg(fileName(f.file).toHtmlEscaped()).arg(line);
}

bool wallClock(const Aggregation& aggregation) {
    return aggregation.profile->run.clock == "wall";
}

QString timeWord(const Aggregation& aggregation) {
    return wallClock(aggregation) ? QObject::tr("of the time") : QObject::tr("of the CPU time");
}

std::vector<BarListWidget::Entry> topFunctionEntries(const Aggregation& aggregation) {
    std::vector<FunctionStats> stats = aggregation.functions;
    sortFunctionStats(*aggregation.profile, stats, SortKey::TotTime);
    std::vector<BarListWidget::Entry> entries;
    for (const FunctionStats& f : stats) {
        if (entries.size() == kTopRows || f.self_ns <= 0)
            break;
        entries.push_back({functionName(*aggregation.profile, *aggregation.labels, f.function),
                           shareOf(f.self_ns, aggregation.totals.weight_ns),
                           secondsText(f.self_ns) + QStringLiteral(" s"),
                           QString::fromStdString((*aggregation.labels)[f.function])});
    }
    return entries;
}

std::vector<BarListWidget::Entry> hotLineEntries(const Aggregation& aggregation) {
    std::vector<BarListWidget::Entry> entries;
    for (const HotLine& hot : aggregation.hot_lines) {
        if (entries.size() == kTopRows)
            break;
        const Function& f = aggregation.profile->function(hot.function);
        const QString place = QStringLiteral("%1:%2").arg(fileName(f.file)).arg(hot.line);
        entries.push_back(
            {place + QStringLiteral("  ") +
                 functionName(*aggregation.profile, *aggregation.labels, hot.function),
             shareOf(hot.weight_ns, aggregation.totals.weight_ns),
             secondsText(hot.weight_ns) + QStringLiteral(" s"),
             QString::fromStdString(f.file) + QStringLiteral(":%1").arg(hot.line)});
    }
    return entries;
}

QString row(const QString& name, const QString& value) {
    return QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(name, value);
}

QString factsText(const Aggregation& aggregation) {
    const RunInfo& run = aggregation.profile->run;
    QStringList command;
    for (const std::string& word : run.command)
        command << QString::fromStdString(word);
    QString html = QStringLiteral("<table cellspacing=3>");
    html += row(QObject::tr("Command"), command.join(QLatin1Char(' ')).toHtmlEscaped());
    if (!run.source.empty()) // an imported profile: say what its numbers cannot show
        html += row(QObject::tr("Source"), QString::fromStdString(sourceText(run)).toHtmlEscaped());
    html += row(QObject::tr("Duration"), durationText(run.wall_ns) + QObject::tr(" wall"));
    html += row(QObject::tr("CPU"), durationText(run.cpu_ns) + QObject::tr(" (kernel), ") +
                                        durationText(aggregation.totals.cpu_ns) +
                                        QObject::tr(" sampled in the selection"));
    if (wallClock(aggregation))
        html += row(QObject::tr("Off-CPU"), durationText(aggregation.totals.off_cpu_ns) +
                                                QObject::tr(" blocked, ") +
                                                durationText(aggregation.totals.run_queue_ns) +
                                                QObject::tr(" waiting for a CPU"));
    html += row(QObject::tr("Samples"), QStringLiteral("%1 selected of %2")
                                            .arg(aggregation.totals.samples)
                                            .arg(aggregation.profile->samples.size()));
    html += row(QObject::tr("Frequency"),
                QStringLiteral("%1 Hz (%2)")
                    .arg(run.frequency_hz)
                    .arg(QString::fromStdString(run.trigger).toHtmlEscaped()));
    html += row(QObject::tr("Clock"), QString::fromStdString(run.clock).toHtmlEscaped());
    if (!run.instrumentation.empty())
        html += row(QObject::tr("Instrumentation"),
                    QString::fromStdString(run.instrumentation).toHtmlEscaped());
    html += row(QObject::tr("Processes, threads"), QStringLiteral("%1, %2")
                                                       .arg(aggregation.profile->processes.size())
                                                       .arg(aggregation.profile->threads.size()));
    QStringList warnings;
    for (const std::string& warning : run.warnings)
        warnings << QString::fromStdString(warning).toHtmlEscaped();
    if (run.dropped_samples > 0)
        warnings << QObject::tr("%1 samples were dropped").arg(run.dropped_samples);
    if (!warnings.isEmpty())
        html += row(QObject::tr("Warnings"), warnings.join(QStringLiteral("<br>")));
    return html + QStringLiteral("</table>");
}

QString boundText(std::optional<double> bound) {
    return bound ? QString::asprintf("%.2fx", *bound) : QObject::tr("none");
}

QString parallelismText(const Parallelism& p) {
    QString html = QStringLiteral("<table cellspacing=3>");
    html +=
        row(QObject::tr("Average parallelism"), QString::asprintf("%.2f", p.averageParallelism()));
    html += row(QObject::tr("Serial fraction"),
                percentText(p.serialFraction()) + QObject::tr(" of the busy wall time"));
    html += row(QObject::tr("Amdahl's bound"),
                boundText(p.speedupBoundOverOneCore()) + QObject::tr(" over one core, ") +
                    boundText(p.speedupBoundOverThisRun()) + QObject::tr(" over this run"));
    html += row(QObject::tr("Idle"), durationText(p.idleNs()) + QObject::tr(" of ") +
                                         durationText(p.wallNs()) + QObject::tr(" wall"));
    return html + QStringLiteral("</table>");
}

QLabel* heading(const QString& text) {
    auto* label = new QLabel(QStringLiteral("<h3>%1</h3>").arg(text));
    return label;
}

QLabel* richLabel() {
    auto* label = new QLabel;
    label->setTextFormat(Qt::RichText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    return label;
}

} // namespace

QString bottleneckSentence(const Aggregation& aggregation) {
    const CallTree& bottomUp = *aggregation.bottom_up;
    const CallNode& root = bottomUp.node(CallTree::root());
    if (root.children.empty() || root.total.weight_ns <= 0)
        return QObject::tr("No samples are selected.");
    // The bottom-up root's children are the leaf functions, heaviest first; a node's children
    // are its callers, heaviest first.
    const CallNode& hottest = bottomUp.node(root.children.front());
    QString sentence = QObject::tr("<b>%1</b> %2 is in %3%4")
                           .arg(percentText(shareOf(hottest.total.weight_ns, root.total.weight_ns)),
                                timeWord(aggregation), code(nameOf(aggregation, hottest.function)),
                                placeOf(aggregation, hottest.function));
    if (!hottest.children.empty()) {
        const CallNode& caller = bottomUp.node(hottest.children.front());
        sentence += QObject::tr(", called from %1").arg(code(nameOf(aggregation, caller.function)));
    }
    return sentence + QLatin1Char('.');
}

SummaryView::SummaryView(ProfileDocument* document, QWidget* parent)
    : View(parent), document_(document), headline_(richLabel()), top_functions_(new BarListWidget),
      hot_lines_(new BarListWidget), facts_(richLabel()), parallelism_(richLabel()),
      processes_(new CpuUsageModel(this)), threads_(new CpuUsageModel(this)) {
    QFont big = headline_->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    headline_->setFont(big);

    auto* content = new QWidget;
    auto* grid = new QGridLayout(content);
    grid->addWidget(headline_, 0, 0, 1, 2);
    grid->addWidget(heading(tr("Top functions by self time")), 1, 0);
    grid->addWidget(top_functions_, 2, 0);
    grid->addWidget(heading(tr("Hottest source lines")), 3, 0);
    grid->addWidget(hot_lines_, 4, 0);
    grid->addWidget(heading(tr("Run")), 1, 1);
    grid->addWidget(facts_, 2, 1);
    grid->addWidget(heading(tr("Parallelism")), 3, 1);
    grid->addWidget(parallelism_, 4, 1);
    grid->addWidget(heading(tr("CPU per process")), 5, 0);
    grid->addWidget(makeCpuTable(processes_), 6, 0);
    grid->addWidget(heading(tr("CPU per thread")), 5, 1);
    grid->addWidget(makeCpuTable(threads_), 6, 1);
    grid->setColumnStretch(0, 3);
    grid->setColumnStretch(1, 2);
    grid->setRowStretch(6, 1);

    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setWidget(content);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);
}

QTableView* SummaryView::makeCpuTable(CpuUsageModel* model) {
    auto* table = new QTableView;
    table->setModel(model);
    table->setItemDelegate(new CostBarDelegate(table));
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 6);
    table->horizontalHeader()->setDefaultSectionSize(76); // the numbers and their cost bars
    table->horizontalHeader()->setSectionResizeMode(CpuUsageModel::Name, QHeaderView::Stretch);
    table->setMinimumHeight(160);
    table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(table, &QWidget::customContextMenuRequested, this,
            [this, table](const QPoint& position) { showCpuMenu(table, position); });
    return table;
}

// Filter a process or thread in or out from its row.
void SummaryView::showCpuMenu(QTableView* table, const QPoint& position) {
    const QModelIndex index = table->indexAt(position);
    if (!index.isValid())
        return;
    QMenu menu(this);
    const QVariant thread = index.data(CpuUsageModel::ThreadRole);
    if (thread.isValid()) {
        const ThreadId id(thread.toUInt());
        menu.addAction(tr("Only this thread"), document_,
                       [this, id] { document_->includeThread(id); });
        menu.addAction(tr("Without this thread"), document_,
                       [this, id] { document_->excludeThread(id); });
    } else {
        const ProcessId id(index.data(CpuUsageModel::ProcessRole).toUInt());
        menu.addAction(tr("Only this process"), document_,
                       [this, id] { document_->includeProcess(id); });
        menu.addAction(tr("Without this process"), document_,
                       [this, id] { document_->excludeProcess(id); });
    }
    menu.exec(table->viewport()->mapToGlobal(position));
}

void SummaryView::showAggregation(const std::shared_ptr<const Aggregation>& aggregation) {
    headline_->setText(bottleneckSentence(*aggregation));
    top_functions_->setEntries(topFunctionEntries(*aggregation));
    hot_lines_->setEntries(hotLineEntries(*aggregation));
    facts_->setText(factsText(*aggregation));
    const Parallelism& p = aggregation->parallelism;
    parallelism_->setText(p.cpu_ns > 0 ? parallelismText(p) : tr("No CPU time in the selection."));
    processes_->setProcesses(aggregation->profile, aggregation->processes);
    threads_->setThreads(aggregation->profile, aggregation->threads);
}

} // namespace hprof::viewer
