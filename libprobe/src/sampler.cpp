#include "sampler.h"
#include "probe_fds.h"
#include "raw_writer.h"
#include "real_functions.h"
#include "signal_chain.h"
#include "signal_mask.h"
#include "signal_safe.h"
#include "stack_bounds.h"
#include "unwinder.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <span>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace hprof::probe {
namespace {

constexpr int kMaxThreads = 8192;

// One slot per live thread, read by the wall-clock sampler and by probe_fds.cpp.
struct ThreadSlot {
    std::atomic<pid_t> tid{0};
    std::atomic<uint64_t> serial{0}; // set once the slot is filled in, 0 while it is not
    uint64_t stack_high = 0;
    pthread_t thread{};
    std::atomic<int> perf_fd{-1}; // changes if the program dup2s onto its number
    timer_t timer{};
    bool has_timer = false;
};
constinit ThreadSlot g_slots[kMaxThreads];
constinit std::atomic<int> g_slots_used{0}; // high-water mark: slots above were never claimed
constinit std::atomic<uint64_t> g_next_serial{1};

// The slots that were ever claimed. Loops stop there: the whole table is 8192 slots (half a
// megabyte), and reading all of it in every fork child cost more than the rest of the probe's
// start there (resetThreadsAfterFork was 4.5% of a run of 200 short fork workers).
std::span<ThreadSlot> claimedSlots() {
    return {g_slots, size_t(std::min(g_slots_used.load(), kMaxThreads))};
}

// Constant-initialized (no TLS init function runs in the signal handler).
struct ThreadState {
    bool registered = false;
    volatile sig_atomic_t in_handler = 0;
    int slot = -1;
    pid_t tid = 0;
    uint64_t last_cpu_ns = 0;
    uint64_t random = 0;      // xorshift state for the jittered periods, seeded at registration
    uint64_t asked_ns = 0;    // the period the trigger was last set to
    uint64_t overhead_ns = 0; // running mean of the CPU time a sample adds to its period
    StackBounds stack;
};
constinit thread_local ThreadState t_self __attribute__((tls_model("initial-exec")));

// The probe samples on SIGPROF for the whole run and shares it with the program
// (signal_chain.h): every signal that is not one of its triggers goes to the program.
constexpr int kSamplingSignal = SIGPROF;
constinit bool g_sampling = false; // initSampler ran: the sigaction wrappers chain SIGPROF
constinit raw::Trigger g_trigger = raw::Trigger::PerfTaskClock;
constinit uint64_t g_period_ns = 1000000;
// The CPU-time timers' sigev_value: tells their SI_TIMER signals from the program's timers.
constinit char g_timer_cookie = 0;

// A trigger's signal, or one of the program's (kill, raise, its timers, ITIMER_PROF)? Every
// SIGPROF with POLL_IN is taken for the probe's, whatever its si_fd: a perf event's descriptor
// may be moved (dup2 onto its number) while a signal is on its way, and a program's own SIGPROF
// with POLL_IN needs fcntl(F_SETSIG, SIGPROF) on a descriptor of its own, which nothing does.
bool isOurs(const siginfo_t* info) {
    if (g_trigger == raw::Trigger::PerfTaskClock)
        return info->si_code == POLL_IN;
    return info->si_code == SI_TIMER && info->si_value.sival_ptr == &g_timer_cookie;
}

void writeSample(uint64_t time_ns, uint64_t cpu_delta, const ucontext_t* context,
                 const StackBounds& stack) {
    uint64_t addresses[raw::kMaxFrames];
    bool truncated = false;
    uint32_t count = captureStack(context, stack, addresses, raw::kMaxFrames, truncated);
    auto* record = beginRecord(uint32_t(sizeof(raw::SampleRecord) + count * sizeof(uint64_t)));
    if (!record) {
        countDroppedSample();
        return;
    }
    auto* sample = reinterpret_cast<raw::SampleRecord*>(record);
    sample->time_ns = time_ns;
    sample->cpu_delta_ns = cpu_delta;
    sample->tid = t_self.tid;
    sample->frame_count = count;
    memcpy(reinterpret_cast<char*>(sample + 1), addresses, count * sizeof(uint64_t));
    record->flags = truncated ? raw::kSampleTruncated : 0;
    commitRecord(record, raw::RecordType::Sample);
}

timespec timespecOf(uint64_t ns) {
    return {time_t(ns / 1000000000ull), long(ns % 1000000000ull)};
}

// Jittered periods. A program whose work repeats in step with a fixed period (a 2 ms loop under
// a 1 ms period) is sampled at the same phase of its loop every time: a bias that changes from
// run to run with the starting phase, which no interval computed from one run can see (hprof
// check's false alarms came from it). Each next period is drawn uniformly from [0.5, 1.5) times
// the period: the mean rate stays F, the phase is random. Each sample still weighs the CPU time
// it measured, so the accounting is unchanged.
uint64_t nextPeriodNs(ThreadState& self) {
    uint64_t x = self.random; // xorshift64*
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    self.random = x;
    return g_period_ns / 2 + ((x * 0x2545F4914F6CDD1Dull) >> 11) % g_period_ns;
}

// Async-signal-safe: one ioctl or timer_settime on the thread's own trigger. Setting a period
// restarts the count from the moment the kernel applies it, so each sample's own cost (signal
// delivery, this handler, the ioctl: 40-60 us per sample measured in this VM) would be added to
// every period: the rate fell to 62% at 10 kHz. That cost is learnt from the weights themselves
// (the CPU time between two samples minus the period that was asked) as a running mean, and
// taken off the next period, which is never shorter than half a period: a period shorter than
// the handler would keep the thread in it (measured: periods let down to 10 us made a 10 kHz
// run spend 99% of its time in the handler).
void rearmTrigger(ThreadState& self, uint64_t cpu_delta) {
    if (self.slot < 0)
        return;
    if (self.asked_ns != 0 && cpu_delta >= self.asked_ns && cpu_delta < 2 * self.asked_ns) {
        const uint64_t excess = cpu_delta - self.asked_ns; // a skipped period is not overhead
        self.overhead_ns = self.overhead_ns - self.overhead_ns / 8 + excess / 8;
    }
    const uint64_t jittered = nextPeriodNs(self);
    const uint64_t shortest = g_period_ns / 2;
    const uint64_t period =
        jittered > self.overhead_ns + shortest ? jittered - self.overhead_ns : shortest;
    self.asked_ns = period;
    ThreadSlot& slot = g_slots[self.slot];
    if (g_trigger == raw::Trigger::PerfTaskClock) {
        int fd = slot.perf_fd.load();
        if (fd >= 0)
            ioctl(fd, PERF_EVENT_IOC_PERIOD, &period);
    } else if (slot.has_timer) {
        itimerspec spec{};
        spec.it_value = timespecOf(period);
        spec.it_interval = timespecOf(g_period_ns);
        timer_settime(slot.timer, 0, &spec, nullptr);
    }
}

// The signal handler. Async-signal-safe: no malloc, no locks, no stdio, no dl_iterate_phdr.
void onSamplingSignal(int signal, siginfo_t* info, void* context) {
    ThreadState& self = t_self;
    int saved_errno = errno;
    if (!isOurs(info)) {
        forwardToProgram(signal, info, context);
        errno = saved_errno;
        return;
    }
    if (!self.registered)
        return;
    if (self.in_handler) { // cannot happen with SA_NODEFER off, kept as a guard
        countDroppedSample();
        return;
    }
    self.in_handler = 1;
    // The wall clock first, then the CPU clock: the CPU time between two samples is then at
    // most the wall time between their time stamps, however long the unwinding in between or a
    // preemption between the two reads (the collector checks weights against that bound).
    uint64_t now = monotonicNs();
    uint64_t cpu = threadCpuNs();
    uint64_t delta = cpu - self.last_cpu_ns;
    self.last_cpu_ns = cpu;
    writeSample(now, delta, static_cast<const ucontext_t*>(context), self.stack);
    rearmTrigger(self, delta);
    errno = saved_errno;
    self.in_handler = 0;
}

// The kernel's view of sigaction, to read back the restorer glibc installed with our handler.
struct KernelSigaction {
    void* handler;
    unsigned long flags;
    void* restorer;
    uint64_t mask;
};

bool installHandler(int signal) {
    struct sigaction action {};
    action.sa_sigaction = onSamplingSignal;
    action.sa_flags = SA_SIGINFO | SA_RESTART;
    sigfillset(&action.sa_mask);
    if (real::sigaction(signal, &action, nullptr) != 0)
        return false;
    KernelSigaction kernel{};
    if (syscall(SYS_rt_sigaction, signal, nullptr, &kernel, sizeof kernel.mask) == 0)
        setSignalReturnAddress(uint64_t(kernel.restorer));
    return true;
}

int openPerfTrigger(pid_t tid) {
    perf_event_attr attr{};
    attr.size = sizeof attr;
    attr.type = PERF_TYPE_SOFTWARE;
    attr.config = PERF_COUNT_SW_TASK_CLOCK;
    attr.sample_period = g_period_ns;
    attr.exclude_kernel = 1; // fire only in user mode: a thread entering a syscall is never hit
    attr.exclude_hv = 1;
    attr.disabled = 1;
    attr.wakeup_events = 1;
    int fd = int(syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC));
    if (fd < 0)
        return -1;
    fd = moveFdHigh(fd);
    f_owner_ex owner{F_OWNER_TID, tid};
    if (fcntl(fd, F_SETFL, O_ASYNC | O_NONBLOCK) != 0 ||
        fcntl(fd, F_SETSIG, kSamplingSignal) != 0 || fcntl(fd, F_SETOWN_EX, &owner) != 0 ||
        ioctl(fd, PERF_EVENT_IOC_ENABLE, 0) != 0) {
        int saved_errno = errno;
        closeProbeFd(fd);
        errno = saved_errno;
        return -1;
    }
    return fd;
}

