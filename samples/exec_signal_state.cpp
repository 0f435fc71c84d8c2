// exec_signal_state: SIG_IGN and a blocked signal survive exec. The program ignores SIGPROF,
// blocks it, and execs itself with the argument "child", which prints "ignored=1 blocked=1" if it
// inherited both (as the kernel promises), 0s for what it did not. Exits 0, or 1 if exec failed.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <unistd.h>

int main(int argc, char** argv) {
    if (argc == 2 && strcmp(argv[1], "child") == 0) {
        struct sigaction action {};
        sigaction(SIGPROF, nullptr, &action);
        sigset_t mask;
        sigprocmask(SIG_SETMASK, nullptr, &mask);
        std::printf("ignored=%d blocked=%d\n", action.sa_handler == SIG_IGN ? 1 : 0,
                    sigismember(&mask, SIGPROF));
        return 0;
    }
    signal(SIGPROF, SIG_IGN);
    sigset_t only;
    sigemptyset(&only);
    sigaddset(&only, SIGPROF);
    sigprocmask(SIG_BLOCK, &only, nullptr);
    char child[] = "child";
    char* child_argv[] = {argv[0], child, nullptr};
    execv("/proc/self/exe", child_argv);
    std::perror("execv");
    return 1;
}
