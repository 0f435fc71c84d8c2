// The libc functions that the probe's wrappers hide, resolved with dlsym(RTLD_NEXT).
// Probe code calls these, never the wrapped names, to avoid recursing into its own wrappers.
#pragma once

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <dlfcn.h>
#include <pthread.h>
#include <sys/time.h>
#include <time.h>

// The wrappers are the only symbols the probe exports (it is built with -fvisibility=hidden).
#define HPROF_EXPORT __attribute__((visibility("default")))

namespace hprof::probe {

template <class Function> Function resolveNext(const char* name) {
    void* symbol = dlsym(RTLD_NEXT, name);
    if (!symbol)
        abort(); // libc without the function we wrap: nothing sane to fall back to
    return reinterpret_cast<Function>(symbol);
}

// A libc function for wrappers that may run where dlsym must not (it allocates and locks): in a
// vfork child, or in the child of a multithreaded fork. resolve() runs in a constructor of the
// probe; get() only falls back to dlsym for calls made before that.
template <class Function> class NextFunction {
  public:
    constexpr explicit NextFunction(const char* name) : name_(name) {}
    void resolve() { function_.store(resolveNext<Function>(name_), std::memory_order_relaxed); }
    Function get() {
        if (!function_.load(std::memory_order_relaxed))
            resolve();
        return function_.load(std::memory_order_relaxed);
    }

    template <class... Arguments> auto operator()(Arguments... arguments) {
        return get()(arguments...);
    }

  private:
    const char* name_;
    std::atomic<Function> function_{nullptr};
};

// A wrapper's libc function, resolved on its first call. A constant-initialised static has no
// guard variable: a guarded one (__cxa_guard) that another thread was initialising when the
// program forked would stay locked forever in the child.
// clang-format off
#define HPROF_REAL(name, type) static constinit NextFunction<type> real_##name{#name}
// clang-format on

namespace real {

int sigaction(int signal, const struct sigaction* action, struct sigaction* old);
int pthread_create(pthread_t* thread, const pthread_attr_t* attr, void* (*start)(void*), void* arg);
int timer_create(clockid_t clock, struct sigevent* event, timer_t* timer);

} // namespace real
} // namespace hprof::probe
