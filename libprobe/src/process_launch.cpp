// Wrappers of the functions that start programs, so that hprof follows every child:
// - execve, execv, execvp, execvpe, execl, execlp, execle, fexecve: glibc's versions call its
//   internal __execve, so each needs its own wrapper;
// - posix_spawn, posix_spawnp (system() and popen() use glibc's internal posix_spawn with
//   `environ`: their children are followed whenever this process's environment has the probe).
// Each passes an environment with the probe put back (see probe_environment.h) and records the
// launch, so that the collector can name a child that did not load the probe, and why.
//
// These run in vfork children and in children of multithreaded forks: no malloc, no locks, no
// stdio; stack buffers and system calls only. vfork itself is not wrapped (see docs/design.md).
#include "launch_target.h"
#include "probe_environment.h"
#include "raw_writer.h"
#include "real_functions.h"
#include "signal_chain.h"
#include "signal_safe.h"

#include <alloca.h>
#include <climits>
#include <cstdarg>
#include <cstring>
#include <spawn.h>
#include <unistd.h>

namespace hprof::probe {
namespace {

using Execve = int (*)(const char*, char* const[], char* const[]);
using Fexecve = int (*)(int, char* const[], char* const[]);
using PosixSpawn = int (*)(pid_t*, const char*, const posix_spawn_file_actions_t*,
                           const posix_spawnattr_t*, char* const[], char* const[]);

constinit NextFunction<Execve> g_execve{"execve"};
constinit NextFunction<Execve> g_execvpe{"execvpe"};
constinit NextFunction<Fexecve> g_fexecve{"fexecve"};
constinit NextFunction<PosixSpawn> g_posix_spawn{"posix_spawn"};
constinit NextFunction<PosixSpawn> g_posix_spawnp{"posix_spawnp"};

__attribute__((constructor)) void prepareProcessLaunch() {
    g_execve.resolve();
    g_execvpe.resolve();
    g_fexecve.resolve();
    g_posix_spawn.resolve();
    g_posix_spawnp.resolve();
    snapshotProbeEnvironment();
}

void setLaunchedPid(raw::ExecRecord& record, pid_t pid) {
    record.pid = pid;
}
void setLaunchedPid(raw::SpawnRecord& record, pid_t pid) {
    record.child_pid = pid;
}

// An ExecRecord or SpawnRecord: the fixed part, argv, then the path.
template <class Record>
void writeLaunch(raw::RecordType type, uint64_t time_ns, pid_t pid, char* const argv[],
                 const char* path, raw::NotFollowed not_followed) {
    uint32_t argc = 0;
    size_t size = sizeof(Record) + strlen(path) + 1;
    for (; argv && argv[argc]; ++argc)
        size += strlen(argv[argc]) + 1;
    if (size > UINT32_MAX / 2)
        return;
    raw::RecordHeader* header = beginRecord(uint32_t(size));
    if (!header)
        return;
    auto* record = reinterpret_cast<Record*>(header);
    record->time_ns = time_ns;
    setLaunchedPid(*record, pid);
    record->argc = argc;
    record->not_followed = uint32_t(not_followed);
    char* out = reinterpret_cast<char*>(record + 1);
    for (uint32_t i = 0; i < argc; ++i)
        out = stpcpy(out, argv[i]) + 1;
    strcpy(out, path);
    commitRecord(header, type);
}

raw::NotFollowed notFollowed(raw::NotFollowed program, const ChildEnvironment& environment) {
    if (program != raw::NotFollowed::No)
        return program;
    return environment.fixFailed() ? raw::NotFollowed::Environment : raw::NotFollowed::No;
}

// Written before the real exec, by the process that execs (a vfork child writes into its
// parent's stream, with its own pid). A file that cannot be executed is not recorded: the exec
// fails, and a shell trying each PATH directory in turn must not leave a record per miss.
void noteExec(const char* program, char* const argv[], const ChildEnvironment& environment) {
    if (!program || access(program, X_OK) != 0)
        return;
    writeLaunch<raw::ExecRecord>(raw::RecordType::Exec, monotonicNs(), getpid(), argv, program,
                                 notFollowed(classifyProgram(program), environment));
}

// "/proc/self/fd/<fd>", without stdio.
void fdLinkPath(int fd, char (&out)[32]) {
    char digits[12];
    size_t count = 0;
    unsigned value = unsigned(fd);
    do {
        digits[count++] = char('0' + value % 10);
        value /= 10;
    } while (value != 0 && count < sizeof digits);
    char* cursor = stpcpy(out, "/proc/self/fd/");
    while (count > 0)
        *cursor++ = digits[--count];
    *cursor = '\0';
}

// fexecve names the file by descriptor: the record gets the path it was opened with.
void noteFexec(int fd, char* const argv[], const ChildEnvironment& environment) {
    char link[32];
    fdLinkPath(fd, link);
    char path[PATH_MAX];
    const ssize_t length = readlink(link, path, sizeof path - 1);
    path[length > 0 ? length : 0] = '\0';
    writeLaunch<raw::ExecRecord>(raw::RecordType::Exec, monotonicNs(), getpid(), argv, path,
                                 notFollowed(classifyProgramFd(fd), environment));
}

int execWithProbe(const char* path, char* const argv[], char* const envp[]) {
    const ChildEnvironment environment(envp);
    noteExec(path, argv, environment);
    const ProgramSignalsForExec signals;
    return g_execve.get()(path, argv, environment.get());
}

int execSearchingPath(const char* file, char* const argv[], char* const envp[]) {
    const ChildEnvironment environment(envp);
    char found[PATH_MAX];
    noteExec(findOnPath(file, found, sizeof found), argv, environment);
    const ProgramSignalsForExec signals;
    return g_execvpe.get()(file, argv, environment.get());
}

int spawnWithProbe(NextFunction<PosixSpawn>& spawn, const char* program, pid_t* pid,
                   const char* file, const posix_spawn_file_actions_t* actions,
                   const posix_spawnattr_t* attributes, char* const argv[], char* const envp[]) {
    const ChildEnvironment environment(envp);
    // Taken before the child exists: the child's stream must not seem to start before it.
    const uint64_t time_ns = monotonicNs();
    pid_t child = 0;
    const int result = spawn.get()(&child, file, actions, attributes, argv, environment.get());
    if (result != 0)
        return result;
    if (pid)
        *pid = child;
    writeLaunch<raw::SpawnRecord>(raw::RecordType::Spawn, time_ns, child, argv, program,
                                  notFollowed(classifyProgram(program), environment));
    return result;
}

// The variadic arguments of execl/execlp/execle after `first`, up to the terminating null.
size_t countArguments(const char* first, va_list arguments) {
    size_t count = 1;
    va_list copy;
    va_copy(copy, arguments);
    for (const char* argument = first; argument; argument = va_arg(copy, const char*))
        ++count;
    va_end(copy);
    return count; // including the null
}

// Fills `out` (countArguments entries) and, for execle, returns the environment that follows
// the null; nullptr otherwise.
char* const* gatherArguments(char** out, const char* first, va_list arguments,
                             bool environment_follows) {
    out[0] = const_cast<char*>(first);
    for (size_t i = 0; out[i]; ++i)
        out[i + 1] = va_arg(arguments, char*);
    return environment_follows ? va_arg(arguments, char* const*) : nullptr;
}

} // namespace
} // namespace hprof::probe

