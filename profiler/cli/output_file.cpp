#include "output_file.h"

#include "hprof/error.h"
#include "hprof/profile_io.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace hprof::cli {
namespace {

enum class OutputKind {
    File,   // a regular file, or nothing yet
    Stream, // a character device or a FIFO: written into, never renamed
};

std::string directoryOf(const std::string& path) {
    const std::string parent = std::filesystem::path(path).parent_path();
    return parent.empty() ? "." : parent;
}

bool exists(const std::string& path) {
    struct stat status {};
    return lstat(path.c_str(), &status) == 0;
}

std::string systemError() {
    return std::strerror(errno);
}

// Ignores SIGXFSZ while it lives: writing past a file size limit (ulimit -f) then fails with
// EFBIG, which is reported and cleaned up, instead of killing hprof halfway through a file.
class FileSizeSignalIgnored {
  public:
    FileSizeSignalIgnored() {
        struct sigaction ignore {};
        ignore.sa_handler = SIG_IGN;
        sigaction(SIGXFSZ, &ignore, &previous_);
    }
    ~FileSizeSignalIgnored() { sigaction(SIGXFSZ, &previous_, nullptr); }
    FileSizeSignalIgnored(const FileSizeSignalIgnored&) = delete;
    FileSizeSignalIgnored& operator=(const FileSizeSignalIgnored&) = delete;

  private:
    struct sigaction previous_ {};
};

struct OutputTarget {
    OutputKind kind = OutputKind::File;
    // What is written (Stream) or replaced (File): the output, or for a symbolic link to a
    // regular file that file, so that the link itself is never renamed or replaced.
    std::string path;
};

[[noreturn]] void refuseOutput(const std::string& output, const std::string& what) {
    throw Error("output " + output + ": is " + what +
                " (hprof writes regular files, character devices and FIFOs)");
}

// What `output` is, following symbolic links (a link to /dev/null is written through).
OutputTarget outputTarget(const std::string& output) {
    struct stat link_status {
    }, status{};
    if (lstat(output.c_str(), &link_status) != 0)
        return {OutputKind::File, output}; // nothing there yet
    if (stat(output.c_str(), &status) != 0)
        refuseOutput(output, "a symbolic link to nothing");
    if (S_ISCHR(status.st_mode) || S_ISFIFO(status.st_mode))
        return {OutputKind::Stream, output};
    if (S_ISREG(status.st_mode)) {
        if (!S_ISLNK(link_status.st_mode))
            return {OutputKind::File, output};
        char* resolved = realpath(output.c_str(), nullptr);
        if (!resolved)
            throw Error("cannot write output " + output + ": " + systemError());
        const std::string target = resolved;
        free(resolved);
        return {OutputKind::File, target};
    }
    refuseOutput(output, S_ISDIR(status.st_mode)    ? "a directory"
                         : S_ISSOCK(status.st_mode) ? "a socket"
                         : S_ISBLK(status.st_mode)  ? "a block device"
                                                    : "not a regular file");
}

// A new file in the output's directory, so that the final rename cannot cross file systems.
// Its name starts with a dot and it gets the mode a plain creat(0666) would give.
int createTemporaryBeside(const std::string& output, std::string& path) {
    path = directoryOf(output) + "/.hprof-" + std::filesystem::path(output).filename().string() +
           "-XXXXXX";
    const int fd = mkostemp(path.data(), O_CLOEXEC);
    if (fd < 0)
        throw Error("cannot write output " + output + ": " + systemError());
    const mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    return fd;
}

void writeIntoStream(const FileWriter& write, const std::string& output) {
    const int fd = open(output.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        throw Error("cannot write output " + output + ": " + systemError());
    try {
        write(fd);
    } catch (const Error& error) {
        close(fd);
        throw Error("cannot write output " + output + ": " + error.what());
    }
    close(fd);
}

// "; X and X.old are left as they were", naming those that exist.
std::string untouched(const std::string& output) {
    const bool has_output = exists(output), has_backup = exists(backupPath(output));
    if (!has_output && !has_backup)
        return {};
    const std::string names = has_output && has_backup ? output + " and " + backupPath(output)
                              : has_output             ? output
                                                       : backupPath(output);
    return "; " + names +
           (has_output && has_backup ? " are left as they were" : " is left as it was");
}

// The whole output, synced, in a temporary file; its name. On failure nothing is left.
std::string writeTemporary(const FileWriter& write, const std::string& output) {
    std::string path;
    const int fd = createTemporaryBeside(output, path);
    try {
        write(fd);
        if (fsync(fd) != 0 || close(fd) != 0)
            throw Error(systemError());
    } catch (const Error& error) {
        close(fd);
        unlink(path.c_str());
        throw Error("cannot write output " + output + ": " + error.what() + untouched(output));
    }
    return path;
}

} // namespace

std::string backupPath(const std::string& output) {
    return output + ".old";
}

void checkOutputWritable(const std::string& output) {
    if (output.empty())
        throw Error("empty output file name");
    const OutputTarget target = outputTarget(output);
    if (target.kind == OutputKind::Stream) {
        if (access(output.c_str(), W_OK) != 0)
            throw Error("cannot write output " + output + ": " + systemError());
        return;
    }
    std::string probe_file;
    const int fd = createTemporaryBeside(target.path, probe_file);
    close(fd);
    unlink(probe_file.c_str());
}

std::optional<std::string> moveAsideExisting(const std::string& output) {
    if (!exists(output))
        return std::nullopt;
    const std::string backup = backupPath(output);
    if (std::rename(output.c_str(), backup.c_str()) != 0)
        throw Error("cannot rename " + output + " to " + backup + ": " + systemError());
    return backup;
}

std::optional<std::string> saveProfile(const Profile& profile, const std::string& output_path) {
    auto write = [&profile](int fd) { writeProfile(profile, fd); };
    return saveFile(write, output_path, Backup::Keep);
}

std::optional<std::string> saveFile(const FileWriter& write, const std::string& output_path,
                                    Backup backup_policy) {
    const OutputTarget target = outputTarget(output_path);
    const FileSizeSignalIgnored no_sigxfsz;
    if (target.kind == OutputKind::Stream) {
        writeIntoStream(write, output_path);
        return std::nullopt;
    }
    const std::string& output = target.path;
    const std::string temporary = writeTemporary(write, output);
    std::optional<std::string> backup;
    try {
        if (backup_policy == Backup::Keep)
            backup = moveAsideExisting(output);
    } catch (const Error&) {
        unlink(temporary.c_str());
        throw;
    }
    if (std::rename(temporary.c_str(), output.c_str()) != 0) {
        const std::string reason = systemError();
        unlink(temporary.c_str());
        throw Error("cannot rename " + temporary + " to " + output + ": " + reason);
    }
    return backup;
}

} // namespace hprof::cli
