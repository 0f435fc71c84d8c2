// Captures the call stack of the interrupted code from inside the sampling signal handler.
//
// A small DWARF CFI (.eh_frame) unwinder for x86-64 of our own: async-signal-safe, lock-free,
// allocation-free. It reads memory only inside the thread's stacks and the modules of the
// module table (built outside the handler), so it never calls dl_iterate_phdr or faults.
// libunwind is not used here because its remote API takes a mutex (with signals blocked) about
// twice per frame: measured 210 rt_sigprocmask calls for a 100-frame sample. The tests check
// this unwinder against libunwind's unw_backtrace (tests/probe).
#pragma once

#include <cstdint>
#include <ucontext.h>

namespace hprof::probe {

struct StackBounds {
    uint64_t low = 0;
    uint64_t high = 0;
};

// The signal trampoline (sa_restorer) address, so frames interrupted by a signal are unwound
// through the kernel's signal frame.
void setSignalReturnAddress(uint64_t address);

// Async-signal-safe. Writes up to `max` addresses, leaf first, adjusted for symbolization (see
// raw_stream.h). Sets `truncated` when the stack was deeper than `max`.
uint32_t captureStack(const ucontext_t* context, const StackBounds& stack, uint64_t* addresses,
                      uint32_t max, bool& truncated);

// The top of a stack of another thread, copied: `size` bytes that were at [address, address +
// size) in that thread, `address` being its stack pointer.
struct StackCopy {
    uint64_t address = 0;
    const uint8_t* bytes = nullptr;
    uint64_t size = 0;
};

// Unwinds another thread, stopped at `pc` with its stack pointer at copy.address, knowing no
// other register (wall-clock mode reads only pc and sp of a blocked thread). Stack reads go to
// the copy; the stack ends at a frame whose CFA needs a register other than rsp (rbp-based
// frames, e.g. -O0 code) or whose caller lies above the copied range. Not signal-safe-critical,
// but allocation-free like captureStack.
uint32_t captureCopiedStack(uint64_t pc, const StackCopy& copy, uint64_t* addresses, uint32_t max,
                            bool& truncated);

} // namespace hprof::probe
