// task_farm: a driver that forks workers which take tasks from a shared queue, the way batch
// drivers farm out work. The question is how many primes lie below kLimit; each task counts the
// primes of one range by trial division (count_primes_in_range). The tasks are uneven: ranges
// of 1 to 4 units of width, and trial division costs more the larger the numbers.
//
//   task_farm [workers]        (1..64, default 4)
//
// The driver
//   1. (serial setup) finds the primes up to sqrt(kLimit) with sieve_small_primes and makes
//      the tasks (make_tasks);
//   2. forks the workers; each runs worker_loop: it reads Task records from the task pipe until
//      the pipe ends, and writes one Result record per task to the result pipe. All tasks are
//      in the pipe before any worker could run out, and a record of at most PIPE_BUF bytes is
//      read whole, so the pipe is the queue;
//   3. reads the results until every worker has closed the result pipe, waits for each worker;
//   4. (serial reduction) adds the counts up and checks the sum against a sieve of Eratosthenes
//      of the whole range (check_with_sieve).
//
// Output: two lines that never change, then one line per worker with the number of tasks it
// took, which depends on scheduling:
//   task_farm: workers=4 tasks=48
//   task_farm: primes below 10000000: 664579 (sieve agrees)
//   worker 0: 13 tasks
//   ...
// Exit status 0, or 1 if a worker failed or the sieve disagrees.
#include "pipe_records.h"
#include "sample_args.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

namespace {

constexpr int64_t kLimit = 10'000'000;
constexpr int kTasks = 48;

struct Task {
    int32_t id = 0;
    int64_t begin = 0; // the numbers [begin, end)
    int64_t end = 0;
};

struct Result {
    int32_t task = 0;
    int32_t worker = 0;
    int64_t primes = 0;
};

// The whole queue fits in a pipe of the smallest size (one page), so the driver never blocks
// writing it.
static_assert(kTasks * sizeof(Task) <= PIPE_BUF);

} // namespace

[[gnu::noinline]] std::vector<int64_t> sieve_small_primes(int64_t up_to) {
    std::vector<bool> composite(static_cast<size_t>(up_to) + 1, false);
    std::vector<int64_t> primes;
    for (int64_t n = 2; n <= up_to; ++n) {
        if (composite[n])
            continue;
        primes.push_back(n);
        for (int64_t multiple = n * n; multiple <= up_to; multiple += n)
            composite[multiple] = true;
    }
    return primes;
}

// Task k spans 1 + k % 4 units; the ranges tile [0, kLimit).
[[gnu::noinline]] std::vector<Task> make_tasks() {
    int64_t total_units = 0;
    for (int k = 0; k < kTasks; ++k)
        total_units += 1 + k % 4;
    std::vector<Task> tasks;
    int64_t units_before = 0;
    for (int k = 0; k < kTasks; ++k) {
        const int64_t units_after = units_before + 1 + k % 4;
        tasks.push_back(
            {k, kLimit * units_before / total_units, kLimit * units_after / total_units});
        units_before = units_after;
    }
    return tasks;
}

[[gnu::noinline]] bool is_prime(int64_t n, const std::vector<int64_t>& small_primes) {
    if (n < 2)
        return false;
    for (const int64_t p : small_primes) {
        if (p * p > n)
            return true;
        if (n % p == 0)
            return false;
    }
    return true;
}

[[gnu::noinline]] int64_t count_primes_in_range(int64_t begin, int64_t end,
                                                const std::vector<int64_t>& small_primes) {
    int64_t count = 0;
    for (int64_t n = begin; n < end; ++n)
        count += is_prime(n, small_primes);
    return count;
}

[[gnu::noinline]] void worker_loop(int worker, int task_fd, int result_fd,
                                   const std::vector<int64_t>& small_primes) {
    Task task;
    while (samples::read_record(task_fd, task)) {
        const int64_t primes = count_primes_in_range(task.begin, task.end, small_primes);
        samples::write_record(result_fd, Result{task.id, worker, primes});
    }
}

[[gnu::noinline]] int64_t check_with_sieve(int64_t limit) {
    std::vector<bool> composite(static_cast<size_t>(limit), false);
    int64_t primes = 0;
    for (int64_t n = 2; n < limit; ++n) {
        if (composite[n])
            continue;
        ++primes;
        for (int64_t multiple = n * n; multiple < limit; multiple += n)
            composite[multiple] = true;
    }
    return primes;
}

int main(int argc, char** argv) {
    const int workers = static_cast<int>(samples::integer_argument(argc, argv, 1, 4, 1, 64));

    const std::vector<int64_t> small_primes =
        sieve_small_primes(static_cast<int64_t>(std::sqrt(double(kLimit))) + 1);
    const std::vector<Task> tasks = make_tasks();

    samples::Pipe task_pipe = samples::make_pipe();
    samples::Pipe result_pipe = samples::make_pipe();
    std::vector<pid_t> pids;
    for (int worker = 0; worker < workers; ++worker) {
        pids.push_back(samples::fork_worker([&] {
            samples::close_fd(task_pipe.write_end);
            samples::close_fd(result_pipe.read_end);
            worker_loop(worker, task_pipe.read_end, result_pipe.write_end, small_primes);
        }));
    }
    samples::close_fd(task_pipe.read_end);
    samples::close_fd(result_pipe.write_end);
    for (const Task& task : tasks)
        samples::write_record(task_pipe.write_end, task);
    samples::close_fd(task_pipe.write_end); // the queue ends: idle workers leave worker_loop

    std::vector<int> tasks_done(workers, 0);
    std::vector<int64_t> primes_of_task(kTasks, -1);
    Result result;
    while (samples::read_record(result_pipe.read_end, result)) {
        primes_of_task.at(result.task) = result.primes;
        ++tasks_done.at(result.worker);
    }
    bool failed = false;
    for (const pid_t pid : pids) {
        const int status = samples::wait_for(pid);
        failed |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    }

    int64_t primes = 0;
    for (const int64_t count : primes_of_task) {
        failed |= count < 0; // a task nobody did
        primes += count;
    }
    const bool sieve_agrees = check_with_sieve(kLimit) == primes;
    std::printf("task_farm: workers=%d tasks=%d\n", workers, kTasks);
    std::printf("task_farm: primes below %lld: %lld (%s)\n", static_cast<long long>(kLimit),
                static_cast<long long>(primes), sieve_agrees ? "sieve agrees" : "SIEVE DISAGREES");
    for (int worker = 0; worker < workers; ++worker)
        std::printf("worker %d: %d tasks\n", worker, tasks_done[worker]);
    return failed || !sieve_agrees ? 1 : 0;
}
