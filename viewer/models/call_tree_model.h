// A call tree (hprof::CallTree, top-down or bottom-up) as a Qt tree: the root's children are the
// top-level rows. Columns: function, self, total (seconds, as the report) and share of the whole.
#pragma once

#include "call_table_model.h"
// moc (Qt 6.4) preprocesses as C++17 and cannot parse <compare>, which typed_id.h includes;
// it needs only the names of the types, the compiler sees everything.
#ifndef Q_MOC_RUN
#include "hprof/call_tree.h"
#endif

#include <QAbstractItemModel>

namespace hprof::viewer {

class CallTreeModel : public QAbstractItemModel {
    Q_OBJECT
  public:
    enum Column { FunctionColumn, Self, Total, Share, ColumnCount };

    explicit CallTreeModel(QObject* parent = nullptr);

    void setTree(std::shared_ptr<const Profile> profile,
                 std::shared_ptr<const FunctionLabels> labels,
                 std::shared_ptr<const CallTree> tree);

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    bool hasChildren(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // The node of a row; the root for an invalid index.
    CallNodeId nodeAt(const QModelIndex& index) const;
    // The row of a node (column 0); invalid for the root.
    QModelIndex indexOf(CallNodeId node) const;
    const CallTree* tree() const { return tree_.get(); }

  private:
    const CallNode& nodeOf(const QModelIndex& index) const { return tree_->node(nodeAt(index)); }
    QString cellText(const CallNode& node, int column) const;

    std::shared_ptr<const Profile> profile_;
    std::shared_ptr<const FunctionLabels> labels_;
    std::shared_ptr<const CallTree> tree_;
    std::vector<int> row_in_parent_; // by CallNodeId::value: its place among its siblings
};

} // namespace hprof::viewer
