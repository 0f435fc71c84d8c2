#include "hprof/profile_io.h"

#include "byte_codec.h"
#include "hprof/error.h"
#include "profile_codec.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <map>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

namespace hprof {
namespace {

// "\x89" keeps text tools from taking the file for text, "\r\n" catches newline translation.
constexpr std::string_view kMagic{"\x89HPROF\r\n", 8};
constexpr size_t kFileHeaderSize = 16;    // magic, schema version, header CRC
constexpr size_t kSectionHeaderSize = 16; // tag, payload length, CRC
constexpr std::string_view kEndTag = "END ";

using ByteSink = std::function<void(std::string_view)>;

uint32_t crc(std::string_view bytes, uint32_t seed = 0) {
    if (bytes.empty())
        return seed; // zlib answers 0 for a null buffer, whatever the seed
    return uint32_t(crc32_z(seed, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size()));
}

std::string errnoText() {
    return std::strerror(errno);
}

// A tag from a corrupt file may hold any bytes; keep the message one printable line.
std::string printableTag(std::string_view tag) {
    std::string text(tag);
    for (char& c : text) {
        if (c < 0x20 || c > 0x7e)
            c = '?';
    }
    return text;
}

// ---- writing ----

void writeSection(ByteSink& sink, std::string_view tag, std::string_view payload) {
    ByteWriter header;
    header.raw(tag);
    header.fixed64(payload.size());
    header.fixed32(crc(payload, crc(header.bytes())));
    sink(header.bytes());
    sink(payload);
}

// Hands the file to `sink` section by section: only one section's encoding is in memory at a
// time, in one buffer reused by all, instead of the sections and then a copy of the whole file
// (`hprof merge` of a large job writes hundreds of MB, and every fresh page costs a fault).
void encodeFile(const Profile& profile, ByteSink& sink) {
    ByteWriter header;
    header.raw(kMagic);
    header.fixed32(kSchemaVersion);
    header.fixed32(crc(header.bytes()));
    sink(header.bytes());
    ByteWriter payload;
    for (const SectionCodec& codec : sectionCodecs()) {
        payload.clear();
        codec.encode(profile, payload);
        writeSection(sink, codec.tag, payload.bytes());
    }
    writeSection(sink, kEndTag, {});
}

void writeAll(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        ssize_t written = ::write(fd, bytes.data(), bytes.size());
        if (written < 0 && errno == EINTR)
            continue;
        if (written < 0)
            throw Error(errnoText());
        bytes.remove_prefix(size_t(written));
    }
}

// The bytes reach the disk before the file takes the place of another (rename): a crash or a
// full disk never leaves a half-written profile under the final name.
void writeFile(const std::string& path, const Profile& profile) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        throw Error(errnoText());
    try {
        ByteSink sink = [fd](std::string_view bytes) { writeAll(fd, bytes); };
        encodeFile(profile, sink);
        if (::fsync(fd) != 0)
            throw Error(errnoText());
    } catch (const Error&) {
        ::close(fd);
        throw;
    }
    if (::close(fd) != 0)
        throw Error(errnoText());
}

// ---- reading ----

// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer; it is refused below.
std::string readFile(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        throw Error("cannot open: " + errnoText());
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        ::close(fd);
        throw Error("not a regular file");
    }
    std::string bytes(size_t(info.st_size), '\0');
    size_t done = 0;
    while (done < bytes.size()) {
        ssize_t got = ::read(fd, bytes.data() + done, bytes.size() - done);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        done += size_t(got);
    }
    int read_errno = errno;
    ::close(fd);
    if (done != bytes.size())
        throw Error("cannot read: " + std::string(std::strerror(read_errno)));
    return bytes;
}

void checkFileHeader(std::string_view file) {
    if (file.empty())
        throw Error("empty file, not an hprof profile");
    size_t compared = std::min(file.size(), kMagic.size());
    if (file.substr(0, compared) != kMagic.substr(0, compared))
        throw Error("not an hprof profile (unknown magic bytes)");
    if (file.size() < kFileHeaderSize)
        throw Error("truncated (file header needs " + std::to_string(kFileHeaderSize) +
                    " bytes, file has " + std::to_string(file.size()) + ")");
    ByteReader header(file.substr(kMagic.size(), 8), "file header");
    uint32_t schema = header.fixed32();
    if (header.fixed32() != crc(file.substr(0, 12)))
        throw Error("corrupt (checksum mismatch in the file header)");
    if (schema > kSchemaVersion)
        throw Error("written by a newer hprof (schema " + std::to_string(schema) +
                    ", this hprof reads up to " + std::to_string(kSchemaVersion) + ")");
    if (schema == 0)
        throw Error("unsupported schema 0");
}

