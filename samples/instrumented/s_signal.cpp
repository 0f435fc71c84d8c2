// An instrumented SIGALRM handler that calls instrumented functions while the main code is in
// instrumented calls. First synchronously: raise() at the bottom of a nested call, in a loop.
// Then asynchronously: a 1 ms interval timer interrupts a loop of nested calls anywhere, also in
// the middle of the probe's hooks, until the handler has run kTimerAlarms times. The counts of
// that second phase depend on timing, but the program still counts every call exactly.
#include "call_counter.h"

#include <csignal>
#include <cstdio>
#include <sys/time.h>

namespace {

constexpr int kRaises = 1000;
constexpr int kRaiseDepth = 4;
constexpr int kHandlerCalls = 3;
constexpr int kTimerAlarms = 100;
constexpr suseconds_t kTimerIntervalMicroseconds = 1000;

samples::CallCounter on_alarm_calls{.name = "on_alarm(int)"};
samples::CallCounter handler_work_calls{.name = "handler_work(int)"};
samples::CallCounter nest_then_raise_calls{.name = "nest_then_raise(int)", .recursive = true};
samples::CallCounter busy_step_calls{.name = "busy_step(int)"};
samples::CallCounter busy_leaf_calls{.name = "busy_leaf(int)"};

volatile sig_atomic_t alarms_handled = 0;

} // namespace

[[gnu::noinline]] int handler_work(int unit) {
    samples::countCall(handler_work_calls);
    return unit * 3;
}

void on_alarm(int signal_number) {
    samples::countCall(on_alarm_calls);
    for (int unit = 0; unit < kHandlerCalls; ++unit)
        handler_work(unit + signal_number);
    alarms_handled = alarms_handled + 1;
}

[[gnu::noinline]] int nest_then_raise(int depth) {
    samples::countCall(nest_then_raise_calls);
    if (depth == 0)
        return std::raise(SIGALRM);
    return nest_then_raise(depth - 1) + 1;
}

[[gnu::noinline]] int busy_leaf(int unit) {
    samples::countCall(busy_leaf_calls);
    return unit ^ 5;
}

[[gnu::noinline]] int busy_step(int unit) {
    samples::countCall(busy_step_calls);
    return busy_leaf(unit) + busy_leaf(unit + 1);
}

void set_alarm_interval(suseconds_t microseconds) {
    const itimerval interval{{0, microseconds}, {0, microseconds}};
    setitimer(ITIMER_REAL, &interval, nullptr);
}

int main() {
    struct sigaction action {};
    action.sa_handler = on_alarm;
    sigemptyset(&action.sa_mask);
    sigaction(SIGALRM, &action, nullptr);

    for (int round = 0; round < kRaises; ++round) {
        samples::countOutermostCall(nest_then_raise_calls);
        nest_then_raise(kRaiseDepth);
    }
    std::printf("raised %d handled %d\n", kRaises, int(alarms_handled));

    const int alarms_before_timer = alarms_handled;
    set_alarm_interval(kTimerIntervalMicroseconds);
    for (int unit = 0; alarms_handled - alarms_before_timer < kTimerAlarms; ++unit)
        busy_step(unit);
    set_alarm_interval(0);
    std::printf("timer alarms at least %d\n", kTimerAlarms);

    samples::printCounts({&on_alarm_calls, &handler_work_calls, &nest_then_raise_calls,
                          &busy_step_calls, &busy_leaf_calls});
    return 0;
}
