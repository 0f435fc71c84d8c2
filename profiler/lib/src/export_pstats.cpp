// Python's pstats file (what cProfile.Profile.dump_stats writes): a marshalled dict
// {(file, line, name): (cc, nc, tt, ct, {caller key: (nc, cc, tt, ct)})}. The numbers are those
// of `hprof report`: calls from instrumentation (0 when not counted), tottime and cumtime from
// the samples; an edge has instrumented times when it has them (as in report --callers).
#include "export_formats.h"

#include "hprof/analysis.h"
#include "hprof/function_labels.h"
#include "marshal_writer.h"
#include "report_data.h"
#include "report_text.h"
#include "saturating.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace hprof {
namespace {

// pstats' root: snakeviz draws from the one function that nobody calls, so when the profile has
// several outermost functions (threads, processes, truncated stacks) they become its callees.
constexpr std::string_view kRootName = "<hprof root>";

struct PstatsKey {
    std::string file;
    uint32_t line = 0;
    std::string name;
    auto operator<=>(const PstatsKey&) const = default;
};

struct CallerTimes {
    uint64_t nc = 0;
    uint64_t cc = 0;
    double tt = 0;
    double ct = 0;
};

struct PstatsRow {
    PstatsKey key;
    uint64_t cc = 0;
    uint64_t nc = 0;
    double tt = 0;
    double ct = 0;
    std::map<size_t, CallerTimes> callers; // by caller row
};

// How one outermost function is entered from the top: the samples whose stack starts with it
// and the instrumented calls from code that was not instrumented.
struct TopEntry {
    int64_t self_ns = 0;
    int64_t total_ns = 0;
    uint64_t nc = 0;
    uint64_t cc = 0;
};

// pstats writes functions without a source file as ("~", 0, name), as it does built-ins. A label
// that FunctionLabels made unique (the module appended) keeps its suffix in the name.
PstatsKey keyOf(const Profile& profile, const FunctionLabels& labels, FunctionId function) {
    const Function& data = profile.function(function);
    if (data.file.empty())
        return {"~", 0, uniqueName(profile, labels, function)};
    return {oneLine(data.file), data.line, uniqueName(profile, labels, function)};
}

CallerTimes callerTimes(const EdgeStats& edge) {
    const bool exact = edge.instrumented_tottime_ns && edge.instrumented_cumtime_ns;
    return {edge.ncalls.value_or(0), edge.primitive_calls.value_or(0),
            seconds(exact ? *edge.instrumented_tottime_ns : edge.self_ns),
            seconds(exact ? *edge.instrumented_cumtime_ns : edge.total_ns)};
}

class PstatsTable {
  public:
    explicit PstatsTable(const SampleSelector& selector)
        : selector_(selector), profile_(selector.profile()), costs_(computeStackCosts(selector)),
          row_of_(profile_.functions.size()) {
        addFunctions();
        addCallers();
        addRootIfNeeded();
    }

    void write(std::ostream& out) const;

  private:
    void addFunctions();
    void addCallers();
    std::map<size_t, TopEntry> topEntries() const;
    void addRootIfNeeded();
    bool calledByOthers(size_t row) const;

