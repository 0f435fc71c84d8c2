// The pstats table of the viewer: one row per function with the columns of `hprof report`
// (ncalls, tottime, percall, cumtime, percall, filename:lineno(function)), the same labels
// (FunctionLabels) and the same order (hprof::sortFunctionStats). A name filter (substring or
// regular expression, hprof::NameMatcher) hides rows without changing any number.
#pragma once

// moc (Qt 6.4) preprocesses as C++17 and cannot parse <compare>, which typed_id.h includes;
// it needs only the names of the types, the compiler sees everything.
#ifndef Q_MOC_RUN
#include "hprof/analysis.h"
#include "hprof/function_labels.h"
#include "hprof/profile.h"
#include "hprof/queries.h"
#endif

#include <QAbstractTableModel>

#include <memory>
#include <vector>

namespace hprof::viewer {

// Roles every viewer model answers besides the display texts.
enum ModelRole {
    FunctionRole = Qt::UserRole + 1, // hprof::FunctionId::value of the row, as uint
    ValueRole,                       // the cell's number (seconds, calls) for sorting and tests
    ShareRole,                       // the cell's cost as a share of the total (0..1), for bars
    CallNodeRole,                    // hprof::CallNodeId::value of a tree row, as uint
};

class CallTableModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column { NCalls, TotTime, TotPerCall, CumTime, CumPerCall, Location, ColumnCount };

    explicit CallTableModel(QObject* parent = nullptr);

    // The statistics of one aggregation; `whole_ns` is what shares divide by (Totals::weight_ns).
    void setStats(std::shared_ptr<const Profile> profile,
                  std::shared_ptr<const FunctionLabels> labels, std::vector<FunctionStats> stats,
                  int64_t whole_ns);
    // Shows only the functions whose label matches; an empty pattern shows all. Throws
    // hprof::Error for an invalid regular expression (the rows stay as they were).
    void setNameFilter(const QString& pattern, NameMatcher::Kind kind);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    // Descending is the report's order for the number columns, ascending for the name.
    void sort(int column, Qt::SortOrder order = Qt::DescendingOrder) override;

    const FunctionStats& statsAt(int row) const { return stats_[rows_[size_t(row)]]; }
    // The row showing `function`, -1 when it is filtered out or absent.
    int rowOf(FunctionId function) const;
    // The column names, then the rows as the table shows them, tab-separated: the clipboard.
    QString rowsAsText(const std::vector<int>& rows) const;

  private:
    QString cellText(const FunctionStats& stats, int column) const;
    QVariant cellValue(const FunctionStats& stats, int column) const;
    void applyOrderAndFilter();

    std::shared_ptr<const Profile> profile_;
    std::shared_ptr<const FunctionLabels> labels_;
    std::vector<FunctionStats> stats_; // in the current order
    std::vector<size_t> rows_;         // indexes into stats_ that the name filter shows
    int64_t whole_ns_ = 0;
    int sort_column_ = TotTime;
    Qt::SortOrder sort_order_ = Qt::DescendingOrder;
    std::optional<NameMatcher> matcher_;
};

} // namespace hprof::viewer
