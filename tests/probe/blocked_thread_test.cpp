// Wall-clock mode reads blocked threads from outside: their state from /proc, their stack from
// pc and sp alone through a process_vm_readv copy. A thread blocked in read() in a known function
// must be found blocked, in read, with that function and its caller on the stack.
#include "blocked_thread.h"
#include "module_table.h"
#include "signal_safe.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>

namespace {

using namespace hprof::probe;

struct BlockedReader {
    std::atomic<pid_t> tid{0};
    uint64_t return_address = 0; // where blockInRead returns to
    ssize_t result = 0;
};

// Unwinding from pc and sp cannot pass a frame whose CFA is rbp-based: this function keeps its
// frame rsp-based even in the sanitizer build (-fno-omit-frame-pointer), and calls syscall()
// rather than read(), which ASan intercepts with a frame-pointer frame of its own.
__attribute__((noinline, optimize("omit-frame-pointer"))) void blockInRead(int fd,
                                                                           BlockedReader& reader) {
    reader.return_address = uint64_t(__builtin_return_address(0));
    reader.tid = currentTid();
    char byte = 0;
    reader.result = syscall(SYS_read, fd, &byte, 1);
    asm volatile("" ::: "memory"); // keep the call a call, not a tail call
}

// Polls the thread's state until it is blocked in read(), at most `timeout`.
bool waitUntilBlockedInRead(pid_t tid, BlockedAt& where, std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (readThreadState(tid, where) == ThreadState::Blocked && where.syscall == SYS_read)
            return true;
        std::this_thread::yield();
    }
    return false;
}

TEST(BlockedThread, StackOfAThreadBlockedInReadIsUnwoundFromPcAndSp) {
    refreshModules();
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    BlockedReader reader;
    std::thread thread([&] { blockInRead(fds[0], reader); });
    while (reader.tid == 0)
        std::this_thread::yield();

    BlockedAt where;
    const bool blocked = waitUntilBlockedInRead(reader.tid, where, std::chrono::seconds(10));
    uint64_t frames[256];
    bool truncated = false;
    const uint32_t count = blocked ? captureBlockedStack(where, 0, frames, 256, truncated) : 0;
    uint64_t cpu_ns = 0;
    const bool cpu_known = threadCpuNsOf(reader.tid, cpu_ns);
    ASSERT_EQ(write(fds[1], "x", 1), 1);
    thread.join();
    close(fds[0]);
    close(fds[1]);

    ASSERT_TRUE(blocked);
    EXPECT_TRUE(cpu_known);
    EXPECT_GT(cpu_ns, 0u);
    EXPECT_FALSE(truncated);
    ASSERT_GE(count, 3u);
    EXPECT_EQ(frames[0], where.pc);
    // The caller's frame is the return address minus one; the frame below it is blockInRead.
    uint32_t caller = 1;
    while (caller < count && frames[caller] != reader.return_address - 1)
        ++caller;
    ASSERT_LT(caller, count) << "blockInRead's caller is not on the unwound stack";
    const uint64_t function = uint64_t(&blockInRead);
    EXPECT_GE(frames[caller - 1], function);
    EXPECT_LT(frames[caller - 1], function + 256);
    EXPECT_EQ(reader.result, 1);
}

TEST(BlockedThread, UnreadableStackGivesThePcAloneWithoutFaulting) {
    refreshModules();
    BlockedAt where;
    where.pc = uint64_t(&blockInRead);
    where.sp = 4096; // never mapped
    uint64_t frames[8];
    bool truncated = true;
    EXPECT_EQ(captureBlockedStack(where, 0, frames, 8, truncated), 1u);
    EXPECT_EQ(frames[0], where.pc);
    EXPECT_FALSE(truncated);
}

TEST(BlockedThread, SpinningThreadIsRunningAndAMissingOneIsGone) {
    std::atomic<pid_t> tid{0};
    std::atomic<bool> stop{false};
    std::thread spinner([&] {
        tid = currentTid();
        while (!stop) {
        }
    });
    while (tid == 0)
        std::this_thread::yield();
    BlockedAt where;
    const ThreadState state = readThreadState(tid, where); // runnable counts as running too
    stop = true;
    spinner.join();
    EXPECT_EQ(state, ThreadState::Running);
    EXPECT_EQ(readThreadState(0, where), ThreadState::Gone);
}

} // namespace
