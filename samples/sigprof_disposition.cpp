// sigprof_disposition <default|reset|ignore|handler>: burns 0.5 s of CPU, then sends itself
// SIGPROF with the disposition named: the default action, never touched ("default") or set
// with sigaction(SIG_DFL) ("reset"): the process dies of SIGPROF, status 128+27 = 155 in a
// shell; SIG_IGN (nothing happens); or its own SA_SIGINFO handler (which must see the signal
// as sent by kill() from its own pid). Prints "survived=1 handled=N" and
// exits 77 if it is still alive afterwards; exits 2 on a bad argument.
#include "burn.h"

#include <csignal>
#include <cstdio>
#include <cstring>
#include <unistd.h>

[[gnu::noinline]] void burn_before_sigprof() {
    samples::burn_cpu(0.5);
}

namespace {

volatile sig_atomic_t g_handled = 0;

void on_sigprof(int, siginfo_t* info, void*) {
    if (info->si_code == SI_USER && info->si_pid == getpid())
        g_handled = g_handled + 1;
}

bool set_disposition(const char* mode) {
    struct sigaction action {};
    sigemptyset(&action.sa_mask);
    if (strcmp(mode, "default") == 0) {
        return true; // relies on the disposition it started with
    } else if (strcmp(mode, "reset") == 0) {
        action.sa_handler = SIG_DFL;
    } else if (strcmp(mode, "ignore") == 0) {
        action.sa_handler = SIG_IGN;
    } else if (strcmp(mode, "handler") == 0) {
        action.sa_sigaction = on_sigprof;
        action.sa_flags = SA_SIGINFO;
    } else {
        return false;
    }
    return sigaction(SIGPROF, &action, nullptr) == 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2 || !set_disposition(argv[1])) {
        std::fprintf(stderr, "usage: sigprof_disposition default|reset|ignore|handler\n");
        return 2;
    }
    burn_before_sigprof();
    kill(getpid(), SIGPROF);
    std::printf("survived=1 handled=%d\n", int(g_handled));
    return 77;
}
