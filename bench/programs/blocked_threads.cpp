// blocked_threads: N threads (default 32) blocked for S seconds (default 2): half in
// pthread_cond_wait, half in read() on a pipe; the main thread sleeps S seconds, then wakes them
// all. The program itself uses next to no CPU, so the process CPU time it prints at the end
// ("process_cpu_ms=") is what a profiler's sampling of blocked threads costs.
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>
#include <vector>

int main(int argc, char** argv) {
    const int threads = argc > 1 ? std::atoi(argv[1]) : 32;
    const double seconds = argc > 2 ? std::atof(argv[2]) : 2.0;
    std::mutex mutex;
    std::condition_variable wake;
    bool done = false;
    int fds[2];
    if (threads <= 0 || seconds <= 0 || pipe(fds) != 0) {
        std::fprintf(stderr, "usage: blocked_threads [THREADS > 0] [SECONDS > 0]\n");
        return 2;
    }
    std::vector<std::thread> blocked;
    for (int i = 0; i < threads; ++i) {
        if (i % 2 == 0) {
            blocked.emplace_back([&] {
                std::unique_lock lock(mutex);
                wake.wait(lock, [&] { return done; });
            });
        } else {
            blocked.emplace_back([&] {
                char byte = 0;
                if (read(fds[0], &byte, 1) != 1)
                    std::perror("read");
            });
        }
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    {
        std::lock_guard lock(mutex);
        done = true;
    }
    wake.notify_all();
    for (int i = 1; i < threads; i += 2) {
        if (write(fds[1], "x", 1) != 1)
            std::perror("write");
    }
    for (std::thread& thread : blocked)
        thread.join();
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const double ms = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 +
                      (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-3;
    std::printf("process_cpu_ms=%.1f\n", ms);
    return 0;
}
