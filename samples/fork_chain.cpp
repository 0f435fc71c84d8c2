// fork_chain: a chain of processes, each forked (without exec) by the one before while two
// threads of its own burn CPU, the way a shell's subshells, make's recipes and daemons fork.
// Each level burns ~50 ms of CPU on its main thread, starts its two threads, forks the next
// level and waits for it. The last level dlopens libstressplugin.so and calls it, then forks one
// more child that dlopens it again: dlopen and fork in the grandchild of a threaded process, the
// two calls that once hung forever under hprof.
//
// Prints "level N ok" for each level (deepest first); exits 0 when every level succeeded.
// Usage: fork_chain [depth (default 3)] [path of libstressplugin.so]
#include "sample_args.h"

#include <dlfcn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <string>
#include <thread>

namespace {

using PluginWork = std::uint64_t (*)(std::uint64_t);
volatile std::uint64_t sink = 0;

double thread_cpu_seconds() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) * 1e-9;
}

[[gnu::noinline]] void burn_cpu_in_chain(double seconds) {
    const double end = thread_cpu_seconds() + seconds;
    std::uint64_t x = 1;
    while (thread_cpu_seconds() < end)
        for (int i = 0; i < 10000; ++i)
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    sink = x;
}

// Two threads that keep burning until the level is done: they are alive across its fork.
class BurningThreads {
  public:
    BurningThreads() {
        for (std::thread& thread : threads_)
            thread = std::thread([this] {
                while (!stop_.load()) { // half busy: a dozen of them share two cores
                    burn_cpu_in_chain(0.002);
                    std::this_thread::sleep_for(std::chrono::milliseconds(2));
                }
            });
    }
    ~BurningThreads() {
        stop_.store(true);
        for (std::thread& thread : threads_)
            thread.join();
    }

  private:
    std::atomic<bool> stop_{false};
    std::thread threads_[2];
};

bool use_plugin(const std::string& path) {
    void* plugin = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (plugin == nullptr) {
        std::fprintf(stderr, "fork_chain: %s\n", dlerror());
        return false;
    }
    const auto work = reinterpret_cast<PluginWork>(dlsym(plugin, "stress_plugin_work"));
    if (work != nullptr)
        sink = work(42);
    dlclose(plugin);
    return work != nullptr;
}

// Forks; the child runs `child_work` and _exits with its result. True if the child exited 0.
template <class Work> bool run_in_fork_child(Work child_work) {
    std::fflush(stdout);
    const pid_t child = fork();
    if (child < 0)
        return false;
    if (child == 0) {
        const bool ok = child_work();
        std::fflush(stdout); // _exit does not flush
        _exit(ok ? 0 : 1);
    }
    int status = 0;
    return waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

bool run_level(int level, int depth, const std::string& plugin) {
    burn_cpu_in_chain(0.05);
    const BurningThreads threads;
    bool ok;
    if (level < depth)
        ok = run_in_fork_child([&] { return run_level(level + 1, depth, plugin); });
    else
        ok = use_plugin(plugin) && run_in_fork_child([&] { return use_plugin(plugin); });
    std::printf("level %d %s\n", level, ok ? "ok" : "FAILED");
    return ok;
}

std::string default_plugin_path() {
    const auto executable = std::filesystem::read_symlink("/proc/self/exe");
    return (executable.parent_path().parent_path() / "lib" / "libstressplugin.so").string();
}

} // namespace

int main(int argc, char** argv) {
    const int depth = int(samples::integer_argument(argc, argv, 1, 3, 0, 16));
    const std::string plugin = argc > 2 ? argv[2] : default_plugin_path();
    return run_level(0, depth, plugin) ? 0 : 1;
}
