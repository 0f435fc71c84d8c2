// Small hand-computable profiles and call trees for the graphics tests.
#pragma once

#include "hprof/call_tree.h"
#include "hprof/profile.h"

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace hprof::viewer::test {

inline constexpr int64_t kMs = 1'000'000;

// Builds a profile one sample at a time; functions are interned by name (file "prog.cpp", line
// by order of first use, module "/bin/prog"). Thread 0 is tid 100 of process pid 100.
class StackProfile {
  public:
    StackProfile();
    ~StackProfile();
    // A sample of `weight_ms` at `time_ms` on thread `thread` with the stack `frames`, outermost
    // first. Times must not decrease.
    void add(std::initializer_list<std::string> frames, int64_t time_ms, int64_t weight_ms = 1,
             uint32_t thread = 0);
    FunctionId function(const std::string& name);
    Profile& profile();
    Profile take();

  private:
    struct Impl;
    Impl* impl_;
};

// Two processes: pid 100 with threads tid 100 and 101, pid 200 with tid 200; a 1 s run.
Profile twoProcessProfile();

// twoProcessProfile as a merged job: pid 100 is rank 0 on node0 (the run's host), pid 200 rank 1
// on node1.
Profile twoRankJobProfile();

// A call tree built by hand: add() appends a node under `parent` with the given self weight;
// finish() sums the totals bottom-up and orders children largest first.
class TreeBuilder {
  public:
    TreeBuilder();
    CallNodeId add(CallNodeId parent, FunctionId function, int64_t self_ns);
    CallTree finish();

  private:
    CallTree tree_;
};

} // namespace hprof::viewer::test
