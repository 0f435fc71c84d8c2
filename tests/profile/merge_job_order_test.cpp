// The merged samples' order (JobMerger merges the inputs' sorted runs instead of sorting, and
// gives back the merged pages as it goes): exactly what a stable sort by time of the aligned
// inputs gives, ties in input order, also for tables of many 2 MB blocks and for an input whose
// samples are out of order.
#include "hprof/merge_job.h"
#include "rank_profiles.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

namespace hprof {
namespace {

using test::kMs;
using test::rankProfile;

constexpr int64_t kStart = 1'700'000'000'000'000'000;

// What the order is checked on: the time, and the input (each input has one thread, numbered
// in input order in the result).
using Key = std::tuple<int64_t, uint32_t, int64_t>;

// The inputs' samples shifted by their starts, one input after the other, stably sorted by time.
std::vector<Key> stablySorted(const std::vector<Profile>& inputs) {
    std::vector<Key> keys;
    for (size_t input = 0; input < inputs.size(); ++input)
        for (const Sample& sample : inputs[input].samples)
            keys.emplace_back(sample.time_ns + inputs[input].run.start_time_unix_ns - kStart,
                              uint32_t(input), sample.weight_ns);
    std::stable_sort(keys.begin(), keys.end(),
                     [](const Key& a, const Key& b) { return std::get<0>(a) < std::get<0>(b); });
    return keys;
}

std::vector<Key> keysOf(const Profile& job) {
    std::vector<Key> keys;
    for (const Sample& sample : job.samples)
        keys.emplace_back(sample.time_ns, sample.thread.value, sample.weight_ns);
    return keys;
}

// Ranks with 100,000 samples each (3.2 MB, several 2 MB blocks of the merged table), started
// together (ties), 1 ms apart (ties with shifted samples) and 0.5 ms apart (interleaved).
std::vector<Profile> largeRanks() {
    std::vector<Profile> ranks;
    for (const int64_t offset : {int64_t(0), int64_t(0), kMs, kMs / 2}) {
        Profile rank = rankProfile({.rank = int32_t(ranks.size()),
                                    .start_unix_ns = kStart + offset,
                                    .compute_ms = 100'000});
        for (size_t index = 0; index < rank.samples.size(); ++index)
            rank.samples[index].weight_ns = int64_t(ranks.size() * 1'000'000 + index);
        ranks.push_back(std::move(rank));
    }
    return ranks;
}

TEST(MergeJobOrder, LargeInputsMergeInTimeOrderWithTiesInInputOrder) {
    std::vector<Profile> inputs = largeRanks();
    const std::vector<Key> expected = stablySorted(inputs);
    const Profile job = mergeJob(std::move(inputs));
    ASSERT_EQ(job.samples.size(), expected.size());
    EXPECT_TRUE(keysOf(job) == expected); // not EXPECT_EQ: 400,000 keys would be printed
}

TEST(MergeJobOrder, AnInputWithSamplesOutOfOrderIsSortedAllTheSame) {
    std::vector<Profile> inputs;
    inputs.push_back(rankProfile({.rank = 0, .start_unix_ns = kStart, .compute_ms = 50}));
    inputs.push_back(rankProfile({.rank = 1, .start_unix_ns = kStart, .compute_ms = 50}));
    std::reverse(inputs[1].samples.begin(), inputs[1].samples.end()); // e.g. an imported one
    const std::vector<Key> expected = stablySorted(inputs);
    const Profile job = mergeJob(std::move(inputs));
    EXPECT_EQ(keysOf(job), expected);
}

} // namespace
} // namespace hprof
