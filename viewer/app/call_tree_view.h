// The top-down and bottom-up tree tabs: a call tree with self and total time (bars) and share.
// Ctrl+E (or '+' on a row) expands the hot path below the selected node: the heaviest child,
// then its heaviest child, down to the leaf. The search box selects the next node whose
// function name contains the text.
#pragma once

#include "call_tree_model.h"
#include "view.h"

class QLineEdit;
class QTreeView;

namespace hprof::viewer {

class ProfileDocument;

class CallTreeView : public View {
    Q_OBJECT
  public:
    enum class Direction { TopDown, BottomUp };
    CallTreeView(ProfileDocument* document, Direction direction, QWidget* parent = nullptr);

    void showAggregation(const std::shared_ptr<const Aggregation>& aggregation) override;
    QWidget* searchField() override;

    CallTreeModel* model() const { return model_; }
    QTreeView* tree() const { return tree_; }
    // Expands from the selected node (the first top-level row without one) down its heaviest
    // children and selects the last node of that path.
    void expandHotPath();

  private:
    void findNext();
    void showContextMenu(const QPoint& position);

    ProfileDocument* document_;
    Direction direction_;
    CallTreeModel* model_;
    QTreeView* tree_;
    QLineEdit* search_;
};

} // namespace hprof::viewer
