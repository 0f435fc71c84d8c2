// gperftools CPU profile (CPUPROFILE): native words; a header (0, 3, 0, sampling period in
// microseconds, 0), records (count, depth, depth program counters, the sampled one first), a
// trailer (0, 1, 0), then the text of /proc/self/maps at the end of the run. The addresses are
// symbolized with the collector's symbolizer from the binaries the map names, as they are on
// this machine now (the profile has no build ids to check them against).
#include "frame_resolver.h"
#include "hprof/error.h"
#include "hprof/profile_builder.h"
#include "import_formats.h"

#include <charconv>
#include <cstring>
#include <fcntl.h>
#include <gelf.h>
#include <map>
#include <optional>
#include <unistd.h>

namespace hprof {
namespace {

// More samples than this in one file is taken for corruption (at 100 Hz: 11 days of CPU).
constexpr uint64_t kMaxSamples = 100'000'000;
// gperftools keeps at most 64 frames (kMaxStackDepth); deeper is corruption.
constexpr uint64_t kMaxDepth = 4096;

struct GperfRecord {
    uint64_t count = 0;
    std::vector<uint64_t> pcs; // the sampled pc first, then return addresses
};

struct GperfFile {
    uint64_t period_us = 0;
    std::vector<GperfRecord> records;
    std::string_view maps; // the text after the trailer
};

class WordReader {
  public:
    WordReader(std::string_view bytes, size_t width) : bytes_(bytes), width_(width) {}

    uint64_t next() {
        if (bytes_.size() - position_ < width_)
            throw Error("truncated (the samples end at byte " + std::to_string(bytes_.size()) +
                        " before the trailer)");
        uint64_t value = 0;
        for (size_t i = 0; i < width_; ++i)
            value |= uint64_t(uint8_t(bytes_[position_ + i])) << (8 * i);
        position_ += width_;
        return value;
    }

    size_t wordsLeft() const { return (bytes_.size() - position_) / width_; }
    std::string_view rest() const { return bytes_.substr(position_); }

