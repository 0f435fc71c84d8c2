// Fixed-size records over pipes, shared by the samples that fork workers (task_farm,
// process_pool, many_workers).
//
// A record of at most PIPE_BUF bytes is written atomically, and when every record in a pipe has
// the same size, a read of exactly that size returns one whole record even with several readers:
// that makes one pipe a task queue that any number of workers can take from.
#pragma once

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <sys/wait.h>
#include <type_traits>
#include <unistd.h>

namespace samples {

struct Pipe {
    int read_end = -1;
    int write_end = -1;
};

[[noreturn]] inline void fail_system_call(const char* what) {
    std::perror(what);
    std::exit(1);
}

inline Pipe make_pipe() {
    int ends[2];
    if (pipe(ends) != 0)
        fail_system_call("pipe");
    return {ends[0], ends[1]};
}

inline void close_fd(int& fd) {
    if (fd >= 0)
        close(fd);
    fd = -1;
}

template <typename Record> void write_record(int fd, const Record& record) {
    static_assert(std::is_trivially_copyable_v<Record> && sizeof(Record) <= PIPE_BUF);
    ssize_t written;
    do
        written = write(fd, &record, sizeof record);
    while (written < 0 && errno == EINTR);
    if (written != static_cast<ssize_t>(sizeof record))
        fail_system_call("write to pipe");
}

// Reads the next record; false at the end of the pipe (every writer closed it).
template <typename Record> bool read_record(int fd, Record& record) {
    static_assert(std::is_trivially_copyable_v<Record> && sizeof(Record) <= PIPE_BUF);
    ssize_t got;
    do
        got = read(fd, &record, sizeof record);
    while (got < 0 && errno == EINTR);
    if (got == 0)
        return false;
    if (got != static_cast<ssize_t>(sizeof record))
        fail_system_call("read from pipe");
    return true;
}

// Forks a child that runs `body` and then leaves with _exit, as a forked worker should: exit()
// would flush stdio buffers copied from the parent and run the parent's atexit handlers.
template <typename Body> pid_t fork_worker(Body&& body) {
    const pid_t pid = fork();
    if (pid < 0)
        fail_system_call("fork");
    if (pid == 0) {
        body();
        _exit(0);
    }
    return pid;
}

// Waits for `pid`; its status as waitpid reports it.
inline int wait_for(pid_t pid) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            fail_system_call("waitpid");
    }
    return status;
}

} // namespace samples
