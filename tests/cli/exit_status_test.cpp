#include "cli_error.h"
#include "exit_status.h"

#include <csignal>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace hprof::cli;

namespace {

// The wait status of a real child that runs `body`.
template <typename Body> int waitStatusOf(Body body) {
    const pid_t child = fork();
    if (child == 0) {
        body();
        _exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    return status;
}

} // namespace

TEST(ExitStatus, ExitCodePassesThrough) {
    const int status = waitStatusOf([] { _exit(7); });
    EXPECT_EQ(exitStatusFromWait(status), 7);
    EXPECT_EQ(killingSignal(status), std::nullopt);
}

TEST(ExitStatus, SignalIs128PlusN) {
    const int status = waitStatusOf([] { kill(getpid(), SIGUSR1); });
    EXPECT_EQ(exitStatusFromWait(status), 128 + SIGUSR1);
    EXPECT_EQ(killingSignal(status), std::optional<int>(SIGUSR1));
}

TEST(ExitStatus, SignalNames) {
    EXPECT_EQ(signalName(SIGSEGV), "SIGSEGV");
    EXPECT_EQ(signalName(SIGINT), "SIGINT");
    EXPECT_EQ(signalName(200), "signal 200");
}

TEST(ExitStatus, ProfilerFailureOnlyOverridesSuccess) {
    EXPECT_EQ(recordExitStatus(0, false), 0);
    EXPECT_EQ(recordExitStatus(3, false), 3);
    EXPECT_EQ(recordExitStatus(0, true), kExitHprofError);
    EXPECT_EQ(recordExitStatus(3, true), 3);
    EXPECT_EQ(recordExitStatus(139, true), 139);
}
