// Builds one Process (its threads, samples and call counts) from the records of its raw stream,
// read in file order so that each sample is resolved against the modules live at that moment.
#pragma once

#include "call_tables.h"
#include "cpu_accounting.h"
#include "frame_resolver.h"
#include "module_map.h"
#include "process_tree.h"
#include "raw_stack_cache.h"
#include "raw_stream_reader.h"
#include "trace_chunks.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace hprof {

class ProcessCollector final : public RawStreamVisitor {
  public:
    // Times in the profile are relative to run_start_ns (CLOCK_MONOTONIC).
    ProcessCollector(const RawStreamInfo& info, uint64_t run_start_ns, ProfileBuilder& builder,
                     FrameResolver& resolver);

    // Closes what the stream left open (the process and threads without an end record end at
    // the last record) and adds the call counts of its call tables and its trace events.
    void finish();
    // Messages of the stream's warning records, in order.
    const std::vector<std::string>& warnings() const { return warnings_; }
    const CallTableLosses& callTableLosses() const { return call_tables_.losses(); }
    const TraceLosses& traceLosses() const { return trace_chunks_.losses(); }
    const WeightLosses& weightLosses() const { return weight_guard_.losses(); }
    // Its launches and reaped children, for linkProcesses once every stream is read.
    const ProcessFacts& facts() const { return facts_; }

    void onProcess(const RawProcessEvent& event) override;
    void onModuleLoad(const RawModuleLoadEvent& event) override;
    void onModuleUnload(const RawModuleUnloadEvent& event) override;
    void onThread(const RawThreadEvent& event) override;
    void onSample(const RawSampleEvent& event) override;
    void onProcessEnd(const RawProcessEndEvent& event) override;
    void onWarning(const RawWarningEvent& event) override;
    void onCallTable(const RawCallTableEvent& event) override;
    void onTraceChunk(const RawTraceChunkEvent& event) override;
    void onLaunch(const RawLaunchEvent& event) override;
    void onChildExit(const RawChildExitEvent& event) override;
    void onProcessStart(const RawProcessStartEvent& event) override;
    void onRunQueue(const RawRunQueueEvent& event) override;

  private:
    struct ThreadState {
        ThreadId id;
        bool ended = false;
        uint64_t cpu_seen_ns = 0; // the latest CPU time of the thread the stream shows
    };

    int64_t relative(uint64_t time_ns);
    ThreadId recordThread(int32_t tid);
    ThreadState& thread(int32_t tid, uint64_t time_ns);
    void dropCachesIfModulesChanged();
    FrameResolver::Chain resolve(uint64_t address);
    StackId internStack(const RawSampleEvent& event);
    StackId cachedStack(const RawSampleEvent& event);
    // A sample of `weight_ns` on a synthetic frame of its own, in thread `tid`.
    Sample& addSyntheticSample(int32_t tid, uint64_t time_ns, FrameId frame, uint64_t weight_ns);

    uint64_t run_start_ns_;
    ProfileBuilder& builder_;
    FrameResolver& resolver_;
    ProcessId process_;
    std::string executable_;
    bool ended_ = false;
    int64_t last_time_ns_ = 0;
    ModuleMap modules_;
    std::unordered_map<int32_t, ThreadState> threads_;
    // Runtime address -> frames and address sequence -> stack, valid while the module map
    // keeps its generation.
    std::unordered_map<uint64_t, FrameResolver::Chain> address_cache_;
    RawStackCache stack_cache_;
    uint64_t cache_generation_ = 0;
    std::vector<std::string> warnings_;
    CallTables call_tables_;
    TraceChunks trace_chunks_;
    SampleWeightGuard weight_guard_;
    ProcessFacts facts_;
};

} // namespace hprof
