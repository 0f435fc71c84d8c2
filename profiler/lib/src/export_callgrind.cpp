// Callgrind's profile format, as KCachegrind and callgrind_annotate read it. Two events: the
// number of samples and the time they stand for in nanoseconds. Each function has its self cost
// per sampled source line and, per call site line, its calls with their inclusive cost. A sample
// is cost of one call into each function of its stack, the call into the function's outermost
// occurrence: the costs of the calls into a function sum to its cumtime, recursion or not (what
// callgrind_annotate --inclusive=yes shows).
#include "export_formats.h"

#include "hprof/analysis.h"
#include "hprof/call_tree.h"
#include "hprof/function_labels.h"
#include "report_data.h"
#include "report_text.h"
#include "saturating.h"

#include <algorithm>
#include <map>
#include <set>

namespace hprof {
namespace {

struct CallgrindCost {
    uint64_t samples = 0;
    int64_t ns = 0;
    void add(const Cost& cost) {
        samples += cost.samples;
        addSaturating(ns, cost.weight_ns);
    }
};

struct CallSite {
    FunctionId caller;
    uint32_t line = 0; // the line of the caller that was executing the call
    FunctionId callee;
    auto operator<=>(const CallSite&) const = default;
};

struct CallCost {
    CallgrindCost cost;
    uint64_t calls = 0; // instrumented calls; 0 when not counted
};

// callgrind_annotate (and KCachegrind) take a call with "calls=0" for self cost of the caller:
// without an instrumented count, the number of samples through the call stands in for it.
uint64_t callCount(const CallCost& call) {
    return call.calls > 0 ? call.calls : std::max<uint64_t>(call.cost.samples, 1);
}

// Everything the file lists, per function, keyed for a stable order.
struct CallgrindData {
    std::map<std::pair<FunctionId, uint32_t>, CallgrindCost> self; // (function, line)
    std::map<CallSite, CallCost> calls;
    CallgrindCost total;
};

FunctionId functionOf(const Profile& profile, StackId node) {
    return profile.frame(profile.stack(node).frame).function;
}

// The call sites of one stack that carry its cost: for each function, the call into its
// outermost occurrence (none for the outermost frame). Recursive and inlined-into-itself calls
// further in carry nothing, so the costs of the calls into a function sum to its cumtime.
std::vector<CallSite> callSites(const Profile& profile, StackId leaf) {
    std::vector<StackId> nodes; // leaf first
    for (StackId node = leaf; node.valid(); node = profile.stack(node).parent)
        nodes.push_back(node);
    std::vector<CallSite> sites;
    std::set<FunctionId> entered{functionOf(profile, nodes.back())};
    for (size_t i = nodes.size() - 1; i-- > 0;) {
        const FunctionId callee = functionOf(profile, nodes[i]);
        if (!entered.insert(callee).second)
            continue;
        const Frame& caller = profile.frame(profile.stack(nodes[i + 1]).frame);
        sites.push_back({caller.function, caller.line, callee});
    }
    return sites;
}

// Instrumented call counts go to the pair's call site with the most samples (a call site
// without samples, at line 0, when the pair was never sampled).
void addCallCounts(const SampleSelector& selector, const StackCosts& costs, CallgrindData& data) {
    for (const CallPairStats& pair : computeCallPairs(selector, costs)) {
        if (!pair.caller.valid() || pair.stats.ncalls.value_or(0) == 0)
            continue;
        auto best = data.calls.end();
        for (auto site = data.calls.lower_bound({pair.caller, 0, FunctionId(0)});
             site != data.calls.end() && site->first.caller == pair.caller; ++site) {
            if (site->first.callee == pair.callee &&
                (best == data.calls.end() || site->second.cost.samples > best->second.cost.samples))
                best = site;
        }
        if (best == data.calls.end())
            best = data.calls.try_emplace({pair.caller, 0, pair.callee}).first;
        best->second.calls += *pair.stats.ncalls;
    }
}

CallgrindData collect(const SampleSelector& selector) {
    const Profile& profile = selector.profile();
    const StackCosts costs = computeStackCosts(selector);
    CallgrindData data;
    for (StackId leaf : costs.leaves) {
        const Cost& cost = costs.by_leaf[leaf.value];
        const Frame& frame = profile.frame(profile.stack(leaf).frame);
        data.self[{frame.function, frame.line}].add(cost);
        for (const CallSite& site : callSites(profile, leaf))
            data.calls[site].cost.add(cost);
        data.total.add(cost);
    }
    addCallCounts(selector, costs, data);
    return data;
}

// Callgrind's name compression: "(id) name" the first time, "(id)" afterwards.
class NameTable {
  public:
    std::string operator()(const std::string& name) {
        auto [entry, added] = ids_.try_emplace(name, ids_.size() + 1);
        const std::string id = "(" + std::to_string(entry->second) + ")";
        return added ? id + " " + name : id;
    }

