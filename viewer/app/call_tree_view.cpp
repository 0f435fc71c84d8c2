#include "call_tree_view.h"

#include "cost_bar_delegate.h"
#include "profile_document.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QShortcut>
#include <QTreeView>
#include <QVBoxLayout>

namespace hprof::viewer {

CallTreeView::CallTreeView(ProfileDocument* document, Direction direction, QWidget* parent)
    : View(parent), document_(document), direction_(direction), model_(new CallTreeModel(this)) {
    search_ = new QLineEdit(this);
    search_->setPlaceholderText(tr("Find a function (Ctrl+F, Enter for the next match)"));
    search_->setClearButtonEnabled(true);
    connect(search_, &QLineEdit::returnPressed, this, &CallTreeView::findNext);

    tree_ = new QTreeView(this);
    tree_->setModel(model_);
    tree_->setItemDelegate(new CostBarDelegate(tree_));
    tree_->setAlternatingRowColors(true);
    tree_->setUniformRowHeights(true); // fast with many rows
    tree_->header()->setStretchLastSection(false);
    tree_->header()->setSectionResizeMode(CallTreeModel::FunctionColumn, QHeaderView::Stretch);
    tree_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(tree_, &QWidget::customContextMenuRequested, this, &CallTreeView::showContextMenu);
    auto* hotPath = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_E), this, nullptr, nullptr,
                                  Qt::WidgetWithChildrenShortcut);
    connect(hotPath, &QShortcut::activated, this, &CallTreeView::expandHotPath);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(search_);
    layout->addWidget(tree_, 1);
}

QWidget* CallTreeView::searchField() {
    return search_;
}

void CallTreeView::showAggregation(const std::shared_ptr<const Aggregation>& aggregation) {
    model_->setTree(aggregation->profile, aggregation->labels,
                    direction_ == Direction::TopDown ? aggregation->top_down
                                                     : aggregation->bottom_up);
    // Wide enough for the cost bars to be seen.
    for (int column = 1; column < CallTreeModel::ColumnCount; ++column) {
        tree_->resizeColumnToContents(column);
        tree_->setColumnWidth(column, std::max(tree_->columnWidth(column), 110));
    }
    // Opens on the hot path: where the time goes (top-down), or the callers of the hottest
    // function (bottom-up), without a click.
    expandHotPath();
}

void CallTreeView::expandHotPath() {
    QModelIndex index = tree_->currentIndex().siblingAtColumn(0);
    if (!index.isValid())
        index = model_->index(0, 0);
    while (index.isValid()) {
        tree_->expand(index);
        const QModelIndex heaviest = model_->index(0, 0, index); // children: heaviest first
        if (!heaviest.isValid())
            break;
        index = heaviest;
    }
    if (index.isValid()) {
        tree_->setCurrentIndex(index);
        tree_->scrollTo(index);
    }
}

// In the tree's node order from the node after the current one, wrapping around once.
void CallTreeView::findNext() {
    const CallTree* tree = model_->tree();
    const QString text = search_->text();
    if (!tree || text.isEmpty())
        return;
    const std::string needle = text.toStdString();
    const Profile& profile = *document_->profile();
    const size_t count = tree->nodes.size();
    const size_t start = model_->nodeAt(tree_->currentIndex()).value;
    for (size_t step = 1; step <= count; ++step) {
        const CallNodeId node(uint32_t((start + step) % count));
        if (node == CallTree::root())
            continue;
        if (profile.function(tree->node(node).function).name.find(needle) != std::string::npos) {
            const QModelIndex index = model_->indexOf(node);
            tree_->setCurrentIndex(index);
            tree_->scrollTo(index);
            return;
        }
    }
}

void CallTreeView::showContextMenu(const QPoint& position) {
    const QModelIndex index = tree_->indexAt(position);
    if (!index.isValid())
        return;
    const FunctionId function(index.data(FunctionRole).toUInt());
    QMenu menu(this);
    menu.addAction(tr("Expand the hot path (Ctrl+E)"), this, &CallTreeView::expandHotPath);
    menu.addAction(tr("Focus on this function"), document_,
                   [this, function] { document_->focusFunction(function); });
    menu.addAction(tr("Exclude this function"), document_,
                   [this, function] { document_->excludeFunction(function); });
    menu.exec(tree_->viewport()->mapToGlobal(position));
}

} // namespace hprof::viewer
