#include "call_tree_model.h"

#include "format.h"

namespace hprof::viewer {

CallTreeModel::CallTreeModel(QObject* parent) : QAbstractItemModel(parent) {}

void CallTreeModel::setTree(std::shared_ptr<const Profile> profile,
                            std::shared_ptr<const FunctionLabels> labels,
                            std::shared_ptr<const CallTree> tree) {
    beginResetModel();
    profile_ = std::move(profile);
    labels_ = std::move(labels);
    tree_ = std::move(tree);
    row_in_parent_.assign(tree_ ? tree_->nodes.size() : 0, 0);
    if (tree_) {
        for (const CallNode& node : tree_->nodes) {
            for (size_t row = 0; row < node.children.size(); ++row)
                row_in_parent_[node.children[row].value] = int(row);
        }
    }
    endResetModel();
}

CallNodeId CallTreeModel::nodeAt(const QModelIndex& index) const {
    return index.isValid() ? CallNodeId(uint32_t(index.internalId())) : CallTree::root();
}

QModelIndex CallTreeModel::indexOf(CallNodeId node) const {
    if (!tree_ || !node.valid() || node == CallTree::root() || node.value >= tree_->nodes.size())
        return {};
    return createIndex(row_in_parent_[node.value], 0, quintptr(node.value));
}

QModelIndex CallTreeModel::index(int row, int column, const QModelIndex& parent) const {
    if (!tree_ || row < 0 || column < 0 || column >= ColumnCount ||
        (parent.isValid() && parent.column() != 0))
        return {};
    const CallNode& node = nodeOf(parent);
    if (size_t(row) >= node.children.size())
        return {};
    return createIndex(row, column, quintptr(node.children[size_t(row)].value));
}

QModelIndex CallTreeModel::parent(const QModelIndex& child) const {
    if (!child.isValid())
        return {};
    return indexOf(nodeOf(child).parent);
}

int CallTreeModel::rowCount(const QModelIndex& parent) const {
    if (!tree_ || (parent.isValid() && parent.column() != 0))
        return 0;
    return int(nodeOf(parent).children.size());
}

int CallTreeModel::columnCount(const QModelIndex&) const {
    return ColumnCount;
}

bool CallTreeModel::hasChildren(const QModelIndex& parent) const {
    return rowCount(parent) > 0;
}

QString CallTreeModel::cellText(const CallNode& node, int column) const {
    switch (column) {
    case FunctionColumn:
        return functionName(*profile_, *labels_, node.function);
    case Self:
        return secondsText(node.self.weight_ns);
    case Total:
        return secondsText(node.total.weight_ns);
    case Share:
        return percentText(
            shareOf(node.total.weight_ns, tree_->node(CallTree::root()).total.weight_ns));
    }
    return {};
}

QVariant CallTreeModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const CallNode& node = nodeOf(index);
    const int64_t whole = tree_->node(CallTree::root()).total.weight_ns;
    switch (role) {
    case Qt::DisplayRole:
        return cellText(node, index.column());
    case Qt::ToolTipRole:
        return QString::fromStdString((*labels_)[node.function]);
    case Qt::TextAlignmentRole:
        return cellAlignment(index.column(), FunctionColumn);
    case FunctionRole:
        return uint(node.function.value);
    case CallNodeRole:
        return uint(nodeAt(index).value);
    case ValueRole:
        if (index.column() == Self)
            return seconds(node.self.weight_ns);
        if (index.column() == Total)
            return seconds(node.total.weight_ns);
        if (index.column() == Share)
            return shareOf(node.total.weight_ns, whole);
        return cellText(node, index.column());
    case ShareRole:
        if (index.column() == Self)
            return shareOf(node.self.weight_ns, whole);
        if (index.column() == Total || index.column() == Share)
            return shareOf(node.total.weight_ns, whole);
        return {};
    }
    return {};
}

QVariant CallTreeModel::headerData(int section, Qt::Orientation orientation, int role) const {
    static const char* const names[ColumnCount] = {"function", "self", "total", "share"};
    return columnHeader(names, FunctionColumn, section, orientation, role);
}

} // namespace hprof::viewer