bool startCpuTimer(ThreadSlot& slot, pid_t tid) {
    sigevent event{};
    event.sigev_notify = SIGEV_THREAD_ID;
    event.sigev_signo = kSamplingSignal;
    event.sigev_value.sival_ptr = &g_timer_cookie;
    event._sigev_un._tid = tid;
    if (real::timer_create(CLOCK_THREAD_CPUTIME_ID, &event, &slot.timer) != 0)
        return false;
    itimerspec spec{};
    spec.it_interval = timespecOf(g_period_ns);
    spec.it_value = spec.it_interval;
    timer_settime(slot.timer, 0, &spec, nullptr);
    slot.has_timer = true;
    return true;
}

void stopTrigger(ThreadSlot& slot) {
    if (slot.perf_fd >= 0)
        closeProbeFd(slot.perf_fd);
    if (slot.has_timer)
        timer_delete(slot.timer);
    slot.perf_fd = -1;
    slot.has_timer = false;
}

int claimSlot(pid_t tid) {
    for (int i = 0; i < kMaxThreads; ++i) {
        pid_t expected = 0;
        if (g_slots[i].tid.compare_exchange_strong(expected, tid)) {
            int used = g_slots_used.load();
            while (used <= i && !g_slots_used.compare_exchange_weak(used, i + 1)) {
            }
            return i;
        }
    }
    return -1;
}

