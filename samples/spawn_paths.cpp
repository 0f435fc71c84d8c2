// spawn_paths: starts a child that burns about 0.2 s of CPU in burn_in_child, through the way
// of starting programs named by the first argument, waits for it and prints "child status N"
// (the shell convention: 128+N for death by signal N). Used to check that hprof follows every
// kind of child.
//
//   fork          fork; the child burns and _exits
//   vfork         vfork + execl of this program ("spawn_paths child")
//   posix_spawn   posix_spawn of this program
//   system        system("<this program> child")
//   popen         popen("<this program> child", "r") and pclose
//   exec          execl of this program without fork (prints nothing: it becomes the child)
//   execle_empty  fork + execle with an empty environment
//   crash         fork; the child burns, then dies of SIGSEGV
//   kill          fork; the child burns, then spins until the parent kills it with SIGKILL
//   execle_huge   fork + execle with an environment of 2000 variables and no LD_PRELOAD: more
//                 than the probe can rebuild, so the child cannot be profiled
//   system_clearenv  clearenv, then system("<this program> child"): the shell starts without
//                 the probe, and nothing that could put it back sees it start
//   program PATH  fork + execl of PATH with the argument "child" (a set-user-ID copy of this
//                 program, or a static program, say)
//   child         be the child: burn and exit 0
#include "burn.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

[[gnu::noinline]] void burn_in_child() {
    samples::burn_cpu(0.2);
}

namespace {

[[noreturn]] void spin_until_killed() {
    for (;;)
        samples::burn_cpu(1.0);
}

int shellStatus(int wait_status) {
    if (WIFSIGNALED(wait_status))
        return 128 + WTERMSIG(wait_status);
    return WEXITSTATUS(wait_status);
}

int waitFor(pid_t child) {
    int status = 0;
    if (child < 0 || waitpid(child, &status, 0) != child) {
        std::perror("spawn_paths: starting or waiting for the child");
        return 255;
    }
    return shellStatus(status);
}

[[noreturn]] void execSelf(const char* self) {
    execl(self, self, "child", static_cast<char*>(nullptr));
    std::perror("spawn_paths: execl");
    _exit(127);
}

int forkAndCrash() {
    const pid_t child = fork();
    if (child == 0) {
        burn_in_child();
        // Volatile pointer and store: the compiler can neither see the null nor drop the store.
        volatile int* volatile pointer = nullptr;
        *pointer = 42;
    }
    return waitFor(child);
}

// The child tells the parent through a pipe when it has burned enough to be seen in a profile.
int forkAndKill() {
    int ready[2];
    if (pipe(ready) != 0)
        return 255;
    const pid_t child = fork();
    if (child == 0) {
        burn_in_child();
        const char byte = 1;
        if (write(ready[1], &byte, 1) != 1)
            _exit(1);
        spin_until_killed();
    }
    close(ready[1]);
    char byte = 0;
    if (child < 0 || read(ready[0], &byte, 1) != 1)
        return 255;
    kill(child, SIGKILL);
    return waitFor(child);
}

// Variables the child does not need: 2000 of them, over the 1024 the probe's wrappers can hold.
int forkAndExecWithHugeEnvironment(const char* self) {
    constexpr int kVariables = 2000;
    std::vector<std::string> variables;
    for (int i = 0; i < kVariables; ++i)
        variables.push_back("SPAWN_PATHS_FILLER_" + std::to_string(i) + "=1");
    std::vector<char*> environment;
    for (std::string& variable : variables)
        environment.push_back(variable.data());
    environment.push_back(nullptr);
    const pid_t child = fork();
    if (child == 0) {
        execle(self, self, "child", static_cast<char*>(nullptr), environment.data());
        _exit(127);
    }
    return waitFor(child);
}

int popenSelf(const std::string& command) {
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe)
        return 255;
    char buffer[256];
    while (std::fgets(buffer, sizeof buffer, pipe)) {
    }
    return shellStatus(pclose(pipe));
}

int run(const std::string& path, const char* self, const char* target) {
    const std::string command = std::string(self) + " child";
    if (path == "fork") {
        const pid_t child = fork();
        if (child == 0) {
            burn_in_child();
            _exit(0);
        }
        return waitFor(child);
    }
    if (path == "vfork") {
        const pid_t child = vfork();
        if (child == 0)
            execSelf(self);
        return waitFor(child);
    }
    if (path == "posix_spawn") {
        char* argv[] = {const_cast<char*>(self), const_cast<char*>("child"), nullptr};
        pid_t child = -1;
        if (posix_spawn(&child, self, nullptr, nullptr, argv, environ) != 0)
            return 255;
        return waitFor(child);
    }
    if (path == "system")
        return shellStatus(system(command.c_str()));
    if (path == "popen")
        return popenSelf(command);
    if (path == "exec")
        execSelf(self);
    if (path == "execle_empty") {
        const pid_t child = fork();
        if (child == 0) {
            char* empty[] = {nullptr};
            execle(self, self, "child", static_cast<char*>(nullptr), empty);
            _exit(127);
        }
        return waitFor(child);
    }
    if (path == "execle_huge")
        return forkAndExecWithHugeEnvironment(self);
    if (path == "system_clearenv") {
        clearenv();
        return shellStatus(system(command.c_str()));
    }
    if (path == "crash")
        return forkAndCrash();
    if (path == "kill")
        return forkAndKill();
    if (path == "program" && target) {
        const pid_t child = fork();
        if (child == 0)
            execSelf(target);
        return waitFor(child);
    }
    return -1;
}

} // namespace

int main(int argc, char** argv) {
    const std::string path = argc > 1 ? argv[1] : "";
    if (path == "child") {
        burn_in_child();
        return 0;
    }
    const int status = run(path, argv[0], argc > 2 ? argv[2] : nullptr);
    if (status < 0) {
        std::fprintf(stderr,
                     "%s: invalid argument '%s': expected fork, vfork, posix_spawn, system, "
                     "popen, exec, execle_empty, execle_huge, system_clearenv, crash, kill or "
                     "program PATH\n",
                     argv[0], path.c_str());
        return 2;
    }
    std::printf("child status %d\n", status);
    return 0;
}
