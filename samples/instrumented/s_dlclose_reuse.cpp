// dlopen a library, call lib_a -> lib_b -> lib_c in it, dlclose it, then dlopen a second library
// of the same size, which the loader maps at the first one's address, and call foo -> AAA::bar
// in it. The calls into the first library must stay its own, though its addresses now belong to
// the second one. Prints "base <same|different>": the test fails unless the premise held.
// The libraries are found beside this executable, in ../lib.
#include "call_counter.h"

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>
#include <string>
#include <unistd.h>

namespace {

constexpr int kFirstRounds = 60;
constexpr int kSecondRounds = 5;

samples::CallCounter run_first_calls{.name = "run_first()"};
samples::CallCounter run_second_calls{.name = "run_second()"};

NOT_INSTRUMENTED std::string libraryPath(const char* name) {
    char exe[PATH_MAX] = {};
    ssize_t length = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    std::string path(exe, length > 0 ? size_t(length) : 0);
    return path.substr(0, path.rfind('/')) + "/../lib/" + name;
}

NOT_INSTRUMENTED void* openOrDie(const char* name) {
    void* handle = dlopen(libraryPath(name).c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        std::fprintf(stderr, "dlopen: %s\n", dlerror());
        std::exit(2);
    }
    return handle;
}

NOT_INSTRUMENTED void* symbolOrDie(void* handle, const char* name) {
    void* symbol = dlsym(handle, name);
    if (!symbol) {
        std::fprintf(stderr, "dlsym %s: %s\n", name, dlerror());
        std::exit(2);
    }
    return symbol;
}

NOT_INSTRUMENTED uintptr_t baseOf(void* symbol) {
    Dl_info info{};
    return dladdr(symbol, &info) ? uintptr_t(info.dli_fbase) : 0;
}

} // namespace

[[gnu::noinline]] uintptr_t run_first() {
    samples::countCall(run_first_calls);
    void* first = openOrDie("libs_reuse_first.so");
    auto lib_a = reinterpret_cast<double (*)(int)>(symbolOrDie(first, "lib_a"));
    double sum = 0;
    for (int round = 0; round < kFirstRounds; ++round)
        sum += lib_a(round);
    reinterpret_cast<void (*)()>(symbolOrDie(first, "print_counts"))();
    const uintptr_t base = baseOf(reinterpret_cast<void*>(lib_a));
    dlclose(first);
    std::printf("first sum %.3f\n", sum);
    return base;
}

[[gnu::noinline]] uintptr_t run_second() {
    samples::countCall(run_second_calls);
    void* second = openOrDie("libs_reuse_second.so");
    auto foo = reinterpret_cast<int (*)(int)>(symbolOrDie(second, "foo"));
    int sum = 0;
    for (int round = 0; round < kSecondRounds; ++round)
        sum += foo(round);
    reinterpret_cast<void (*)()>(symbolOrDie(second, "print_counts"))();
    std::printf("second sum %d\n", sum);
    return baseOf(reinterpret_cast<void*>(foo)); // still open: its functions stay at that address
}

int main() {
    const uintptr_t first_base = run_first();
    const uintptr_t second_base = run_second();
    std::printf("base %s\n", first_base == second_base ? "same" : "different");
    samples::printCounts({&run_first_calls, &run_second_calls});
    samples::printEdge("main", "run_first()", 1, 1);
    samples::printEdge("main", "run_second()", 1, 1);
    samples::printEdge("run_first()", "lib_a", kFirstRounds, kFirstRounds);
    samples::printEdge("run_second()", "foo", kSecondRounds, kSecondRounds);
    return 0;
}
