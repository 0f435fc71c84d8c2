// recordProcessEnd, and the wrappers of _exit and _Exit, which skip exit()'s on_exit handlers:
// a fork child that ends with _exit (the usual way) still gets its ProcessEnd and exit status.
#include "process_end.h"

#include "raw_writer.h"
#include "real_functions.h"
#include "sampler.h"
#include "signal_safe.h"

#include <atomic>

namespace hprof::probe {
namespace {

using Exit = void (*)(int);

constinit NextFunction<Exit> g_exit{"_exit"};
constinit NextFunction<Exit> g_Exit{"_Exit"};
constinit std::atomic<bool> g_ended{false};

__attribute__((constructor)) void resolveExitFunctions() {
    g_exit.resolve();
    g_Exit.resolve();
}

} // namespace

void recordProcessEnd(int status) {
    if (!streamIsOwn() || g_ended.exchange(true))
        return;
    unregisterCurrentThread(); // with its final CPU time
    raw::RecordHeader* header = beginRecord(sizeof(raw::ProcessEndRecord));
    if (!header)
        return;
    auto* end = reinterpret_cast<raw::ProcessEndRecord*>(header);
    end->time_ns = monotonicNs();
    end->exit_status = status;
    commitRecord(header, raw::RecordType::ProcessEnd);
}

} // namespace hprof::probe

using namespace hprof::probe;

extern "C" {

HPROF_EXPORT void _exit(int status) {
    recordProcessEnd(status);
    g_exit.get()(status);
    __builtin_unreachable();
}

HPROF_EXPORT void _Exit(int status) noexcept {
    recordProcessEnd(status);
    g_Exit.get()(status);
    __builtin_unreachable();
}

} // extern "C"