void warnThreadNotSampled(pid_t tid, const char* name, const char* why) {
    char message[200];
    snprintf(message, sizeof message,
             "thread %d (%s) is not sampled: its sampling trigger could not start (%s)", int(tid),
             name, why);
    writeWarningRecord(message);
}

// The program may close the probe's descriptor behind the wrappers' back (a raw close or
// close_range system call): then the thread's samples stopped at some point.
bool triggerStillOurs(const ThreadSlot& slot, pid_t tid) {
    int fd = slot.perf_fd.load();
    if (g_trigger != raw::Trigger::PerfTaskClock || fd < 0)
        return true; // a trigger that never started was reported when it failed
    f_owner_ex owner{};
    return fcntl(fd, F_GETSIG) == kSamplingSignal && fcntl(fd, F_GETOWN_EX, &owner) == 0 &&
           owner.type == F_OWNER_TID && owner.pid == tid;
}

void warnTriggerLost(pid_t tid, const char* name, uint64_t unsampled_cpu_ns) {
    char message[240];
    snprintf(message, sizeof message,
             "thread %d (%s) lost its sampling trigger: the program closed the probe's "
             "descriptor behind its wrappers (a raw system call); its CPU time since its last "
             "sample, %.3f s, has no samples",
             int(tid), name, double(unsampled_cpu_ns) * 1e-9);
    writeWarningRecord(message);
}

} // namespace

raw::Trigger initSampler(const SamplerSettings& settings) {
    g_period_ns = 1000000000ull / settings.frequency_hz;
    struct sigaction inherited {}; // SIG_IGN survives exec: the program must keep it
    real::sigaction(kSamplingSignal, nullptr, &inherited);
    adoptInheritedProgramAction(inherited);
    installHandler(kSamplingSignal);
    g_sampling = true;
    startMaskFiltering(kSamplingSignal);
    adoptInheritedMask(false);
    g_trigger = raw::Trigger::PerfTaskClock;
    int probe_fd = settings.force_cpu_timer ? -1 : openPerfTrigger(currentTid());
    if (probe_fd < 0) {
        g_trigger = raw::Trigger::CpuTimer;
        char message[256];
        snprintf(message, sizeof message,
                 "perf_event_open unavailable (%s); sampling with CPU-time timers, whose rate "
                 "the kernel tick limits (often 250 Hz)",
                 settings.force_cpu_timer ? "HPROF_TRIGGER=timer" : strerror(errno));
        warnOnStderr(message);
    } else {
        closeProbeFd(probe_fd);
    }
    return g_trigger;
}

