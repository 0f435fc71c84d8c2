// The one filter of hprof: which samples, threads and call counts count. `hprof report`'s options
// and every view of the viewer build one SampleFilter, so for the same filter they show the same
// numbers.
#pragma once

#include "hprof/profile.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hprof {

// An include set and an exclude set of ids, both kept sorted and unique. An empty include set
// means "all"; an id in both sets is excluded.
template <class Id> struct Selection {
    std::vector<Id> only;
    std::vector<Id> excluded;

    bool accepts(Id id) const {
        if (std::binary_search(excluded.begin(), excluded.end(), id))
            return false;
        return only.empty() || std::binary_search(only.begin(), only.end(), id);
    }
    bool selectsAll() const { return only.empty() && excluded.empty(); }
    void include(Id id) { insertSorted(only, id); }
    void exclude(Id id) { insertSorted(excluded, id); }
    bool operator==(const Selection&) const = default;

  private:
    static void insertSorted(std::vector<Id>& ids, Id id) {
        auto position = std::lower_bound(ids.begin(), ids.end(), id);
        if (position == ids.end() || *position != id)
            ids.insert(position, id);
    }
};

// Which samples count. Call counts (exact, per whole thread) follow the process and thread
// selections only: a time range, function or module selection cannot split them.
struct SampleFilter {
    std::optional<int64_t> from_ns; // inclusive, relative to run start
    std::optional<int64_t> to_ns;   // exclusive
    Selection<ProcessId> processes;
    Selection<ThreadId> threads;
    // only: the focused functions, a sample counts when one of them is on its stack;
    // excluded: a sample with any of them on its stack does not count.
    Selection<FunctionId> functions;
    // By the module of the sample's leaf frame (the code that was running): "only my program",
    // "without libc".
    Selection<ModuleId> modules;

    bool operator==(const SampleFilter&) const = default;
    bool acceptsThread(const Profile& profile, ThreadId thread) const; // processes and threads
    // The process and thread selections accept the process, and at least one of its threads
    // when the thread selection has an include set.
    bool acceptsProcess(const Profile& profile, ProcessId process) const;
    // Whether a lifetime [start_ns, end_ns] meets the time range (always, without one).
    bool overlapsTimeRange(int64_t start_ns, int64_t end_ns) const;
    bool hasStackSelection() const { return !functions.selectsAll() || !modules.selectsAll(); }
};

// A SampleFilter compiled against one profile: per-thread and per-stack answers precomputed, the
// time range found by binary search on the time-sorted samples. Every aggregation goes through
// this class, so it costs one pass over the selected samples. Immutable once built: several
// threads may use one selector at once.
class SampleSelector {
  public:
    SampleSelector(const Profile& profile, const SampleFilter& filter);

    // The index range [begin, end) of Profile::samples inside the time range.
    size_t begin() const { return begin_; }
    size_t end() const { return end_; }
    bool acceptsThread(ThreadId thread) const { return thread_accepted_[thread.value]; }
    bool acceptsStack(StackId leaf) const; // the function and module selections
    bool accepts(const Sample& sample) const {
        return acceptsThread(sample.thread) && acceptsStack(sample.stack);
    }
    // Calls visit(const Sample&) for every accepted sample, in time order.
    template <class Visit> void forEach(Visit visit) const {
        for (size_t i = begin_; i < end_; ++i) {
            const Sample& sample = profile_.samples[i];
            if (accepts(sample))
                visit(sample);
        }
    }
    const SampleFilter& filter() const { return filter_; }
    const Profile& profile() const { return profile_; }

  private:
    const Profile& profile_;
    SampleFilter filter_;
    size_t begin_ = 0;
    size_t end_ = 0;
    std::vector<bool> thread_accepted_;
    // Per stack node as a leaf, 1 when it passes the function and module selections; empty
    // without such selections. Computed up front, so a selector is safe to share between threads.
    std::vector<int8_t> stack_accepted_;
};

// What the command line names (pids, tids, function and module names), resolved against a
// profile into the ids of a SampleFilter. Names match by substring; a name or id that selects
// nothing is an error (hprof::Error naming it and, for ids, listing the ones the profile has).
// The members have default initializers so that callers can name just the ones they set
// ({.pids = {12}}) without -Wmissing-field-initializers.
struct FilterRequest {
    std::optional<int64_t> from_ns{};
    std::optional<int64_t> to_ns{};
    std::vector<int32_t> pids{}; // --pid: every Process with that pid (all images after exec)
    std::vector<int32_t> excluded_pids{};
    std::vector<int32_t> tids{}; // --tid
    std::vector<int32_t> excluded_tids{};
    std::vector<std::string> focus_functions{};    // --focus TEXT
    std::vector<std::string> excluded_functions{}; // --exclude TEXT
    std::vector<std::string> modules{};            // --module TEXT (path substring)
    std::vector<std::string> excluded_modules{};   // --exclude-module TEXT
    bool operator==(const FilterRequest&) const = default;
};

SampleFilter resolveFilter(const Profile& profile, const FilterRequest& request);

// The filter in words, for the viewer's filter bar and report headers: "time 1.2 s..3.4 s,
// process 1234, without thread 1240, only stacks through hot_a()". Empty for no filter.
std::string describeFilter(const Profile& profile, const SampleFilter& filter);

} // namespace hprof
