// Checks that keep a profile's CPU times honest: sample weights that cannot be right are cut
// to what was possible, a sampled CPU time far from the kernel's accounting is named, and so is
// a raw stream that could not be read to its end.
#pragma once

#include "hprof/profile.h"
#include "raw_stream_reader.h"

#include <cstdint>
#include <string>
#include <unordered_map>

namespace hprof {

// Samples whose weight was more than their thread could have used, summed over streams.
struct WeightLosses {
    uint64_t clamped_samples = 0;
    uint64_t largest_claim_ns = 0; // the largest weight found
    void add(const WeightLosses& other);
    // One warning in run.warnings when a weight was cut.
    void report(RunInfo& run) const;
};

// One stream's bound on sample weights. A thread cannot use more CPU time than the wall time
// since its previous on-CPU sample (or its start), nor be blocked longer than it has existed;
// a weight beyond that (plus kSlackNs for the clocks being read microseconds apart) comes from
// a damaged record and is cut to the bound.
class SampleWeightGuard {
  public:
    static constexpr uint64_t kSlackNs = 1'000'000;

    explicit SampleWeightGuard(uint64_t stream_start_ns) : stream_start_ns_(stream_start_ns) {}
    void threadStarted(int32_t tid, uint64_t time_ns);
    // The weight to keep for this sample.
    uint64_t boundedWeight(const RawSampleEvent& sample);
    const WeightLosses& losses() const { return losses_; }

  private:
    struct ThreadTimes {
        uint64_t start_ns = 0;
        uint64_t last_on_cpu_ns = 0; // the previous on-CPU sample, or the start
    };
    ThreadTimes& times(int32_t tid);

    uint64_t stream_start_ns_;
    std::unordered_map<int32_t, ThreadTimes> threads_;
    WeightLosses losses_;
};

// One warning line when threads that ended (so their kernel CPU time is known) have a sampled
// CPU time that differs from it by more than max(5%, 2 sampling periods, 10 ms), naming the
// worst.
void checkCpuAccounting(const Profile& profile, RunInfo& run);

// "<path>: damaged raw stream: ..." for a stream read() could not read completely.
std::string damagedStreamWarning(const std::string& path, const RawReadSummary& summary);

} // namespace hprof
