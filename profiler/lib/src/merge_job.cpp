#include "hprof/merge_job.h"

#include "hprof/profile_builder.h"
#include "profile_merge.h"
#include "sample_runs.h"
#include "saturating.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <ranges>
#include <set>
#include <utility>

namespace hprof {
namespace {

// Where one input's rows start in the result's tables, and what its times need to be aligned.
struct InputSpan {
    size_t first_process = 0;
    size_t first_thread = 0;
    size_t first_sample = 0;
    size_t first_trace_event = 0;
    int64_t start_unix_ns = 0; // 0: unknown
    int64_t extent_ns = 0;     // the latest time the input holds, on its own axis
};

void addDistinct(const std::string& value, std::vector<std::string>& values) {
    if (!value.empty() && std::find(values.begin(), values.end(), value) == values.end())
        values.push_back(value);
}

std::string joined(const std::vector<std::string>& values) {
    std::string text;
    for (const std::string& value : values)
        text += (text.empty() ? "" : ", ") + value;
    return text;
}

// "a, b, c and 4 more": a list that stays one line however many inputs a job has.
std::string shortList(const std::vector<std::string>& values) {
    constexpr size_t kShown = 8;
    std::string text =
        joined({values.begin(), values.begin() + ptrdiff_t(std::min(values.size(), kShown))});
    if (values.size() > kShown)
        text += " and " + std::to_string(values.size() - kShown) + " more";
    return text;
}

void shiftAll(int64_t offset_ns, auto begin, auto end, auto member) {
    for (auto it = begin; it != end; ++it)
        addSaturating((*it).*member, offset_ns);
}

} // namespace

struct JobMerger::State {
    ProfileBuilder builder;
    JobSummary summary;
    std::vector<InputSpan> spans;
    std::map<int32_t, std::vector<std::string>> inputs_of_rank;
    std::vector<std::string> job_ids;     // distinct, non-empty
    std::vector<std::string> world_sizes; // distinct, non-zero
    std::vector<std::string> frequencies; // distinct sampling settings
    std::vector<std::string> clocks;
    std::vector<std::string> without_start; // names of inputs without a start time

