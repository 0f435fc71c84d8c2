// stress: exercises what makes stack sampling hard, from 8 threads at once, for a given
// time. Each thread loops over:
//   - malloc/free of pseudo-random sizes (samples landing inside the allocator),
//   - dlopen/dlclose of libstressplugin.so and a call into it (modules that come and go),
//   - a C++ exception thrown and caught across a few frames (unwinding while sampled),
//   - creating and joining a short-lived std::thread (threads that come and go),
//   - every 16th iteration, fork: the child allocates, throws and dlopens too, then forks a
//     grandchild that does the same and forks a great-grandchild; each _exits and its parent
//     checks it exited cleanly (a profiler must not break or hang fork children);
//   - 8 iterations later, posix_spawn of /bin/true (exec, a new image loading the probe, and a
//     wait for it, all while the other threads are sampled); the parent checks it exited 0.
// Prints the total number of loop iterations; exits 0 when all went well.
//
// Usage: stress [seconds (default 5)] [path of libstressplugin.so
//               (default: ../lib/libstressplugin.so next to this executable)]
#include "sample_args.h"

#include <dlfcn.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int kThreads = 8;
constexpr int kForkDepth = 3; // child, grandchild, great-grandchild

using PluginWork = std::uint64_t (*)(std::uint64_t);

// Results of work are stored here so that the compiler cannot optimise the work away.
volatile std::uint64_t random_sink = 0;

struct StressError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::string default_plugin_path() {
    const auto executable = std::filesystem::read_symlink("/proc/self/exe");
    return (executable.parent_path().parent_path() / "lib" / "libstressplugin.so").string();
}

void allocate_and_free(std::uint64_t& random) {
    void* blocks[16];
    for (void*& block : blocks) {
        random = random * 6364136223846793005ULL + 1442695040888963407ULL;
        block = std::malloc(1 + (random >> 40) % 65536);
    }
    for (void* block : blocks)
        std::free(block);
}

// Loads the plugin, calls it and unloads it. Returns what went wrong, or nullptr.
const char* use_plugin_once(const std::string& path, std::uint64_t seed) {
    void* plugin = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (plugin == nullptr)
        return dlerror();
    const auto work = reinterpret_cast<PluginWork>(dlsym(plugin, "stress_plugin_work"));
    const char* problem = work == nullptr ? "no function stress_plugin_work" : nullptr;
    if (work != nullptr)
        random_sink = work(seed);
    dlclose(plugin);
    return problem;
}

[[gnu::noinline]] void throw_from_depth(int depth) {
    if (depth == 0)
        throw StressError("thrown through a few frames");
    throw_from_depth(depth - 1);
    std::atomic_signal_fence(std::memory_order_seq_cst); // keeps the recursion a real call
}

bool throw_and_catch() {
    try {
        throw_from_depth(4);
    } catch (const StressError&) {
        return true;
    }
    return false;
}

void run_short_thread() {
    std::thread helper([] {
        std::uint64_t random = 7;
        allocate_and_free(random);
    });
    helper.join();
}

// Forks a child that does some of the same work, dlopens the plugin, and forks again until
// `depth` levels of processes exist (fork without exec in the child of a threaded process, as
// shells and daemons do); true if every level exited with status 0.
bool fork_and_wait(const std::string& plugin_path, std::uint64_t seed, int depth) {
    const pid_t child = fork();
    if (child < 0)
        return false;
    if (child == 0) {
        std::uint64_t random = seed;
        allocate_and_free(random);
        const bool ok = throw_and_catch() && use_plugin_once(plugin_path, random) == nullptr &&
                        (depth <= 1 || fork_and_wait(plugin_path, random, depth - 1));
        _exit(ok ? 0 : 1);
    }
    int status = 0;
    return waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// Starts /bin/true and waits for it; true if it exited with status 0.
bool spawn_and_wait() {
    char program[] = "/bin/true";
    char* const argv[] = {program, nullptr};
    pid_t child = 0;
    if (posix_spawn(&child, program, nullptr, nullptr, argv, environ) != 0)
        return false;
    int status = 0;
    return waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// One stress thread; returns its number of iterations, or -1 if something went wrong.
long stress_loop(const std::string& plugin_path, std::chrono::steady_clock::time_point end,
                 std::uint64_t seed) {
    long iterations = 0;
    std::uint64_t random = seed;
    while (std::chrono::steady_clock::now() < end) {
        allocate_and_free(random);
        if (use_plugin_once(plugin_path, random) != nullptr || !throw_and_catch())
            return -1;
        run_short_thread();
        if (iterations % 16 == 0 && !fork_and_wait(plugin_path, random, kForkDepth))
            return -1;
        if (iterations % 16 == 8 && !spawn_and_wait())
            return -1;
        ++iterations;
    }
    return iterations;
}

} // namespace

int main(int argc, char** argv) {
    const double seconds = samples::seconds_argument(argc, argv, 1, 5.0);
    const std::string plugin_path = argc > 2 ? argv[2] : default_plugin_path();
    if (const char* problem = use_plugin_once(plugin_path, 1)) {
        std::fprintf(stderr, "stress: cannot use plugin %s: %s\n", plugin_path.c_str(), problem);
        return 2;
    }
    const auto end = std::chrono::steady_clock::now() +
                     std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                         std::chrono::duration<double>(seconds));
    std::vector<long> iterations(kThreads, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] { iterations[t] = stress_loop(plugin_path, end, t + 1); });
    for (std::thread& thread : threads)
        thread.join();
    long total = 0;
    for (int t = 0; t < kThreads; ++t) {
        if (iterations[t] < 0) {
            std::fprintf(stderr, "stress: thread %d failed\n", t);
            return 1;
        }
        total += iterations[t];
    }
    std::printf("stress: threads=%d iterations=%ld\n", kThreads, total);
    return 0;
}
