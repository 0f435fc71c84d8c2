// hprof on the instrumented samples (samples/instrumented): every sample prints the exact count
// of its own calls, and the call counts in hprof's profile must be exactly those.
#include "hprof_runs.h"
#include "own_counts.h"
#include "profile_counts.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

using namespace hprof::test;

namespace {

struct InstrumentedRun {
    CommandResult bare;     // the sample on its own: glibc's hooks do nothing
    CommandResult profiled; // under hprof
    hprof::Profile profile;
};

class InstrumentedTest : public testing::Test {
  protected:
    // Runs `sample` alone and under hprof with `options`; fails the test unless both exit 0.
    InstrumentedRun run(const std::string& sample, const std::vector<std::string>& options = {}) {
        InstrumentedRun result;
        result.bare = runCommand({samplePath(sample)}, {dir_.path()});
        EXPECT_EQ(result.bare.status, 0) << result.bare.err;
        result.profiled = recordSample(dir_, options, sample);
        EXPECT_EQ(result.profiled.status, 0) << result.profiled.err;
        if (result.bare.status == 0 && result.profiled.status == 0)
            result.profile = recordedProfile(dir_);
        return result;
    }

    hprof::test::TempDir dir_;
};

// No warnings at all (but the sampling one, see warningsButCpuAccounting), whatever their
// wording: above all no calls lost to a full table and no
// exits without a matching entry (the counts would still add up, primitive calls would not).
void expectCountsRecorded(const hprof::Profile& profile) {
    EXPECT_EQ(profile.run.instrumentation, "counts");
    EXPECT_FALSE(profile.call_counts.empty());
    EXPECT_EQ(warningsButCpuAccounting(profile), std::vector<std::string>{});
}

// `what` names the process in failure messages.
void expectSameCounts(const OwnCounts& own, const std::map<std::string, CallTotals>& recorded,
                      const std::string& what) {
    ASSERT_FALSE(own.calls.empty()) << what << ": the sample printed no counts";
    for (const auto& [name, calls] : own.calls) {
        const auto found = recorded.find(name);
        const CallTotals got = found == recorded.end() ? CallTotals{} : found->second;
        EXPECT_EQ(got.calls, calls) << what << ": calls of " << name;
        EXPECT_EQ(got.primitive_calls, own.primitive_calls.at(name))
            << what << ": primitive calls of " << name;
    }
}

void expectSameEdges(const OwnCounts& own, const hprof::Profile& profile) {
    for (const OwnEdgeCount& edge : own.edges) {
        const CallTotals got = edgeTotals(profile, edge.caller, edge.callee);
        EXPECT_EQ(got.calls, edge.calls) << "calls " << edge.caller << " -> " << edge.callee;
        EXPECT_EQ(got.primitive_calls, edge.primitive_calls)
            << "primitive calls " << edge.caller << " -> " << edge.callee;
    }
}

// For samples whose output does not depend on timing or pids: hprof changes nothing in it, and
// its counts are the sample's own, in total and per edge.
void expectExactCounts(const InstrumentedRun& run) {
    EXPECT_EQ(run.profiled.out, run.bare.out);
    expectCountsRecorded(run.profile);
    const OwnCounts own = parseOwnCounts(run.profiled.out)[""];
    expectSameCounts(own, callTotalsByName(run.profile), "process");
    expectSameEdges(own, run.profile);
}

TEST_F(InstrumentedTest, DeepAndFanOutRecursionCountsCallsPrimitiveCallsAndSelfEdges) {
    const InstrumentedRun recursion = run("s_recursion");
    ASSERT_FALSE(HasFailure());
    expectExactCounts(recursion);
    const OwnCounts own = parseOwnCounts(recursion.profiled.out)[""];
    ASSERT_EQ(own.edges.size(), 2u);
    EXPECT_EQ(own.edges[1].caller, "fib(int)");
    EXPECT_EQ(own.edges[1].callee, "fib(int)");
}

TEST_F(InstrumentedTest, ExceptionsThroughInstrumentedFramesKeepCountsExact) {
    const InstrumentedRun exceptions = run("s_exceptions");
    ASSERT_FALSE(HasFailure());
    expectExactCounts(exceptions);
}

TEST_F(InstrumentedTest, LongjmpOutOfNestedCallsKeepsCountsExact) {
    const InstrumentedRun longjmps = run("s_longjmp");
    ASSERT_FALSE(HasFailure());
    expectExactCounts(longjmps);
}

TEST_F(InstrumentedTest, PthreadExitFromNestedCallsKeepsCountsExact) {
    const InstrumentedRun exits = run("s_pthread_exit");
    ASSERT_FALSE(HasFailure());
    expectExactCounts(exits);
}

TEST_F(InstrumentedTest, CallsBeforeAndAfterMainAreCounted) {
    const InstrumentedRun ctors = run("s_ctors");
    ASSERT_FALSE(HasFailure());
    expectExactCounts(ctors);
}

TEST_F(InstrumentedTest, CallsIntoAnInstrumentedSharedLibraryAreCounted) {
    const InstrumentedRun library = run("s_library");
    ASSERT_FALSE(HasFailure());
    expectExactCounts(library);
}

// The timer phase's counts depend on timing: compare with the sample's own counts of this run.
TEST_F(InstrumentedTest, InstrumentedSignalHandlerInterruptingInstrumentedCalls) {
    const InstrumentedRun signal = run("s_signal");
    ASSERT_FALSE(HasFailure());
    EXPECT_EQ(resultLines(signal.profiled.out), resultLines(signal.bare.out));
    expectCountsRecorded(signal.profile);
    expectSameCounts(parseOwnCounts(signal.profiled.out)[""], callTotalsByName(signal.profile),
                     "process");
}

// Each process has the calls it made itself: the child's start at the fork.
TEST_F(InstrumentedTest, ForkInTheMiddleOfACallCountsEachProcessOnItsOwn) {
    const InstrumentedRun fork = run("s_fork");
    ASSERT_FALSE(HasFailure());
    EXPECT_EQ(resultLines(fork.profiled.out), resultLines(fork.bare.out));
    expectCountsRecorded(fork.profile);
    std::map<std::string, OwnCounts> own = parseOwnCounts(fork.profiled.out);
    ASSERT_EQ(own.size(), 2u) << fork.profiled.out;
    ASSERT_EQ(fork.profile.processes.size(), 2u);
    for (const auto& [role, counts] : own) {
        ASSERT_NE(counts.pid, 0) << role;
        expectSameCounts(counts, callTotalsByName(fork.profile, counts.pid),
                         role + " " + std::to_string(counts.pid));
    }
    for (const hprof::Process& process : fork.profile.processes) {
        if (process.pid == own["child"].pid) {
            EXPECT_EQ(process.ppid, own["parent"].pid);
        }
    }
}

// The functions on the stack of a sample, leaf first.
std::vector<std::string> stackFunctions(const hprof::Profile& profile, hprof::StackId stack) {
    std::vector<std::string> names;
    for (; stack.valid(); stack = profile.stack(stack).parent)
        names.push_back(profile.function(profile.frame(profile.stack(stack).frame).function).name);
    return names;
}

// The first library's calls, samples and waits stay its own after a second library was mapped
// at its address; the second library's calls are its own too.
TEST_F(InstrumentedTest, CallsIntoAnUnloadedLibraryStayItsOwnWhenAnotherTakesItsAddress) {
    const InstrumentedRun reuse = run("s_dlclose_reuse", {"--clock=wall"});
    ASSERT_FALSE(HasFailure());
    ASSERT_NE(reuse.bare.out.find("base same"), std::string::npos)
        << "premise not met: the loader mapped the second library elsewhere\n"
        << reuse.bare.out;
    ASSERT_NE(reuse.profiled.out.find("base same"), std::string::npos)
        << "premise not met under hprof\n"
        << reuse.profiled.out;
    expectExactCounts(reuse);
    int64_t lib_c_on_cpu_ns = 0;
    int64_t lib_c_off_cpu_ns = 0;
    for (const hprof::Sample& sample : reuse.profile.samples) {
        const std::vector<std::string> names = stackFunctions(reuse.profile, sample.stack);
        for (const std::string& name : names) // libs_reuse_first.so+0x... before the fix
            EXPECT_EQ(name.find("libs_reuse_"), std::string::npos) << "unresolved frame " << name;
        if (std::find(names.begin(), names.end(), "lib_c") != names.end())
            (sample.off_cpu ? lib_c_off_cpu_ns : lib_c_on_cpu_ns) += sample.weight_ns;
    }
    EXPECT_GT(lib_c_on_cpu_ns, 0) << "no on-CPU sample in lib_c";
    EXPECT_GT(lib_c_off_cpu_ns, 0) << "no off-CPU sample in lib_c";
}

// Trace mode keeps every call (--min-duration=0): each traced call is named after the library
// it went to, as many times as the program made it.
TEST_F(InstrumentedTest, TracedCallsIntoAnUnloadedLibraryStayItsOwn) {
    const InstrumentedRun reuse =
        run("s_dlclose_reuse", {"--instrument=trace", "--min-duration=0"});
    ASSERT_FALSE(HasFailure());
    ASSERT_NE(reuse.profiled.out.find("base same"), std::string::npos) << reuse.profiled.out;
    std::map<std::string, uint64_t> traced;
    for (const hprof::TraceEvent& event : reuse.profile.trace_events)
        ++traced[reuse.profile.function(event.function).name];
    const OwnCounts own = parseOwnCounts(reuse.profiled.out)[""];
    for (const auto& [name, calls] : own.calls)
        EXPECT_EQ(traced[name], calls) << "traced calls of " << name;
}

// A documented limit: calls from .preinit_array come before the probe starts and are not
// counted; the program runs as without hprof, and the calls after it are exact.
TEST_F(InstrumentedTest, CallsFromPreinitArrayAreNotCountedAndTheRestIs) {
    const InstrumentedRun preinit = run("s_preinit");
    ASSERT_FALSE(HasFailure());
    EXPECT_EQ(preinit.profiled.out, preinit.bare.out);
    expectCountsRecorded(preinit.profile);
    const OwnCounts own = parseOwnCounts(preinit.profiled.out)[""];
    ASSERT_GT(own.calls.at("early(int)"), 0u);
    std::map<std::string, CallTotals> recorded = callTotalsByName(preinit.profile);
    EXPECT_EQ(recorded["early(int)"], CallTotals{});
    EXPECT_EQ(recorded["later(int)"].calls, own.calls.at("later(int)"));
}

// The probe calls no malloc of its own: the program's allocator sees (and counts) the same
// calls alone and under hprof, and hprof counts exactly those.
TEST_F(InstrumentedTest, ProgramsOwnAllocatorGetsNoCallsFromTheProbe) {
    const InstrumentedRun own_malloc = run("s_own_malloc");
    ASSERT_FALSE(HasFailure());
    expectExactCounts(own_malloc);
}

// Exits on the coroutine's stack and on main's, interleaved by swapcontext, each match their
// own calls, without warnings, and each call has its own caller.
TEST_F(InstrumentedTest, SwapcontextBetweenStacksKeepsCountsAndCallersExact) {
    const InstrumentedRun ucontext = run("s_ucontext");
    ASSERT_FALSE(HasFailure());
    expectExactCounts(ucontext);
    EXPECT_EQ(edgeTotals(ucontext.profile, "", "baz(int)").calls, 0u);
}

} // namespace