    void foldRunInfo(const RunInfo& input);
    void noteRanks(const Profile& input, size_t first_process, const std::string& name);
    void alignInputs();
    void addMergeWarnings();
};

void JobMerger::State::foldRunInfo(const RunInfo& input) {
    RunInfo& merged = builder.profile().run;
    if (spans.size() == 1) { // the first input: its command and settings; the sums start at 0
        merged = input;
        merged.warnings.clear();
        merged.exit_status = 0;
        merged.cpu_ns = 0;
        merged.dropped_samples = 0;
        merged.world_size = 0;
        merged.runs = 1;
        merged.missing = {};
    }
    addSaturating(merged.cpu_ns, input.cpu_ns);
    merged.dropped_samples += input.dropped_samples;
    merged.world_size = std::max(merged.world_size, input.world_size);
    if (merged.exit_status == 0)
        merged.exit_status = input.exit_status;
    if (merged.instrumentation.empty())
        merged.instrumentation = input.instrumentation;
    merged.missing.samples |= input.missing.samples;
    merged.missing.timestamps |= input.missing.timestamps;
    merged.missing.threads |= input.missing.threads;
    merged.missing.call_counts |= input.missing.call_counts;
    merged.missing.sample_weights |= input.missing.sample_weights;
    merged.missing.run_times |= input.missing.run_times;
    addWarnings(input.warnings, merged.warnings);
    addDistinct(input.job_id, job_ids);
    if (input.world_size != 0)
        addDistinct(std::to_string(input.world_size), world_sizes);
    if (input.frequency_hz != 0)
        addDistinct(std::to_string(input.frequency_hz) + " Hz", frequencies);
    addDistinct(input.clock, clocks);
}

void JobMerger::State::noteRanks(const Profile& input, size_t first_process,
                                 const std::string& name) {
    std::set<int32_t> ranks;
    for (Process& process : builder.profile().processes | std::views::drop(first_process)) {
        if (process.host.empty())
            process.host = input.run.host;
        if (process.rank >= 0)
            ranks.insert(process.rank);
    }
    for (int32_t rank : ranks)
        inputs_of_rank[rank].push_back(name);
}

JobMerger::JobMerger() : state_(std::make_unique<State>()) {}
JobMerger::~JobMerger() = default;

void JobMerger::add(Profile input, const std::string& name) {
    State& state = *state_;
    const Profile& merged = state.builder.profile();
    InputSpan span{merged.processes.size(),    merged.threads.size(),        merged.samples.size(),
                   merged.trace_events.size(), input.run.start_time_unix_ns, runExtent(input)};
    appendProfile(input, 0, state.builder);
    state.spans.push_back(span);
    state.noteRanks(input, span.first_process, name);
    state.foldRunInfo(input.run);

    JobSummary& summary = state.summary;
    ++summary.inputs;
    addDistinct(input.run.host, summary.hosts);
    if (!input.run.command.empty())
        addDistinct(input.run.command[0], summary.programs);
    if (span.start_unix_ns == 0) {
        ++summary.inputs_without_start;
        state.without_start.push_back(name);
    } else if (summary.inputs == summary.inputs_without_start + 1) {
        summary.earliest_start_unix_ns = summary.latest_start_unix_ns = span.start_unix_ns;
    } else {
        summary.earliest_start_unix_ns =
            std::min(summary.earliest_start_unix_ns, span.start_unix_ns);
        summary.latest_start_unix_ns = std::max(summary.latest_start_unix_ns, span.start_unix_ns);
    }
}

void JobMerger::reserveSamples(size_t samples) {
    std::vector<Sample>& table = state_->builder.profile().samples;
    table.reserve(samples);
    adviseHugePages(table);
}

const JobSummary& JobMerger::summary() const {
    return state_->summary;
}

// Shifts each input's rows by how much later than the earliest it started; the rows of input k
// run up to where input k+1's begin.
void JobMerger::State::alignInputs() {
    Profile& merged = builder.profile();
    int64_t span_end_ns = 0;
    for (size_t index = 0; index < spans.size(); ++index) {
        const InputSpan& span = spans[index];
        const bool last = index + 1 == spans.size();
        const InputSpan end = last ? InputSpan{merged.processes.size(), merged.threads.size(),
                                               merged.samples.size(), merged.trace_events.size()}
                                   : spans[index + 1];
        const int64_t offset_ns =
            span.start_unix_ns == 0
                ? 0
                : subtractSaturating(span.start_unix_ns, summary.earliest_start_unix_ns);
        auto range = [](auto& table, size_t from, size_t to) {
            return std::pair(table.begin() + ptrdiff_t(from), table.begin() + ptrdiff_t(to));
        };
        auto [p0, p1] = range(merged.processes, span.first_process, end.first_process);
        shiftAll(offset_ns, p0, p1, &Process::start_ns);
        shiftAll(offset_ns, p0, p1, &Process::end_ns);
        auto [t0, t1] = range(merged.threads, span.first_thread, end.first_thread);
        shiftAll(offset_ns, t0, t1, &Thread::start_ns);
        shiftAll(offset_ns, t0, t1, &Thread::end_ns);
        auto [s0, s1] = range(merged.samples, span.first_sample, end.first_sample);
        shiftAll(offset_ns, s0, s1, &Sample::time_ns);
        auto [e0, e1] = range(merged.trace_events, span.first_trace_event, end.first_trace_event);
        shiftAll(offset_ns, e0, e1, &TraceEvent::start_ns);
        int64_t input_end_ns = offset_ns;
        addSaturating(input_end_ns, span.extent_ns);
        span_end_ns = std::max(span_end_ns, input_end_ns);
    }
    merged.run.start_time_unix_ns = summary.earliest_start_unix_ns;
    merged.run.wall_ns = span_end_ns;
}

void JobMerger::State::addMergeWarnings() {
    std::vector<std::string>& warnings = builder.profile().run.warnings;
    if (job_ids.size() > 1)
        warnings.push_back("the inputs come from " + std::to_string(job_ids.size()) +
                           " jobs: " + shortList(job_ids));
    if (world_sizes.size() > 1)
        warnings.push_back("the inputs disagree on the number of ranks: " + joined(world_sizes));
    if (frequencies.size() > 1)
        warnings.push_back("the inputs were sampled at different frequencies: " +
                           joined(frequencies));
    if (clocks.size() > 1)
        warnings.push_back("the inputs were sampled on different clocks: " + joined(clocks));
    for (const auto& [rank, names] : inputs_of_rank)
        if (names.size() > 1)
            warnings.push_back("rank " + std::to_string(rank) + " is in " +
                               std::to_string(names.size()) + " inputs: " + shortList(names));
    std::vector<std::string> missing;
    const int32_t world_size = builder.profile().run.world_size;
    for (int32_t rank = 0; rank < world_size && !inputs_of_rank.empty(); ++rank)
        if (!inputs_of_rank.contains(rank))
            missing.push_back(std::to_string(rank));
    if (!missing.empty())
        warnings.push_back("ranks " + shortList(missing) + " of " + std::to_string(world_size) +
                           " have no profile among the inputs");
    if (!without_start.empty() && without_start.size() < spans.size())
        warnings.push_back("no start time in " + shortList(without_start) +
                           ": placed at the job's start, not aligned with the others");
    if (summary.hosts.size() > 1)
        warnings.push_back("ranks ran on " + std::to_string(summary.hosts.size()) +
                           " hosts: their times are aligned only as well as the hosts' clocks "
                           "agree");
}

Profile JobMerger::finish() {
    State& state = *state_;
    state.alignInputs();
    state.addMergeWarnings();
    RunInfo& run = state.builder.profile().run;
    if (state.summary.hosts.size() > 1)
        run.host = joined(state.summary.hosts);
    sortTraceEvents(state.builder.profile().trace_events);
    std::vector<size_t> run_begins;
    for (const InputSpan& span : state.spans)
        run_begins.push_back(span.first_sample);
    mergeSortedRuns(state.builder.profile().samples, run_begins);
    Profile result = state.builder.take();
    state_ = std::make_unique<State>();
    return result;
}

Profile mergeJob(std::vector<Profile> inputs) {
    JobMerger merger;
    for (size_t index = 0; index < inputs.size(); ++index)
        merger.add(std::exchange(inputs[index], Profile{}), "input " + std::to_string(index + 1));
    return merger.finish();
}

std::string describeAlignment(const JobSummary& summary) {
    char spread[64];
    std::snprintf(spread, sizeof spread, "%.3f s", double(summary.startSpreadNs()) / 1e9);
    std::string text =
        std::to_string(summary.inputs) + " inputs on " + std::to_string(summary.hosts.size()) +
        (summary.hosts.size() == 1 ? " host" : " hosts") +
        ", aligned on their recorded wall-clock start (starts spread over " + spread + ")";
    if (summary.hosts.size() > 1)
        text += "; across hosts only as well as their clocks agree (NTP: commonly 0.1-10 ms)";
    if (summary.inputs_without_start > 0)
        text += "; " + std::to_string(summary.inputs_without_start) +
                " without a start time placed at the job's start";
    return text;
}

} // namespace hprof
