// Symbolization of real code addresses taken from the fixture program.
#include "fixture_report.h"
#include "hprof/collector.h"
#include "hprof/error.h"
#include "raw_stream_writer.h"
#include "temp_dir.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <dlfcn.h>
#include <filesystem>
#include <map>
#include <sys/auxv.h>

namespace hprof::testing {
namespace {

using test::TempDir;

constexpr int32_t kTid = 1000;
const char* const kLibrary = "libcollector_fixture_lib.so";
const char* const kDlLibrary = "libcollector_fixture_dl.so";

class SymbolizationTest : public ::testing::Test {
  protected:
    // Module path as the probe records it ("" for the main program, "[vdso]" for the vDSO),
    // unless `replaced` maps the reported path to another file.
    std::string recordedPath(const FixtureModule& module) const {
        if (const auto found = replaced.find(module.path); found != replaced.end())
            return found->second;
        if (module.path.empty() || module.path.front() == '/')
            return module.path;
        return "[vdso]";
    }

    void writeModules(RawStreamWriter& writer, uint64_t time_ns) const {
        for (const FixtureModule& module : report.modules)
            writer.moduleLoad(time_ns, module.load_bias, module.start, module.end, module.build_id,
                              recordedPath(module));
    }

    // One sample per site (a one-frame stack), in order, with every fixture module loaded.
    Profile collectSites(const std::vector<std::string>& site_names) const {
        {
            RawStreamWriter writer(dir.file("1000.raw"), {});
            writer.process(1'000'000'000, {"collector_fixture"}, fixturePath("collector_fixture"));
            writeModules(writer, 1'000'000'001);
            uint64_t time = 1'000'000'100;
            for (const std::string& name : site_names) {
                const uint64_t address = report.sites.at(name).address;
                writer.sample(++time, 1000, kTid, std::span(&address, 1));
            }
        }
        return collect({dir.path(), {}, debuginfo_paths});
    }

    const Function& leafFunction(const Profile& profile, size_t sample) const {
        return profile.function(
            leafFirstFrames(profile, profile.samples.at(sample)).at(0).function);
    }

    const FixtureReport& report = fixtureReport();
    TempDir dir;
    std::map<std::string, std::string> replaced;
    std::vector<std::string> debuginfo_paths;
};

TEST_F(SymbolizationTest, TemplateMethodGetsSignatureFileAndLines) {
    const Profile profile = collectSites({"multiply"});
    ASSERT_EQ(profile.samples.size(), 1u);
    const std::vector<Frame> frames = leafFirstFrames(profile, profile.samples[0]);
    ASSERT_EQ(frames.size(), 1u);
    const Function& function = profile.function(frames[0].function);
    EXPECT_EQ(function.name, "Matrix<double>::multiply(Matrix<double> const&) const");
    EXPECT_TRUE(function.file.ends_with("fixture_main.cpp")) << function.file;
    EXPECT_EQ(function.line, static_cast<uint32_t>(report.lines.at("Matrix::multiply")));
    EXPECT_EQ(frames[0].line, static_cast<uint32_t>(report.sites.at("multiply").line));
    EXPECT_FALSE(frames[0].inlined);
    EXPECT_EQ(profile.module(function.module).path, fixturePath("collector_fixture"));
    EXPECT_EQ(profile.module(function.module).build_id, report.mainProgram().build_id_hex);
    EXPECT_TRUE(profile.run.warnings.empty());
}

TEST_F(SymbolizationTest, InlinedFunctionIsAFrameBetweenLeafAndItsCaller) {
    const Profile profile = collectSites({"scaled"});
    const std::vector<Frame> frames = leafFirstFrames(profile, profile.samples.at(0));
    ASSERT_EQ(frames.size(), 2u);

    const Function& inlined = profile.function(frames[0].function);
    // A static function only ever inlined has no linkage name: it is known by its plain name.
    EXPECT_EQ(inlined.name, "scaled");
    EXPECT_TRUE(frames[0].inlined);
    EXPECT_EQ(frames[0].line, static_cast<uint32_t>(report.sites.at("scaled").line));
    EXPECT_EQ(inlined.line, static_cast<uint32_t>(report.lines.at("scaled")));
    EXPECT_TRUE(inlined.file.ends_with("fixture_main.cpp")) << inlined.file;

    const Function& caller = profile.function(frames[1].function);
    EXPECT_EQ(caller.name, "outerCaller(int)");
    EXPECT_FALSE(frames[1].inlined);
    EXPECT_EQ(frames[1].line, static_cast<uint32_t>(report.lines.at("outerCaller.call")));
    EXPECT_EQ(caller.line, static_cast<uint32_t>(report.lines.at("outerCaller")));
}

TEST_F(SymbolizationTest, SharedLibraryFunction) {
    const Profile profile = collectSites({"libraryWork"});
    const Function& function = leafFunction(profile, 0);
    EXPECT_EQ(function.name, "fixture::libraryWork(int)");
    EXPECT_TRUE(function.file.ends_with("fixture_lib.cpp")) << function.file;
    EXPECT_EQ(function.line, static_cast<uint32_t>(report.lines.at("libraryWork")));
    EXPECT_EQ(profile.module(function.module).path, report.module(kLibrary).path);
}

TEST_F(SymbolizationTest, SameAddressTwiceIsOneFunctionAndOneStack) {
    const Profile profile = collectSites({"multiply", "libraryWork", "multiply"});
    ASSERT_EQ(profile.samples.size(), 3u);
    EXPECT_EQ(profile.samples[0].stack, profile.samples[2].stack);
    EXPECT_NE(profile.samples[0].stack, profile.samples[1].stack);
}

TEST_F(SymbolizationTest, DlclosedLibraryIsSymbolizedAsItWasWhenSampled) {
    const FixtureModule& library = report.module(kDlLibrary);
    const uint64_t address = report.sites.at("dlWork").address;
    {
        RawStreamWriter writer(dir.file("1000.raw"), {});
        writer.process(1'000'000'000, {"collector_fixture"}, fixturePath("collector_fixture"));
        writer.moduleLoad(1'000'000'010, library.load_bias, library.start, library.end,
                          library.build_id, library.path);
        writer.sample(1'000'000'020, 1000, kTid, std::span(&address, 1));
        writer.moduleUnload(1'000'000'030, library.start);
        writer.sample(1'000'000'040, 1000, kTid, std::span(&address, 1));
    }
    const Profile profile = collect({dir.path(), {}, {}});
    ASSERT_EQ(profile.samples.size(), 2u);
    const Function& while_loaded = leafFunction(profile, 0);
    EXPECT_EQ(while_loaded.name, "dlWork");
    EXPECT_TRUE(while_loaded.file.ends_with("fixture_dl.cpp")) << while_loaded.file;
    EXPECT_EQ(while_loaded.line, static_cast<uint32_t>(report.lines.at("dlWork")));

    char expected[64];
    std::snprintf(expected, sizeof(expected), "[unknown]+0x%llx",
                  static_cast<unsigned long long>(address));
    EXPECT_EQ(leafFunction(profile, 1).name, expected);
}

TEST_F(SymbolizationTest, StrippedLibraryFallsBackToItsSymbolTable) {
    replaced[report.module(kLibrary).path] = fixturePath("libcollector_fixture_lib.stripped.so");
    const Profile profile = collectSites({"libraryWork"});
    const Function& function = leafFunction(profile, 0);
    EXPECT_EQ(function.name, "fixture::libraryWork(int)");
    EXPECT_EQ(function.file, "");
    EXPECT_EQ(function.line, 0u);
    EXPECT_EQ(leafFirstFrames(profile, profile.samples[0])[0].line, 0u);
    // The stripped copy keeps its build id: no "file changed" warning.
    EXPECT_TRUE(profile.run.warnings.empty());
}

// Code without a symbol is named by its function's start, found in the unwind table's search
// table that stripping keeps: every sampled address of one function makes one row.
TEST_F(SymbolizationTest, StrippedExecutableWithoutSymbolsGivesItsFunctionsOffset) {
    replaced[""] = fixturePath("collector_fixture.stripped");
    const Profile profile = collectSites({"scaled"}); // inlined into outerCaller
    const FixtureModule& main_program = report.mainProgram();
    char expected[96];
    // The fixture is position-independent: file offsets of its code equal its file addresses.
    std::snprintf(expected, sizeof(expected), "collector_fixture.stripped+0x%llx",
                  static_cast<unsigned long long>(report.functions.at("outerCaller") -
                                                  main_program.load_bias));
    EXPECT_EQ(leafFunction(profile, 0).name, expected);
    EXPECT_NE(report.sites.at("scaled").address, report.functions.at("outerCaller"));
    EXPECT_TRUE(profile.run.warnings.empty());
}

TEST_F(SymbolizationTest, SeparateDebugFileIsFoundByBuildId) {
    const std::string& build_id = report.mainProgram().build_id_hex;
    ASSERT_GT(build_id.size(), 2u);
    TempDir debug_root;
    const std::filesystem::path debug_file = std::filesystem::path(debug_root.path()) /
                                             ".build-id" / build_id.substr(0, 2) /
                                             (build_id.substr(2) + ".debug");
    std::filesystem::create_directories(debug_file.parent_path());
    std::filesystem::copy_file(fixturePath("collector_fixture.debug"), debug_file);
    replaced[""] = fixturePath("collector_fixture.stripped");
    debuginfo_paths = {debug_root.path()};

    const Profile profile = collectSites({"scaled"});
    const std::vector<Frame> frames = leafFirstFrames(profile, profile.samples.at(0));
    ASSERT_EQ(frames.size(), 2u);
    EXPECT_EQ(functionName(profile, frames[0]), "scaled");
    EXPECT_TRUE(frames[0].inlined);
    EXPECT_EQ(frames[0].line, static_cast<uint32_t>(report.sites.at("scaled").line));
    EXPECT_EQ(functionName(profile, frames[1]), "outerCaller(int)");
    EXPECT_TRUE(profile.function(frames[1].function).file.ends_with("fixture_main.cpp"));
}

TEST_F(SymbolizationTest, MissingModuleFileGivesModuleOffsetsAndOneWarning) {
    const FixtureModule& library = report.module(kLibrary);
    replaced[library.path] = dir.file("libgone.so");
    const Profile profile = collectSites({"libraryWork", "libraryWork", "multiply"});

    char expected[64];
    std::snprintf(expected, sizeof(expected), "libgone.so+0x%llx",
                  static_cast<unsigned long long>(report.sites.at("libraryWork").address -
                                                  library.load_bias));
    EXPECT_EQ(leafFunction(profile, 0).name, expected);
    // Other modules are unaffected.
    EXPECT_EQ(leafFunction(profile, 2).name,
              "Matrix<double>::multiply(Matrix<double> const&) const");
    ASSERT_EQ(profile.run.warnings.size(), 1u);
    EXPECT_NE(profile.run.warnings[0].find(dir.file("libgone.so")), std::string::npos)
        << profile.run.warnings[0];
}

TEST_F(SymbolizationTest, ReplacedFileWithAnotherBuildIdIsNotTrusted) {
    // The library's build id recorded at run time, but another file at its path now.
    replaced[report.module(kLibrary).path] = fixturePath("libcollector_fixture_dl.so");
    const Profile profile = collectSites({"libraryWork"});
    EXPECT_TRUE(leafFunction(profile, 0).name.starts_with("libcollector_fixture_dl.so+0x"));
    ASSERT_EQ(profile.run.warnings.size(), 1u);
    EXPECT_NE(profile.run.warnings[0].find("build id"), std::string::npos);
}

// The vDSO has no file: the collector names its code from its own copy of the kernel's image.
// The test finds where clock_gettime is through the dynamic loader, which knows the vDSO as
// "linux-vdso.so.1".
TEST_F(SymbolizationTest, VdsoAddressesAreNamedFromTheKernelsImage) {
    void* vdso = dlopen("linux-vdso.so.1", RTLD_NOW | RTLD_NOLOAD);
    ASSERT_NE(vdso, nullptr) << dlerror();
    const auto entry = reinterpret_cast<uintptr_t>(dlsym(vdso, "__vdso_clock_gettime"));
    ASSERT_NE(entry, 0u);
    const uint64_t offset = entry - getauxval(AT_SYSINFO_EHDR);
    {
        RawStreamWriter writer(dir.file("1000.raw"), {});
        writer.moduleLoad(1'000'000'001, 0x7000'0000, 0x7000'0000, 0x7000'2000, {}, "[vdso]");
        const uint64_t address = 0x7000'0000 + offset + 4;
        writer.sample(1'000'000'002, 1000, kTid, std::span(&address, 1));
    }
    const Profile profile = collect({dir.path(), {}, {}});
    const Function& function = leafFunction(profile, 0);
    EXPECT_TRUE(function.name == "clock_gettime" || function.name == "__vdso_clock_gettime")
        << function.name;
    EXPECT_EQ(profile.module(function.module).path, "[vdso]");
    EXPECT_TRUE(profile.run.warnings.empty());
}

} // namespace
} // namespace hprof::testing
