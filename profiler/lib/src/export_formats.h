// One writer per `hprof export` format; export.cpp dispatches to them. Each writes what the
// selector accepts and returns what the format could not hold.
#pragma once

#include "hprof/export.h"
#include "hprof/function_labels.h"

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace hprof {

// A function's name for a format keyed by (file, name): the name on one line, with the module
// that FunctionLabels appends when two functions would have the same label ("burn [libx.so]").
std::string uniqueName(const Profile& profile, const FunctionLabels& labels, FunctionId function);

// The threads that have selected samples or selected call counts.
size_t countSelectedThreads(const SampleSelector& selector);
// The notes of a format that sums all threads into one table and keeps no individual calls:
// "threads: <threads_why> (N threads summed)" when more than one thread is selected, "the trace
// of calls: <trace_why>" when the profile has trace events.
std::vector<std::string> droppedThreadsAndTrace(const SampleSelector& selector,
                                                std::string_view threads_why,
                                                std::string_view trace_why);

ExportNotes writePstats(const SampleSelector& selector, std::ostream& out);
ExportNotes writeCallgrind(const SampleSelector& selector, std::ostream& out);
ExportNotes writeFolded(const SampleSelector& selector, std::ostream& out);
ExportNotes writePprof(const SampleSelector& selector, std::ostream& out);
ExportNotes writeSpeedscope(const SampleSelector& selector, std::ostream& out);
ExportNotes writeChromeTrace(const SampleSelector& selector, std::ostream& out);

} // namespace hprof
