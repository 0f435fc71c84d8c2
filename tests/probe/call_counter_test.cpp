// The call counter driven directly with the hook events a program would produce, including the
// irregular ones: skipped exits (longjmp), exits emitted as tail calls (after the frame is
// gone), exits with no enter, and more functions than the table holds. Counts are read back
// from the raw stream, as the collector reads them.
#include "call_counter.h"
#include "files.h"
#include "raw_writer.h"
#include "temp_dir.h"

#include <gtest/gtest.h>

#include <csignal>
#include <map>
#include <string>
#include <unistd.h>
#include <utility>

namespace {

namespace raw = hprof::raw;
using hprof::probe::onFunctionExit;

constexpr uint64_t kMain = 0x1000, kA = 0x2000, kB = 0x3000;

// An enter hook at stack position `sp`; each call gets a call site of its own unless given one
// (the hooks of an inlined function carry the enclosing function's call site).
void onFunctionEnter(uint64_t function, uint64_t sp, uint64_t call_site = 0) {
    hprof::probe::onFunctionEnter(function, call_site ? call_site : function ^ (sp << 20), sp);
}

struct Counts {
    uint64_t calls = 0;
    uint64_t primitive = 0;
    uint32_t active = 0;
};

struct Table {
    std::map<std::pair<uint64_t, uint64_t>, Counts> entries; // (callee, caller)
    uint64_t overflowed = 0;
    uint64_t unpaired = 0;

    Counts total(uint64_t function) const { return at(function, raw::kFunctionTotal); }
    Counts at(uint64_t callee, uint64_t caller) const {
        auto it = entries.find({callee, caller});
        return it == entries.end() ? Counts{} : it->second;
    }
};

// Each test runs in a child process: one stream and one thread's table per test.
class CallCounterTest : public ::testing::Test {
  protected:
    // Runs `events` in a forked child with a fresh stream; returns the child's call table.
    template <class Events> Table run(Events events) {
        pid_t child = fork();
        if (child == 0) {
            bool opened = hprof::probe::openStream(
                {dir_.path().c_str(), 1000, raw::Trigger::PerfTaskClock, SIGPROF});
            if (opened)
                events();
            _exit(opened ? 0 : 1);
        }
        int status = 0;
        waitpid(child, &status, 0);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        return readTable(dir_.file(std::to_string(child) + ".raw"));
    }

  private:
    static Table readTable(const std::string& path) {
        std::string file = hprof::test::readFile(path);
        Table table;
        const auto* header = reinterpret_cast<const raw::RawFileHeader*>(file.data());
        uint64_t end = raw::kRawHeaderSize + header->used.load();
        for (uint64_t offset = raw::kRawHeaderSize; offset < end;) {
            const auto* record = reinterpret_cast<const raw::RecordHeader*>(file.data() + offset);
            if (record->type.load() == uint16_t(raw::RecordType::CallTable)) {
                const auto* calls = reinterpret_cast<const raw::CallTableRecord*>(record);
                table.overflowed += calls->overflowed_calls;
                table.unpaired += calls->unpaired_exits;
                const auto* entries = reinterpret_cast<const raw::CallCountEntry*>(calls + 1);
                for (uint32_t i = 0; i < calls->capacity; ++i) {
                    if (entries[i].callee == 0 || !entries[i].ready)
                        continue;
                    Counts& counts = table.entries[{entries[i].callee, entries[i].caller}];
                    counts.calls += entries[i].calls;
                    counts.primitive += entries[i].primitive_calls;
                    counts.active += entries[i].active;
                }
            }
            offset += record->size;
        }
        return table;
    }

