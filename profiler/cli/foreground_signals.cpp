#include "foreground_signals.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <unistd.h>

namespace hprof::cli {
namespace {

struct sigaction disposition(void (*handler)(int)) {
    struct sigaction action {};
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    return action;
}

constexpr int kTerminatingSignals[] = {SIGINT, SIGQUIT, SIGTERM, SIGHUP};

// Phase 3's messages, formatted before the handler is installed: it may only write(2) them.
char g_finishing_message[256];
size_t g_finishing_length = 0;
char g_abandon_message[8192];
size_t g_abandon_length = 0;
std::atomic<int> g_collection_signals{0};

void writeAll(const char* text, size_t length) {
    while (length > 0) {
        const ssize_t written = write(STDERR_FILENO, text, length);
        if (written <= 0 && errno != EINTR)
            return;
        if (written > 0) {
            text += written;
            length -= size_t(written);
        }
    }
}

// Async-signal-safe: write and _exit only. _exit skips the run directory's destructor, which
// is what keeps the streams.
void onSignalWhileCollecting(int signal_number) {
    if (g_collection_signals.fetch_add(1) == 0) {
        writeAll(g_finishing_message, g_finishing_length);
        return;
    }
    writeAll(g_abandon_message, g_abandon_length);
    _exit(128 + signal_number);
}

size_t copyMessage(const std::string& message, char* buffer, size_t capacity) {
    const size_t length = std::min(message.size(), capacity);
    std::memcpy(buffer, message.data(), length);
    return length;
}

} // namespace

ForegroundSignals::ForegroundSignals() {
    const struct sigaction ignore = disposition(SIG_IGN);
    // SIGCHLD must not be ignored: an inherited SIG_IGN would make the kernel reap the child
    // before wait4 could report its status.
    const struct sigaction fallback = disposition(SIG_DFL);
    sigaction(SIGINT, &ignore, &old_interrupt_);
    sigaction(SIGQUIT, &ignore, &old_quit_);
    sigaction(SIGTERM, nullptr, &old_terminate_);
    sigaction(SIGHUP, nullptr, &old_hangup_);
    sigaction(SIGCHLD, &fallback, &old_child_);
    sigemptyset(&waited_);
    sigaddset(&waited_, SIGTERM);
    sigaddset(&waited_, SIGHUP);
    sigaddset(&waited_, SIGCHLD);
    sigprocmask(SIG_BLOCK, &waited_, &old_mask_);
}

ForegroundSignals::~ForegroundSignals() {
    restore();
}

void ForegroundSignals::restoreInChild() const {
    restore();
}

void ForegroundSignals::restore() const {
    sigaction(SIGINT, &old_interrupt_, nullptr);
    sigaction(SIGQUIT, &old_quit_, nullptr);
    sigaction(SIGTERM, &old_terminate_, nullptr);
    sigaction(SIGHUP, &old_hangup_, nullptr);
    sigaction(SIGCHLD, &old_child_, nullptr);
    sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
}

int ForegroundSignals::awaitSignal(pid_t forward_to, int64_t timeout_ns) const {
    siginfo_t info{};
    int signal_number;
    if (timeout_ns < 0) {
        signal_number = sigwaitinfo(&waited_, &info);
    } else {
        const timespec timeout{time_t(timeout_ns / 1'000'000'000),
                               long(timeout_ns % 1'000'000'000)};
        signal_number = sigtimedwait(&waited_, &info, &timeout);
    }
    if (signal_number < 0)
        return errno == EAGAIN ? 0 : SIGCHLD; // EINTR (stopped and continued): look again
    const bool stop = signal_number == SIGTERM || signal_number == SIGHUP;
    if (stop && stop_signal_ == 0)
        stop_signal_ = signal_number;
    if (stop && forward_to > 0)
        kill(forward_to, signal_number);
    return signal_number;
}

int ForegroundSignals::stopSignal() {
    if (stop_signal_ == 0) {
        // A signal to hprof's whole group may reach hprof after the program it also killed has
        // been reaped.
        sigset_t stopping;
        sigemptyset(&stopping);
        sigaddset(&stopping, SIGTERM);
        sigaddset(&stopping, SIGHUP);
        const timespec now{};
        const int pending = sigtimedwait(&stopping, nullptr, &now);
        if (pending > 0)
            stop_signal_ = pending;
    }
    return stop_signal_;
}

void ForegroundSignals::takeInterrupts() {
    sigaddset(&waited_, SIGINT);
    sigaddset(&waited_, SIGQUIT);
    sigprocmask(SIG_BLOCK, &waited_, nullptr); // first blocked, so none is lost in between
    const struct sigaction fallback = disposition(SIG_DFL);
    sigaction(SIGINT, &fallback, nullptr);
    sigaction(SIGQUIT, &fallback, nullptr);
}

void ForegroundSignals::guardCollection(const std::string& run_dir) {
    g_finishing_length = copyMessage(
        "hprof: finishing the profile (a second signal abandons it and keeps the raw streams)\n",
        g_finishing_message, sizeof g_finishing_message);
    g_abandon_length = copyMessage("hprof: profile abandoned; the raw streams are kept: hprof "
                                   "collect " +
                                       run_dir + " -o FILE\n",
                                   g_abandon_message, sizeof g_abandon_message);
    g_collection_signals = 0;
    struct sigaction guard = disposition(onSignalWhileCollecting);
    guard.sa_flags = SA_RESTART; // the collection's reads and writes go on after the message
    sigset_t terminating;
    sigemptyset(&terminating);
    for (const int signal_number : kTerminatingSignals) {
        sigaction(signal_number, &guard, nullptr);
        sigaddset(&terminating, signal_number);
    }
    sigprocmask(SIG_UNBLOCK, &terminating, nullptr); // pending ones are handled now
}

} // namespace hprof::cli
