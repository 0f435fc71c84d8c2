#include "call_table_model.h"

#include "format.h"

#include <algorithm>

namespace hprof::viewer {

namespace {

// The report's order for the columns sortFunctionStats knows; the per-call columns are sorted
// by their value on top of the tottime order (stable, so ties keep the report's order).
std::optional<SortKey> sortKeyOf(int column) {
    switch (column) {
    case CallTableModel::NCalls:
        return SortKey::NCalls;
    case CallTableModel::TotTime:
        return SortKey::TotTime;
    case CallTableModel::CumTime:
        return SortKey::CumTime;
    case CallTableModel::Location:
        return SortKey::Name;
    }
    return std::nullopt;
}

std::optional<double> perCallOf(const FunctionStats& stats, int column) {
    return column == CallTableModel::TotPerCall ? perCall(stats.self_ns, stats.ncalls)
                                                : perCall(stats.total_ns, stats.primitive_calls);
}

} // namespace

CallTableModel::CallTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void CallTableModel::setStats(std::shared_ptr<const Profile> profile,
                              std::shared_ptr<const FunctionLabels> labels,
                              std::vector<FunctionStats> stats, int64_t whole_ns) {
    beginResetModel();
    profile_ = std::move(profile);
    labels_ = std::move(labels);
    stats_ = std::move(stats);
    whole_ns_ = whole_ns;
    applyOrderAndFilter();
    endResetModel();
}

void CallTableModel::setNameFilter(const QString& pattern, NameMatcher::Kind kind) {
    std::optional<NameMatcher> matcher;
    if (!pattern.isEmpty())
        matcher.emplace(pattern.toStdString(), kind, false); // throws for a bad expression
    beginResetModel();
    matcher_ = std::move(matcher);
    applyOrderAndFilter();
    endResetModel();
}

void CallTableModel::sort(int column, Qt::SortOrder order) {
    if (column < 0 || column >= ColumnCount)
        return;
    emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    std::vector<FunctionId> functions;
    for (const QModelIndex& index : before)
        functions.push_back(statsAt(index.row()).function);
    sort_column_ = column;
    sort_order_ = order;
    applyOrderAndFilter();
    for (int i = 0; i < before.size(); ++i) {
        const int row = rowOf(functions[size_t(i)]);
        changePersistentIndex(before[i], row < 0 ? QModelIndex() : index(row, before[i].column()));
    }
    emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

void CallTableModel::applyOrderAndFilter() {
    if (!profile_)
        return;
    const std::optional<SortKey> key = sortKeyOf(sort_column_);
    sortFunctionStats(*profile_, stats_, key.value_or(SortKey::TotTime));
    if (!key) {
        std::stable_sort(stats_.begin(), stats_.end(), [&](const auto& a, const auto& b) {
            return perCallOf(a, sort_column_).value_or(-1) >
                   perCallOf(b, sort_column_).value_or(-1);
        });
    }
    // The report's order is descending for numbers and ascending for names.
    const Qt::SortOrder reportOrder =
        key == SortKey::Name ? Qt::AscendingOrder : Qt::DescendingOrder;
    if (sort_order_ != reportOrder)
        std::reverse(stats_.begin(), stats_.end());
    rows_.clear();
    for (size_t i = 0; i < stats_.size(); ++i) {
        if (!matcher_ || matcher_->matches((*labels_)[stats_[i].function]))
            rows_.push_back(i);
    }
}

int CallTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(rows_.size());
}

int CallTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString CallTableModel::cellText(const FunctionStats& stats, int column) const {
    switch (column) {
    case NCalls:
        return callsText(stats.ncalls, stats.primitive_calls);
    case TotTime:
        return secondsText(stats.self_ns);
    case CumTime:
        return secondsText(stats.total_ns);
    case TotPerCall:
    case CumPerCall:
        return perCallText(perCallOf(stats, column));
    case Location:
        return QString::fromStdString((*labels_)[stats.function]);
    }
    return {};
}

QVariant CallTableModel::cellValue(const FunctionStats& stats, int column) const {
    switch (column) {
    case NCalls:
        return stats.ncalls ? QVariant(qulonglong(*stats.ncalls)) : QVariant();
    case TotTime:
        return seconds(stats.self_ns);
    case CumTime:
        return seconds(stats.total_ns);
    case TotPerCall:
    case CumPerCall: {
        const std::optional<double> value = perCallOf(stats, column);
        return value ? QVariant(*value) : QVariant();
    }
    case Location:
        return QString::fromStdString((*labels_)[stats.function]);
    }
    return {};
}

QVariant CallTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const FunctionStats& stats = statsAt(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return cellText(stats, index.column());
    case Qt::ToolTipRole:
        return cellText(stats, Location);
    case Qt::TextAlignmentRole:
        return cellAlignment(index.column(), Location);
    case FunctionRole:
        return uint(stats.function.value);
    case ValueRole:
        return cellValue(stats, index.column());
    case ShareRole:
        if (index.column() == TotTime)
            return shareOf(stats.self_ns, whole_ns_);
        if (index.column() == CumTime)
            return shareOf(stats.total_ns, whole_ns_);
        return {};
    }
    return {};
}

QVariant CallTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    static const char* const names[ColumnCount] = {
        "ncalls", "tottime", "percall", "cumtime", "percall", "filename:lineno(function)"};
    static const char* const tips[ColumnCount] = {
        "Calls (calls/primitive calls when recursive); - when not instrumented",
        "Time in the function itself, seconds",
        "tottime per call",
        "Time in the function and everything it called, seconds",
        "cumtime per primitive call",
        "Where the function is defined"};
    if (role == Qt::ToolTipRole && orientation == Qt::Horizontal && section >= 0 &&
        section < ColumnCount)
        return QString::fromLatin1(tips[section]);
    return columnHeader(names, Location, section, orientation, role);
}

int CallTableModel::rowOf(FunctionId function) const {
    for (size_t row = 0; row < rows_.size(); ++row) {
        if (stats_[rows_[row]].function == function)
            return int(row);
    }
    return -1;
}

QString CallTableModel::rowsAsText(const std::vector<int>& rows) const {
    QStringList header;
    for (int column = 0; column < ColumnCount; ++column)
        header << headerData(column, Qt::Horizontal).toString();
    QString text = header.join(QLatin1Char('\t')) + QLatin1Char('\n');
    for (int row : rows) {
        QStringList cells;
        for (int column = 0; column < ColumnCount; ++column)
            cells << cellText(statsAt(row), column);
        text += cells.join(QLatin1Char('\t')) + QLatin1Char('\n');
    }
    return text;
}

} // namespace hprof::viewer
