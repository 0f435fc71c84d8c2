#include "format.h"

namespace hprof::viewer {

double seconds(int64_t ns) {
    return double(ns) / 1e9;
}

QString secondsText(int64_t ns) {
    return QString::asprintf("%.3f", seconds(ns));
}

QString durationText(int64_t ns) {
    const double s = seconds(ns);
    if (s < 1)
        return QString::asprintf("%.0f ms", s * 1e3);
    if (s < 60)
        return QString::asprintf("%.2f s", s);
    const int64_t whole = int64_t(s);
    return QString::asprintf("%lld min %lld s", (long long)(whole / 60), (long long)(whole % 60));
}

QString percentText(double share) {
    return QString::asprintf("%.1f%%", share * 100);
}

double shareOf(int64_t part, int64_t whole) {
    return whole > 0 ? double(part) / double(whole) : 0;
}

QString callsText(std::optional<uint64_t> calls, std::optional<uint64_t> primitive_calls) {
    if (!calls)
        return QStringLiteral("-");
    QString text = QString::number(*calls);
    if (primitive_calls && *primitive_calls != *calls)
        text += QLatin1Char('/') + QString::number(*primitive_calls);
    return text;
}

std::optional<double> perCall(int64_t ns, std::optional<uint64_t> calls) {
    if (!calls || *calls == 0)
        return std::nullopt;
    return seconds(ns) / double(*calls);
}

QString perCallText(std::optional<double> seconds_per_call) {
    return seconds_per_call ? QString::asprintf("%.3f", *seconds_per_call) : QStringLiteral("-");
}

int cellAlignment(int column, int text_column) {
    return int(column == text_column ? Qt::AlignLeft | Qt::AlignVCenter
                                     : Qt::AlignRight | Qt::AlignVCenter);
}

QVariant columnHeader(std::span<const char* const> names, int text_column, int section,
                      Qt::Orientation orientation, int role) {
    if (orientation != Qt::Horizontal || section < 0 || size_t(section) >= names.size())
        return {};
    if (role == Qt::DisplayRole)
        return QString::fromLatin1(names[size_t(section)]);
    if (role == Qt::TextAlignmentRole)
        return cellAlignment(section, text_column);
    return {};
}

QString functionName(const Profile& profile, const FunctionLabels& labels, FunctionId function) {
    const Function& f = profile.function(function);
    const std::string& label = labels[function];
    const size_t plain = plainLabel(f).size();
    return QString::fromStdString(f.name + label.substr(std::min(plain, label.size())));
}

} // namespace hprof::viewer
