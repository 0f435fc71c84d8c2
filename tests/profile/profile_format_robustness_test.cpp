// readProfile on damaged and foreign input: always a one-line hprof::Error that starts with the
// path, never a crash or an absurd allocation.
#include "files.h"
#include "hprof/error.h"
#include "hprof/profile_io.h"
#include "temp_dir.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <optional>
#include <zlib.h>

namespace hprof {
namespace {

using test::TempDir;

// The error message readProfile gives for `bytes`, or "" if it reads them fine.
std::string readError(const TempDir& dir, const std::string& bytes) {
    std::string path = dir.file("damaged.hprof");
    test::writeFile(path, bytes);
    try {
        readProfile(path);
    } catch (const Error& error) {
        std::string message = error.what();
        EXPECT_EQ(message.rfind(path + ": ", 0), 0u) << message;
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
        return message.substr(path.size() + 2);
    }
    return "";
}

std::string smallFileBytes(const TempDir& dir) {
    writeProfile(test::smallProfile(), dir.file("small.hprof"));
    return test::readFile(dir.file("small.hprof"));
}

void putFixed(std::string& bytes, size_t offset, uint64_t value, size_t width) {
    for (size_t i = 0; i < width; ++i)
        bytes[offset + i] = char(value >> (8 * i));
}

uint64_t getFixed(const std::string& bytes, size_t offset, size_t width) {
    uint64_t value = 0;
    for (size_t i = width; i-- > 0;)
        value = (value << 8) | uint8_t(bytes[offset + i]);
    return value;
}

std::string section(const std::string& tag, const std::string& payload) {
    std::string bytes = tag + std::string(12, '\0');
    putFixed(bytes, 4, payload.size(), 8);
    uLong crc = crc32(0, reinterpret_cast<const Bytef*>(bytes.data()), 12);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(payload.data()), uInt(payload.size()));
    putFixed(bytes, 12, crc, 4);
    return bytes + payload;
}

// Rebuilds a file with the payload of section `tag` replaced (removed if nullopt) and all
// checksums valid, so that only the reader's semantic checks stand between the forged content
// and the Profile.
std::string replaceSection(const std::string& file, const std::string& tag,
                           const std::optional<std::string>& payload) {
    std::string result = file.substr(0, 16);
    for (size_t offset = 16; offset < file.size();) {
        std::string current_tag = file.substr(offset, 4);
        size_t length = getFixed(file, offset + 4, 8);
        std::string current = file.substr(offset + 16, length);
        if (current_tag != tag)
            result += section(current_tag, current);
        else if (payload)
            result += section(current_tag, *payload);
        offset += 16 + length;
    }
    return result;
}

std::string insertBeforeEnd(const std::string& file, const std::string& extra) {
    return file.substr(0, file.size() - 16) + extra + file.substr(file.size() - 16);
}

TEST(ProfileFormatRobustness, EveryTruncationIsAnError) {
    TempDir dir;
    std::string file = smallFileBytes(dir);
    ASSERT_EQ(readError(dir, file), "");
    for (size_t length = 0; length < file.size(); ++length)
        EXPECT_NE(readError(dir, file.substr(0, length)), "") << "cut at " << length;
}

TEST(ProfileFormatRobustness, EveryFlippedByteIsAnError) {
    TempDir dir;
    std::string file = smallFileBytes(dir);
    for (uint8_t mask : {0x01, 0x80, 0xff}) {
        for (size_t offset = 0; offset < file.size(); ++offset) {
            std::string damaged = file;
            damaged[offset] = char(damaged[offset] ^ mask);
            EXPECT_NE(readError(dir, damaged), "") << "byte " << offset << " ^ " << int(mask);
        }
    }
}

TEST(ProfileFormatRobustness, ExplainsTheKindOfDamage) {
    TempDir dir;
    std::string file = smallFileBytes(dir);
    EXPECT_EQ(readError(dir, file.substr(0, 20)).rfind("truncated", 0), 0u);
    std::string flipped = file;
    flipped[file.size() - 20] ^= 1;
    EXPECT_EQ(readError(dir, flipped).rfind("corrupt (checksum mismatch", 0), 0u);
    EXPECT_EQ(readError(dir, file + "x").rfind("corrupt (1 unexpected bytes", 0), 0u);
}

TEST(ProfileFormatRobustness, RejectsForeignFiles) {
    TempDir dir;
    EXPECT_EQ(readError(dir, ""), "empty file, not an hprof profile");
    EXPECT_EQ(readError(dir, "hello, world\nthis is text\n"),
              "not an hprof profile (unknown magic bytes)");
    std::string elf = test::readFile("/proc/self/exe").substr(0, 4096);
    ASSERT_EQ(elf.substr(0, 4), "\x7f"
                                "ELF");
    EXPECT_EQ(readError(dir, elf), "not an hprof profile (unknown magic bytes)");
}

TEST(ProfileFormatRobustness, RejectsMissingAndUnreadablePaths) {
    TempDir dir;
    for (std::string path : {dir.file("missing.hprof"), dir.path()}) {
        try {
            readProfile(path);
            FAIL() << "no error for " << path;
        } catch (const Error& error) {
            EXPECT_EQ(std::string(error.what()).rfind(path + ": ", 0), 0u) << error.what();
        }
    }
}

TEST(ProfileFormatRobustness, RejectsANewerSchema) {
    TempDir dir;
    std::string file = smallFileBytes(dir);
    putFixed(file, 8, kSchemaVersion + 1, 4);
    putFixed(file, 12, crc32(0, reinterpret_cast<const Bytef*>(file.data()), 12), 4);
    EXPECT_EQ(readError(dir, file),
              "written by a newer hprof (schema " + std::to_string(kSchemaVersion + 1) +
                  ", this hprof reads up to " + std::to_string(kSchemaVersion) + ")");
}

// smallProfile() has 2 threads, 2 stack nodes (0 = f, 1 = f->g) and 2 frames.
TEST(ProfileFormatRobustness, RejectsIdsOutsideTheirTables) {
    TempDir dir;
    std::string file = smallFileBytes(dir);
    // One sample: time delta 0, thread * 4 + run_queue * 2 + off_cpu, stack, weight delta 0.
    EXPECT_EQ(readError(dir, replaceSection(file, "SAMP", std::string("\x01\x00\x00\x00\x00", 5))),
              "");
    EXPECT_EQ(readError(dir, replaceSection(file, "SAMP", std::string("\x01\x00\x03\x00\x00", 5))),
              "");
    EXPECT_EQ(readError(dir, replaceSection(file, "SAMP", std::string("\x01\x00\x06\x00\x00", 5))),
              "");
    EXPECT_EQ(readError(dir, replaceSection(file, "SAMP", std::string("\x01\x00\x08\x00\x00", 5))),
              "sample 0 refers to thread 2 but there are only 2");
    EXPECT_EQ(readError(dir, replaceSection(file, "SAMP", std::string("\x01\x00\x00\x07\x00", 5))),
              "sample 0 refers to stack node 7 but there are only 2");
    // Two stack nodes where the first names the second as its parent: a cycle in the making.
    EXPECT_EQ(readError(dir, replaceSection(file, "STAK", std::string("\x02\x02\x00\x00\x01", 5))),
              "stack node 0 refers to parent stack node 1 but there are only 0");
    EXPECT_EQ(readError(dir, replaceSection(file, "FRAM", std::string("\x01\x05\x00\x00", 4))),
              "frame 0 refers to function 5 but there are only 2");
}

// smallProfile() has 2 threads and 2 functions. A call count is (thread, function, calls,
// primitive calls, then tottime and cumtime each as a presence flag and, if 1, the value); an edge
// is (thread, caller + 1 or 0 for none, callee, calls, primitive, the same two times).
TEST(ProfileFormatRobustness, RejectsCallIdsOutsideTheirTables) {
    TempDir dir;
    std::string file = smallFileBytes(dir);
    auto withCalls = [&](const char* tag, const std::string& payload) {
        return readError(dir, replaceSection(file, tag, payload));
    };
    EXPECT_EQ(withCalls("CALL", std::string("\x01\x01\x01\x05\x04\x00\x00", 7)), "");
    EXPECT_EQ(withCalls("CALL", std::string("\x01\x01\x01\x05\x04\x01\x0a\x01\x14", 9)), "");
    EXPECT_EQ(withCalls("CALL", std::string("\x01\x01\x01\x05\x04\x01\x0a\x01", 8))
                  .rfind("section 'CALL': ", 0),
              0u);
    EXPECT_EQ(withCalls("CALL", std::string("\x01\x02\x01\x05\x04\x00\x00", 7)),
              "call count 0 refers to thread 2 but there are only 2");
    EXPECT_EQ(withCalls("CALL", std::string("\x01\x00\x02\x05\x04\x00\x00", 7)),
              "call count 0 refers to function 2 but there are only 2");
    EXPECT_EQ(withCalls("EDGE", std::string("\x01\x01\x00\x01\x05\x04\x00\x00", 8)), "");
    EXPECT_EQ(withCalls("EDGE", std::string("\x01\x01\x02\x01\x05\x04\x00\x00", 8)), "");
    EXPECT_EQ(withCalls("EDGE", std::string("\x01\x02\x00\x01\x05\x04\x00\x00", 8)),
              "call edge 0 refers to thread 2 but there are only 2");
    EXPECT_EQ(withCalls("EDGE", std::string("\x01\x01\x03\x01\x05\x04\x00\x00", 8)),
              "call edge 0 refers to caller function 2 but there are only 2");
    EXPECT_EQ(withCalls("EDGE", std::string("\x01\x01\x00\x07\x05\x04\x00\x00", 8)),
              "call edge 0 refers to callee function 7 but there are only 2");
}

// smallProfile() has 2 threads and 2 functions. The trace is a count of runs, each (thread, event
// count, then per event function, start delta zigzag-encoded, duration).
TEST(ProfileFormatRobustness, RejectsTraceIdsOutsideTheirTablesAndNegativeDurations) {
    TempDir dir;
    std::string file = smallFileBytes(dir);
    auto withTrace = [&](const std::string& payload) {
        return readError(dir, replaceSection(file, "TRCE", payload));
    };
    EXPECT_EQ(withTrace(std::string("\x01\x01\x02\x01\x0a\x05\x00\x02\x03", 9)), "");
    EXPECT_EQ(withTrace(std::string("\x01\x02\x01\x01\x0a\x05", 6)),
              "trace event 0 refers to thread 2 but there are only 2");
    EXPECT_EQ(withTrace(std::string("\x01\x01\x02\x01\x0a\x05\x02\x02\x03", 9)),
              "trace event 1 refers to function 2 but there are only 2");
    std::string negative = std::string("\x01\x00\x01\x00\x00", 5) + // duration 2^64 - 1
                           "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01";
    EXPECT_EQ(withTrace(negative), "trace event 0 has a negative duration (-1 ns)");
    EXPECT_EQ(withTrace(std::string("\x01\x00\x05\x00\x00", 5)).rfind("section 'TRCE': ", 0), 0u);
}

// A file of an older schema, written byte by byte as the format document describes it. Schema 1:
// no CALL, EDGE and TRCE sections, no instrumentation string at the end of RUN; schema 2: CALL
// and EDGE (without times) and the instrumentation string, but no TRCE nor min_duration_ns;
// schema 3: TRCE (empty here) and min_duration_ns.
std::string oldSchemaFile(uint32_t schema) {
    std::string header = std::string("\x89HPROF\r\n", 8) + std::string(8, '\0');
    putFixed(header, 8, schema, 4);
    putFixed(header, 12, crc32(0, reinterpret_cast<const Bytef*>(header.data()), 12), 4);
    using namespace std::string_literals;
    // command {"old"}, start 0, wall 50 (zigzag 100), cpu 0, host "h", 100 Hz, trigger "",
    // version "0.1", exit status 0, 0 dropped, no warnings.
    std::string run = "\x01\x03old\x00\x64\x00\x01h\x64\x00\x03"
                      "0.1\x00\x00\x00"s;
    // pid 7, ppid 1, "old", start 0, end 50, exit status 0.
    std::string processes = "\x01\x0e\x02\x03old\x00\x64\x01\x00"s;
    std::string threads = "\x01\x00\x0e\x00\x00\x64\x00"s; // tid 7 of process 0
    std::string functions = "\x01\x01"
                            "f\x00\x00\x00"s;      // "f", no file, no module
    std::string frames = "\x01\x00\x03\x00"s;      // f at line 3
    std::string stacks = "\x01\x00\x00"s;          // the root node
    std::string samples = "\x01\x14\x00\x00\x0a"s; // t=10, weight 5
    std::string calls;
    if (schema >= 2) {
        run += "\x06"
               "counts"s;
        // f called 3 times (1 primitive) from uninstrumented code on thread 0.
        calls =
            section("CALL", "\x01\x00\x00\x03\x01"s) + section("EDGE", "\x01\x00\x00\x00\x03\x01"s);
    }
    if (schema >= 3) {
        run += "\x00"s; // min_duration_ns 0
        calls += section("TRCE", "\x00"s);
    }
    return header + section("RUN ", run) + section("PROC", processes) + section("THRD", threads) +
           section("MODS", "\x00"s) + section("FUNC", functions) + section("FRAM", frames) +
           section("STAK", stacks) + section("SAMP", samples) + calls + section("END ", "");
}

TEST(ProfileFormatRobustness, ReadsSchema1To3Files) {
    TempDir dir;
    for (uint32_t schema : {1u, 2u, 3u}) {
        test::writeFile(dir.file("old.hprof"), oldSchemaFile(schema));
        Profile profile = readProfile(dir.file("old.hprof"));
        EXPECT_EQ(profile.run.schema_version, schema);
        EXPECT_EQ(profile.run.command, std::vector<std::string>{"old"});
        EXPECT_EQ(profile.run.wall_ns, 50);
        EXPECT_EQ(profile.run.hprof_version, "0.1");
        EXPECT_EQ(profile.run.runs, 1u); // before schema 7: one run
        EXPECT_EQ(profile.run.instrumentation, schema == 1 ? "" : "counts");
        EXPECT_EQ(profile.run.min_duration_ns, 0);
        ASSERT_EQ(profile.samples.size(), 1u);
        EXPECT_EQ(profile.samples[0].time_ns, 10);
        EXPECT_EQ(profile.samples[0].weight_ns, 5);
        EXPECT_EQ(profile.function(profile.frame(profile.stack(StackId(0)).frame).function).name,
                  "f");
        const size_t calls = schema == 1 ? 0 : 1;
        ASSERT_EQ(profile.call_counts.size(), calls);
        ASSERT_EQ(profile.call_edges.size(), calls);
        if (calls > 0) {
            EXPECT_EQ(profile.call_counts[0].calls, 3u);
            EXPECT_EQ(profile.call_counts[0].primitive_calls, 1u);
            EXPECT_FALSE(profile.call_counts[0].tottime_ns || profile.call_counts[0].cumtime_ns);
            EXPECT_EQ(profile.call_edges[0].calls, 3u);
            EXPECT_FALSE(profile.call_edges[0].caller.valid());
            EXPECT_FALSE(profile.call_edges[0].tottime_ns || profile.call_edges[0].cumtime_ns);
        }
        EXPECT_TRUE(profile.trace_events.empty());
        // Written again, it becomes a file of the current schema.
        writeProfile(profile, dir.file("new.hprof"));
        EXPECT_EQ(readProfile(dir.file("new.hprof")).run.schema_version, kSchemaVersion);
    }
}

// A schema 8 file: a current file of a profile whose schema 9 fields are all at their defaults,
// with those fields cut off (RUN's job_id "" and world_size 0, PROC's rank -1 and host "": one
// byte each) and the header's schema set to 8.
std::string schema8File(const TempDir& dir) {
    std::string file = smallFileBytes(dir);
    std::string current;
    for (size_t offset = 16; offset < file.size(); offset += 16 + getFixed(file, offset + 4, 8)) {
        std::string tag = file.substr(offset, 4);
        std::string payload = file.substr(offset + 16, getFixed(file, offset + 4, 8));
        if (tag == "RUN " || tag == "PROC") // one process in smallProfile
            payload.resize(payload.size() - 2);
        current += section(tag, payload);
    }
    std::string header = file.substr(0, 16);
    putFixed(header, 8, 8, 4);
    putFixed(header, 12, crc32(0, reinterpret_cast<const Bytef*>(header.data()), 12), 4);
    return header + current;
}

TEST(ProfileFormatRobustness, ReadsSchema8Files) {
    TempDir dir;
    test::writeFile(dir.file("old.hprof"), schema8File(dir));
    Profile profile = readProfile(dir.file("old.hprof"));
    EXPECT_EQ(profile.run.schema_version, 8u);
    EXPECT_EQ(profile.run.job_id, "");
    EXPECT_EQ(profile.run.world_size, 0);
    ASSERT_EQ(profile.processes.size(), 1u);
    EXPECT_EQ(profile.processes[0].rank, -1);
    EXPECT_EQ(profile.processes[0].host, "");
    Profile expected = test::smallProfile();
    expected.run.schema_version = 8;
    test::expectEqual(expected, profile);
}

TEST(ProfileFormatRobustness, AHugeCountDoesNotAllocate) {
    TempDir dir;
    std::string file = smallFileBytes(dir);
    std::string huge_count = "\xff\xff\xff\xff\xff\xff\xff\xff\x7f"; // 2^63 - 1 samples
    std::string message = readError(dir, replaceSection(file, "SAMP", huge_count));
    EXPECT_EQ(message.rfind("section 'SAMP': table of 9223372036854775807 entries", 0), 0u)
        << message;
    std::string huge_string = std::string("\x01\x0a\x01\x80\x80\x80\x80\x10", 8);
    EXPECT_NE(readError(dir, replaceSection(file, "PROC", huge_string)), "");
}

TEST(ProfileFormatRobustness, SkipsUnknownSectionsButNotDuplicates) {
    TempDir dir;
    std::string file = smallFileBytes(dir);
    EXPECT_EQ(readError(dir, insertBeforeEnd(file, section("XTRA", "future data"))), "");
    EXPECT_EQ(readError(dir, insertBeforeEnd(file, section("SAMP", std::string(1, '\0')))),
              "corrupt (section 'SAMP' appears twice)");
    EXPECT_EQ(readError(dir, replaceSection(file, "SAMP", std::nullopt)),
              "corrupt (section 'SAMP' is missing)");
    EXPECT_EQ(readError(dir, replaceSection(file, "EDGE", std::nullopt)),
              "corrupt (section 'EDGE' is missing)");
    EXPECT_EQ(readError(dir, replaceSection(file, "TRCE", std::nullopt)),
              "corrupt (section 'TRCE' is missing)");
}

} // namespace
} // namespace hprof
