// The callers or the callees of one function (hprof::computeCallers / computeCallees), as the
// report's --callers / --callees print them: ncalls, tottime, cumtime (the exact instrumented
// times of the edge when the run measured them, the sampled ones otherwise) and the other
// function.
#pragma once

#include "call_table_model.h"

namespace hprof::viewer {

class CallerCalleeModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column { NCalls, TotTime, CumTime, Location, ColumnCount };

    explicit CallerCalleeModel(QObject* parent = nullptr);

    // `whole_ns` is what the shares of the bars divide by (Totals::weight_ns).
    void setEdges(std::shared_ptr<const Profile> profile,
                  std::shared_ptr<const FunctionLabels> labels, std::vector<EdgeStats> edges,
                  int64_t whole_ns);
    void clear();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

  private:
    QString cellText(const EdgeStats& edge, int column) const;

    std::shared_ptr<const Profile> profile_;
    std::shared_ptr<const FunctionLabels> labels_;
    std::vector<EdgeStats> edges_;
    int64_t whole_ns_ = 0;
};

} // namespace hprof::viewer