    hprof::test::TempDir dir_;
};

TEST_F(CallCounterTest, RecursionCountsPrimitiveCallsOnce) {
    Table table = run([] {
        onFunctionEnter(kMain, 1000);
        onFunctionEnter(kA, 900); // main -> A -> A -> A
        onFunctionEnter(kA, 800);
        onFunctionEnter(kA, 700);
        onFunctionExit(kA);
        onFunctionExit(kA);
        onFunctionExit(kA);
        onFunctionEnter(kA, 900); // a second outermost activation
        onFunctionExit(kA);
        onFunctionExit(kMain);
    });
    EXPECT_EQ(table.total(kA).calls, 4u);
    EXPECT_EQ(table.total(kA).primitive, 2u);
    EXPECT_EQ(table.at(kA, kMain).calls, 2u);
    EXPECT_EQ(table.at(kA, kA).calls, 2u);
    EXPECT_EQ(table.at(kA, kA).primitive, 1u); // the A -> A edge nests inside itself once
    EXPECT_EQ(table.at(kMain, 0).calls, 1u);   // called from code that is not instrumented
    EXPECT_EQ(table.total(kA).active, 0u);
    EXPECT_EQ(table.unpaired, 0u);
}

TEST_F(CallCounterTest, SkippedExitsAreDetectedByStackPosition) {
    Table table = run([] {
        onFunctionEnter(kMain, 1000);
        onFunctionEnter(kA, 900);
        onFunctionEnter(kA, 800); // longjmp back to main: no exits for the two A
        onFunctionEnter(kB, 900); // main calls B at A's old level: the A frames are gone
        onFunctionExit(kB);
        onFunctionExit(kMain);
    });
    EXPECT_EQ(table.at(kB, kMain).calls, 1u); // B's caller is main, not the stale A
    EXPECT_EQ(table.at(kB, kA).calls, 0u);
    EXPECT_EQ(table.total(kA).active, 0u);
    EXPECT_EQ(table.unpaired, 0u);
}

TEST_F(CallCounterTest, ExitHookAsTailCallStillMatches) {
    Table table = run([] {
        onFunctionEnter(kMain, 1000);
        onFunctionEnter(kA, 900);
        onFunctionExit(kA); // at a higher stack position than its enter: the frame is gone
        onFunctionEnter(kA, 900);
        onFunctionExit(kA);
        onFunctionExit(kMain);
    });
    EXPECT_EQ(table.total(kA).calls, 2u);
    EXPECT_EQ(table.total(kA).primitive, 2u);
    EXPECT_EQ(table.unpaired, 0u);
}

TEST_F(CallCounterTest, InlinedFunctionIsTheChildOfItsEnclosingFunction) {
    constexpr uint64_t kSite = 0x7777;
    Table table = run([] {
        onFunctionEnter(kMain, 1000);
        onFunctionEnter(kA, 900, kSite);
        onFunctionEnter(kB, 900, kSite); // B inlined into A: same frame, A's call site
        onFunctionExit(kB);
        onFunctionEnter(kB, 900, kSite);
        onFunctionExit(kB);
        onFunctionExit(kA);
        onFunctionExit(kMain);
    });
    EXPECT_EQ(table.at(kB, kA).calls, 2u);
    EXPECT_EQ(table.at(kB, kMain).calls, 0u);
    EXPECT_EQ(table.at(kA, kMain).calls, 1u);
    EXPECT_EQ(table.total(kA).active, 0u);
    EXPECT_EQ(table.unpaired, 0u);
}

TEST_F(CallCounterTest, ExitWithoutEnterIsCountedAsUnpaired) {
    Table table = run([] {
        onFunctionEnter(kMain, 1000);
        onFunctionExit(kB);
        onFunctionExit(kMain);
    });
    EXPECT_EQ(table.unpaired, 1u);
    EXPECT_EQ(table.total(kMain).calls, 1u);
    EXPECT_EQ(table.total(kMain).active, 0u);
}

TEST_F(CallCounterTest, FullTableCountsWhatItCannotHold) {
    constexpr uint64_t kFunctions = 40000; // more (function, caller) keys than the table holds
    Table table = run([] {
        onFunctionEnter(kMain, 1000);
        for (uint64_t f = 1; f <= kFunctions; ++f) {
            onFunctionEnter(0x100000 + f * 16, 900);
            onFunctionExit(0x100000 + f * 16);
        }
        onFunctionExit(kMain);
    });
    uint64_t counted = 0;
    for (const auto& [key, counts] : table.entries) {
        if (key.second == raw::kFunctionTotal && key.first != kMain)
            counted += counts.calls;
    }
    EXPECT_GT(table.overflowed, 0u);
    EXPECT_LT(counted, kFunctions);
    EXPECT_EQ(table.unpaired, 0u);
}

} // namespace
