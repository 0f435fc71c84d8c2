// A program with its own (instrumented) malloc, calloc, realloc and free that starts a thread.
// Each allocator function counts every call it gets once the program's constructors run,
// whoever makes it: the program, libc on its behalf (the thread's TLS, stdio's buffer) or the
// profiler. hprof must not add calls of its own, so the counts are the same alone and under
// hprof, and hprof's counts are those. (Calls made by the libraries' constructors come before
// the profiler starts counting: see docs/instrumenting.md.)
#include "call_counter.h"

#include <atomic>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <pthread.h>

namespace {

samples::CallCounter malloc_calls{.name = "malloc"};
samples::CallCounter calloc_calls{.name = "calloc"};
samples::CallCounter realloc_calls{.name = "realloc"};
samples::CallCounter free_calls{.name = "free"};

// A bump allocator: free memory is never reused. Each block starts with its size.
constexpr size_t kArenaBytes = 64 << 20;
constexpr size_t kAlignment = 16;
alignas(kAlignment) char arena[kArenaBytes];
std::atomic<size_t> arena_used{0};
bool counting = false;

// Runs after the libraries' constructors, the profiler's included.
[[gnu::constructor]] NOT_INSTRUMENTED void startCounting() {
    counting = true;
}

NOT_INSTRUMENTED void countOwnCall(samples::CallCounter& counter) {
    if (counting)
        samples::countCall(counter);
}

NOT_INSTRUMENTED void* allocate(size_t bytes) {
    const size_t block = (bytes + kAlignment - 1) / kAlignment * kAlignment + kAlignment;
    const size_t offset = arena_used.fetch_add(block, std::memory_order_relaxed);
    if (offset + block > kArenaBytes)
        return nullptr;
    *reinterpret_cast<size_t*>(arena + offset) = bytes;
    return arena + offset + kAlignment;
}

NOT_INSTRUMENTED size_t sizeOf(void* pointer) {
    return *reinterpret_cast<size_t*>(static_cast<char*>(pointer) - kAlignment);
}

} // namespace

extern "C" {

void* malloc(size_t bytes) {
    countOwnCall(malloc_calls);
    return allocate(bytes);
}

void* calloc(size_t count, size_t size) {
    countOwnCall(calloc_calls);
    return allocate(count * size); // the arena is zero and never reused
}

void* realloc(void* old, size_t bytes) {
    countOwnCall(realloc_calls);
    void* memory = allocate(bytes);
    if (memory && old)
        std::memcpy(memory, old, sizeOf(old) < bytes ? sizeOf(old) : bytes);
    return memory;
}

void free(void*) {
    countOwnCall(free_calls);
}

} // extern "C"

[[gnu::noinline]] void* worker(void* argument) {
    void* memory = malloc(64);
    free(memory);
    return argument;
}

int main() {
    std::printf("own allocator\n"); // stdio's buffer is allocated now, not while counts print
    char* text = static_cast<char*>(malloc(32));
    std::strcpy(text, "hello");
    text = static_cast<char*>(realloc(text, 64));
    free(text);
    pthread_t thread;
    if (pthread_create(&thread, nullptr, worker, nullptr) != 0 ||
        pthread_join(thread, nullptr) != 0)
        return 1;
    samples::printCounts({&malloc_calls, &calloc_calls, &realloc_calls, &free_calls});
    return 0;
}
