// C++ exceptions thrown through several instrumented frames (a recursion, a frame that catches
// and rethrows, a frame with a destructor to run) and caught higher up, in a loop. GCC calls
// the exit hook of every frame the exception leaves, so the recursion's primitive calls (one
// per outermost activation) stay exact only if the unwinding is accounted for.
#include "call_counter.h"

#include <cstdio>
#include <stdexcept>

namespace {

constexpr int kRounds = 2000;
constexpr int kMaxDepth = 6;

samples::CallCounter throw_from_depth_calls{.name = "throw_from_depth(int)", .recursive = true};
samples::CallCounter rethrow_after_note_calls{.name = "rethrow_after_note(int)"};
samples::CallCounter hold_resource_calls{.name = "hold_resource(int)"};
samples::CallCounter catch_round_calls{.name = "catch_round(int)"};
samples::CallCounter note_failure_calls{.name = "note_failure()"};
samples::CallCounter release_calls{.name = "release()"};
samples::CallCounter after_the_storm_calls{.name = "after_the_storm(int)"};

int failures_noted = 0;
int resources_released = 0;

} // namespace

[[gnu::noinline]] void note_failure() {
    samples::countCall(note_failure_calls);
    ++failures_noted;
}

[[gnu::noinline]] void release() {
    samples::countCall(release_calls);
    ++resources_released;
}

// Its destructor runs while the exception passes through hold_resource.
struct Resource {
    NOT_INSTRUMENTED ~Resource() { release(); }
};

[[gnu::noinline]] void throw_from_depth(int depth) {
    samples::countCall(throw_from_depth_calls);
    if (depth == 0)
        throw std::runtime_error("bottom reached");
    throw_from_depth(depth - 1);
}

[[gnu::noinline]] void hold_resource(int round) {
    samples::countCall(hold_resource_calls);
    Resource resource;
    samples::countOutermostCall(throw_from_depth_calls);
    throw_from_depth(round % kMaxDepth);
}

[[gnu::noinline]] void rethrow_after_note(int round) {
    samples::countCall(rethrow_after_note_calls);
    try {
        hold_resource(round);
    } catch (const std::runtime_error&) {
        note_failure();
        throw;
    }
}

[[gnu::noinline]] bool catch_round(int round) {
    samples::countCall(catch_round_calls);
    try {
        rethrow_after_note(round);
    } catch (const std::exception&) {
        return true;
    }
    return false;
}

// Normal calls after all the unwinding.
[[gnu::noinline]] int after_the_storm(int round) {
    samples::countCall(after_the_storm_calls);
    return round + 1;
}

int main() {
    int caught = 0;
    for (int round = 0; round < kRounds; ++round)
        caught += catch_round(round);
    int sum = 0;
    for (int round = 0; round < kRounds; ++round)
        sum += after_the_storm(round);
    std::printf("caught %d noted %d released %d sum %d\n", caught, failures_noted,
                resources_released, sum);
    samples::printCounts({&throw_from_depth_calls, &rethrow_after_note_calls, &hold_resource_calls,
                          &catch_round_calls, &note_failure_calls, &release_calls,
                          &after_the_storm_calls});
    return 0;
}
