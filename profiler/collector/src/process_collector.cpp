#include "process_collector.h"

#include "hex.h"

namespace hprof {
namespace {

std::string joined(const std::vector<std::string_view>& words) {
    std::string text;
    for (std::string_view word : words) {
        if (!text.empty())
            text += ' ';
        text += word;
    }
    return text;
}

} // namespace

ProcessCollector::ProcessCollector(const RawStreamInfo& info, uint64_t run_start_ns,
                                   ProfileBuilder& builder, FrameResolver& resolver)
    : run_start_ns_(run_start_ns), builder_(builder), resolver_(resolver),
      call_tables_(builder, resolver), trace_chunks_(builder.profile(), run_start_ns),
      weight_guard_(info.start_monotonic_ns) {
    std::vector<Process>& processes = builder_.profile().processes;
    process_ = ProcessId(static_cast<uint32_t>(processes.size()));
    Process process;
    process.pid = info.pid;
    process.ppid = info.ppid;
    process.start_ns = relative(info.start_monotonic_ns);
    processes.push_back(process);
    facts_.process = process_;
}

int64_t ProcessCollector::relative(uint64_t time_ns) {
    const int64_t time = static_cast<int64_t>(time_ns - run_start_ns_);
    last_time_ns_ = std::max(last_time_ns_, time);
    return time;
}

void ProcessCollector::finish() {
    Profile& profile = builder_.profile();
    Process& process = profile.processes[process_.value];
    if (!ended_)
        process.end_ns = std::max(process.start_ns, last_time_ns_);
    for (const auto& [tid, state] : threads_) {
        if (state.ended)
            continue;
        profile.threads[state.id.value].end_ns = process.end_ns;
        facts_.open_threads.push_back(state.id);
    }
    if (const auto main = threads_.find(process.pid); main != threads_.end()) {
        facts_.main_thread = main->second.id;
        facts_.main_thread_cpu_ns = main->second.cpu_seen_ns;
    }
    trace_chunks_.finish(call_tables_); // names its functions by call table slots
    call_tables_.finish();
}

void ProcessCollector::onProcess(const RawProcessEvent& event) {
    Process& process = builder_.profile().processes[process_.value];
    relative(event.time_ns);
    process.pid = event.pid;
    process.ppid = event.ppid;
    process.command = joined(event.argv);
    process.executable = event.executable;
    process.rank = event.rank;
    executable_ = event.executable;
    facts_.job_id = event.job_id;
    facts_.world_size = event.world_size;
}

void ProcessCollector::onModuleLoad(const RawModuleLoadEvent& event) {
    relative(event.time_ns);
    // The probe leaves the main program's path empty; the Process record names it.
    const std::string path = event.path.empty() ? executable_ : std::string(event.path);
    const uint32_t file = resolver_.moduleFile(path, hexString(event.build_id));
    const LiveModule module{event.start, event.end, event.load_bias, file};
    modules_.load(module);
    call_tables_.moduleLoaded(module);
}

void ProcessCollector::onModuleUnload(const RawModuleUnloadEvent& event) {
    relative(event.time_ns);
    modules_.unload(event.start);
    call_tables_.moduleUnloaded();
}

ProcessCollector::ThreadState& ProcessCollector::thread(int32_t tid, uint64_t time_ns) {
    const auto [position, inserted] = threads_.try_emplace(tid);
    if (inserted) {
        std::vector<Thread>& threads = builder_.profile().threads;
        position->second.id = ThreadId(static_cast<uint32_t>(threads.size()));
        Thread thread;
        thread.process = process_;
        thread.tid = tid;
        thread.start_ns = relative(time_ns);
        thread.end_ns = thread.start_ns;
        threads.push_back(thread);
    }
    return position->second;
}

void ProcessCollector::onThread(const RawThreadEvent& event) {
    ThreadState& state = thread(event.tid, event.time_ns);
    Thread& thread = builder_.profile().threads[state.id.value];
    const int64_t time = relative(event.time_ns);
    if (!event.name.empty())
        thread.name = event.name;
    if (event.type == raw::RecordType::ThreadStart) {
        thread.start_ns = time;
        weight_guard_.threadStarted(event.tid, event.time_ns);
        state.cpu_seen_ns = event.cpu_ns;
    } else if (event.type == raw::RecordType::ThreadEnd) {
        thread.end_ns = time;
        thread.cpu_ns = static_cast<int64_t>(event.cpu_ns);
        state.ended = true;
        state.cpu_seen_ns = event.cpu_ns;
    }
}

void ProcessCollector::dropCachesIfModulesChanged() {
    if (cache_generation_ != modules_.generation()) {
        address_cache_.clear();
        stack_cache_.clear();
        cache_generation_ = modules_.generation();
    }
}

FrameResolver::Chain ProcessCollector::resolve(uint64_t address) {
    const auto [position, inserted] = address_cache_.try_emplace(address);
    if (inserted) {
        const LiveModule* module = modules_.find(address);
        position->second = module ? resolver_.resolve(module->file, address - module->load_bias)
                                  : resolver_.resolveUnknown(address);
    }
    return position->second;
}

StackId ProcessCollector::internStack(const RawSampleEvent& event) {
    StackId stack;
    if (event.truncated)
        stack = builder_.internStack(stack, resolver_.truncatedFrame());
    // Addresses are leaf first and each chain innermost first: walk both backwards.
    for (auto address = event.addresses.rbegin(); address != event.addresses.rend(); ++address) {
        const std::span<const FrameId> frames = resolver_.frames(resolve(*address));
        for (auto frame = frames.rbegin(); frame != frames.rend(); ++frame)
            stack = builder_.internStack(stack, *frame);
    }
    return stack;
}

StackId ProcessCollector::cachedStack(const RawSampleEvent& event) {
    dropCachesIfModulesChanged();
    if (event.truncated) // rare: not worth a second cache
        return internStack(event);
    StackId stack = stack_cache_.find(event.addresses);
    if (!stack.valid()) {
        stack = internStack(event);
        stack_cache_.insert(event.addresses, stack);
    }
    return stack;
}

void ProcessCollector::onSample(const RawSampleEvent& event) {
    if (event.addresses.empty() && !event.off_cpu)
        return; // nothing to attribute the time to
    ThreadState& state = thread(event.tid, event.time_ns);
    Sample sample;
    sample.thread = state.id;
    sample.time_ns = relative(event.time_ns);
    // An off-CPU sample without frames: blocked time in waits the wall sampler did not see.
    sample.stack = event.addresses.empty()
                       ? builder_.internStack(StackId(), resolver_.unseenWaitsFrame())
                       : cachedStack(event);
    const uint64_t weight = weight_guard_.boundedWeight(event);
    sample.weight_ns = static_cast<int64_t>(weight);
    sample.off_cpu = event.off_cpu;
    if (!event.off_cpu)
        state.cpu_seen_ns += weight;
    builder_.profile().samples.push_back(sample);
}

Sample& ProcessCollector::addSyntheticSample(int32_t tid, uint64_t time_ns, FrameId frame,
                                             uint64_t weight_ns) {
    Sample sample;
    sample.thread = thread(tid, time_ns).id;
    sample.time_ns = relative(time_ns);
    sample.stack = builder_.internStack(StackId(), frame);
    sample.weight_ns = static_cast<int64_t>(weight_ns);
    return builder_.profile().samples.emplace_back(sample);
}

// The CPU time spent before the probe started (exec, dynamic loading) becomes one sample on a
// frame of its own in the first thread, so tables and totals include it.
void ProcessCollector::onProcessStart(const RawProcessStartEvent& event) {
    facts_.start_cost_sample = builder_.profile().samples.size();
    addSyntheticSample(event.tid, event.time_ns, resolver_.processStartFrame(), event.cpu_ns);
}

// Wall-clock mode: time runnable but waiting for a CPU is neither on-CPU nor blocked.
void ProcessCollector::onRunQueue(const RawRunQueueEvent& event) {
    RawSampleEvent as_sample;
    as_sample.time_ns = event.time_ns;
    as_sample.cpu_delta_ns = event.wait_ns;
    as_sample.tid = event.tid;
    as_sample.off_cpu = true; // bounded like off-CPU time: by the thread's age
    const uint64_t weight = weight_guard_.boundedWeight(as_sample);
    addSyntheticSample(event.tid, event.time_ns, resolver_.runQueueFrame(), weight).run_queue =
        true;
}

void ProcessCollector::onProcessEnd(const RawProcessEndEvent& event) {
    Process& process = builder_.profile().processes[process_.value];
    process.end_ns = relative(event.time_ns);
    if (event.exit_status != -1)
        process.exit_status = event.exit_status;
    ended_ = true;
    facts_.end_record_ns = process.end_ns;
}

void ProcessCollector::onWarning(const RawWarningEvent& event) {
    relative(event.time_ns);
    warnings_.emplace_back(event.message);
}

void ProcessCollector::onLaunch(const RawLaunchEvent& event) {
    facts_.launches.push_back({event.type, relative(event.time_ns), event.pid, event.not_followed,
                               joined(event.argv), std::string(event.path)});
}

void ProcessCollector::onChildExit(const RawChildExitEvent& event) {
    facts_.child_exits.push_back({relative(event.time_ns), event.child_pid, event.wait_status});
}

// Call tables and trace chunks have no time of their own: a thread first seen in one starts at
// the latest time.
ThreadId ProcessCollector::recordThread(int32_t tid) {
    return thread(tid, run_start_ns_ + last_time_ns_).id;
}

void ProcessCollector::onCallTable(const RawCallTableEvent& event) {
    call_tables_.add(recordThread(event.tid), event, modules_);
}

void ProcessCollector::onTraceChunk(const RawTraceChunkEvent& event) {
    trace_chunks_.add(recordThread(event.tid), event);
}

} // namespace hprof
