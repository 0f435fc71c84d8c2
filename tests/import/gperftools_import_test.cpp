// gperftools CPU profiles written by hand, with program counters of this test's own functions
// and this process's /proc/self/maps: the import symbolizes them from the test binary.
#include "files.h"
#include "hprof/error.h"
#include "hprof/import.h"
#include "temp_dir.h"

#include <gtest/gtest.h>

namespace hprof {
namespace {

volatile int g_sink = 0;

[[gnu::noinline]] void gperfLeaf() {
    for (int i = 0; i < 10; ++i)
        g_sink = g_sink + i;
}

[[gnu::noinline]] void gperfCaller() {
    gperfLeaf();
    g_sink = g_sink + 1;
}

std::string word(uint64_t value) {
    std::string bytes(8, '\0');
    for (int i = 0; i < 8; ++i)
        bytes[i] = char((value >> (8 * i)) & 0xff);
    return bytes;
}

std::string header(uint64_t period_us = 1000) {
    return word(0) + word(3) + word(0) + word(period_us) + word(0);
}

std::string record(uint64_t count, const std::vector<uint64_t>& pcs) {
    std::string bytes = word(count) + word(pcs.size());
    for (uint64_t pc : pcs)
        bytes += word(pc);
    return bytes;
}

std::string trailer() {
    return word(0) + word(1) + word(0);
}

uint64_t address(void (*function)()) {
    return reinterpret_cast<uint64_t>(function);
}

// 3 samples in gperfLeaf called from gperfCaller (a return address inside gperfCaller), one in
// gperfCaller itself, one at an address no mapping holds.
std::string ownProfile() {
    const uint64_t leaf = address(gperfLeaf) + 1;
    const uint64_t caller = address(gperfCaller) + 6;
    return header() + record(3, {leaf, caller}) + record(1, {caller}) + record(1, {0x10}) +
           trailer() + test::readFile("/proc/self/maps");
}

std::vector<std::string> stackNames(const Profile& profile, const Sample& sample) {
    std::vector<std::string> names; // leaf first
    for (StackId node = sample.stack; node.valid(); node = profile.stack(node).parent)
        names.push_back(profile.function(profile.frame(profile.stack(node).frame).function).name);
    return names;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

TEST(GperftoolsImport, SymbolizesFromTheBinariesOfTheMap) {
    test::TempDir dir;
    const Profile profile = readAnyProfile(dir.writeFile("cpu.prof", ownProfile()));
    EXPECT_EQ(profile.run.source, "gperftools");
    ASSERT_EQ(profile.samples.size(), 5u);
    const std::vector<std::string> first = stackNames(profile, profile.samples[0]);
    ASSERT_EQ(first.size(), 2u);
    EXPECT_TRUE(contains(first[0], "gperfLeaf")) << first[0];
    EXPECT_TRUE(contains(first[1], "gperfCaller")) << first[1];
    EXPECT_EQ(stackNames(profile, profile.samples[2]), first);
    const std::vector<std::string> own = stackNames(profile, profile.samples[3]);
    ASSERT_EQ(own.size(), 1u);
    EXPECT_TRUE(contains(own[0], "gperfCaller")) << own[0];
    EXPECT_EQ(stackNames(profile, profile.samples[4]), std::vector<std::string>{"[unknown]+0x10"});
    const Function& leaf =
        profile.function(profile.frame(profile.stack(profile.samples[0].stack).frame).function);
    EXPECT_TRUE(contains(leaf.file, "gperftools_import_test.cpp")) << leaf.file;
}

TEST(GperftoolsImport, WeightsAreThePeriodAndTheRestIsMissing) {
    test::TempDir dir;
    const Profile profile = readAnyProfile(dir.writeFile("cpu.prof", ownProfile()));
    for (const Sample& sample : profile.samples) {
        EXPECT_EQ(sample.weight_ns, 1'000'000);
        EXPECT_EQ(sample.time_ns, 0);
        EXPECT_EQ(sample.thread, ThreadId(0));
    }
    EXPECT_EQ(profile.run.frequency_hz, 1000u);
    EXPECT_EQ(profile.run.cpu_ns, 5'000'000);
    EXPECT_TRUE(profile.run.missing.timestamps);
    EXPECT_TRUE(profile.run.missing.threads);
    EXPECT_TRUE(profile.run.missing.call_counts);
    EXPECT_FALSE(profile.run.missing.samples);
    EXPECT_EQ(profile.threads.size(), 1u);
    EXPECT_TRUE(profile.call_counts.empty());
}

// The start of this process's [vdso] mapping, from its maps.
uint64_t vdsoStart() {
    for (const std::string& line : {test::readFile("/proc/self/maps")}) {
        const size_t at = line.find("[vdso]");
        if (at == std::string::npos)
            break;
        const size_t begin = line.rfind('\n', at) + 1; // npos + 1 == 0 on the first line
        return std::stoull(line.substr(begin, line.find('-', begin) - begin), nullptr, 16);
    }
    return 0;
}

// An address in a pseudo file that no symbol covers (here the vDSO's ELF header) keeps hprof's
// "[vdso]+0xOFFSET" name.
TEST(GperftoolsImport, NamesCodeOfThePseudoFilesByOffset) {
    const uint64_t vdso = vdsoStart();
    ASSERT_NE(vdso, 0u);
    test::TempDir dir;
    const Profile profile =
        readAnyProfile(dir.writeFile("cpu.prof", header() + record(1, {vdso + 0x10}) + trailer() +
                                                     test::readFile("/proc/self/maps")));
    ASSERT_EQ(profile.samples.size(), 1u);
    EXPECT_EQ(stackNames(profile, profile.samples[0]), std::vector<std::string>{"[vdso]+0x10"});
}

void expectImportError(const std::string& bytes, const std::string& expected) {
    test::TempDir dir;
    try {
        readAnyProfile(dir.writeFile("cpu.prof", bytes));
        FAIL() << "no error for " << expected;
    } catch (const Error& error) {
        const std::string message = error.what();
        EXPECT_NE(message.find(dir.file("cpu.prof") + ": "), std::string::npos) << message;
        EXPECT_NE(message.find(expected), std::string::npos) << message;
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
}

TEST(GperftoolsImport, CorruptProfilesGetOneLineErrors) {
    const std::string samples = header() + record(2, {0x1000, 0x2000, 0x3000}) + trailer();
    for (size_t cut = 24; cut < samples.size(); cut += 8)
        expectImportError(samples.substr(0, cut), "truncated");
    expectImportError(header(0) + trailer(), "sampling period of 0 us");
    expectImportError(header() + word(1) + word(1'000'000) + word(5) + trailer(), "stack of");
    expectImportError(header() + word(0) + word(7) + word(0), "bad trailer");
    expectImportError(header() + record(uint64_t(1) << 62, {0x10}) + trailer(), "samples)");
    expectImportError(header() + record(1, {}) + trailer(), "stack of 0 frames");
}

} // namespace
} // namespace hprof
