#include "hprof_process.h"

#include "files.h"

#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace {

[[noreturn]] void execHprof(const std::vector<std::string>& args, const HprofSetup& setup,
                            int stdout_fd, const std::string& stderr_path) {
    if (setup.own_process_group)
        setpgid(0, 0);
    dup2(stdout_fd, STDOUT_FILENO);
    const int stderr_fd = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(stderr_fd, STDERR_FILENO);
    if (chdir(setup.working_dir.c_str()) != 0)
        _exit(120);
    setenv("TMPDIR", setup.tmpdir.c_str(), 1);
    unsetenv("HPROF_PROBE");
    if (setup.probe)
        setenv("HPROF_PROBE", setup.probe->c_str(), 1);
    for (const auto& [name, value] : setup.environment)
        setenv(name.c_str(), value.c_str(), 1);
    std::vector<char*> argv{const_cast<char*>(HPROF_EXE)};
    for (const std::string& arg : args)
        argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    execv(HPROF_EXE, argv.data());
    _exit(121);
}

} // namespace

HprofProcess::HprofProcess(const std::vector<std::string>& args, const HprofSetup& setup)
    : stderr_path_(setup.stderr_file) {
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0)
        throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ == 0) {
        close(pipe_fds[0]);
        execHprof(args, setup, pipe_fds[1], stderr_path_);
    }
    close(pipe_fds[1]);
    stdout_fd_ = pipe_fds[0];
}

HprofProcess::~HprofProcess() {
    if (stdout_fd_ >= 0)
        close(stdout_fd_);
}

std::string HprofProcess::readLine() {
    std::string line;
    char c;
    while (read(stdout_fd_, &c, 1) == 1) {
        line += c;
        if (c == '\n')
            break;
    }
    consumed_ += line;
    return line;
}

HprofRun HprofProcess::finish() {
    HprofRun run;
    run.out = consumed_;
    char buffer[4096];
    ssize_t got;
    while ((got = read(stdout_fd_, buffer, sizeof buffer)) > 0)
        run.out.append(buffer, size_t(got));
    int status = 0;
    waitpid(pid_, &status, 0);
    run.killed = WIFSIGNALED(status);
    run.status = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
    run.err = hprof::test::readFile(stderr_path_);
    std::remove(stderr_path_.c_str());
    return run;
}

HprofRun runHprof(const std::vector<std::string>& args, const HprofSetup& setup) {
    return HprofProcess(args, setup).finish();
}

std::vector<std::string> linesOf(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}
