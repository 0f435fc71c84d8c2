// Programs block signals (sigfillset + sigprocmask/pthread_sigmask, a mask inherited by the
// threads they create); the sampling signal must stay deliverable anyway, or those threads are
// never sampled (`xz -T2` starts its workers with every signal blocked). The wrappers keep the
// sampling signal out of every mask the program sets and remember, per thread, whether the
// program asked to block it, so that the masks it reads back are the ones it asked for.
#pragma once

#include <csignal>

namespace hprof::probe {

// Starts filtering masks for `signal` (the probe samples on it).
void startMaskFiltering(int signal);
// For a thread starting (or the main thread at probe start): if the sampling signal is blocked
// in its mask, remember that the program blocks it (as `program_blocks` also says, the
// creator's view) and unblock it.
void adoptInheritedMask(bool program_blocks);
// Whether the program has blocked the sampling signal in the calling thread.
bool programBlocksSamplingSignal();
// For a program's signal arriving while the program blocks it in this thread: keep it pending
// (true) until the program unblocks it. Async-signal-safe.
bool deferWhileProgramBlocks();
// rt_sigprocmask without the wrappers. Async-signal-safe.
int setThreadMaskRaw(int how, const sigset_t* set, sigset_t* old);

} // namespace hprof::probe
