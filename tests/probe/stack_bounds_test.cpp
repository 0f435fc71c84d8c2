// The probe's malloc-free stack bounds agree with glibc's pthread_getattr_np.
#include "stack_bounds.h"

#include <gtest/gtest.h>
#include <pthread.h>

namespace {

hprof::probe::StackBounds glibcStackBounds() {
    pthread_attr_t attr;
    hprof::probe::StackBounds bounds;
    if (pthread_getattr_np(pthread_self(), &attr) != 0)
        return bounds;
    void* address = nullptr;
    size_t size = 0;
    if (pthread_attr_getstack(&attr, &address, &size) == 0)
        bounds = {uint64_t(address), uint64_t(address) + size};
    pthread_attr_destroy(&attr);
    return bounds;
}

// For the main thread glibc ends the stack at the page above __libc_stack_end; ours ends with
// the mapping, which also holds the argument and environment strings above it (less than the
// kernel's limit on them, a quarter of the stack limit).
void expectSameAsGlibc(bool main_thread) {
    const hprof::probe::StackBounds ours = hprof::probe::currentStackBoundsWithoutMalloc();
    const hprof::probe::StackBounds glibc = glibcStackBounds();
    ASSERT_NE(glibc.high, 0u);
    if (main_thread) {
        EXPECT_GE(ours.high, glibc.high);
        EXPECT_LE(ours.high - glibc.high, (glibc.high - glibc.low) / 4);
    } else {
        EXPECT_EQ(ours.high, glibc.high);
    }
    EXPECT_EQ(ours.low, glibc.low);
    const uint64_t here = uint64_t(__builtin_frame_address(0));
    EXPECT_LT(ours.low, here);
    EXPECT_GT(ours.high, here);
}

} // namespace

TEST(StackBounds, MainThreadAsGlibcComputesThem) {
    expectSameAsGlibc(true);
}

TEST(StackBounds, NewThreadAsGlibcComputesThem) {
    pthread_t thread;
    ASSERT_EQ(pthread_create(
                  &thread, nullptr,
                  [](void*) -> void* {
                      expectSameAsGlibc(false);
                      return nullptr;
                  },
                  nullptr),
              0);
    ASSERT_EQ(pthread_join(thread, nullptr), 0);
}
