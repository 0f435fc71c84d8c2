// How the viewer writes numbers: the same texts as `hprof report` (seconds with three decimals,
// pstats' "calls/primitive" counts), so a number read in the viewer is the one the report prints.
#pragma once

#include <QString>
#include <QVariant>

#ifndef Q_MOC_RUN
#include "hprof/function_labels.h"
#endif

#include <cstdint>
#include <optional>
#include <span>

namespace hprof::viewer {

double seconds(int64_t ns);
// "%.3f" seconds, as the report's columns.
QString secondsText(int64_t ns);
// A duration for people: "850 ms", "12.3 s", "2 min 5 s".
QString durationText(int64_t ns);
// "62.0%" for 0.62.
QString percentText(double share);
// part / whole, 0 when whole is not positive.
double shareOf(int64_t part, int64_t whole);
// pstats' ncalls: "3/1" when recursion makes the counts differ, "-" when unknown.
QString callsText(std::optional<uint64_t> calls, std::optional<uint64_t> primitive_calls);
// Seconds per call, nullopt when the count is unknown or 0 (the report's percall columns).
std::optional<double> perCall(int64_t ns, std::optional<uint64_t> calls);
QString perCallText(std::optional<double> seconds_per_call);

// Every table of the viewer: the text column (`text_column`) left-aligned, the numbers right.
int cellAlignment(int column, int text_column);
// The horizontal header of a model whose column names are `names`; empty for other roles.
QVariant columnHeader(std::span<const char* const> names, int text_column, int section,
                      Qt::Orientation orientation, int role);

// A function's name, with the module its label adds when another function has the same label
// ("samples::burn(double) [libsplitwork.so]"), so that two rows never read the same.
QString functionName(const Profile& profile, const FunctionLabels& labels, FunctionId function);

} // namespace hprof::viewer
