// fork in the middle of an instrumented call: split_process() forks, and parent and child both
// make further calls, inside split_process and after it returns. Each process prints its own
// counts: the calls it made itself, so the child's start at the fork (it returns from a
// split_process it never entered; the calls before the fork are the parent's). Lines are
// prefixed with "parent " or "child ", after a line "<role> pid <pid>". The parent prints after
// the child has exited, so the output order is fixed.
#include "call_counter.h"

#include <cstdio>
#include <cstdlib>
#include <sys/wait.h>
#include <unistd.h>

namespace {

constexpr int kBeforeFork = 1000;
constexpr int kParentInside = 300;
constexpr int kChildInside = 700;
constexpr int kParentAfter = 2000;
constexpr int kChildAfter = 4000;

samples::CallCounter before_fork_calls{.name = "before_fork(int)"};
samples::CallCounter split_process_calls{.name = "split_process()"};
samples::CallCounter inside_split_calls{.name = "inside_split(int)"};
samples::CallCounter after_split_calls{.name = "after_split(int)"};

samples::CallCounter* const all_counters[] = {&before_fork_calls, &split_process_calls,
                                              &inside_split_calls, &after_split_calls};

NOT_INSTRUMENTED void forgetCallsOfParent() {
    for (samples::CallCounter* counter : all_counters)
        counter->calls = 0;
}

} // namespace

[[gnu::noinline]] int before_fork(int unit) {
    samples::countCall(before_fork_calls);
    return unit & 1;
}

[[gnu::noinline]] int inside_split(int unit) {
    samples::countCall(inside_split_calls);
    return unit & 3;
}

[[gnu::noinline]] int after_split(int unit) {
    samples::countCall(after_split_calls);
    return unit & 7;
}

[[gnu::noinline]] pid_t split_process() {
    samples::countCall(split_process_calls);
    std::fflush(stdout);
    const pid_t child = fork();
    if (child < 0) {
        std::perror("s_fork: fork");
        std::exit(1);
    }
    if (child == 0)
        forgetCallsOfParent();
    int sum = 0;
    for (int unit = 0; unit < (child == 0 ? kChildInside : kParentInside); ++unit)
        sum += inside_split(unit);
    return sum >= 0 ? child : -1;
}

int main() {
    int sum = 0;
    for (int unit = 0; unit < kBeforeFork; ++unit)
        sum += before_fork(unit);
    const pid_t child = split_process();
    const bool is_child = child == 0;
    for (int unit = 0; unit < (is_child ? kChildAfter : kParentAfter); ++unit)
        sum += after_split(unit);
    if (!is_child && waitpid(child, nullptr, 0) != child) {
        std::perror("s_fork: waitpid");
        return 1;
    }
    const char* role = is_child ? "child " : "parent ";
    std::printf("%spid %d\n", role, int(getpid()));
    for (const samples::CallCounter* counter : all_counters)
        samples::printCounts({counter}, role);
    return 0;
}
