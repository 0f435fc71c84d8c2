// Wrappers around libc functions (LD_PRELOAD interposition) that the probe must see:
// - pthread_create: every new thread is registered (and sampled) before its start routine runs;
// - dlopen/dlclose: the module table is refreshed, outside any signal handler;
// - sigaction/signal: the program's disposition of the sampling signal is recorded and chained
//   (signal_chain.h), and the sampling signal is kept out of its handlers' masks;
// - pthread_setname_np, prctl(PR_SET_NAME): thread names for the profile.
#include "module_table.h"
#include "real_functions.h"
#include "sampler.h"
#include "signal_chain.h"
#include "signal_mask.h"
#include "thread_start_pool.h"

#include <atomic>
#include <cstdarg>
#include <cstdlib>
#include <dlfcn.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <time.h>

namespace hprof::probe {
namespace {

constinit pthread_key_t g_thread_end_key;
constinit pthread_once_t g_thread_end_once = PTHREAD_ONCE_INIT;

// Runs as the thread ends, also through pthread_exit, while its TLS is still alive.
void onThreadEnd(void*) {
    unregisterCurrentThread();
}
void createThreadEndKey() {
    pthread_key_create(&g_thread_end_key, onThreadEnd);
}

void* startThread(void* opaque) {
    ThreadStart start = *static_cast<ThreadStart*>(opaque);
    releaseThreadStart(static_cast<ThreadStart*>(opaque));
    pthread_once(&g_thread_end_once, createThreadEndKey);
    pthread_setspecific(g_thread_end_key, &g_thread_end_key); // non-null: destructor runs
    adoptInheritedMask(start.creator_blocks_sampling);
    registerCurrentThread();
    return start.routine(start.arg);
}

// Signals whose program handler asked for the sampling signal in its sa_mask (which the kernel
// is not given): queries show it back.
constinit std::atomic<uint64_t> g_masks_blocking_sampling{0};

void noteHandlerMaskBlocksSampling(int signal, bool blocks) {
    if (signal <= 0 || signal > 64)
        return;
    uint64_t bit = uint64_t(1) << (signal - 1);
    if (blocks)
        g_masks_blocking_sampling.fetch_or(bit);
    else
        g_masks_blocking_sampling.fetch_and(~bit);
}

int keepProbeSignalInOldMask(int signal, int result, struct sigaction* old) {
    if (result != 0 || !old || signal <= 0 || signal > 64)
        return result;
    if (g_masks_blocking_sampling.load() & (uint64_t(1) << (signal - 1)))
        sigaddset(&old->sa_mask, samplingSignal());
    return result;
}

} // namespace

namespace real {

int sigaction(int signal, const struct sigaction* action, struct sigaction* old) {
    using Sigaction = int (*)(int, const struct sigaction*, struct sigaction*);
    HPROF_REAL(sigaction, Sigaction);
    return real_sigaction(signal, action, old);
}

int pthread_create(pthread_t* thread, const pthread_attr_t* attr, void* (*start)(void*),
                   void* arg) {
    using PthreadCreate = int (*)(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*);
    HPROF_REAL(pthread_create, PthreadCreate);
    return real_pthread_create(thread, attr, start, arg);
}

int timer_create(clockid_t clock, struct sigevent* event, timer_t* timer) {
    using TimerCreate = int (*)(clockid_t, struct sigevent*, timer_t*);
    HPROF_REAL(timer_create, TimerCreate);
    return real_timer_create(clock, event, timer);
}

} // namespace real

// Called once for the main thread (threads it creates get it from startThread).
void armThreadEndHookForMainThread() {
    pthread_once(&g_thread_end_once, createThreadEndKey);
}

} // namespace hprof::probe

using namespace hprof::probe;

extern "C" {

HPROF_EXPORT int pthread_create(pthread_t* thread, const pthread_attr_t* attr,
                                void* (*routine)(void*), void* arg) {
    ThreadStart* start = claimThreadStart({routine, arg, programBlocksSamplingSignal()});
    if (!start) {
        warnThreadStartPoolFull();
        return real::pthread_create(thread, attr, routine, arg);
    }
    int result = real::pthread_create(thread, attr, startThread, start);
    if (result != 0)
        releaseThreadStart(start);
    return result;
}

HPROF_EXPORT int pthread_setname_np(pthread_t thread, const char* name) {
    using SetName = int (*)(pthread_t, const char*);
    HPROF_REAL(pthread_setname_np, SetName);
    int result = real_pthread_setname_np(thread, name);
    if (result == 0)
        noteThreadName(thread, name);
    return result;
}

HPROF_EXPORT int prctl(int option, ...) noexcept {
    using Prctl = int (*)(int, unsigned long, unsigned long, unsigned long, unsigned long);
    HPROF_REAL(prctl, Prctl);
    va_list arguments;
    va_start(arguments, option); // every option takes at most four, as unsigned long
    unsigned long values[4];
    for (unsigned long& value : values)
        value = va_arg(arguments, unsigned long);
    va_end(arguments);
    int result = real_prctl(option, values[0], values[1], values[2], values[3]);
    if (result == 0 && option == PR_SET_NAME)
        noteThreadName(pthread_self(), reinterpret_cast<const char*>(values[0]));
    return result;
}

// dlopen/dlclose and the table refresh run under one lock: a library unmapped by dlclose leaves
// the table before another dlopen can map new code at its old address.
HPROF_EXPORT void* dlopen(const char* file, int mode) {
    using Dlopen = void* (*)(const char*, int);
    HPROF_REAL(dlopen, Dlopen);
    lockModuleChanges();
    void* handle = real_dlopen(file, mode);
    if (handle)
        refreshModules();
    unlockModuleChanges();
    return handle;
}

HPROF_EXPORT int dlclose(void* handle) {
    using Dlclose = int (*)(void*);
    HPROF_REAL(dlclose, Dlclose);
    lockModuleChanges();
    int result = real_dlclose(handle);
    refreshModules();
    unlockModuleChanges();
    return result;
}

HPROF_EXPORT int sigaction(int signal, const struct sigaction* action, struct sigaction* old) {
    if (isSamplingSignal(signal)) {
        exchangeProgramAction(action, old);
        return 0;
    }
    if (!action || !isSamplingSignal(samplingSignal()))
        return keepProbeSignalInOldMask(signal, real::sigaction(signal, action, old), old);
    // The program's handlers must not block sampling while they run.
    struct sigaction filtered = *action;
    bool blocks_sampling = sigismember(&filtered.sa_mask, samplingSignal()) == 1;
    sigdelset(&filtered.sa_mask, samplingSignal());
    int result = keepProbeSignalInOldMask(signal, real::sigaction(signal, &filtered, old), old);
    if (result == 0)
        noteHandlerMaskBlocksSampling(signal, blocks_sampling);
    return result;
}

HPROF_EXPORT sighandler_t signal(int number, sighandler_t handler) {
    struct sigaction action {};
    struct sigaction old {};
    action.sa_handler = handler;
    action.sa_flags = SA_RESTART; // glibc's signal() has BSD semantics
    sigemptyset(&action.sa_mask);
    sigaddset(&action.sa_mask, number);
    if (sigaction(number, &action, &old) != 0)
        return SIG_ERR;
    return old.sa_handler;
}

} // extern "C"
