// The bounds of the calling thread's stack, found without calling malloc: pthread_getattr_np
// allocates (fopen of /proc/self/maps, the affinity mask), which a program with its own
// allocator would see, and count, as calls of its own.
#pragma once

#include "unwinder.h"

namespace hprof::probe {

// From /proc/self/maps, read with plain system calls: the mapping that holds the stack pointer.
// For the main thread, whose stack grows on demand, the low bound is where it may grow to: the
// stack size limit below the top, but not past the mapping below it (as glibc computes it).
// {0, 0} if the file cannot be read.
StackBounds currentStackBoundsWithoutMalloc();

} // namespace hprof::probe
