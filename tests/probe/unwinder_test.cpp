// The signal-safe unwinder must agree with libunwind, the reference, on the same stacks: plain
// recursion, through libc (qsort calling back), and through a signal frame.
#include "module_table.h"
#include "unwinder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <libunwind.h>
#include <pthread.h>
#include <vector>

namespace {

using hprof::probe::StackBounds;

struct Comparison {
    std::vector<uint64_t> ours;      // leaf first, callers as return address - 1
    std::vector<uint64_t> reference; // libunwind: return addresses
    bool truncated = false;
    bool cold_matches_cached = false;
};

StackBounds currentStack() {
    pthread_attr_t attr;
    pthread_getattr_np(pthread_self(), &attr);
    void* address = nullptr;
    size_t size = 0;
    pthread_attr_getstack(&attr, &address, &size);
    pthread_attr_destroy(&attr);
    return {uint64_t(address), uint64_t(address) + size};
}

// Both unwinds start in this one frame; frame 0 differs (two call sites), callers must not.
// Ours runs twice: cold, then from its per-thread cache of decoded rules; both must agree.
__attribute__((noinline)) void captureBoth(Comparison& out, uint32_t max_frames = 256) {
    ucontext_t context;
    getcontext(&context);
    uint64_t cold[256], cached[256];
    bool cold_truncated = false;
    uint32_t cold_count =
        hprof::probe::captureStack(&context, currentStack(), cold, max_frames, cold_truncated);
    uint32_t count =
        hprof::probe::captureStack(&context, currentStack(), cached, max_frames, out.truncated);
    out.ours.assign(cached, cached + count);
    out.cold_matches_cached = cold_count == count && cold_truncated == out.truncated &&
                              std::equal(cold, cold + count, cached);
    void* reference[512];
    int depth = unw_backtrace(reference, 512);
    for (int i = 0; i < depth; ++i)
        out.reference.push_back(uint64_t(reference[i]));
    asm volatile("" ::: "memory"); // keep this frame a real frame
}

void expectCallersMatch(const Comparison& result) {
    EXPECT_TRUE(result.cold_matches_cached);
    ASSERT_GE(result.ours.size(), 2u);
    ASSERT_EQ(result.ours.size(), result.reference.size());
    for (size_t i = 1; i < result.ours.size(); ++i)
        EXPECT_EQ(result.ours[i] + 1, result.reference[i]) << "frame " << i;
}

__attribute__((noinline)) int recurse(int depth, Comparison& out) {
    if (depth == 0) {
        captureBoth(out);
        return 0;
    }
    int result = recurse(depth - 1, out) + 1;
    asm volatile("" ::: "memory");
    return result;
}

class UnwinderTest : public ::testing::Test {
  protected:
    void SetUp() override { hprof::probe::refreshModules(); }
};

TEST_F(UnwinderTest, MatchesLibunwindOnRecursionWithoutFramePointers) {
    Comparison result;
    recurse(40, result);
    EXPECT_GE(result.ours.size(), 42u);
    EXPECT_FALSE(result.truncated);
    expectCallersMatch(result);
}

Comparison* g_qsort_result = nullptr;
int compareAndCapture(const void* a, const void* b) {
    if (g_qsort_result->ours.empty())
        captureBoth(*g_qsort_result);
    return *static_cast<const int*>(a) - *static_cast<const int*>(b);
}

TEST_F(UnwinderTest, MatchesLibunwindThroughSharedLibraryFrames) {
    Comparison result;
    g_qsort_result = &result;
    int values[] = {5, 3, 9, 1, 7};
    qsort(values, 5, sizeof(int), compareAndCapture);
    expectCallersMatch(result);
}

Comparison* g_signal_result = nullptr;
void captureInHandler(int) {
    captureBoth(*g_signal_result);
}

__attribute__((noinline)) void raiseFromDepth(int depth) {
    if (depth == 0) {
        raise(SIGUSR1);
        return;
    }
    raiseFromDepth(depth - 1);
    asm volatile("" ::: "memory");
}

TEST_F(UnwinderTest, UnwindsThroughSignalFrames) {
    struct sigaction action {};
    action.sa_handler = captureInHandler;
    sigaction(SIGUSR1, &action, nullptr);
    struct sigaction kernel_view {};
    // The probe learns the trampoline address from the handler's sa_restorer.
    sigaction(SIGUSR1, nullptr, &kernel_view);
    hprof::probe::setSignalReturnAddress(uint64_t(kernel_view.sa_restorer));
    Comparison result;
    g_signal_result = &result;
    raiseFromDepth(10);
    signal(SIGUSR1, SIG_DFL);
    EXPECT_TRUE(result.cold_matches_cached);
    // Past the trampoline libunwind reports the exact interrupted pc, as we do.
    ASSERT_EQ(result.ours.size(), result.reference.size());
    size_t trampoline = 0;
    for (size_t i = 1; i < result.ours.size(); ++i) {
        if (result.ours[i] == uint64_t(kernel_view.sa_restorer))
            trampoline = i;
    }
    ASSERT_GT(trampoline, 0u) << "no signal trampoline frame found";
    for (size_t i = 1; i < result.ours.size(); ++i) {
        bool exact = i == trampoline || i == trampoline + 1;
        EXPECT_EQ(result.ours[i] + (exact ? 0 : 1), result.reference[i]) << "frame " << i;
    }
    EXPECT_GE(result.ours.size(), trampoline + 12);
}

TEST_F(UnwinderTest, MarksStacksDeeperThanTheLimitTruncated) {
    Comparison result;
    recurse(300, result);
    EXPECT_EQ(result.ours.size(), 256u);
    EXPECT_TRUE(result.truncated);
}

TEST_F(UnwinderTest, SurvivesGarbageContexts) {
    ucontext_t context;
    getcontext(&context);
    uint64_t frames[256];
    bool truncated = false;
    context.uc_mcontext.gregs[REG_RSP] = 0x10; // unmapped: the guard must refuse to read it
    EXPECT_GE(hprof::probe::captureStack(&context, currentStack(), frames, 256, truncated), 1u);
    context.uc_mcontext.gregs[REG_RIP] = 0x1234; // in no module
    EXPECT_EQ(hprof::probe::captureStack(&context, currentStack(), frames, 256, truncated), 1u);
}

} // namespace
