#include "cpu_usage_model.h"

#include "format.h"

namespace hprof::viewer {

CpuUsageModel::CpuUsageModel(QObject* parent) : QAbstractTableModel(parent) {}

void CpuUsageModel::setProcesses(std::shared_ptr<const Profile> profile,
                                 std::vector<ProcessStats> processes) {
    std::vector<Row> rows;
    for (const ProcessStats& stats : processes) {
        const Process& process = profile->process(stats.process);
        rows.push_back(
            {QStringLiteral("%1 %2").arg(process.pid).arg(QString::fromStdString(process.command)),
             stats.process, ThreadId(), stats.samples, stats.cpu_ns, stats.off_cpu_ns});
    }
    setRows(std::move(rows), false);
}

void CpuUsageModel::setThreads(std::shared_ptr<const Profile> profile,
                               std::vector<ThreadStats> threads) {
    std::vector<Row> rows;
    for (const ThreadStats& stats : threads) {
        const Thread& thread = profile->thread(stats.thread);
        const Process& process = profile->process(thread.process);
        rows.push_back({QStringLiteral("%1/%2 %3")
                            .arg(process.pid)
                            .arg(thread.tid)
                            .arg(QString::fromStdString(thread.name)),
                        thread.process, stats.thread, stats.samples, stats.cpu_ns,
                        stats.off_cpu_ns});
    }
    setRows(std::move(rows), true);
}

void CpuUsageModel::setRows(std::vector<Row> rows, bool threads) {
    beginResetModel();
    rows_ = std::move(rows);
    threads_ = threads;
    cpu_sum_ns_ = 0;
    for (const Row& row : rows_)
        cpu_sum_ns_ += row.cpu_ns;
    endResetModel();
}

int CpuUsageModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(rows_.size());
}

int CpuUsageModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString CpuUsageModel::cellText(const Row& row, int column) const {
    switch (column) {
    case Name:
        return row.name;
    case Cpu:
        return secondsText(row.cpu_ns);
    case Share:
        return percentText(shareOf(row.cpu_ns, cpu_sum_ns_));
    case OffCpu:
        return secondsText(row.off_cpu_ns);
    case Samples:
        return QString::number(row.samples);
    }
    return {};
}

QVariant CpuUsageModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = rows_[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return cellText(row, index.column());
    case Qt::TextAlignmentRole:
        return cellAlignment(index.column(), Name);
    case ShareRole:
        return index.column() == Cpu || index.column() == Share
                   ? QVariant(shareOf(row.cpu_ns, cpu_sum_ns_))
                   : QVariant();
    case ValueRole:
        if (index.column() == Cpu)
            return seconds(row.cpu_ns);
        if (index.column() == OffCpu)
            return seconds(row.off_cpu_ns);
        if (index.column() == Samples)
            return qulonglong(row.samples);
        return {};
    case ProcessRole:
        return uint(row.process.value);
    case ThreadRole:
        return threads_ ? QVariant(uint(row.thread.value)) : QVariant();
    }
    return {};
}

QVariant CpuUsageModel::headerData(int section, Qt::Orientation orientation, int role) const {
    static const char* const processNames[ColumnCount] = {"pid command", "CPU s", "share",
                                                          "off-CPU s", "samples"};
    static const char* const threadNames[ColumnCount] = {"pid/tid thread", "CPU s", "share",
                                                         "off-CPU s", "samples"};
    return columnHeader(threads_ ? threadNames : processNames, Name, section, orientation, role);
}

} // namespace hprof::viewer
