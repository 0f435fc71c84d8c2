// CPU per process or per thread (hprof::computeProcessStats / computeThreadStats) for the
// summary: who it is, its CPU seconds and share of the selected CPU, its samples, and in
// wall-clock profiles its off-CPU seconds.
#pragma once

#include "call_table_model.h"

namespace hprof::viewer {

class CpuUsageModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column { Name, Cpu, Share, OffCpu, Samples, ColumnCount };
    enum IdRole { ProcessRole = CallNodeRole + 1, ThreadRole };

    explicit CpuUsageModel(QObject* parent = nullptr);

    // Rows in the given order; shares divide by the sum of their CPU.
    void setProcesses(std::shared_ptr<const Profile> profile, std::vector<ProcessStats> processes);
    void setThreads(std::shared_ptr<const Profile> profile, std::vector<ThreadStats> threads);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

  private:
    struct Row {
        QString name;
        ProcessId process;
        ThreadId thread;
        uint64_t samples = 0;
        int64_t cpu_ns = 0;
        int64_t off_cpu_ns = 0;
    };
    void setRows(std::vector<Row> rows, bool threads);
    QString cellText(const Row& row, int column) const;

    std::vector<Row> rows_;
    int64_t cpu_sum_ns_ = 0;
    bool threads_ = false;
};

} // namespace hprof::viewer