  private:
    std::map<std::string, size_t> ids_;
};

class CallgrindWriter {
  public:
    CallgrindWriter(const Profile& profile, std::ostream& out)
        : profile_(profile), labels_(profile), out_(out) {}

    void write(const CallgrindData& data);

  private:
    void header(const CallgrindData& data);
    void position(FunctionId function, const std::string& prefix);
    static std::string cost(const CallgrindCost& cost) {
        return std::to_string(cost.samples) + " " + std::to_string(cost.ns);
    }
    std::string file(FunctionId function) const;
    std::string object(FunctionId function) const;

    const Profile& profile_;
    const FunctionLabels labels_;
    std::ostream& out_;
    NameTable objects_, files_, functions_;
};

std::string CallgrindWriter::file(FunctionId function) const {
    const std::string& path = profile_.function(function).file;
    return path.empty() ? "???" : oneLine(path); // valgrind's name for an unknown file
}

std::string CallgrindWriter::object(FunctionId function) const {
    const ModuleId module = profile_.function(function).module;
    if (!module.valid() || module.value >= profile_.modules.size())
        return "???";
    return oneLine(profile_.module(module).path);
}

void CallgrindWriter::header(const CallgrindData& data) {
    const RunInfo& run = profile_.run;
    out_ << "# callgrind format\nversion: 1\ncreator: hprof " << oneLine(run.hprof_version) << "\n";
    out_ << "cmd: " << oneLine(joinCommand(run.command)) << "\n";
    out_ << "positions: line\n";
    out_ << "event: Samples : samples\nevent: Nanoseconds : sampled time (ns)\n";
    out_ << "events: Samples Nanoseconds\n";
    out_ << "summary: " << cost(data.total) << "\n";
}

// "ob=", "fl=" and "fn=" of a function (prefix "") or of a callee (prefix "c").
void CallgrindWriter::position(FunctionId function, const std::string& prefix) {
    out_ << prefix << "ob=" << objects_(object(function)) << "\n";
    out_ << prefix << "fl=" << files_(file(function)) << "\n";
    out_ << prefix << "fn=" << functions_(uniqueName(profile_, labels_, function)) << "\n";
}

void CallgrindWriter::write(const CallgrindData& data) {
    header(data);
    std::set<FunctionId> functions;
    for (const auto& entry : data.self)
        functions.insert(entry.first.first);
    for (const auto& entry : data.calls)
        functions.insert(entry.first.caller);
    for (FunctionId function : functions) {
        out_ << "\n";
        position(function, "");
        for (auto self = data.self.lower_bound({function, 0});
             self != data.self.end() && self->first.first == function; ++self)
            out_ << self->first.second << " " << cost(self->second) << "\n";
        for (auto call = data.calls.lower_bound({function, 0, FunctionId(0)});
             call != data.calls.end() && call->first.caller == function; ++call) {
            position(call->first.callee, "c");
            out_ << "calls=" << callCount(call->second) << " "
                 << profile_.function(call->first.callee).line << "\n";
            out_ << call->first.line << " " << cost(call->second.cost) << "\n";
        }
    }
    out_ << "\ntotals: " << cost(data.total) << "\n";
}

} // namespace

ExportNotes writeCallgrind(const SampleSelector& selector, std::ostream& out) {
    CallgrindWriter(selector.profile(), out).write(collect(selector));
    return {droppedThreadsAndTrace(selector, "a callgrind file has one part for the whole profile",
                                   "callgrind has costs per line and call only")};
}

} // namespace hprof
