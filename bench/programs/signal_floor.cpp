// What one sampling signal costs on this machine, before any profiler work: runs a fixed amount
// of arithmetic with (none) no timer, (interrupt) a perf task-clock event firing every
// millisecond of CPU with no signal, (signal) the same event delivering a signal to an empty
// handler. The difference to "none" is the floor under any signal-based sampler at 1000 Hz.
//
// Usage: signal_floor none|interrupt|signal
#include <linux/perf_event.h>

#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace {

volatile long g_signals = 0;
void onSignal(int) { g_signals = g_signals + 1; }

bool startTaskClock(bool deliver_signal) {
    perf_event_attr attr{};
    attr.size = sizeof attr;
    attr.type = PERF_TYPE_SOFTWARE;
    attr.config = PERF_COUNT_SW_TASK_CLOCK;
    attr.sample_period = 1000000; // 1 ms of CPU: 1000 Hz
    attr.exclude_kernel = 1;
    attr.wakeup_events = 1;
    int fd = int(syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0));
    if (fd < 0)
        return false;
    if (deliver_signal) {
        signal(SIGPROF, onSignal);
        f_owner_ex owner{F_OWNER_TID, pid_t(syscall(SYS_gettid))};
        fcntl(fd, F_SETFL, O_ASYNC);
        fcntl(fd, F_SETSIG, SIGPROF);
        fcntl(fd, F_SETOWN_EX, &owner);
    }
    return true;
}

} // namespace

int main(int argc, char** argv) {
    const char* mode = argc > 1 ? argv[1] : "";
    bool none = strcmp(mode, "none") == 0;
    bool interrupt = strcmp(mode, "interrupt") == 0;
    bool with_signal = strcmp(mode, "signal") == 0;
    if (!none && !interrupt && !with_signal) {
        fprintf(stderr, "usage: signal_floor none|interrupt|signal\n");
        return 2;
    }
    if (!none && !startTaskClock(with_signal)) {
        perror("signal_floor: perf_event_open");
        return 1;
    }
    volatile double sum = 0;
    for (long i = 0; i < 1'500'000'000L; ++i)
        sum = sum + double(i) * 0.5;
    printf("%s: signals=%ld\n", mode, long(g_signals));
    return 0;
}
