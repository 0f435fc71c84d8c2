#include "call_table_view.h"

#include "cost_bar_delegate.h"
#include "profile_document.h"

#include "hprof/error.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace hprof::viewer {

namespace {

QTableView* makeTable(QAbstractItemModel* model, QWidget* parent) {
    auto* table = new QTableView(parent);
    table->setModel(model);
    table->setItemDelegate(new CostBarDelegate(table));
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setAlternatingRowColors(true);
    table->setWordWrap(false);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 6);
    table->horizontalHeader()->setStretchLastSection(true);
    table->horizontalHeader()->setDefaultAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return table;
}

} // namespace

CallTableView::CallTableView(ProfileDocument* document, QWidget* parent)
    : View(parent), document_(document), model_(new CallTableModel(this)),
      callers_(new CallerCalleeModel(this)), callees_(new CallerCalleeModel(this)) {
    table_ = makeTable(model_, this);
    table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    table_->setSortingEnabled(true);
    table_->sortByColumn(CallTableModel::TotTime, Qt::DescendingOrder);
    table_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(table_, &QWidget::customContextMenuRequested, this, &CallTableView::showContextMenu);
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &CallTableView::showRelationsOfCurrent);
    auto* copy = new QShortcut(QKeySequence::Copy, table_, nullptr, nullptr, Qt::WidgetShortcut);
    connect(copy, &QShortcut::activated, this, &CallTableView::copySelectedRows);

    auto* panes = new QSplitter(Qt::Horizontal);
    panes->addWidget(buildRelationPane(tr("Callers of the selected function"), callers_));
    panes->addWidget(buildRelationPane(tr("Callees of the selected function"), callees_));
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(table_);
    split->addWidget(panes);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(buildFilterRow());
    layout->addWidget(split, 1);
}

QWidget* CallTableView::buildFilterRow() {
    auto* row = new QWidget(this);
    filter_edit_ = new QLineEdit(row);
    filter_edit_->setPlaceholderText(tr("Filter functions (Ctrl+F)"));
    filter_edit_->setClearButtonEnabled(true);
    regex_box_ = new QCheckBox(tr("Regular expression"), row);
    filter_error_ = new QLabel(row);
    filter_error_->setStyleSheet(QStringLiteral("color: #b00020"));
    connect(filter_edit_, &QLineEdit::textChanged, this, &CallTableView::applyNameFilter);
    connect(regex_box_, &QCheckBox::toggled, this, &CallTableView::applyNameFilter);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(filter_edit_, 1);
    layout->addWidget(regex_box_);
    layout->addWidget(filter_error_);
    return row;
}

QWidget* CallTableView::buildRelationPane(const QString& title, CallerCalleeModel* model) {
    auto* pane = new QWidget(this);
    QTableView* table = makeTable(model, pane);
    // Double-click a caller or callee: go to its row.
    connect(table, &QAbstractItemView::doubleClicked, this, [this](const QModelIndex& index) {
        const QVariant function = index.data(FunctionRole);
        if (function.isValid())
            selectFunction(FunctionId(function.toUInt()));
    });
    auto* layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(title, pane));
    layout->addWidget(table);
    return pane;
}

QWidget* CallTableView::searchField() {
    return filter_edit_;
}

void CallTableView::showAggregation(const std::shared_ptr<const Aggregation>& aggregation) {
    const FunctionId selected = currentFunction();
    aggregation_ = aggregation;
    model_->setStats(aggregation->profile, aggregation->labels, aggregation->functions,
                     aggregation->totals.weight_ns);
    table_->resizeColumnsToContents();
    callers_->clear();
    callees_->clear();
    selectFunction(selected.valid() && model_->rowOf(selected) >= 0 ? selected
                                                                    : aggregation->hottest);
}

void CallTableView::applyNameFilter() {
    const auto kind =
        regex_box_->isChecked() ? NameMatcher::Kind::Regex : NameMatcher::Kind::Substring;
    try {
        model_->setNameFilter(filter_edit_->text(), kind);
        filter_error_->clear();
    } catch (const Error& error) {
        filter_error_->setText(QString::fromStdString(error.what()));
    }
}

FunctionId CallTableView::currentFunction() const {
    const QModelIndex current = table_->currentIndex();
    return current.isValid() ? model_->statsAt(current.row()).function : FunctionId();
}

void CallTableView::selectFunction(FunctionId function) {
    if (model_->rowOf(function) < 0 && !filter_edit_->text().isEmpty())
        filter_edit_->clear();
    const int row = model_->rowOf(function);
    if (row < 0)
        return;
    table_->selectRow(row);
    table_->setCurrentIndex(model_->index(row, CallTableModel::Location));
    table_->scrollTo(model_->index(row, 0));
}

void CallTableView::showRelationsOfCurrent() {
    const FunctionId function = currentFunction();
    if (relations_watcher_)
        relations_watcher_->disconnect(this); // outdated: its result is not shown
    if (!function.valid() || !aggregation_)
        return;
    std::shared_ptr<const Aggregation> aggregation = aggregation_;
    if (function == aggregation->hottest) { // computed with the aggregation
        showRelations(aggregation->hottest_callers, aggregation->hottest_callees);
        return;
    }
    relations_watcher_ = new QFutureWatcher<Relations>(this);
    QFutureWatcher<Relations>* watcher = relations_watcher_;
    connect(watcher, &QFutureWatcherBase::finished, watcher, &QObject::deleteLater);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, aggregation] {
        const Relations relations = watcher->result();
        relations_watcher_ = nullptr;
        if (aggregation == aggregation_)
            showRelations(relations.callers, relations.callees);
    });
    watcher->setFuture(QtConcurrent::run([aggregation, function] {
        const SampleSelector selector(*aggregation->profile, aggregation->filter);
        return Relations{computeCallers(selector, function), computeCallees(selector, function)};
    }));
}

void CallTableView::showRelations(const std::vector<EdgeStats>& callers,
                                  const std::vector<EdgeStats>& callees) {
    const int64_t whole = aggregation_->totals.weight_ns;
    callers_->setEdges(aggregation_->profile, aggregation_->labels, callers, whole);
    callees_->setEdges(aggregation_->profile, aggregation_->labels, callees, whole);
    emit relationsShown();
}

void CallTableView::showContextMenu(const QPoint& position) {
    const QModelIndex index = table_->indexAt(position);
    if (!index.isValid())
        return;
    const FunctionId function = model_->statsAt(index.row()).function;
    QMenu menu(this);
    menu.addAction(tr("Focus on this function"), document_,
                   [this, function] { document_->focusFunction(function); });
    menu.addAction(tr("Exclude this function"), document_,
                   [this, function] { document_->excludeFunction(function); });
    menu.addSeparator();
    menu.addAction(tr("Copy selected rows"), this, &CallTableView::copySelectedRows);
    menu.exec(table_->viewport()->mapToGlobal(position));
}

void CallTableView::copySelectedRows() const {
    std::vector<int> rows;
    for (const QModelIndex& index : table_->selectionModel()->selectedRows())
        rows.push_back(index.row());
    std::sort(rows.begin(), rows.end());
    QApplication::clipboard()->setText(model_->rowsAsText(rows));
}

} // namespace hprof::viewer
