// buildTimelineLanes: one lane per process with its threads summed, followed by its threads.
#include "hprof/viewer/timeline_lanes.h"
#include "test_profiles.h"

#include <gtest/gtest.h>

namespace hprof::viewer {
namespace {

using test::kMs;

Timeline fourBins() {
    Timeline timeline;
    timeline.from_ns = 0;
    timeline.to_ns = 1000 * kMs;
    timeline.bins = 4; // 250 ms each
    timeline.threads = {
        {ThreadId(0), {250 * kMs, 0, 250 * kMs, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}},
        {ThreadId(1), {0, 100 * kMs, 250 * kMs, 0}, {0, 50 * kMs, 0, 0}, {0, 0, 0, 10 * kMs}},
        {ThreadId(2), {0, 0, 200 * kMs, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}},
    };
    return timeline;
}

TEST(TimelineLanes, ProcessLanesSumTheirThreadsAndPrecedeThem) {
    Profile profile = test::twoProcessProfile();
    std::vector<TimelineLane> lanes = buildTimelineLanes(profile, fourBins());
    ASSERT_EQ(lanes.size(), 5u);
    EXPECT_EQ(lanes[0].kind, TimelineLane::Kind::Process);
    EXPECT_EQ(lanes[0].title, "100  prog");
    EXPECT_EQ(lanes[0].cpu_ns, (std::vector<int64_t>{250 * kMs, 100 * kMs, 500 * kMs, 0}));
    EXPECT_EQ(lanes[0].off_cpu_ns, (std::vector<int64_t>{0, 50 * kMs, 0, 0}));
    EXPECT_EQ(lanes[0].run_queue_ns, (std::vector<int64_t>{0, 0, 0, 10 * kMs}));
    EXPECT_DOUBLE_EQ(lanes[0].peak_threads, 2.0); // bin 2: both threads on a CPU throughout
    EXPECT_EQ(lanes[1].kind, TimelineLane::Kind::Thread);
    EXPECT_EQ(lanes[1].thread, ThreadId(0));
    EXPECT_EQ(lanes[2].thread, ThreadId(1));
    EXPECT_EQ(lanes[2].title, "101  worker");
    EXPECT_EQ(lanes[2].start_ns, 100 * kMs);
    EXPECT_EQ(lanes[2].end_ns, 900 * kMs);
    EXPECT_EQ(lanes[3].kind, TimelineLane::Kind::Process);
    EXPECT_EQ(lanes[3].process, ProcessId(1));
    EXPECT_EQ(lanes[3].start_ns, 200 * kMs);
    EXPECT_EQ(lanes[3].cpu_ns, (std::vector<int64_t>{0, 0, 200 * kMs, 0}));
    EXPECT_DOUBLE_EQ(lanes[3].peak_threads, 1.0);
    EXPECT_EQ(lanes[4].thread, ThreadId(2));
}

TEST(TimelineLanes, SeriesOfDifferentLengthsArePaddedAlike) {
    Profile profile = test::twoProcessProfile();
    Timeline timeline = fourBins();
    timeline.threads[0].off_cpu_ns.clear();
    timeline.threads[0].run_queue_ns = {0, 0, 0, 0, 7};
    std::vector<TimelineLane> lanes = buildTimelineLanes(profile, timeline);
    for (const TimelineLane& lane : lanes) {
        EXPECT_EQ(lane.off_cpu_ns.size(), lane.cpu_ns.size());
        EXPECT_EQ(lane.run_queue_ns.size(), lane.cpu_ns.size());
    }
    EXPECT_EQ(lanes[1].run_queue_ns[4], 7);
}

TEST(TimelineLanes, ProcessesWithoutThreadsInTheTimelineHaveNoLane) {
    Profile profile = test::twoProcessProfile();
    Timeline timeline = fourBins();
    timeline.threads.pop_back();
    std::vector<TimelineLane> lanes = buildTimelineLanes(profile, timeline);
    ASSERT_EQ(lanes.size(), 3u);
    EXPECT_EQ(lanes[0].process, ProcessId(0));
}

// A merged job: the two processes are ranks on two hosts. Each host's lane sums its ranks and
// comes before them; a rank's lane says its rank.
TEST(TimelineLanes, AJobsRanksAreGroupedUnderTheirHosts) {
    Profile profile = test::twoRankJobProfile();
    ASSERT_TRUE(groupsByHost(profile));
    std::vector<TimelineLane> lanes = buildTimelineLanes(profile, fourBins());
    ASSERT_EQ(lanes.size(), 7u);
    EXPECT_EQ(lanes[0].kind, TimelineLane::Kind::Host);
    EXPECT_EQ(lanes[0].host, "node0");
    EXPECT_EQ(lanes[0].title, "node0  (1 rank)");
    EXPECT_EQ(lanes[0].cpu_ns, (std::vector<int64_t>{250 * kMs, 100 * kMs, 500 * kMs, 0}));
    EXPECT_EQ(lanes[1].kind, TimelineLane::Kind::Process);
    EXPECT_EQ(lanes[1].title, "rank 0  100  prog");
    EXPECT_EQ(lanes[1].host, "node0");
    EXPECT_EQ(lanes[2].thread, ThreadId(0));
    EXPECT_EQ(lanes[2].host, "node0");
    EXPECT_EQ(lanes[4].kind, TimelineLane::Kind::Host);
    EXPECT_EQ(lanes[4].title, "node1  (1 rank)");
    EXPECT_EQ(lanes[4].start_ns, 200 * kMs);
    EXPECT_EQ(lanes[4].end_ns, 800 * kMs);
    EXPECT_EQ(lanes[4].cpu_ns, (std::vector<int64_t>{0, 0, 200 * kMs, 0}));
    EXPECT_EQ(lanes[5].process, ProcessId(1));
    EXPECT_EQ(lanes[6].thread, ThreadId(2));
}

TEST(TimelineLanes, OneHostWithoutRanksIsNotGrouped) {
    Profile profile = test::twoProcessProfile();
    profile.processes[1].host = profile.run.host;
    EXPECT_FALSE(groupsByHost(profile));
    EXPECT_EQ(buildTimelineLanes(profile, fourBins())[0].kind, TimelineLane::Kind::Process);
}

} // namespace
} // namespace hprof::viewer