int samplingSignal() {
    return kSamplingSignal;
}
bool isSamplingSignal(int signal) {
    return g_sampling && signal == kSamplingSignal;
}

void registerCurrentThread() {
    ThreadState& self = t_self;
    self.tid = currentTid();
    self.slot = claimSlot(self.tid);
    if (self.slot < 0)
        return;
    ThreadSlot& slot = g_slots[self.slot];
    slot.thread = pthread_self();
    if (self.stack.high == 0) // a fork child keeps the forking thread's stack
        self.stack = currentStackBoundsWithoutMalloc();
    slot.stack_high = self.stack.high;
    slot.serial.store(g_next_serial.fetch_add(1));
    const uint64_t start_ns = monotonicNs(); // before the CPU clock, as in onSamplingSignal
    self.last_cpu_ns = threadCpuNs();
    // Any odd seed that differs between threads and runs will do (xorshift must not start at 0).
    self.random = (uint64_t(self.tid) << 32 ^ start_ns ^ self.last_cpu_ns) | 1;
    self.asked_ns = 0; // the first period is the trigger's own, not jittered
    self.overhead_ns = 0;
    char name[16] = {};
    prctl(PR_GET_NAME, name);
    writeThreadRecord(raw::RecordType::ThreadStart, self.tid, start_ns, self.last_cpu_ns, name);
    self.registered = true;
    bool started;
    if (g_trigger == raw::Trigger::PerfTaskClock) {
        slot.perf_fd.store(openPerfTrigger(self.tid));
        started = slot.perf_fd.load() >= 0;
    } else {
        started = startCpuTimer(slot, self.tid);
    }
    if (!started)
        warnThreadNotSampled(self.tid, name, strerror(errno));
}

void unregisterCurrentThread() {
    ThreadState& self = t_self;
    if (!self.registered)
        return;
    self.registered = false; // first: a late signal must not sample a half-torn thread
    self.stack = {};
    ThreadSlot& slot = g_slots[self.slot];
    char name[16] = {};
    prctl(PR_GET_NAME, name);
    if (!triggerStillOurs(slot, self.tid)) {
        warnTriggerLost(self.tid, name, threadCpuNs() - self.last_cpu_ns);
        slot.perf_fd.store(-1); // the number may be the program's now: not ours to close
    }
    stopTrigger(slot);
    writeThreadRecord(raw::RecordType::ThreadEnd, self.tid, monotonicNs(), threadCpuNs(), name);
    slot.serial.store(0);
    slot.tid.store(0);
}

void resetThreadsAfterFork() {
    // Only slots in use are written: writing all of them would copy every page of the table
    // from the parent (copy-on-write), which made each fork cost milliseconds.
    for (ThreadSlot& slot : claimedSlots()) {
        if (slot.tid.load(std::memory_order_relaxed) == 0)
            continue;
        if (slot.perf_fd >= 0)
            closeProbeFd(slot.perf_fd); // the parent's events: closing our copy leaves them running
        slot.perf_fd = -1;
        slot.has_timer = false; // POSIX timers are not inherited by fork
        slot.serial.store(0);
        slot.tid.store(0);
    }
    t_self.registered = false;
    releaseProgramActionLockAfterFork();
}

int registeredThreadSlots() {
    return g_slots_used.load();
}

bool readRegisteredThread(int index, RegisteredThread& out) {
    const ThreadSlot& slot = g_slots[index];
    out.tid = slot.tid.load();
    out.serial = slot.serial.load();
    out.stack_high = slot.stack_high;
    // Unregistering clears serial before tid, registering sets it last: a slot changing hands
    // meanwhile shows serial 0 or another tid.
    return out.tid != 0 && out.serial != 0 && slot.tid.load() == out.tid;
}

void noteThreadName(pthread_t thread, const char* name) {
    for (ThreadSlot& slot : claimedSlots()) {
        pid_t tid = slot.tid.load();
        if (tid != 0 && pthread_equal(slot.thread, thread)) {
            writeThreadRecord(raw::RecordType::ThreadName, tid, monotonicNs(), 0, name);
            return;
        }
    }
}

void perfFdMoved(int old_fd, int new_fd) {
    for (ThreadSlot& slot : claimedSlots()) {
        int expected = old_fd;
        if (slot.tid.load() != 0 && slot.perf_fd.compare_exchange_strong(expected, new_fd))
            return;
    }
}

} // namespace hprof::probe
