// The call table tab: the pstats table (sortable, filtered by a substring or a regular
// expression, cost bars in tottime and cumtime), and the callers and callees of the selected
// function in two panes below, computed off the GUI thread. Ctrl+C copies the selected rows.
#pragma once

#include "call_table_model.h"
#include "caller_callee_model.h"
#include "view.h"

#include <QFutureWatcher>

class QCheckBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace hprof::viewer {

class ProfileDocument;

class CallTableView : public View {
    Q_OBJECT
  public:
    explicit CallTableView(ProfileDocument* document, QWidget* parent = nullptr);

    void showAggregation(const std::shared_ptr<const Aggregation>& aggregation) override;
    QWidget* searchField() override;

    CallTableModel* model() const { return model_; }
    QTableView* table() const { return table_; }
    QLineEdit* filterEdit() const { return filter_edit_; }
    QCheckBox* regexBox() const { return regex_box_; }
    QLabel* filterError() const { return filter_error_; }
    CallerCalleeModel* callersModel() const { return callers_; }
    CallerCalleeModel* calleesModel() const { return callees_; }
    // Selects the row of `function` (clearing the name filter when it hides it).
    void selectFunction(FunctionId function);
    void copySelectedRows() const;

  signals:
    // The callers and callees of the selected function are in their panes.
    void relationsShown();

  private:
    struct Relations {
        std::vector<EdgeStats> callers;
        std::vector<EdgeStats> callees;
    };
    QWidget* buildFilterRow();
    QWidget* buildRelationPane(const QString& title, CallerCalleeModel* model);
    void applyNameFilter();
    void showRelationsOfCurrent();
    void showRelations(const std::vector<EdgeStats>& callers,
                       const std::vector<EdgeStats>& callees);
    void showContextMenu(const QPoint& position);
    FunctionId currentFunction() const;

    ProfileDocument* document_;
    std::shared_ptr<const Aggregation> aggregation_;
    CallTableModel* model_;
    CallerCalleeModel* callers_;
    CallerCalleeModel* callees_;
    QTableView* table_;
    QLineEdit* filter_edit_;
    QCheckBox* regex_box_;
    QLabel* filter_error_;
    QFutureWatcher<Relations>* relations_watcher_ = nullptr;
};

} // namespace hprof::viewer
