// closes_fds <loop|close_range|closefrom|dup2|raw_close_range>: a program that closes every
// descriptor from 3 up while it has threads, as daemons and some servers do. A worker thread is
// started and running first; then the main thread closes fds 3 .. 65535 (a close() loop,
// close_range(3, ~0U), closefrom(3), or dup2 of /dev/null onto each fd up to 4095 (or 16 below its
// descriptor limit, if lower), then a close loop; or the close_range system call itself, which no
// library wrapper sees), and both threads burn 1 s of CPU after that. A profiler must go on
// sampling both threads. Prints "closed=1" and exits 0; exits 2 on a bad argument.
#include "burn.h"

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>

[[gnu::noinline]] void burn_after_close_in_worker() {
    samples::burn_cpu(1.0);
}

[[gnu::noinline]] void burn_after_close_in_main() {
    samples::burn_cpu(1.0);
}

namespace {

constexpr int kHighestFd = 65535;

std::mutex g_mutex;
std::condition_variable g_changed;
bool g_started = false; // the worker runs (and so is sampled) before the descriptors go
bool g_closed = false;

void worker() {
    std::unique_lock lock(g_mutex);
    g_started = true;
    g_changed.notify_all();
    g_changed.wait(lock, [] { return g_closed; });
    lock.unlock();
    burn_after_close_in_worker();
}

void close_loop() {
    for (int fd = 3; fd <= kHighestFd; ++fd)
        close(fd);
}

void dup_null_onto_all() {
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    const int highest = int(std::min<rlim_t>(4095, limit.rlim_cur - 16));
    int null_fd = open("/dev/null", O_RDONLY);
    for (int fd = 3; fd <= highest; ++fd) {
        if (fd != null_fd)
            dup2(null_fd, fd);
    }
    close_loop();
}

bool close_all(const char* mode) {
    if (strcmp(mode, "loop") == 0)
        close_loop();
    else if (strcmp(mode, "close_range") == 0)
        close_range(3, ~0U, 0);
    else if (strcmp(mode, "closefrom") == 0)
        closefrom(3);
    else if (strcmp(mode, "dup2") == 0)
        dup_null_onto_all();
    else if (strcmp(mode, "raw_close_range") == 0)
        syscall(SYS_close_range, 3, ~0U, 0);
    else
        return false;
    return true;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: closes_fds loop|close_range|closefrom|dup2|raw_close_range\n");
        return 2;
    }
    std::thread thread(worker);
    {
        std::unique_lock lock(g_mutex);
        g_changed.wait(lock, [] { return g_started; });
    }
    bool ok = close_all(argv[1]);
    {
        std::lock_guard lock(g_mutex);
        g_closed = true;
    }
    g_changed.notify_all();
    if (ok)
        burn_after_close_in_main();
    thread.join();
    if (!ok) {
        std::fprintf(stderr, "closes_fds: unknown mode %s\n", argv[1]);
        return 2;
    }
    std::printf("closed=1\n");
    return 0;
}
