// The descriptors the probe holds (its raw stream, one perf event per thread), so that the
// wrappers of close, close_range, closefrom, dup2 and dup3 can keep a program that closes "every
// descriptor from 3 up" from closing them: that would silently end the sampling of its threads.
#pragma once

namespace hprof::probe {

// Descriptors up to this number are tracked (the probe's live at >= 900, see moveFdHigh).
constexpr int kTrackedFds = 65536;

void markProbeFd(int fd);
// Async-signal-safe.
bool isProbeFd(int fd);
// The lowest probe descriptor in [first, last], or -1.
int firstProbeFdIn(unsigned first, unsigned last);
// Forgets `fd` and closes it (with the close system call, not the wrapper).
void closeProbeFd(int fd);
// The program wants the number `fd` (dup2/dup3 onto it): moves the probe's descriptor to
// another high number, tells its owner (stream or sampler), and forgets `fd`.
void moveProbeFdAway(int fd);
// The sampler's part of moveProbeFdAway: a thread's perf event now has the number `new_fd`.
void perfFdMoved(int old_fd, int new_fd);

} // namespace hprof::probe
