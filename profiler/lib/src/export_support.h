// Helpers of the pprof, speedscope and chrome exports. The JSON ones stream: they write one frame
// or sample at a time, so that what they keep besides the profile is per stack node or a sample
// index each, never a document of all samples.
#pragma once

#include "hprof/export.h"
#include "hprof/filter.h"
#include "hprof/profile.h"

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace hprof {

// A JSON value (a string, or a small object) on one line; invalid UTF-8 in names from binaries
// is replaced rather than refused.
template <class Json> std::string dumpJson(const Json& value) {
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// uniqueName() of every function, by FunctionId: its name, and where two functions would print
// the same label in the report, the module that tells them apart ("burn(double)
// [libsplitwork.so]"). pprof merges functions by name.
std::vector<std::string> exportedFunctionNames(const Profile& profile);

// The profiled command, its words joined by spaces.
std::string commandLine(const RunInfo& run);

// What a format that keeps samples but not exact call counts leaves out: "call counts:
// <counts_why>" when the run was instrumented, and "the trace of calls: <trace_why>" when the
// profile has trace events and `trace_why` is not empty (empty: the format keeps them).
ExportNotes droppedCountsAndTrace(const Profile& profile, std::string_view counts_why,
                                  std::string_view trace_why);

// The stack nodes that are on the stack of at least one accepted sample (leaves and their
// ancestors), by StackId::value.
std::vector<bool> reachedStackNodes(const SampleSelector& selector);

// The accepted samples grouped by thread, each group in time order: the indices into
// Profile::samples of threads[i]'s samples are indices[offsets[i] .. offsets[i + 1]).
struct SamplesByThread {
    std::vector<ThreadId> threads; // threads with at least one accepted sample, in profile order
    std::vector<size_t> offsets;
    std::vector<uint32_t> indices;
};

SamplesByThread groupSamplesByThread(const SampleSelector& selector);

// Writes items [0, count) separated by commas: write(i) writes item i.
template <class WriteItem> void writeSeparated(std::ostream& out, size_t count, WriteItem write) {
    for (size_t i = 0; i < count; ++i) {
        if (i > 0)
            out << ',';
        write(i);
    }
}

} // namespace hprof
