#include "files.h"
#include "hprof/error.h"
#include "hprof/profile_io.h"
#include "temp_dir.h"
#include "test_support.h"

#include <cmath>
#include <filesystem>
#include <gtest/gtest.h>
#include <random>

namespace hprof {
namespace {

using test::TempDir;

TEST(ProfileIo, RoundTripsEveryField) {
    TempDir dir;
    Profile original = test::richProfile();
    writeProfile(original, dir.file("rich.hprof"));
    test::expectEqual(original, readProfile(dir.file("rich.hprof")));
}

TEST(ProfileIo, RoundTripsAnEmptyProfile) {
    TempDir dir;
    writeProfile(Profile{}, dir.file("empty.hprof"));
    test::expectEqual(Profile{}, readProfile(dir.file("empty.hprof")));
}

TEST(ProfileIo, WriteReplacesTheFileAndLeavesNoTemporary) {
    TempDir dir;
    test::writeFile(dir.file("p.hprof"), "old contents");
    writeProfile(test::smallProfile(), dir.file("p.hprof"));
    test::expectEqual(test::smallProfile(), readProfile(dir.file("p.hprof")));
    size_t entries = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
        EXPECT_EQ(entry.path().filename(), "p.hprof");
        ++entries;
    }
    EXPECT_EQ(entries, 1u);
}

TEST(ProfileIo, WriteIntoAMissingDirectoryFailsWithOneLine) {
    TempDir dir;
    std::string path = dir.file("no/such/dir/p.hprof");
    try {
        writeProfile(test::smallProfile(), path);
        FAIL() << "no error";
    } catch (const Error& error) {
        std::string message = error.what();
        EXPECT_EQ(message.rfind(path + ": cannot write: ", 0), 0u) << message;
        EXPECT_EQ(message.find('\n'), std::string::npos);
    }
}

TEST(ProfileIo, WriteRejectsIdsOutsideTheirTables) {
    TempDir dir;
    Profile profile = test::smallProfile();
    profile.samples[1].stack = StackId(99);
    EXPECT_THROW(writeProfile(profile, dir.file("bad.hprof")), Error);
    EXPECT_FALSE(std::filesystem::exists(dir.file("bad.hprof")));
}

// Samples like a real run: 4 threads at 1000 Hz with timer jitter, weights close to the period,
// a few hundred stacks with a skewed (hot/cold) distribution.
Profile realisticProfile(size_t sample_count, size_t stack_count) {
    Profile profile;
    profile.processes.push_back(test::makeProcess(1, 0, "p", 0, 0, 0));
    for (int t = 0; t < 4; ++t)
        profile.threads.push_back({ProcessId(0), 1 + t, "t", 0, 0, 0});
    profile.modules.push_back({"/bin/p", ""});
    for (size_t i = 0; i < stack_count; ++i) {
        profile.functions.push_back({"f" + std::to_string(i), "f.cpp", uint32_t(i), ModuleId(0)});
        profile.frames.push_back({FunctionId(uint32_t(i)), uint32_t(i), false});
        profile.stacks.push_back(
            {i == 0 ? StackId() : StackId(uint32_t(i / 2)), FrameId(uint32_t(i))});
    }
    std::mt19937_64 random(12345);
    std::uniform_int_distribution<int64_t> jitter(-50'000, 50'000);
    std::geometric_distribution<uint32_t> hotness(0.02);
    std::vector<int64_t> next_time = {0, 250'000, 500'000, 750'000};
    while (profile.samples.size() < sample_count) {
        auto thread =
            size_t(std::min_element(next_time.begin(), next_time.end()) - next_time.begin());
        int64_t weight = 1'000'000 + jitter(random) / 10;
        StackId stack(std::min<uint32_t>(hotness(random), uint32_t(stack_count - 1)));
        profile.samples.push_back({next_time[thread], ThreadId(uint32_t(thread)), stack, weight});
        next_time[thread] += 1'000'000 + jitter(random);
    }
    return profile;
}

TEST(ProfileIo, SamplesTakeFewBytesOnDisk) {
    TempDir dir;
    Profile profile = realisticProfile(100'000, 300);
    writeProfile(profile, dir.file("full.hprof"));
    size_t samples = profile.samples.size();
    profile.samples.clear();
    writeProfile(profile, dir.file("none.hprof"));
    double bytes_per_sample = double(std::filesystem::file_size(dir.file("full.hprof")) -
                                     std::filesystem::file_size(dir.file("none.hprof"))) /
                              double(samples);
    std::printf("hprof: %.2f bytes per sample (%zu samples, 4 threads, 300 stacks)\n",
                bytes_per_sample, samples);
    EXPECT_LT(bytes_per_sample, 24.0);
}

// A trace like a real run with --min-duration=100us: per thread, nested calls of 100 µs to
// 20 ms with gaps of tens of µs between siblings, from 200 functions with a skewed distribution.
class TraceGenerator {
  public:
    explicit TraceGenerator(Profile& profile) : profile_(profile) {}

    void addThread(ThreadId thread, size_t event_count) {
        int64_t time = 0;
        for (size_t end = profile_.trace_events.size() + event_count;
             profile_.trace_events.size() < end;)
            time = addCall(thread, time + gap(), 20'000'000, 0);
    }

  private:
    // Adds a call starting at `start` of at most `longest` ns, then its children; returns its end.
    int64_t addCall(ThreadId thread, int64_t start, int64_t longest, int depth) {
        std::uniform_real_distribution<double> log_duration(std::log(1e5),
                                                            std::log(double(longest)));
        auto duration = int64_t(std::exp(log_duration(random_)));
        FunctionId function(std::min<uint32_t>(hotness_(random_), 199));
        profile_.trace_events.push_back({thread, function, start, duration});
        int64_t end = start + duration;
        for (int64_t child = start + gap(); depth < 12 && end - child > 200'000;)
            child = addCall(thread, child, (end - child) / 2, depth + 1) + gap();
        return end;
    }

    int64_t gap() { return std::uniform_int_distribution<int64_t>(1'000, 80'000)(random_); }

    Profile& profile_;
    std::mt19937_64 random_{777};
    std::geometric_distribution<uint32_t> hotness_{0.05};
};

TEST(ProfileIo, TraceEventsTakeFewBytesOnDisk) {
    TempDir dir;
    Profile profile = realisticProfile(0, 200);
    writeProfile(profile, dir.file("none.hprof"));
    TraceGenerator generator(profile);
    for (uint32_t thread = 0; thread < 4; ++thread)
        generator.addThread(ThreadId(thread), 25'000);
    profile.trace_events.resize(100'000);
    writeProfile(profile, dir.file("full.hprof"));
    test::expectEqual(profile, readProfile(dir.file("full.hprof")));
    double bytes_per_event = double(std::filesystem::file_size(dir.file("full.hprof")) -
                                    std::filesystem::file_size(dir.file("none.hprof"))) /
                             double(profile.trace_events.size());
    std::printf("hprof: %.2f bytes per trace event (%zu events, 4 threads, 200 functions)\n",
                bytes_per_event, profile.trace_events.size());
    EXPECT_LT(bytes_per_event, 12.0);
}

TEST(ProfileIo, WritesAndReadsAMillionSamples) {
    TempDir dir;
    Profile profile = realisticProfile(1'000'000, 3000);
    writeProfile(profile, dir.file("big.hprof"));
    Profile read = readProfile(dir.file("big.hprof"));
    ASSERT_EQ(read.samples.size(), profile.samples.size());
    EXPECT_EQ(read.samples.back().time_ns, profile.samples.back().time_ns);
    EXPECT_EQ(read.samples.back().stack, profile.samples.back().stack);
    EXPECT_EQ(read.stacks.size(), 3000u);
}

} // namespace
} // namespace hprof
