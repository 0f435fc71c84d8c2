// What the text views share: number and column formatting, and the views besides the function
// table that report_text.cpp prints.
#pragma once

#include "report_data.h"

#include <cstddef>
#include <iosfwd>
#include <string>

namespace hprof {

// snprintf of one double.
std::string fixed(const char* format, double value);
// Names and warnings are untrusted bytes: a control character must not break the table.
std::string oneLine(std::string text);
std::string rightAligned(const std::string& text, size_t width);
std::string leftAligned(const std::string& text, size_t width);

// The --by table of options.by.
void printGroupTable(const ReportData& data, GroupBy by, std::ostream& out);
// Wall and CPU time, parallelism, idle and serial time, Amdahl's bounds.
void printParallelismSummary(const ReportData& data, std::ostream& out);
// A merged MPI job's ranks (data.job): CPU, MPI and compute per rank, the load imbalance, the
// rank the others wait for, Amdahl's bound on the compute. Nothing without ranks.
void printJobBalance(const ReportData& data, std::ostream& out);
// The summary, then the process and thread tables (options.parallelism: Proportionate prints
// one line instead when the whole job had a single thread).
void printParallelismSection(const ReportData& data, std::ostream& out);

} // namespace hprof
