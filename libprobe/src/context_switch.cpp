// Wrappers of swapcontext and setcontext (LD_PRELOAD interposition): the call counter keeps one
// shadow stack per context (see onContextSwitch), so that exits on a coroutine's stack and on
// the stack that resumed it match their own calls.
#include "call_counter.h"
#include "real_functions.h"

#include <ucontext.h>

using namespace hprof::probe;

extern "C" {

HPROF_EXPORT int swapcontext(ucontext_t* saved, const ucontext_t* target) {
    using Swapcontext = int (*)(ucontext_t*, const ucontext_t*);
    HPROF_REAL(swapcontext, Swapcontext);
    onContextSwitch(saved, target);
    return real_swapcontext(saved, target);
}

HPROF_EXPORT int setcontext(const ucontext_t* target) {
    using Setcontext = int (*)(const ucontext_t*);
    HPROF_REAL(setcontext, Setcontext);
    onContextSwitch(nullptr, target);
    return real_setcontext(target);
}

} // extern "C"
