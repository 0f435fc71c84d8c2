// Exact call counting for programs built with -finstrument-functions: the probe's
// __cyg_profile_func_enter/exit are defined in call_counter.cpp.
//
// Per thread: a shadow stack of active calls (private memory) and a call table reserved in the
// raw stream (see CallTableRecord), updated in place so a crash keeps the counts. No times are
// taken: one rdtsc costs 10-29 ns on the machines we measured, two per call would cost more than
// all the counting; times come from the samples.
//
// Everything here is async-signal-safe: an instrumented signal handler may interrupt a hook.
// Counters change with single read-modify-write instructions (atomic with respect to signals on
// the same thread), table slots are claimed with compare-and-swap, and the shadow stack publishes
// a frame before it counts it.
#pragma once

#include <cstdint>
#include <ucontext.h>

namespace hprof::probe {

// Turns counting on (from the probe's start, unless HPROF_INSTRUMENT=off).
void enableCallCounting();

// What the hooks do, for tests that drive the counter without instrumented code.
void onFunctionEnter(uint64_t function, uint64_t call_site, uint64_t stack_pointer);
void onFunctionExit(uint64_t function);

// The thread switches to `target` (swapcontext, setcontext), saving its current context in
// `saved` (nullptr for setcontext: the current one is abandoned). Each context has a shadow stack
// of its own: the current one is put aside under `saved`, the target's is restored, or is empty
// for a context made by makecontext that never ran. A target the probe knows nothing of (one
// saved by getcontext) is left to the stack-pointer check, as after a longjmp.
void onContextSwitch(const ucontext_t* saved, const ucontext_t* target);

// The thread ends: release its shadow stack (its table stays in the stream).
void endThreadCallCounting();
// In a fork child: the table belonged to the parent's stream; make a new one holding the
// activations still on the shadow stack.
void restartCallCountingAfterFork();

} // namespace hprof::probe