// Splits the file into checked section payloads, keyed by tag. Sections this version does not
// know are skipped, so that an additive change needs no schema bump.
std::map<std::string, std::string_view, std::less<>> readSections(std::string_view file) {
    std::map<std::string, std::string_view, std::less<>> sections;
    size_t offset = kFileHeaderSize;
    while (true) {
        if (file.size() - offset < kSectionHeaderSize)
            throw Error("truncated (no end section; section header at byte " +
                        std::to_string(offset) + " is cut off at byte " +
                        std::to_string(file.size()) + ")");
        ByteReader header(file.substr(offset, kSectionHeaderSize), "section header");
        std::string tag(header.take(4));
        uint64_t length = header.fixed64();
        uint32_t stored_crc = header.fixed32();
        size_t payload_offset = offset + kSectionHeaderSize;
        if (length > file.size() - payload_offset)
            throw Error("truncated (section '" + printableTag(tag) + "' ends at byte " +
                        std::to_string(payload_offset + length) + " of " +
                        std::to_string(file.size()) + ")");
        std::string_view payload = file.substr(payload_offset, length);
        if (crc(payload, crc(file.substr(offset, 12))) != stored_crc)
            throw Error("corrupt (checksum mismatch in section '" + printableTag(tag) +
                        "' at byte " + std::to_string(offset) + ")");
        offset = payload_offset + length;
        if (tag == kEndTag)
            break;
        if (!sections.emplace(tag, payload).second)
            throw Error("corrupt (section '" + printableTag(tag) + "' appears twice)");
    }
    if (offset != file.size())
        throw Error("corrupt (" + std::to_string(file.size() - offset) +
                    " unexpected bytes after the end section)");
    return sections;
}

// Progress of one read: the share of the file's bytes decoded, and the cancel flag.
class ReadProgress {
  public:
    ReadProgress(const ReadControl& control, size_t file_size)
        : control_(control), file_size_(std::max<size_t>(file_size, 1)) {}

    // `offset`: the byte of the file reached.
    void at(size_t offset) const {
        if (control_.cancel && control_.cancel->load(std::memory_order_relaxed))
            throw ReadCancelled();
        if (control_.progress)
            control_.progress(std::min(1.0, double(offset) / double(file_size_)));
    }

  private:
    const ReadControl& control_;
    size_t file_size_;
};

// The sections a window shows before the rest is read.
bool inHeader(std::string_view tag) {
    return tag == "RUN " || tag == "PROC" || tag == "THRD";
}

Profile decodeFile(std::string_view file, const ReadControl& control, bool header_only) {
    const ReadProgress progress(control, file.size());
    checkFileHeader(file);
    auto sections = readSections(file);
    Profile profile;
    ByteReader header(file.substr(kMagic.size(), 4), "file header");
    profile.run.schema_version = header.fixed32();
    for (const SectionCodec& codec : sectionCodecs()) {
        if (codec.since_schema > profile.run.schema_version ||
            (header_only && !inHeader(codec.tag)))
            continue;
        auto found = sections.find(codec.tag);
        if (found == sections.end())
            throw Error("corrupt (section '" + std::string(codec.tag) + "' is missing)");
        const size_t start = size_t(found->second.data() - file.data());
        const std::function<void(size_t)> listener = [&](size_t offset) {
            progress.at(start + offset);
        };
        ByteReader payload(found->second, "section '" + std::string(codec.tag) + "'");
        payload.setProgressListener(&listener);
        progress.at(start);
        codec.decode(payload, profile);
        payload.expectEnd();
    }
    checkReferences(profile);
    progress.at(file.size());
    return profile;
}

Profile readAndDecode(const std::string& path, const ReadControl& control, bool header_only) {
    try {
        return decodeFile(readFile(path), control, header_only);
    } catch (const ReadCancelled&) {
        throw;
    } catch (const Error& error) {
        throw Error(path + ": " + error.what());
    }
}

} // namespace

void writeProfile(const Profile& profile, int fd) {
    checkReferences(profile);
    ByteSink sink = [fd](std::string_view bytes) { writeAll(fd, bytes); };
    encodeFile(profile, sink);
}

void writeProfile(const Profile& profile, const std::string& path) {
    std::string temporary = path + ".tmp." + std::to_string(::getpid());
    try {
        checkReferences(profile);
        writeFile(temporary, profile);
        if (::rename(temporary.c_str(), path.c_str()) != 0)
            throw Error(errnoText());
    } catch (const Error& error) {
        ::unlink(temporary.c_str());
        throw Error(path + ": cannot write: " + error.what());
    }
}

Profile readProfile(const std::string& path) {
    return readAndDecode(path, {}, false);
}

Profile readProfile(const std::string& path, const ReadControl& control) {
    return readAndDecode(path, control, false);
}

Profile readProfileHeader(const std::string& path) {
    return readAndDecode(path, {}, true);
}

} // namespace hprof
