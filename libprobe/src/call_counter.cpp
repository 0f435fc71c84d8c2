#include "call_counter.h"
#include "call_tracer.h"
#include "module_table.h"
#include "raw_writer.h"
#include "signal_safe.h"

#include <csignal>
#include <cstring>
#include <sys/mman.h>

namespace hprof::probe {
namespace {

using raw::CallCountEntry;
using raw::kFunctionTotal;

constexpr uint32_t kTableCapacity = 16384; // power of two; bounded memory per thread
constexpr uint32_t kMaxProbes = 64;
constexpr uint64_t kShadowBytes = 256ull << 20; // reserved, touched only as deep as calls go
constexpr uint64_t kExitSearchDepth = 256;      // how far below the top an exit may match
constexpr uint32_t kPendingCapacity = 4096;     // hook events signal handlers may queue
constexpr uint32_t kSuspendedContexts = 64;     // per thread, put aside by swapcontext
constexpr uint64_t kSuspendedDepth = 1024;      // frames kept per suspended context

struct ShadowFrame {
    uint64_t function;
    uint64_t call_site;     // gcc passes the enclosing function's for inlined functions
    uint64_t stack_pointer; // of the enter hook: deeper calls have lower values
    CallCountEntry* total;
    CallCountEntry* edge;
    uint64_t enter_tsc;   // trace mode only
    uint64_t child_ticks; // trace mode: time spent in callees that returned
};

// A hook event that arrived while another hook of the same thread was running (a signal handler
// interrupted it): queued, and replayed by the interrupted hook before it returns.
struct PendingEvent {
    uint64_t function;
    uint64_t call_site;
    uint64_t stack_pointer;
    bool is_enter;
};

// A context put aside by swapcontext, with the shadow stack of its active calls.
struct SuspendedContext {
    const ucontext_t* key = nullptr; // where swapcontext saved it; nullptr: a free slot
    uint64_t entry = 0;              // see ThreadCalls::context_entry
    const ucontext_t* link = nullptr;
    uint64_t depth = 0;
    ShadowFrame frames[kSuspendedDepth];
};

struct ThreadCalls {
    raw::CallTableRecord* table = nullptr;
    CallCountEntry* entries = nullptr;
    // One mapping holds kPendingCapacity pending events, the total links, the shadow frames.
    PendingEvent* pending = nullptr;
    // For each edge slot of `entries`, 1 + the slot of its callee's total, 0 while unknown: the
    // hook then needs one hash lookup per call instead of two.
    uint32_t* total_links = nullptr;
    ShadowFrame* frames = nullptr;
    uint64_t depth = 0;
    uint64_t max_depth = 0;
    uint64_t module_epoch = 0; // moduleUnloadEpoch() when `table` was started
    // The running context, when makecontext made it: its start function (whose return ends the
    // context) and its uc_link (the context that then resumes). 0/nullptr otherwise.
    uint64_t context_entry = 0;
    const ucontext_t* context_link = nullptr;
    SuspendedContext* suspended = nullptr; // kSuspendedContexts, mapped at the first switch
    uint32_t pending_count = 0;
    volatile sig_atomic_t in_hook = 0;
    bool unavailable = false; // allocation failed once: stop trying on this thread
};

constinit bool g_enabled = false;

// The hooks run on every call of the program: keep their path free of calls.
#define HPROF_HOT inline __attribute__((always_inline))
constinit thread_local ThreadCalls t_calls __attribute__((tls_model("initial-exec")));

// One instruction each: a signal arriving on this thread cannot split them.
inline void increment(uint64_t& value) {
    asm volatile("addq $1, %0" : "+m"(value));
}
inline void increment(uint32_t& value) {
    asm volatile("addl $1, %0" : "+m"(value));
}
inline void decrement(uint32_t& value) {
    asm volatile("subl $1, %0" : "+m"(value));
}
// Reserves a slot: returns the old value.
inline uint32_t fetchIncrement(uint32_t& value) {
    uint32_t old = 1;
    asm volatile("xaddl %0, %1" : "+r"(old), "+m"(value));
    return old;
}

HPROF_HOT uint32_t slotOf(uint64_t callee, uint64_t caller) {
    uint64_t h = (callee ^ (caller * 0x9e3779b97f4a7c15ull)) * 0xff51afd7ed558ccdull;
    return uint32_t(h >> 40) & (kTableCapacity - 1);
}

HPROF_HOT bool matches(const CallCountEntry& entry, uint64_t callee, uint64_t caller) {
    return __atomic_load_n(&entry.ready, __ATOMIC_ACQUIRE) && entry.callee == callee &&
           entry.caller == caller;
}

// Finds or inserts (callee, caller). nullptr when the table is full.
HPROF_HOT CallCountEntry* lookup(CallCountEntry* entries, uint64_t callee, uint64_t caller) {
    uint32_t slot = slotOf(callee, caller);
    for (uint32_t probe = 0; probe < kMaxProbes;
         ++probe, slot = (slot + 1) & (kTableCapacity - 1)) {
        CallCountEntry& entry = entries[slot];
        if (matches(entry, callee, caller))
            return &entry;
        uint64_t expected = 0;
        if (__atomic_load_n(&entry.callee, __ATOMIC_RELAXED) == 0 &&
            __atomic_compare_exchange_n(&entry.callee, &expected, callee, false, __ATOMIC_ACQ_REL,
                                        __ATOMIC_RELAXED)) {
            entry.caller = caller;
            __atomic_store_n(&entry.ready, 1u, __ATOMIC_RELEASE);
            return &entry;
        }
        // Taken by another key, or being filled by code this hook interrupted: a duplicate key
        // may result, which the collector sums.
    }
    return nullptr;
}

bool startThreadTable(ThreadCalls& calls) {
    calls.module_epoch = moduleUnloadEpoch(); // before the record: it comes after the unloads
    auto* record = beginRecord(
        uint32_t(sizeof(raw::CallTableRecord) + kTableCapacity * sizeof(CallCountEntry)));
    if (!record)
        return false;
    auto* table = reinterpret_cast<raw::CallTableRecord*>(record);
    table->tid = currentTid();
    table->capacity = kTableCapacity;
    table->ns_per_tick = g_tracing ? traceNsPerTick() : 0;
    calls.entries = reinterpret_cast<CallCountEntry*>(table + 1);
    __atomic_store_n(&calls.table, table, __ATOMIC_RELEASE);
    commitRecord(record, raw::RecordType::CallTable);
    return true;
}

bool startThread(ThreadCalls& calls) {
    if (calls.unavailable)
        return false;
    if (!calls.frames) {
        void* memory = mmap(nullptr, kShadowBytes, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (memory == MAP_FAILED) {
            calls.unavailable = true;
            return false;
        }
        calls.pending = static_cast<PendingEvent*>(memory);
        calls.total_links = reinterpret_cast<uint32_t*>(calls.pending + kPendingCapacity);
        calls.frames = reinterpret_cast<ShadowFrame*>(calls.total_links + kTableCapacity);
        calls.max_depth = (kShadowBytes - kPendingCapacity * sizeof(PendingEvent) -
                           kTableCapacity * sizeof(uint32_t)) /
                          sizeof(ShadowFrame);
    }
    if (!calls.table && !startThreadTable(calls)) {
        calls.unavailable = true;
        return false;
    }
    return true;
}

HPROF_HOT void activate(CallCountEntry* entry) {
    if (!entry)
        return;
    increment(entry->calls);
    if (entry->active == 0)
        increment(entry->primitive_calls);
    increment(entry->active);
}

HPROF_HOT void popFrame(ThreadCalls& calls) {
    const ShadowFrame& frame = calls.frames[calls.depth - 1];
    if (frame.total)
        decrement(frame.total->active);
    if (frame.edge)
        decrement(frame.edge->active);
    calls.depth = calls.depth - 1;
}

// Frames at or below `stack_pointer` have returned without an exit hook (longjmp, or an
// exception leaving code whose exits were not instrumented): a live caller's enter hook always
// ran higher on the stack than its callee's. Except for inlined functions: gcc instruments them
// too, from the enclosing function's frame (same stack position) and with the enclosing
// function's call site; such a frame is the top frame's child, not its successor.
HPROF_HOT void popFinishedFrames(ThreadCalls& calls, uint64_t function, uint64_t call_site,
                                 uint64_t stack_pointer) {
    while (calls.depth > 0) {
        const ShadowFrame& top = calls.frames[calls.depth - 1];
        uint64_t frame_sp = top.stack_pointer;
        if (frame_sp == stack_pointer && top.call_site == call_site && top.function != function)
            return; // inlined into the top frame
        // A frame far away is on another stack (a handler on sigaltstack): leave it alone.
        bool same_stack =
            frame_sp - stack_pointer < (64ull << 20) || stack_pointer - frame_sp < (64ull << 20);
        if (frame_sp > stack_pointer || !same_stack)
            return;
        popFrame(calls);
    }
}

// The total entry of `function`, whose edge entry is `edge` (nullptr: not in the table).
HPROF_HOT CallCountEntry* totalOf(ThreadCalls& calls, CallCountEntry* edge, uint64_t function) {
    if (!edge)
        return lookup(calls.entries, function, kFunctionTotal);
    uint32_t& link = calls.total_links[edge - calls.entries];
    if (link != 0)
        return calls.entries + (link - 1);
    CallCountEntry* total = lookup(calls.entries, function, kFunctionTotal);
    if (total)
        link = uint32_t(total - calls.entries) + 1;
    return total;
}

// Points `frames` (a shadow stack, outermost first) at their entries in the thread's new table,
// where they count as active.
void reactivate(ThreadCalls& calls, ShadowFrame* frames, uint64_t depth) {
    for (uint64_t i = 0; i < depth; ++i) {
        ShadowFrame& frame = frames[i];
        uint64_t caller = i > 0 ? frames[i - 1].function : 0;
        frame.edge = lookup(calls.entries, frame.function, caller);
        frame.total = totalOf(calls, frame.edge, frame.function);
        if (frame.total)
            increment(frame.total->active);
        if (frame.edge)
            increment(frame.edge->active);
    }
}

// A new table for the thread, its trace chunk with it, holding the activations still on the
// shadow stack and in its suspended contexts as active (not as new calls) so that recursion stays
// right when they return. Their old entries stay as they are in the old table (in a fork child,
// the parent's: never written again). False if the stream is full.
__attribute__((noinline)) bool restartThreadTable(ThreadCalls& calls) {
    forgetTraceChunk();
    calls.table = nullptr;
    calls.entries = nullptr;
    memset(calls.total_links, 0, kTableCapacity * sizeof(uint32_t)); // slots of the old table
    if (!startThreadTable(calls)) {
        calls.depth = 0;
        calls.unavailable = true;
        return false;
    }
    reactivate(calls, calls.frames, calls.depth);
    for (uint32_t i = 0; calls.suspended && i < kSuspendedContexts; ++i) {
        if (calls.suspended[i].key)
            reactivate(calls, calls.suspended[i].frames, calls.suspended[i].depth);
    }
    return true;
}

HPROF_HOT void enter(ThreadCalls& calls, uint64_t function, uint64_t call_site,
                     uint64_t stack_pointer) {
    popFinishedFrames(calls, function, call_site, stack_pointer);
    // A module was unloaded since the table started: its addresses may now name another
    // module's code, so calls from now on go to a table of their own.
    if (__builtin_expect(calls.module_epoch != moduleUnloadEpoch(), 0) &&
        !restartThreadTable(calls))
        return;
    if (calls.depth == calls.max_depth) {
        increment(calls.table->overflowed_calls);
        return;
    }
    uint64_t caller = calls.depth > 0 ? calls.frames[calls.depth - 1].function : 0;
    CallCountEntry* edge = lookup(calls.entries, function, caller);
    CallCountEntry* total = totalOf(calls, edge, function);
    if (!total || !edge)
        increment(calls.table->overflowed_calls);
    calls.frames[calls.depth] = {
        function, call_site, stack_pointer, total, edge, g_tracing ? traceClock() : 0, 0};
    calls.depth = calls.depth + 1;
    activate(total);
    activate(edge);
}

// Trace mode: exact times of the call at `index` that returns now. Callees skipped by a
// longjmp are not in its child time: their end is unknown.
HPROF_HOT void addTimes(CallCountEntry* entry, uint64_t self, uint64_t elapsed) {
    if (!entry)
        return;
    entry->tottime_ticks += self;
    if (entry->active == 1) // the outermost activation: recursion is not counted twice
        entry->cumtime_ticks += elapsed;
}

HPROF_HOT void timeReturn(ThreadCalls& calls, uint64_t index, uint64_t end_tsc) {
    ShadowFrame& frame = calls.frames[index];
    uint64_t elapsed = end_tsc - frame.enter_tsc;
    uint64_t self = elapsed > frame.child_ticks ? elapsed - frame.child_ticks : 0;
    addTimes(frame.total, self, elapsed);
    addTimes(frame.edge, self, elapsed);
    if (index > 0)
        calls.frames[index - 1].child_ticks += elapsed;
    if (frame.total)
        traceCall(calls.table, uint32_t(frame.total - calls.entries), frame.enter_tsc, end_tsc);
}

SuspendedContext* findSuspended(ThreadCalls& calls, const ucontext_t* key) {
    for (uint32_t i = 0; calls.suspended && i < kSuspendedContexts; ++i) {
        if (calls.suspended[i].key == key)
            return &calls.suspended[i];
    }
    return nullptr;
}

void dropFrames(ThreadCalls& calls) {
    while (calls.depth > 0)
        popFrame(calls);
}

// The running context's shadow stack goes aside under `key`; the thread's is then empty. When
// there is no room, its calls are dropped (their exits will be unpaired, and reported).
void suspend(ThreadCalls& calls, const ucontext_t* key) {
    if (!calls.suspended) {
        void* memory =
            mmap(nullptr, kSuspendedContexts * sizeof(SuspendedContext), PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (memory != MAP_FAILED)
            calls.suspended = static_cast<SuspendedContext*>(memory);
    }
    SuspendedContext* slot = findSuspended(calls, key);
    if (!slot)
        slot = findSuspended(calls, nullptr);
    if (!slot || calls.depth > kSuspendedDepth) {
        dropFrames(calls);
        return;
    }
    slot->entry = calls.context_entry;
    slot->link = calls.context_link;
    slot->depth = calls.depth;
    memcpy(slot->frames, calls.frames, calls.depth * sizeof(ShadowFrame));
    slot->key = key;
    calls.depth = 0;
}

void resume(ThreadCalls& calls, SuspendedContext& context) {
    memcpy(calls.frames, context.frames, context.depth * sizeof(ShadowFrame));
    calls.depth = context.depth;
    calls.context_entry = context.entry;
    calls.context_link = context.link;
    context.key = nullptr;
}

// makecontext points the context's stack pointer into its uc_stack; getcontext leaves uc_stack
// alone.
bool madeByMakecontext(const ucontext_t* context) {
    const uint64_t stack_pointer = uint64_t(context->uc_mcontext.gregs[REG_RSP]);
    const uint64_t low = uint64_t(context->uc_stack.ss_sp);
    return context->uc_stack.ss_size > 0 && low <= stack_pointer &&
           stack_pointer - low < context->uc_stack.ss_size;
}

void switchContext(ThreadCalls& calls, const ucontext_t* saved, const ucontext_t* target) {
    increment(calls.table->context_switches);
    SuspendedContext* resumed = findSuspended(calls, target);
    if (!resumed && !madeByMakecontext(target))
        return; // saved by getcontext: its frames are found below, as after a longjmp
    if (saved)
        suspend(calls, saved);
    else
        dropFrames(calls); // setcontext: the running context is abandoned
    if (resumed) {
        resume(calls, *resumed);
        return;
    }
    calls.context_entry = uint64_t(target->uc_mcontext.gregs[REG_RIP]);
    calls.context_link = target->uc_link;
}

// The start function of a context made by makecontext returned: its uc_link resumes.
__attribute__((noinline)) void finishContext(ThreadCalls& calls) {
    const ucontext_t* link = calls.context_link;
    calls.context_entry = 0;
    calls.context_link = nullptr;
    if (SuspendedContext* next = link ? findSuspended(calls, link) : nullptr)
        resume(calls, *next);
}

// Exits are matched by function, not by stack pointer: gcc may emit the exit hook as a tail call,
// after the frame is gone. Frames above the match are callees whose exits were skipped.
HPROF_HOT void exit(ThreadCalls& calls, uint64_t function) {
    uint64_t limit = calls.depth < kExitSearchDepth ? calls.depth : kExitSearchDepth;
    for (uint64_t above = 0; above < limit; ++above) {
        const ShadowFrame& frame = calls.frames[calls.depth - 1 - above];
        if (frame.function == function) {
            if (g_tracing)
                timeReturn(calls, calls.depth - 1 - above, traceClock());
            for (uint64_t i = 0; i <= above; ++i)
                popFrame(calls);
            if (calls.depth == 0 && function == calls.context_entry)
                finishContext(calls);
            return;
        }
    }
    increment(calls.table->unpaired_exits);
}

void replay(ThreadCalls& calls, const PendingEvent& event) {
    if (event.is_enter)
        enter(calls, event.function, event.call_site, event.stack_pointer);
    else
        exit(calls, event.function);
}

// Replays what signal handlers queued while this hook ran. The queue is closed only by a
// compare-and-swap from exactly the number of events replayed, and `in_hook` is dropped only
// when the queue is still empty afterwards, so an event queued at any moment is replayed.
__attribute__((noinline)) void replayPending(ThreadCalls& calls) {
    uint32_t done = 0;
    for (;;) {
        uint32_t count = __atomic_load_n(&calls.pending_count, __ATOMIC_ACQUIRE);
        if (done < count) {
            if (done < kPendingCapacity)
                replay(calls, calls.pending[done]);
            ++done;
            continue;
        }
        uint32_t expected = done;
        if (!__atomic_compare_exchange_n(&calls.pending_count, &expected, 0u, false,
                                         __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            continue; // more arrived meanwhile
        done = 0;
        calls.in_hook = 0;
        if (__atomic_load_n(&calls.pending_count, __ATOMIC_ACQUIRE) == 0)
            return;
        calls.in_hook = 1; // queued between closing and dropping: replay those too
    }
}

// This hook interrupted another hook of its thread: leave the event to that one.
void queue(ThreadCalls& calls, const PendingEvent& event) {
    uint32_t slot = fetchIncrement(calls.pending_count);
    if (slot < kPendingCapacity)
        calls.pending[slot] = event;
    else if (event.is_enter)
        increment(calls.table->overflowed_calls);
}

// Fast path, nothing queued: drop `in_hook` and look once more (no atomic instruction).
HPROF_HOT void leaveHook(ThreadCalls& calls) {
    if (__atomic_load_n(&calls.pending_count, __ATOMIC_ACQUIRE) == 0) {
        calls.in_hook = 0;
        if (__atomic_load_n(&calls.pending_count, __ATOMIC_ACQUIRE) == 0)
            return;
        calls.in_hook = 1;
    }
    replayPending(calls);
}

HPROF_HOT void hook(const PendingEvent& event) {
    ThreadCalls& calls = t_calls;
    if (!calls.table && (!event.is_enter || !startThread(calls)))
        return;
    if (calls.in_hook) {
        queue(calls, event);
        return;
    }
    calls.in_hook = 1;
    asm volatile("" ::: "memory");
    if (event.is_enter)
        enter(calls, event.function, event.call_site, event.stack_pointer);
    else
        exit(calls, event.function);
    leaveHook(calls);
}

} // namespace

void enableCallCounting() {
    g_enabled = true;
}

void onFunctionEnter(uint64_t function, uint64_t call_site, uint64_t stack_pointer) {
    hook({function, call_site, stack_pointer, true});
}
void onFunctionExit(uint64_t function) {
    hook({function, 0, 0, false});
}

void onContextSwitch(const ucontext_t* saved, const ucontext_t* target) {
    ThreadCalls& calls = t_calls;
    if (!g_enabled || !calls.table || calls.in_hook || !target)
        return; // in_hook: a signal handler switching away in the middle of a hook
    calls.in_hook = 1;
    asm volatile("" ::: "memory");
    switchContext(calls, saved, target);
    leaveHook(calls);
}

void endThreadCallCounting() {
    forgetTraceChunk();
    ThreadCalls& calls = t_calls;
    if (calls.pending)
        munmap(calls.pending, kShadowBytes);
    if (calls.suspended)
        munmap(calls.suspended, kSuspendedContexts * sizeof(SuspendedContext));
    calls = ThreadCalls{};
    calls.unavailable = true; // late hooks (TLS destructors) must not start a new table
}

void restartCallCountingAfterFork() {
    forgetTraceChunk();
    if (t_calls.table)
        restartThreadTable(t_calls);
}

} // namespace hprof::probe

// glibc's own versions do nothing; these count. They live here rather than with the other
// wrappers (interpose.cpp) so that the whole hook inlines into them: two calls fewer on every
// instrumented call. The enter hook's frame address tells which activations a longjmp skipped.
extern "C" {

__attribute__((no_instrument_function, visibility("default"))) void
__cyg_profile_func_enter(void* function, void* call_site) {
    if (hprof::probe::g_enabled)
        hprof::probe::hook(
            {uint64_t(function), uint64_t(call_site), uint64_t(__builtin_frame_address(0)), true});
}

__attribute__((no_instrument_function, visibility("default"))) void
__cyg_profile_func_exit(void* function, void*) {
    if (hprof::probe::g_enabled)
        hprof::probe::hook({uint64_t(function), 0, 0, false});
}

} // extern "C"
