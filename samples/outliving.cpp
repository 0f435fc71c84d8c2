// outliving: processes that outlive the program hprof started.
//
//   outliving daemon            daemon(3): the parent exits at once; the daemon burns 0.3 s of
//                               CPU in burn_in_daemon and exits with 7
//   outliving leave_child       fork: the child burns 0.3 s in burn_in_orphan and exits with 5;
//                               the parent exits without waiting for it
//   outliving daemon_forever F  daemon(3) that writes its pid to the file F (an absolute path:
//                               the daemon runs in /) and then spins in spin_in_daemon "forever":
//                               for 60 s of wall time at most, so that a test that could not kill
//                               it (its pid file not written yet, the test cut short) leaves no
//                               process spinning for hours on a shared machine
//
// The parent prints "parent <pid>" and exits with 0 in every case; the daemons' stdio goes to
// /dev/null.
#include "burn.h"

#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <unistd.h>

[[gnu::noinline]] void burn_in_daemon() {
    samples::burn_cpu(0.3);
}

[[gnu::noinline]] void burn_in_orphan() {
    samples::burn_cpu(0.3);
}

[[gnu::noinline]] void spin_in_daemon() {
    constexpr std::time_t kMostSeconds = 60;
    const std::time_t until = std::time(nullptr) + kMostSeconds;
    volatile double sink = 1.0;
    while (std::time(nullptr) < until)
        sink = samples::arithmetic_chunk(sink);
}

namespace {

void announceParent() {
    std::printf("parent %d\n", int(getpid()));
    std::fflush(stdout);
}

int runDaemon() {
    announceParent();
    if (daemon(0, 0) != 0) {
        std::perror("daemon");
        return 1;
    }
    burn_in_daemon();
    return 7;
}

int leaveChild() {
    announceParent();
    const pid_t child = fork();
    if (child < 0) {
        std::perror("fork");
        return 1;
    }
    if (child == 0) {
        burn_in_orphan();
        _exit(5);
    }
    return 0; // no wait: the child is orphaned while it works
}

int runDaemonForever(const char* pid_file) {
    announceParent();
    if (daemon(0, 0) != 0) {
        std::perror("daemon");
        return 1;
    }
    std::ofstream(pid_file) << getpid() << '\n';
    spin_in_daemon();
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc == 2 && std::strcmp(argv[1], "daemon") == 0)
        return runDaemon();
    if (argc == 2 && std::strcmp(argv[1], "leave_child") == 0)
        return leaveChild();
    if (argc == 3 && std::strcmp(argv[1], "daemon_forever") == 0)
        return runDaemonForever(argv[2]);
    std::fprintf(stderr, "usage: outliving daemon | leave_child | daemon_forever PID_FILE\n");
    return 2;
}