  private:
    std::string_view bytes_;
    size_t width_;
    size_t position_ = 0;
};

GperfFile parseGperf(std::string_view bytes) {
    // 64-bit files start with eight zero bytes then 3; 32-bit files with four then 3.
    const size_t width = bytes.size() >= 16 && bytes[8] == 3 ? 8 : 4;
    WordReader words(bytes, width);
    const uint64_t header[] = {words.next(), words.next(), words.next(), words.next(),
                               words.next()};
    if (header[0] != 0 || header[1] != 3 || header[2] != 0 || header[4] != 0)
        throw Error("not a gperftools CPU profile (bad header)");
    if (header[3] == 0 || header[3] > 60'000'000)
        throw Error("not a gperftools CPU profile (sampling period of " +
                    std::to_string(header[3]) + " us)");
    GperfFile file{header[3], {}, {}};
    uint64_t samples = 0;
    while (true) {
        const uint64_t count = words.next();
        const uint64_t depth = words.next();
        if (count == 0) { // the trailer: 0, 1, 0
            if (depth != 1 || words.next() != 0)
                throw Error("corrupt gperftools CPU profile (bad trailer)");
            break;
        }
        if (depth == 0 || depth > kMaxDepth)
            throw Error("corrupt gperftools CPU profile (stack of " + std::to_string(depth) +
                        " frames)");
        samples += count;
        if (count > kMaxSamples || samples > kMaxSamples)
            throw Error("corrupt gperftools CPU profile (" + std::to_string(samples) + " samples)");
        GperfRecord record{count, {}};
        for (uint64_t i = 0; i < depth; ++i)
            record.pcs.push_back(words.next());
        file.records.push_back(std::move(record));
    }
    file.maps = words.rest();
    return file;
}

struct Mapping {
    uint64_t start = 0;
    uint64_t end = 0;
    uint64_t offset = 0;
    std::string path;
};

template <class T> std::optional<T> hexNumber(std::string_view text) {
    T value{};
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
    if (error != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

// "START-END PERMS OFFSET DEV INODE PATH": the executable mappings of files, and of pseudo
// files like [vdso], whose code gets "[vdso]+0xOFFSET" names.
std::vector<Mapping> parseMaps(std::string_view text) {
    std::vector<Mapping> mappings;
    size_t at = 0;
    while (at < text.size()) {
        const size_t end = std::min(text.find('\n', at), text.size());
        const std::string_view line = text.substr(at, end - at);
        at = end + 1;
        char perms[8] = {};
        unsigned long long start = 0, stop = 0, offset = 0;
        int path_at = 0;
        const std::string copy(line);
        if (std::sscanf(copy.c_str(), "%llx-%llx %7s %llx %*s %*s %n", &start, &stop, perms,
                        &offset, &path_at) < 4 ||
            path_at == 0)
            continue; // gperftools may add other lines (e.g. "build=..."): not mappings
        const std::string path = copy.substr(size_t(path_at));
        if (std::strchr(perms, 'x') && (path.starts_with('/') || path.starts_with('[')) &&
            start < stop)
            mappings.push_back(Mapping{start, stop, offset, path});
    }
    return mappings;
}

// File offsets to the ELF file's own virtual addresses (what the symbolizer takes), through the
// PT_LOAD segments; one table per file, read once.
class SegmentTables {
  public:
    std::optional<uint64_t> fileAddress(const std::string& path, uint64_t file_offset) {
        auto [position, inserted] = tables_.try_emplace(path);
        if (inserted)
            position->second = loadSegments(path);
        for (const GElf_Phdr& segment : position->second) {
            if (file_offset >= segment.p_offset &&
                file_offset < segment.p_offset + segment.p_filesz)
                return file_offset - segment.p_offset + segment.p_vaddr;
        }
        return std::nullopt;
    }

  private:
    static std::vector<GElf_Phdr> loadSegments(const std::string& path) {
        std::vector<GElf_Phdr> segments;
        elf_version(EV_CURRENT);
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return segments;
        if (Elf* elf = elf_begin(fd, ELF_C_READ, nullptr)) {
            size_t count = 0;
            if (elf_getphdrnum(elf, &count) == 0) {
                for (size_t i = 0; i < count; ++i) {
                    GElf_Phdr header;
                    if (gelf_getphdr(elf, int(i), &header) && header.p_type == PT_LOAD)
                        segments.push_back(header);
                }
            }
            elf_end(elf);
        }
        ::close(fd);
        return segments;
    }

    std::map<std::string, std::vector<GElf_Phdr>> tables_;
};

class GperfSymbols {
  public:
    GperfSymbols(ProfileBuilder& builder, std::vector<Mapping> mappings)
        : resolver_(builder, {}), mappings_(std::move(mappings)) {}

    std::span<const FrameId> frames(uint64_t pc) {
        auto [position, inserted] = chains_.try_emplace(pc);
        if (inserted)
            position->second = resolve(pc);
        return resolver_.frames(position->second);
    }

    const std::vector<std::string>& warnings() const { return resolver_.warnings(); }

  private:
    FrameResolver::Chain resolve(uint64_t pc) {
        for (const Mapping& mapping : mappings_) {
            if (pc < mapping.start || pc >= mapping.end)
                continue;
            const uint64_t offset = pc - mapping.start + mapping.offset;
            const std::optional<uint64_t> address =
                mapping.path.starts_with('[') ? offset
                                              : segments_.fileAddress(mapping.path, offset);
            if (address)
                return resolver_.resolve(resolver_.moduleFile(mapping.path, {}), *address);
        }
        return resolver_.resolveUnknown(pc);
    }

    FrameResolver resolver_;
    std::vector<Mapping> mappings_;
    SegmentTables segments_;
    std::map<uint64_t, FrameResolver::Chain> chains_;
};

} // namespace

Profile importGperftools(std::string_view bytes) {
    const GperfFile file = parseGperf(bytes);
    ProfileBuilder builder;
    builder.profile() = importedProfile(
        "gperftools",
        SourceGaps{.timestamps = true, .threads = true, .call_counts = true, .run_times = true});
    Profile& profile = builder.profile();
    profile.run.frequency_hz = uint32_t(1'000'000 / file.period_us);
    GperfSymbols symbols(builder, parseMaps(file.maps));
    const int64_t period_ns = int64_t(file.period_us) * 1000;
    for (const GperfRecord& record : file.records) {
        StackId stack;
        // Outermost first; return addresses are looked up one byte back, inside their call.
        for (size_t i = record.pcs.size(); i-- > 0;) {
            const std::span<const FrameId> frames = symbols.frames(record.pcs[i] - (i > 0));
            for (auto frame = frames.rbegin(); frame != frames.rend(); ++frame)
                stack = builder.internStack(stack, *frame);
        }
        for (uint64_t n = 0; n < record.count; ++n)
            profile.samples.push_back(Sample{0, ThreadId(0), stack, period_ns, false, false});
        profile.run.cpu_ns += int64_t(record.count) * period_ns;
    }
    profile.run.warnings = symbols.warnings();
    return builder.take();
}

} // namespace hprof
