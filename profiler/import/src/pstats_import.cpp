// pstats: {(file, line, name): (cc, nc, tt, ct, {caller key: (nc, cc, tt, ct)})}, times in
// seconds (../../../docs/import.md). Each function becomes a CallCount with exact times, each
// caller entry a CallEdge; there are no samples.
#include "hprof/error.h"
#include "hprof/profile_builder.h"
#include "import_formats.h"
#include "marshal_reader.h"

#include <cmath>
#include <limits>

namespace hprof {
namespace {

using Kind = MarshalValue::Kind;

[[noreturn]] void notPstats(const std::string& what) {
    throw Error("not a pstats file (" + what + ")");
}

const MarshalValue& tupleOf(const MarshalPointer& value, size_t size, const char* what) {
    if (value->kind != Kind::Tuple || value->items.size() < size)
        notPstats(std::string(what) + " is not a tuple of " + std::to_string(size));
    return *value;
}

uint64_t callCount(const MarshalValue& value) {
    if (value.kind != Kind::Int || value.integer < 0)
        notPstats("a call count is not a non-negative integer");
    return uint64_t(value.integer);
}

// Seconds as ns. Python's profile module may produce slightly negative times from its
// calibration, so those are kept; only what cannot be a time is refused.
int64_t nanoseconds(const MarshalValue& value) {
    constexpr double kLimit = 1e9; // seconds: 31 years
    if (!value.isNumber() || !std::isfinite(value.asDouble()) ||
        std::fabs(value.asDouble()) > kLimit)
        notPstats("a time is not a number of seconds");
    return std::llround(value.asDouble() * 1e9);
}

// pstats writes "~" as the file (and 0 as the line) of built-in functions.
FunctionId internKey(ProfileBuilder& builder, const MarshalPointer& key) {
    const MarshalValue& tuple = tupleOf(key, 3, "a function key");
    const MarshalValue& file = *tuple.items[0];
    const MarshalValue& line = *tuple.items[1];
    const MarshalValue& name = *tuple.items[2];
    if (file.kind != Kind::String || line.kind != Kind::Int || name.kind != Kind::String ||
        line.integer < 0 || line.integer > std::numeric_limits<uint32_t>::max())
        notPstats("a function key is not (file, line, name)");
    Function function;
    function.name = name.text;
    function.file = file.text == "~" ? "" : file.text;
    function.line = uint32_t(line.integer);
    return builder.internFunction(function);
}

// An entry of the callers dict: (nc, cc, tt, ct) from cProfile, a plain count from the older
// profile module (no times then).
CallEdge callerEdge(FunctionId caller, FunctionId callee, const MarshalPointer& value) {
    CallEdge edge{ThreadId(0), caller, callee, 0, 0, std::nullopt, std::nullopt};
    if (value->kind == Kind::Int) {
        edge.calls = edge.primitive_calls = callCount(*value);
        return edge;
    }
    const MarshalValue& counts = tupleOf(value, 4, "a caller entry");
    edge.calls = callCount(*counts.items[0]);
    edge.primitive_calls = callCount(*counts.items[1]);
    edge.tottime_ns = nanoseconds(*counts.items[2]);
    edge.cumtime_ns = nanoseconds(*counts.items[3]);
    return edge;
}

void addFunction(ProfileBuilder& builder, const MarshalPointer& key, const MarshalPointer& value) {
    const FunctionId function = internKey(builder, key);
    const MarshalValue& stats = tupleOf(value, 5, "a function's statistics");
    Profile& profile = builder.profile();
    profile.call_counts.push_back(
        CallCount{ThreadId(0), function, callCount(*stats.items[1]), callCount(*stats.items[0]),
                  nanoseconds(*stats.items[2]), nanoseconds(*stats.items[3])});
    const MarshalValue& callers = *stats.items[4];
    if (callers.kind != Kind::Dict)
        notPstats("a function's callers are not a dict");
    for (size_t i = 0; i + 1 < callers.items.size(); i += 2)
        profile.call_edges.push_back(
            callerEdge(internKey(builder, callers.items[i]), function, callers.items[i + 1]));
}

} // namespace

Profile importPstats(std::string_view bytes) {
    const MarshalPointer root = readMarshal(bytes);
    if (root->kind != Kind::Dict)
        notPstats("the top level is not a dict");
    ProfileBuilder builder;
    builder.profile() = importedProfile(
        "pstats",
        SourceGaps{.samples = true, .timestamps = true, .threads = true, .run_times = true});
    for (size_t i = 0; i + 1 < root->items.size(); i += 2)
        addFunction(builder, root->items[i], root->items[i + 1]);
    return builder.take();
}

} // namespace hprof
