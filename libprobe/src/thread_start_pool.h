// Where the pthread_create wrapper (interpose.cpp) keeps the new thread's start routine and
// argument until the thread runs: a fixed pool of slots, claimed and released with atomics, so
// that the probe never calls malloc. A program with its own malloc would otherwise count the
// probe's allocations as its own calls, and see them.
#pragma once

namespace hprof::probe {

struct ThreadStart {
    void* (*routine)(void*);
    void* arg;
    bool creator_blocks_sampling; // the mask the program thinks the thread inherits
};

// A free slot holding `contents`, or nullptr when every slot is taken (threads created
// faster than they start); the caller then starts the thread without the probe's trampoline.
ThreadStart* claimThreadStart(const ThreadStart& contents);
// Frees the slot claimThreadStart returned, after its contents were copied.
void releaseThreadStart(ThreadStart* start);
// Says once (stream and stderr) that a thread was started without the probe: not sampled.
void warnThreadStartPoolFull();

} // namespace hprof::probe
