/* The program the end-to-end tests run under hprof. Its first argument picks a behaviour:
 *   print ARGS...   prints "args:" and each argument after a blank, exits 0
 *   exit N          prints "exiting N", exits with status N
 *   kill N          kills itself with signal N
 *   env NAME        prints the value of the environment variable NAME
 *   wait-term       prints "ready", waits for SIGTERM, prints "got SIGTERM", exits 42
 *   wait-kill       prints "ready", waits until a signal kills it
 *   burn MS         spends MS milliseconds of CPU time in burn_cpu(), prints "burned" */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

static double cpu_seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return (double)now.tv_sec + (double)now.tv_nsec * 1e-9;
}

/* Not static and not inlined, so that the profile names it. */
__attribute__((noinline)) double burn_cpu(double seconds) {
    const double end = cpu_seconds() + seconds;
    volatile double x = 1.0;
    while (cpu_seconds() < end) {
        for (int i = 0; i < 10000; ++i)
            x = x * 0.999999 + 1e-7;
    }
    return x;
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
    if (argc == 3 && strcmp(argv[1], "burn") == 0) {
        burn_cpu(atoi(argv[2]) / 1000.0);
        puts("burned");
        return 0;
    }
    fprintf(stderr, "test_program: unknown arguments\n");
    return 99;
}
