// readProfile with progress and cancellation, readProfileHeader, and the reader's check that
// samples come in time order.
#include "files.h"
#include "hprof/error.h"
#include "hprof/profile_io.h"
#include "temp_dir.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <atomic>

namespace hprof {
namespace {

using test::TempDir;

// Two threads, samples every 10 us on one stack: `samples` of them, in time order.
Profile manySamples(size_t samples) {
    Profile profile = test::threadsProfile({2}, 1);
    for (size_t i = 0; i < samples; ++i)
        profile.samples.push_back(
            {int64_t(i) * 10'000, ThreadId(uint32_t(i % 2)), StackId(0), 10'000});
    return profile;
}

TEST(ReadControl, ReportsProgressPerSectionAndWhileDecodingSamples) {
    TempDir dir;
    writeProfile(manySamples(300'000), dir.file("p.hprof"));
    std::vector<double> shares;
    ReadControl control;
    control.progress = [&](double share) { shares.push_back(share); };
    Profile profile = readProfile(dir.file("p.hprof"), control);
    EXPECT_EQ(profile.samples.size(), 300'000u);
    // 11 sections, and 300000 / 65536 = 4 reports inside the samples.
    EXPECT_GE(shares.size(), 15u);
    EXPECT_TRUE(std::is_sorted(shares.begin(), shares.end()));
    EXPECT_GE(shares.front(), 0.0);
    EXPECT_EQ(shares.back(), 1.0);
    size_t inside_samples = 0; // reports strictly between the first and the last tenth
    for (double share : shares)
        inside_samples += share > 0.1 && share < 0.9;
    EXPECT_GE(inside_samples, 3u);
}

TEST(ReadControl, CancellingThrowsReadCancelled) {
    TempDir dir;
    writeProfile(manySamples(300'000), dir.file("p.hprof"));
    std::atomic<bool> cancel{false};
    ReadControl control;
    size_t reports = 0;
    control.cancel = &cancel;
    control.progress = [&](double share) {
        ++reports;
        if (share > 0.2)
            cancel = true; // while the samples are being decoded
    };
    EXPECT_THROW(readProfile(dir.file("p.hprof"), control), ReadCancelled);
    EXPECT_LT(reports, 10u);
    cancel = true;
    control.progress = nullptr;
    try {
        readProfile(dir.file("p.hprof"), control);
        FAIL() << "not cancelled";
    } catch (const ReadCancelled& cancelled) {
        EXPECT_STREQ(cancelled.what(), "reading was cancelled");
    }
}

TEST(ReadControl, HeaderHasRunProcessesAndThreadsOnly) {
    TempDir dir;
    Profile full = test::richProfile();
    writeProfile(full, dir.file("p.hprof"));
    Profile header = readProfileHeader(dir.file("p.hprof"));
    EXPECT_EQ(header.run.command, full.run.command);
    EXPECT_EQ(header.run.wall_ns, full.run.wall_ns);
    EXPECT_EQ(header.processes.size(), full.processes.size());
    EXPECT_EQ(header.processes.back().command, full.processes.back().command);
    EXPECT_EQ(header.threads.size(), full.threads.size());
    EXPECT_EQ(header.threads.back().name, full.threads.back().name);
    EXPECT_TRUE(header.samples.empty());
    EXPECT_TRUE(header.functions.empty());
    EXPECT_TRUE(header.stacks.empty());
    EXPECT_TRUE(header.call_counts.empty());
}

TEST(ReadControl, HeaderOfABadFileIsTheSameError) {
    TempDir dir;
    test::writeFile(dir.file("text"), "hello\n");
    EXPECT_THROW(
        {
            try {
                readProfileHeader(dir.file("text"));
            } catch (const Error& error) {
                EXPECT_EQ(std::string(error.what()),
                          dir.file("text") + ": not an hprof profile (unknown magic bytes)");
                throw;
            }
        },
        Error);
}

TEST(ReadControl, SamplesOutOfTimeOrderAreCorrupt) {
    TempDir dir;
    Profile profile = manySamples(3);
    std::swap(profile.samples[0], profile.samples[2]);
    writeProfile(profile, dir.file("p.hprof"));
    try {
        readProfile(dir.file("p.hprof"));
        FAIL() << "read";
    } catch (const Error& error) {
        EXPECT_NE(std::string(error.what()).find("samples out of time order"), std::string::npos)
            << error.what();
    }
}

} // namespace
} // namespace hprof
