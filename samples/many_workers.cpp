// many_workers: a driver that forks many short-lived worker processes, at most kMaxAlive at a
// time. Worker i burns 4 to 7 ms of CPU in burn_worker_cpu (the amount varies with i, so
// that the workers end at points spread evenly over a sampling period), measures the CPU its
// process used (CLOCK_PROCESS_CPUTIME_ID, which starts at zero in a fork child) and reports it
// to the driver through its own pipe. The driver prints how many workers reported, the sum of
// what they measured (their work plus what fork, exit and a profiler cost them) and the sum of
// the CPU time they were told to burn: the truths a profile of the workers is checked against.
//
//   many_workers [workers] [faults]
//
// workers: 1..1000, default 200. With `faults`, worker workers/3 crashes (SIGSEGV, in
// burn_then_crash) after reporting, and worker 2*workers/3 reports and then spins in
// spin_until_killed until the driver kills it (SIGKILL) once it has spun for 20 ms of CPU.
//
// Output (stdout):
//   many_workers: workers=200 reported=200 worker_cpu_ns=1160123456 work_ns=1100000000 crashed=0
//   killed=0 (on one line)
// Exit status 0, or 1 if a worker ended in a way it was not meant to.
#include "burn.h"
#include "pipe_records.h"
#include "sample_args.h"

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <deque>
#include <sys/resource.h>

namespace {

constexpr int kMaxAlive = 8;
// How long the worker to be killed spins after its report before the driver kills it, so that
// what it did in spin_until_killed is certain to be sampled.
constexpr int64_t kSpinBeforeKillNs = 20'000'000;

struct Report {
    int32_t worker = 0;
    int64_t cpu_ns = 0; // CPU time of the worker process when it reported
};

enum class Fate { Exit, Crash, Killed };

struct Worker {
    int index = 0;
    pid_t pid = -1;
    int report_fd = -1;
    Fate fate = Fate::Exit;
};

int64_t process_cpu_ns() {
    timespec now{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return static_cast<int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

// 4 to 7 ms, the fractions of a millisecond spread evenly over the workers (the fractional
// parts of multiples of the golden ratio are as evenly spread as numbers can be).
double work_seconds(int index) {
    const double golden_fraction = 0.6180339887498949 * index;
    return (4.0 + 3.0 * (golden_fraction - static_cast<int64_t>(golden_fraction))) * 1e-3;
}

} // namespace

[[gnu::noinline]] void burn_worker_cpu(int index) {
    samples::burn_cpu(work_seconds(index));
}

[[gnu::noinline]] [[noreturn]] void burn_then_crash(int index) {
    samples::burn_cpu(work_seconds(index));
    const rlimit no_core{0, 0}; // a crash that is part of the sample leaves no core file
    setrlimit(RLIMIT_CORE, &no_core);
    // Volatile pointer and store: the compiler can neither see the null nor drop the store.
    volatile int* volatile pointer = nullptr;
    *pointer = 42;
    std::abort(); // not reached
}

[[gnu::noinline]] [[noreturn]] void spin_until_killed() {
    volatile double sink = 1.0; // an infinite loop without side effects would be undefined
    for (;;)
        sink = samples::arithmetic_chunk(sink);
}

void run_worker(const Worker& worker) {
    burn_worker_cpu(worker.index);
    samples::write_record(worker.report_fd, Report{worker.index, process_cpu_ns()});
    if (worker.fate == Fate::Crash)
        burn_then_crash(worker.index);
    if (worker.fate == Fate::Killed)
        spin_until_killed();
}

Worker start_worker(int index, Fate fate) {
    samples::Pipe pipe = samples::make_pipe();
    Worker worker{index, -1, pipe.write_end, fate};
    worker.pid = samples::fork_worker([&] {
        samples::close_fd(pipe.read_end);
        run_worker(worker);
    });
    samples::close_fd(pipe.write_end);
    worker.report_fd = pipe.read_end;
    return worker;
}

// Sleeps until process `pid` has used `cpu_ns` of CPU time in all (a sleep on its CPU clock).
void wait_for_process_cpu(pid_t pid, int64_t cpu_ns) {
    clockid_t clock;
    if (clock_getcpuclockid(pid, &clock) != 0)
        samples::fail_system_call("clock_getcpuclockid");
    const timespec until{static_cast<time_t>(cpu_ns / 1'000'000'000), cpu_ns % 1'000'000'000};
    int error;
    while ((error = clock_nanosleep(clock, TIMER_ABSTIME, &until, nullptr)) == EINTR) {
    }
    if (error != 0) {
        errno = error;
        samples::fail_system_call("clock_nanosleep");
    }
}

struct Totals {
    int reported = 0;
    int64_t cpu_ns = 0;
    int crashed = 0;
    int killed = 0;
    int unexpected = 0;
};

// Reads the worker's report (the pipe keeps it after the worker is gone), kills the worker
// meant to be killed, and checks that it ended the way it was meant to.
void finish_worker(Worker& worker, Totals& totals) {
    Report report;
    if (samples::read_record(worker.report_fd, report)) {
        ++totals.reported;
        totals.cpu_ns += report.cpu_ns;
    }
    samples::close_fd(worker.report_fd);
    if (worker.fate == Fate::Killed) {
        wait_for_process_cpu(worker.pid, report.cpu_ns + kSpinBeforeKillNs);
        kill(worker.pid, SIGKILL);
    }
    const int status = samples::wait_for(worker.pid);
    const bool crashed = WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
    const bool killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    const bool exited = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    totals.crashed += crashed;
    totals.killed += killed;
    const bool as_meant = worker.fate == Fate::Crash    ? crashed
                          : worker.fate == Fate::Killed ? killed
                                                        : exited;
    if (!as_meant) {
        std::fprintf(stderr, "many_workers: worker %d ended unexpectedly (status %#x)\n",
                     worker.index, status);
        ++totals.unexpected;
    }
}

Fate fate_of(int index, int workers, bool faults) {
    if (faults && index == workers / 3)
        return Fate::Crash;
    if (faults && index == 2 * workers / 3)
        return Fate::Killed;
    return Fate::Exit;
}

// Starts the workers in order, keeping at most kMaxAlive of them alive: the oldest is finished
// (its report read, the process reaped) before another starts.
Totals run_workers(int workers, bool faults) {
    Totals totals;
    std::deque<Worker> alive;
    for (int index = 0; index < workers; ++index) {
        if (alive.size() == kMaxAlive) {
            finish_worker(alive.front(), totals);
            alive.pop_front();
        }
        alive.push_back(start_worker(index, fate_of(index, workers, faults)));
    }
    for (Worker& worker : alive)
        finish_worker(worker, totals);
    return totals;
}

int main(int argc, char** argv) {
    const int workers = static_cast<int>(samples::integer_argument(argc, argv, 1, 200, 1, 1000));
    if (argc > 3 || (argc == 3 && std::strcmp(argv[2], "faults") != 0))
        samples::bad_argument(argv[0], argv[argc > 3 ? 3 : 2], "'faults' or nothing");
    const bool faults = argc == 3;

    const Totals totals = run_workers(workers, faults);
    double work_seconds_total = 0;
    for (int index = 0; index < workers; ++index)
        work_seconds_total += work_seconds(index);
    std::printf("many_workers: workers=%d reported=%d worker_cpu_ns=%lld work_ns=%lld crashed=%d "
                "killed=%d\n",
                workers, totals.reported, static_cast<long long>(totals.cpu_ns),
                static_cast<long long>(work_seconds_total * 1e9), totals.crashed, totals.killed);
    return totals.unexpected == 0 && totals.reported == workers ? 0 : 1;
}
