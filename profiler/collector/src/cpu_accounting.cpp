#include "cpu_accounting.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace hprof {
namespace {

constexpr double kRelativeTolerance = 0.05;
constexpr int64_t kPeriodsTolerated = 2;
constexpr int64_t kMinimumToleratedNs = 10'000'000;
constexpr size_t kThreadsNamed = 5;

std::string seconds(int64_t ns) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f s", static_cast<double>(ns) / 1e9);
    return text;
}

struct ThreadMismatch {
    ThreadId thread;
    int64_t kernel_ns = 0;
    int64_t sampled_ns = 0;
    int64_t difference() const { return std::llabs(kernel_ns - sampled_ns); }
};

std::vector<int64_t> sampledCpuByThread(const Profile& profile) {
    std::vector<int64_t> sampled(profile.threads.size(), 0);
    for (const Sample& sample : profile.samples) {
        if (!sample.off_cpu && !sample.run_queue)
            sampled[sample.thread.value] += sample.weight_ns;
    }
    return sampled;
}

// Each thread loses the CPU time after its last sample: up to one period of user time, plus
// the kernel time it spent after it (a main thread that creates threads and then waits in
// pthread_join until the end loses the kernel's thread creation: 3 ms measured with
// samples/threads). Below max(5%, 2 periods, 10 ms) a difference is not worth a warning.
bool differsTooMuch(const ThreadMismatch& thread, int64_t period_ns) {
    const auto relative = static_cast<int64_t>(kRelativeTolerance * thread.kernel_ns);
    return thread.difference() >
           std::max({relative, kPeriodsTolerated * period_ns, kMinimumToleratedNs});
}

std::string describe(const Profile& profile, const ThreadMismatch& mismatch) {
    const Thread& thread = profile.thread(mismatch.thread);
    const Process& process = profile.process(thread.process);
    return "tid " + std::to_string(thread.tid) + " (" + thread.name + ", process " +
           std::to_string(process.pid) + " " + process.command.substr(0, 40) + "): kernel " +
           seconds(mismatch.kernel_ns) + ", sampled " + seconds(mismatch.sampled_ns);
}

} // namespace

void WeightLosses::add(const WeightLosses& other) {
    clamped_samples += other.clamped_samples;
    largest_claim_ns = std::max(largest_claim_ns, other.largest_claim_ns);
}

void WeightLosses::report(RunInfo& run) const {
    if (clamped_samples == 0)
        return;
    run.warnings.push_back(
        std::to_string(clamped_samples) +
        " samples claimed more time than their thread could have used (up to " +
        seconds(static_cast<int64_t>(std::min<uint64_t>(largest_claim_ns, INT64_MAX))) +
        "); damaged records? Their weights were cut to the time elapsed in their thread");
}

SampleWeightGuard::ThreadTimes& SampleWeightGuard::times(int32_t tid) {
    const auto [position, inserted] = threads_.try_emplace(tid);
    if (inserted) // no start record (yet): the thread cannot be older than the stream
        position->second = {stream_start_ns_, stream_start_ns_};
    return position->second;
}

void SampleWeightGuard::threadStarted(int32_t tid, uint64_t time_ns) {
    threads_[tid] = {time_ns, time_ns};
}

uint64_t SampleWeightGuard::boundedWeight(const RawSampleEvent& sample) {
    ThreadTimes& thread = times(sample.tid);
    // Off-CPU samples are extended in place by the wall sampler, so their time is that of the
    // last visit and they may overlap on-CPU samples written later: bound them by the thread's
    // age only.
    const uint64_t since = sample.off_cpu ? thread.start_ns : thread.last_on_cpu_ns;
    const uint64_t limit = (sample.time_ns > since ? sample.time_ns - since : 0) + kSlackNs;
    if (!sample.off_cpu)
        thread.last_on_cpu_ns = std::max(thread.last_on_cpu_ns, sample.time_ns);
    if (sample.cpu_delta_ns <= limit)
        return sample.cpu_delta_ns;
    ++losses_.clamped_samples;
    losses_.largest_claim_ns = std::max(losses_.largest_claim_ns, sample.cpu_delta_ns);
    return limit;
}

void checkCpuAccounting(const Profile& profile, RunInfo& run) {
    if (run.frequency_hz == 0)
        return;
    const int64_t period_ns = 1'000'000'000 / run.frequency_hz;
    const std::vector<int64_t> sampled = sampledCpuByThread(profile);
    std::vector<ThreadMismatch> mismatches;
    for (uint32_t i = 0; i < profile.threads.size(); ++i) {
        const ThreadMismatch thread{ThreadId(i), profile.threads[i].cpu_ns, sampled[i]};
        // cpu_ns 0: still running at the end (no ThreadEnd record), the kernel's count unknown.
        if (thread.kernel_ns > 0 && differsTooMuch(thread, period_ns))
            mismatches.push_back(thread);
    }
    if (mismatches.empty())
        return;
    std::sort(mismatches.begin(), mismatches.end(),
              [](const auto& a, const auto& b) { return a.difference() > b.difference(); });
    std::string warning = "sampled CPU time differs from the kernel's accounting by more than "
                          "max(5%, 2 sampling periods, 10 ms) in " +
                          std::to_string(mismatches.size()) + " thread(s): ";
    for (size_t i = 0; i < std::min(mismatches.size(), kThreadsNamed); ++i)
        warning += (i ? "; " : "") + describe(profile, mismatches[i]);
    if (mismatches.size() > kThreadsNamed)
        warning += "; and " + std::to_string(mismatches.size() - kThreadsNamed) + " more";
    run.warnings.push_back(warning);
}

std::string damagedStreamWarning(const std::string& path, const RawReadSummary& summary) {
    std::string warning = path + ": damaged raw stream: " +
                          std::to_string(summary.invalid_bytes + summary.unread_tail_bytes) +
                          " of " + std::to_string(summary.record_bytes) +
                          " bytes of records could not be read";
    if (summary.invalid_records > 0)
        warning += ", " + std::to_string(summary.invalid_records) + " record(s) failed validation";
    if (summary.unread_tail_bytes > 0)
        warning += ", the last " + std::to_string(summary.unread_tail_bytes) +
                   " bytes follow a record of impossible size";
    return warning;
}

} // namespace hprof
