// One profile of a whole MPI job or task farm (`hprof merge`, docs/cluster.md): the profiles of
// its ranks or tasks side by side, each input's processes processes of the result on their
// host, on one time axis.
//
// Alignment: each input's times count from its RunInfo::start_time_unix_ns, read from the wall
// clock of the host it ran on. The result's time 0 is the earliest start, and every input is
// shifted by how much later it started. Inputs from one host share a clock, so they line up to
// the clock's resolution; inputs from several hosts line up only as well as those hosts' clocks
// agree (NTP: commonly 0.1-10 ms; PTP: microseconds). Nothing in the profiles measures that.
#pragma once

#include "hprof/profile.h"

#include <memory>
#include <string>
#include <vector>

namespace hprof {

// What the inputs were: how their start times relate (for the user to judge the alignment),
// which hosts and programs they ran.
struct JobSummary {
    size_t inputs = 0;
    // Inputs without a start time (RunInfo::start_time_unix_ns 0, e.g. imported ones): placed at
    // the job's start, so their times are not aligned with the others.
    size_t inputs_without_start = 0;
    int64_t earliest_start_unix_ns = 0;
    int64_t latest_start_unix_ns = 0;
    std::vector<std::string> hosts; // distinct, in input order
    // Distinct RunInfo::command[0], in input order: ranks of one job usually run one program,
    // a task farm's tasks may run several (both are merged alike).
    std::vector<std::string> programs;

    int64_t startSpreadNs() const { return latest_start_unix_ns - earliest_start_unix_ns; }
};

// Folds inputs in one at a time, so that only the result and one input are in memory at once.
// Each input's processes become processes of the result with Process::host set (from the
// input's RunInfo::host unless the process has its own) and Process::rank kept; threads, samples,
// call counts and trace events follow their processes. Modules, functions, frames and stack
// nodes are interned once.
//
// The result's RunInfo: the first input's command and settings; start_time_unix_ns the earliest
// start; wall_ns the span from it to the latest end; cpu_ns and dropped_samples summed;
// world_size the largest; job_id the first input's; host the single host, or the hosts joined by
// ", "; exit_status the first non-zero one, else 0; runs 1; the warnings of every input once
// each, and warnings of the merge itself: inputs of different jobs, world sizes, sampling
// frequencies or clocks, a rank found in several inputs, ranks of the world missing, inputs
// without a start time, and several hosts (alignment only as good as their clocks).
class JobMerger {
  public:
    JobMerger();
    ~JobMerger();
    JobMerger(const JobMerger&) = delete;
    JobMerger& operator=(const JobMerger&) = delete;

    // `name` (e.g. the file path) names the input in warnings.
    void add(Profile input, const std::string& name);
    // Reserves room for this many samples in all: without it the result's sample table grows by
    // copying as inputs come in, and each copy touches fresh pages. Room never used costs
    // address space, not memory, so an estimate on the high side is cheap.
    void reserveSamples(size_t samples);
    const JobSummary& summary() const;
    // Shifts every input to its place on the job's time axis and hands the result over. An
    // empty merger gives an empty profile.
    Profile finish();

  private:
    struct State;
    std::unique_ptr<State> state_;
};

// JobMerger over `inputs`, named "input 1", "input 2", ...
Profile mergeJob(std::vector<Profile> inputs);

// One or two lines on the alignment: the spread of the start times, and what it rests on.
std::string describeAlignment(const JobSummary& summary);

} // namespace hprof
