#include "caller_callee_model.h"

#include "format.h"

namespace hprof::viewer {

namespace {

bool hasExactTimes(const EdgeStats& edge) {
    return edge.instrumented_tottime_ns && edge.instrumented_cumtime_ns;
}

int64_t tottimeNs(const EdgeStats& edge) {
    return hasExactTimes(edge) ? *edge.instrumented_tottime_ns : edge.self_ns;
}

int64_t cumtimeNs(const EdgeStats& edge) {
    return hasExactTimes(edge) ? *edge.instrumented_cumtime_ns : edge.total_ns;
}

} // namespace

CallerCalleeModel::CallerCalleeModel(QObject* parent) : QAbstractTableModel(parent) {}

void CallerCalleeModel::setEdges(std::shared_ptr<const Profile> profile,
                                 std::shared_ptr<const FunctionLabels> labels,
                                 std::vector<EdgeStats> edges, int64_t whole_ns) {
    beginResetModel();
    profile_ = std::move(profile);
    labels_ = std::move(labels);
    edges_ = std::move(edges);
    whole_ns_ = whole_ns;
    endResetModel();
}

void CallerCalleeModel::clear() {
    setEdges(nullptr, nullptr, {}, 0);
}

int CallerCalleeModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(edges_.size());
}

int CallerCalleeModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString CallerCalleeModel::cellText(const EdgeStats& edge, int column) const {
    switch (column) {
    case NCalls:
        return callsText(edge.ncalls, edge.primitive_calls);
    case TotTime:
        return secondsText(tottimeNs(edge));
    case CumTime:
        return secondsText(cumtimeNs(edge));
    case Location:
        return edge.function.valid() ? QString::fromStdString((*labels_)[edge.function])
                                     : QStringLiteral("<not instrumented>");
    }
    return {};
}

QVariant CallerCalleeModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const EdgeStats& edge = edges_[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return cellText(edge, index.column());
    case Qt::ToolTipRole:
        return hasExactTimes(edge) ? QStringLiteral("exact times, from instrumentation")
                                   : QStringLiteral("sampled times");
    case Qt::TextAlignmentRole:
        return cellAlignment(index.column(), Location);
    case FunctionRole:
        return edge.function.valid() ? QVariant(uint(edge.function.value)) : QVariant();
    case ValueRole:
        if (index.column() == TotTime)
            return seconds(tottimeNs(edge));
        if (index.column() == CumTime)
            return seconds(cumtimeNs(edge));
        if (index.column() == NCalls && edge.ncalls)
            return qulonglong(*edge.ncalls);
        return {};
    case ShareRole:
        if (index.column() == TotTime)
            return shareOf(tottimeNs(edge), whole_ns_);
        if (index.column() == CumTime)
            return shareOf(cumtimeNs(edge), whole_ns_);
        return {};
    }
    return {};
}

QVariant CallerCalleeModel::headerData(int section, Qt::Orientation orientation, int role) const {
    static const char* const names[ColumnCount] = {"ncalls", "tottime", "cumtime", "function"};
    return columnHeader(names, Location, section, orientation, role);
}

} // namespace hprof::viewer