using namespace hprof::probe;

// alloca, as glibc's own execl does: the argument list lives in the wrapper's frame.
#define HPROF_ARGUMENT_ARRAY(first, arguments)                                                     \
    static_cast<char**>(alloca(countArguments(first, arguments) * sizeof(char*)))

extern "C" {

HPROF_EXPORT int execve(const char* path, char* const argv[], char* const envp[]) {
    return execWithProbe(path, argv, envp);
}

HPROF_EXPORT int execv(const char* path, char* const argv[]) {
    return execWithProbe(path, argv, environ);
}

HPROF_EXPORT int execvpe(const char* file, char* const argv[], char* const envp[]) {
    return execSearchingPath(file, argv, envp);
}

HPROF_EXPORT int execvp(const char* file, char* const argv[]) {
    return execSearchingPath(file, argv, environ);
}

HPROF_EXPORT int execl(const char* path, const char* first, ...) {
    va_list arguments;
    va_start(arguments, first);
    char** argv = HPROF_ARGUMENT_ARRAY(first, arguments);
    gatherArguments(argv, first, arguments, false);
    va_end(arguments);
    return execWithProbe(path, argv, environ);
}

HPROF_EXPORT int execlp(const char* file, const char* first, ...) {
    va_list arguments;
    va_start(arguments, first);
    char** argv = HPROF_ARGUMENT_ARRAY(first, arguments);
    gatherArguments(argv, first, arguments, false);
    va_end(arguments);
    return execSearchingPath(file, argv, environ);
}

HPROF_EXPORT int execle(const char* path, const char* first, ...) {
    va_list arguments;
    va_start(arguments, first);
    char** argv = HPROF_ARGUMENT_ARRAY(first, arguments);
    char* const* envp = gatherArguments(argv, first, arguments, true);
    va_end(arguments);
    return execWithProbe(path, argv, envp);
}

HPROF_EXPORT int fexecve(int fd, char* const argv[], char* const envp[]) {
    const ChildEnvironment environment(envp);
    noteFexec(fd, argv, environment);
    const ProgramSignalsForExec signals;
    return g_fexecve.get()(fd, argv, environment.get());
}

HPROF_EXPORT int posix_spawn(pid_t* pid, const char* path,
                             const posix_spawn_file_actions_t* actions,
                             const posix_spawnattr_t* attributes, char* const argv[],
                             char* const envp[]) {
    return spawnWithProbe(g_posix_spawn, path, pid, path, actions, attributes, argv, envp);
}

HPROF_EXPORT int posix_spawnp(pid_t* pid, const char* file,
                              const posix_spawn_file_actions_t* actions,
                              const posix_spawnattr_t* attributes, char* const argv[],
                              char* const envp[]) {
    char found[PATH_MAX];
    const char* program = findOnPath(file, found, sizeof found);
    return spawnWithProbe(g_posix_spawnp, program, pid, file, actions, attributes, argv, envp);
}

} // extern "C"
