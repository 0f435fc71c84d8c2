// readAnyProfile: recognises a file by its first bytes and hands it to its reader.
#include "hprof/import.h"

#include "hprof/error.h"
#include "import_formats.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hprof {
namespace {

constexpr std::string_view kHprofMagic{"\x89HPROF\r\n", 8};
constexpr size_t kSniffBytes = 4096;
constexpr const char* kPseudoThreadNote = "all threads (the source has no threads)";

// Like readProfile, only regular files: a FIFO would be read (and consumed) by the sniffing.
int openRegularFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        throw Error(path + ": " + std::strerror(errno));
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        ::close(fd);
        throw Error(path + ": not a regular file");
    }
    return fd;
}

// Up to `limit` bytes from the start of the file.
std::string readBytes(const std::string& path, size_t limit) {
    const int fd = openRegularFile(path);
    std::string bytes;
    char buffer[1 << 16];
    while (bytes.size() < limit) {
        const ssize_t got = ::read(fd, buffer, std::min(sizeof buffer, limit - bytes.size()));
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            const std::string reason = std::strerror(errno);
            ::close(fd);
            throw Error(path + ": " + reason);
        }
        if (got == 0)
            break;
        bytes.append(buffer, size_t(got));
    }
    ::close(fd);
    return bytes;
}

// gperftools' header: the words 0, 3, 0 (header words, version), in 8- or 4-byte words.
bool isGperftools(std::string_view head) {
    auto zeros = [&](size_t from, size_t count) {
        return head.size() >= from + count &&
               head.substr(from, count).find_first_not_of('\0') == std::string_view::npos;
    };
    auto three = [&](size_t at, size_t width) {
        return zeros(at + 1, width - 1) && head.size() > at && head[at] == 3;
    };
    return (zeros(0, 8) && three(8, 8) && zeros(16, 8)) ||
           (zeros(0, 4) && three(4, 4) && zeros(8, 4));
}

// marshal.dump of a dict: '{', possibly with FLAG_REF, then a key tuple.
bool isPstats(std::string_view head) {
    return head.size() >= 2 && (uint8_t(head[0]) & 0x7f) == '{' &&
           ((uint8_t(head[1]) & 0x7f) == ')' || (uint8_t(head[1]) & 0x7f) == '(' || head[1] == '0');
}

// Text whose first line that is not a comment is "COMM PID ... TIME: ..." or similar: a
// non-indented line followed by an indented frame line, or a header line with a time stamp.
bool isPerfScript(std::string_view head) {
    if (head.find('\0') != std::string_view::npos)
        return false;
    size_t start = 0;
    while (start < head.size() && (head[start] == '#' || head[start] == '\n')) {
        const size_t end = head.find('\n', start);
        if (end == std::string_view::npos)
            return false;
        start = end + 1;
    }
    const size_t end = head.find('\n', start);
    const std::string_view line = head.substr(start, end - start);
    return !line.empty() && line[0] != ' ' && line[0] != '\t' &&
           line.find(':') != std::string_view::npos;
}

Profile importBytes(ProfileFormat format, std::string_view bytes) {
    switch (format) {
    case ProfileFormat::Pstats:
        return importPstats(bytes);
    case ProfileFormat::PerfScript:
        return importPerfScript(bytes);
    case ProfileFormat::Gperftools:
        return importGperftools(bytes);
    case ProfileFormat::Hprof:
    case ProfileFormat::Unknown:
        break;
    }
    throw Error("not a profile hprof can read (neither .hprof nor pstats, perf script or "
                "gperftools CPU profile)");
}

} // namespace

ProfileFormat detectProfileFormat(const std::string& path) {
    const std::string head = readBytes(path, kSniffBytes);
    if (head.starts_with(kHprofMagic))
        return ProfileFormat::Hprof;
    if (isGperftools(head))
        return ProfileFormat::Gperftools;
    if (isPstats(head))
        return ProfileFormat::Pstats;
    if (isPerfScript(head))
        return ProfileFormat::PerfScript;
    return ProfileFormat::Unknown;
}

Profile readAnyProfile(const std::string& path, const ReadControl& control) {
    const ProfileFormat format = detectProfileFormat(path);
    if (format == ProfileFormat::Hprof)
        return readProfile(path, control);
    const std::string bytes = readBytes(path, std::string::npos);
    try {
        Profile profile = importBytes(format, bytes);
        if (control.progress)
            control.progress(1.0);
        return profile;
    } catch (const Error& error) {
        throw Error(path + ": " + error.what());
    }
}

Profile importedProfile(const char* source, const SourceGaps& missing) {
    Profile profile;
    profile.run.source = source;
    profile.run.missing = missing;
    profile.run.trigger = source;
    if (missing.threads) { // one process and thread hold what the source did not attribute
        profile.processes.push_back(Process{});
        profile.processes.back().note = kPseudoThreadNote;
        profile.threads.push_back(Thread{ProcessId(0), 0, kPseudoThreadNote, 0, 0, 0});
    }
    return profile;
}

} // namespace hprof
