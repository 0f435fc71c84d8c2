/* The program the end-to-end tests run under hprof. Its first argument picks a behaviour:
 *   print ARGS...   prints "args:" and each argument after a blank, exits 0
 *   exit N          prints "exiting N", exits with status N
 *   kill N          kills itself with signal N
 *   env NAME        prints the value of the environment variable NAME
 *   wait-term       prints "ready", waits for SIGTERM, prints "got SIGTERM", exits 42
 *   wait-kill       prints "ready", waits until a signal kills it */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t terminated;

static void on_terminate(int signal_number) {
    (void)signal_number;
    terminated = 1;
}

static void announce_ready(void) {
    puts("ready");
    fflush(stdout);
}

static int wait_for_term(void) {
    sigset_t blocked, previous;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGTERM);
    sigprocmask(SIG_BLOCK, &blocked, &previous);
    signal(SIGTERM, on_terminate);
    announce_ready();
    while (!terminated)
        sigsuspend(&previous);
    puts("got SIGTERM");
    return 42;
}

int main(int argc, char** argv) {
    if (argc >= 2 && strcmp(argv[1], "print") == 0) {
        fputs("args:", stdout);
        for (int i = 2; i < argc; ++i)
            printf(" %s", argv[i]);
        putchar('\n');
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "exit") == 0) {
        printf("exiting %s\n", argv[2]);
        return atoi(argv[2]);
    }
    if (argc == 3 && strcmp(argv[1], "kill") == 0)
        return kill(getpid(), atoi(argv[2]));
    if (argc == 3 && strcmp(argv[1], "env") == 0) {
        const char* value = getenv(argv[2]);
        puts(value ? value : "(unset)");
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "wait-term") == 0)
        return wait_for_term();
    if (argc == 2 && strcmp(argv[1], "wait-kill") == 0) {
        announce_ready();
        for (;;)
            pause();
    }
    fprintf(stderr, "test_program: unknown arguments\n");
    return 99;
}