    const SampleSelector& selector_;
    const Profile& profile_;
    const StackCosts costs_;
    std::vector<std::optional<size_t>> row_of_; // by FunctionId
    std::vector<PstatsRow> rows_;
    std::vector<CallPairStats> pairs_;
};

void PstatsTable::addFunctions() {
    const FunctionLabels labels(profile_);
    std::set<PstatsKey> used;
    for (const FunctionStats& stats : computeFunctionStats(selector_, costs_)) {
        PstatsKey key = keyOf(profile_, labels, stats.function);
        if (!used.insert(key).second) // a dict key must be unique, or a row would be lost
            key.name += " [function " + std::to_string(stats.function.value) + "]";
        row_of_[stats.function.value] = rows_.size();
        rows_.push_back({std::move(key),
                         stats.primitive_calls.value_or(0),
                         stats.ncalls.value_or(0),
                         seconds(stats.self_ns),
                         seconds(stats.total_ns),
                         {}});
    }
}

void PstatsTable::addCallers() {
    pairs_ = computeCallPairs(selector_, costs_);
    for (const CallPairStats& pair : pairs_) {
        if (!pair.caller.valid() || !row_of_[pair.caller.value] || !row_of_[pair.callee.value])
            continue;
        if (pair.stats.ncalls.value_or(0) == 0 && pair.stats.total_ns == 0)
            continue; // counted on threads the filter left out only
        rows_[*row_of_[pair.callee.value]].callers[*row_of_[pair.caller.value]] =
            callerTimes(pair.stats);
    }
}

// The outermost function of each selected stack, and the functions called from code that was
// not instrumented, by row.
std::map<size_t, TopEntry> PstatsTable::topEntries() const {
    std::map<size_t, TopEntry> entries;
    for (StackId leaf : costs_.leaves) {
        StackId outermost = leaf;
        while (profile_.stack(outermost).parent.valid())
            outermost = profile_.stack(outermost).parent;
        const FunctionId function = profile_.frame(profile_.stack(outermost).frame).function;
        TopEntry& entry = entries[*row_of_[function.value]];
        addSaturating(entry.total_ns, costs_.by_leaf[leaf.value].weight_ns);
        if (outermost == leaf)
            addSaturating(entry.self_ns, costs_.by_leaf[leaf.value].weight_ns);
    }
    for (const CallPairStats& pair : pairs_) {
        if (pair.caller.valid() || pair.stats.ncalls.value_or(0) == 0 ||
            !row_of_[pair.callee.value])
            continue;
        TopEntry& entry = entries[*row_of_[pair.callee.value]];
        entry.nc += *pair.stats.ncalls;
        entry.cc += pair.stats.primitive_calls.value_or(0);
    }
    return entries;
}

bool PstatsTable::calledByOthers(size_t row) const {
    const auto& callers = rows_[row].callers;
    return std::any_of(callers.begin(), callers.end(),
                       [row](const auto& caller) { return caller.first != row; });
}

// Every function that nobody else calls is entered from the top too.
void PstatsTable::addRootIfNeeded() {
    std::map<size_t, TopEntry> entries = topEntries();
    for (size_t row = 0; row < rows_.size(); ++row) {
        if (!calledByOthers(row))
            entries[row];
    }
    if (entries.size() == 1 && rows_[entries.begin()->first].callers.empty())
        return; // one function already is the root
    const size_t root = rows_.size();
    rows_.push_back(
        {{"~", 0, std::string(kRootName)}, 0, 0, 0, seconds(costs_.total.weight_ns), {}});
    for (const auto& [row, entry] : entries)
        rows_[row].callers[root] = {entry.nc, entry.cc, seconds(entry.self_ns),
                                    seconds(entry.total_ns)};
}

void writeKey(MarshalWriter& marshal, const PstatsKey& key) {
    marshal.tuple(3);
    marshal.string(key.file);
    marshal.integer(key.line);
    marshal.string(key.name);
}

void PstatsTable::write(std::ostream& out) const {
    MarshalWriter marshal(out);
    marshal.beginDict();
    for (const PstatsRow& row : rows_) {
        writeKey(marshal, row.key);
        marshal.tuple(5);
        marshal.integer(row.cc);
        marshal.integer(row.nc);
        marshal.real(row.tt);
        marshal.real(row.ct);
        marshal.beginDict();
        for (const auto& [caller, times] : row.callers) {
            writeKey(marshal, rows_[caller].key);
            marshal.tuple(4); // (nc, cc, tt, ct): the edge's order differs from the row's
            marshal.integer(times.nc);
            marshal.integer(times.cc);
            marshal.real(times.tt);
            marshal.real(times.ct);
        }
        marshal.endDict();
    }
    marshal.endDict();
}

} // namespace

ExportNotes writePstats(const SampleSelector& selector, std::ostream& out) {
    PstatsTable(selector).write(out);
    return {droppedThreadsAndTrace(selector, "pstats has one table for the whole profile",
                                   "pstats has totals per function only")};
}

} // namespace hprof
