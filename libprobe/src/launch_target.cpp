#include "launch_target.h"

#include <cstdlib>
#include <cstring>
#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace hprof::probe {
namespace {

// The kernel ignores the set-ID bits on a nosuid mount, and bits that would not change the
// identity do not make the loader secure either.
bool changesIdentity(int fd, const struct stat& status) {
    const bool setuid = (status.st_mode & S_ISUID) && status.st_uid != getuid();
    const bool setgid = (status.st_mode & S_ISGID) && status.st_gid != getgid();
    if (!setuid && !setgid)
        return false;
    struct statvfs mount {};
    return fstatvfs(fd, &mount) != 0 || (mount.f_flag & ST_NOSUID) == 0;
}

template <class Header, class ProgramHeader> bool hasInterpreter(int fd, const Header& header) {
    if (header.e_phentsize != sizeof(ProgramHeader))
        return true; // a layout we do not know: assume the usual dynamic program
    for (unsigned i = 0; i < header.e_phnum; ++i) {
        ProgramHeader program{};
        const off_t offset = off_t(header.e_phoff + i * sizeof(ProgramHeader));
        if (pread(fd, &program, sizeof program, offset) != ssize_t(sizeof program))
            return true;
        if (program.p_type == PT_INTERP)
            return true;
    }
    return false;
}

// An ELF file with no PT_INTERP. Scripts ("#!") and anything else count as dynamic: their
// interpreter is almost always a dynamic program.
bool isStaticElf(int fd) {
    union {
        unsigned char ident[EI_NIDENT];
        Elf32_Ehdr elf32;
        Elf64_Ehdr elf64;
    } header{};
    const ssize_t length = pread(fd, &header, sizeof header, 0);
    if (length < ssize_t(sizeof(Elf32_Ehdr)) || memcmp(header.ident, ELFMAG, SELFMAG) != 0)
        return false;
    if (header.ident[EI_CLASS] == ELFCLASS64 && length == ssize_t(sizeof(Elf64_Ehdr)))
        return !hasInterpreter<Elf64_Ehdr, Elf64_Phdr>(fd, header.elf64);
    if (header.ident[EI_CLASS] == ELFCLASS32)
        return !hasInterpreter<Elf32_Ehdr, Elf32_Phdr>(fd, header.elf32);
    return false;
}

} // namespace

raw::NotFollowed classifyProgramFd(int fd) {
    struct stat status {};
    if (fstat(fd, &status) != 0)
        return raw::NotFollowed::No;
    if (changesIdentity(fd, status))
        return raw::NotFollowed::Setuid;
    return isStaticElf(fd) ? raw::NotFollowed::Static : raw::NotFollowed::No;
}

raw::NotFollowed classifyProgram(const char* path) {
    // O_PATH would do for fstat but not for pread; an unreadable (execute-only) file stays
    // unclassified, as NotFollowed::No.
    const int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return raw::NotFollowed::No;
    const raw::NotFollowed result = classifyProgramFd(fd);
    close(fd);
    return result;
}

const char* findOnPath(const char* file, char* out, size_t size) {
    if (!file || !*file || strchr(file, '/'))
        return file;
    const char* path = getenv("PATH");
    if (!path)
        path = "/bin:/usr/bin"; // glibc's default for execvp
    const size_t file_length = strlen(file);
    for (const char* directory = path;; ++directory) {
        const char* end = strchrnul(directory, ':');
        const size_t length = size_t(end - directory);
        // An empty entry means the current directory.
        if (length + 1 + file_length + 1 <= size) {
            char* cursor = out;
            if (length > 0) {
                memcpy(cursor, directory, length);
                cursor += length;
                *cursor++ = '/';
            }
            memcpy(cursor, file, file_length + 1);
            if (access(out, X_OK) == 0)
                return out;
        }
        if (*end == '\0')
            return file;
        directory = end;
    }
}

} // namespace hprof::probe
