#include "process_tree.h"

#include <algorithm>
#include <sys/wait.h>
#include <unordered_map>

namespace hprof {
namespace {

const char* noteFor(raw::NotFollowed why) {
    switch (why) {
    case raw::NotFollowed::Setuid:
        return "setuid program: the dynamic loader ignores LD_PRELOAD";
    case raw::NotFollowed::Static:
        return "statically linked: nothing can be preloaded";
    case raw::NotFollowed::Environment:
        return "its environment dropped the probe";
    case raw::NotFollowed::No:
        break;
    }
    return "did not load the probe (unknown reason)";
}

class ProcessTree {
  public:
    ProcessTree(Profile& profile, const std::vector<ProcessFacts>& facts, RunInfo& run)
        : profile_(profile), facts_(facts), run_(run), replaced_(profile.processes.size(), false) {
        for (uint32_t i = 0; i < profile.processes.size(); ++i)
            images_[profile.processes[i].pid].push_back(i);
    }

    void addExecs(const ProcessFacts& facts);
    void addOtherLaunches(const ProcessFacts& facts);
    void linkParents(size_t profiled_count);
    void addChildExits(const std::vector<ChildExitFact>& exits);
    void settleFirstProcess(size_t profiled_count, std::optional<int64_t> program_end_ns);

  private:
    void endKilledProcess(ProcessId id, int64_t reaped_ns);
    void discountEarlierImage(ProcessId image, uint64_t earlier_cpu_ns);
    Process& process(ProcessId id) { return profile_.processes[id.value]; }
    std::optional<ProcessId> imageStartedAfter(int32_t pid, int64_t time_ns) const;
    std::optional<ProcessId> imageAt(int32_t pid, int64_t time_ns, ProcessId except) const;
    void addUnprofiled(const LaunchFact& launch, ProcessId parent, int32_t ppid);

    Profile& profile_;
    const std::vector<ProcessFacts>& facts_; // of the profiled processes, by ProcessId
    RunInfo& run_;
    std::vector<bool> replaced_; // by index: an image that an exec replaced
    // The processes of each pid, in table order: a run of thousands of processes (make -j) must
    // not scan them all for every lookup.
    std::unordered_map<int32_t, std::vector<uint32_t>> images_;
};

// The image's own last exec, unless it ended with a ProcessEnd afterwards (the exec failed).
const LaunchFact* finalExec(const ProcessFacts& facts, int32_t pid) {
    const LaunchFact* last = nullptr;
    for (const LaunchFact& launch : facts.launches) {
        if (launch.type == raw::RecordType::Exec && launch.pid == pid)
            last = &launch;
    }
    if (last && facts.end_record_ns && *facts.end_record_ns >= last->time_ns)
        return nullptr;
    return last;
}

// The earliest profiled image of `pid` that started at or after `time_ns`.
std::optional<ProcessId> ProcessTree::imageStartedAfter(int32_t pid, int64_t time_ns) const {
    std::optional<ProcessId> found;
    const auto images = images_.find(pid);
    if (images == images_.end())
        return found;
    for (const uint32_t i : images->second) {
        const Process& candidate = profile_.processes[i];
        if (candidate.profiled && candidate.start_ns >= time_ns &&
            (!found || candidate.start_ns < profile_.processes[found->value].start_ns))
            found = ProcessId(i);
    }
    return found;
}

// The image of `pid` that was current at `time_ns`: the latest one started by then.
std::optional<ProcessId> ProcessTree::imageAt(int32_t pid, int64_t time_ns,
                                              ProcessId except) const {
    std::optional<ProcessId> found;
    const auto images = images_.find(pid);
    if (images == images_.end())
        return found;
    for (const uint32_t i : images->second) {
        const Process& candidate = profile_.processes[i];
        if (i != except.value && candidate.start_ns <= time_ns &&
            (!found || candidate.start_ns >= profile_.processes[found->value].start_ns))
            found = ProcessId(i);
    }
    return found;
}

void ProcessTree::addUnprofiled(const LaunchFact& launch, ProcessId parent, int32_t ppid) {
    Process child;
    child.pid = launch.pid;
    child.ppid = ppid;
    child.parent = parent;
    child.from_exec = launch.type == raw::RecordType::Exec && launch.pid == process(parent).pid;
    child.command = launch.command;
    child.executable = launch.path;
    child.start_ns = launch.time_ns;
    child.end_ns = launch.time_ns;
    child.profiled = false;
    child.note = noteFor(launch.not_followed);
    run_.warnings.push_back("process " + std::to_string(child.pid) + " (" + child.command +
                            ") was not profiled: " + child.note);
    images_[child.pid].push_back(uint32_t(profile_.processes.size()));
    profile_.processes.push_back(child);
    replaced_.push_back(false);
}

// An image that exec'd itself ends where the next image of its pid starts, or, if none loaded
// the probe, leaves an unprofiled Process for the program it became.
void ProcessTree::addExecs(const ProcessFacts& facts) {
    Process& image = process(facts.process);
    const LaunchFact* exec = finalExec(facts, image.pid);
    if (!exec)
        return;
    replaced_[facts.process.value] = true;
    image.exit_status.reset();
    const std::optional<ProcessId> next = imageStartedAfter(image.pid, exec->time_ns);
    if (!next) {
        addUnprofiled(*exec, facts.process, image.ppid);
        return;
    }
    Process& successor = process(*next);
    successor.parent = facts.process;
    successor.from_exec = true;
    image.end_ns = std::max(image.start_ns, successor.start_ns);
    discountEarlierImage(*next, facts.main_thread_cpu_ns);
}

// The kernel's thread CPU clock survives exec: the new image's start cost and its main thread's
// CPU time include what the thread used in the image it replaced, which that image accounts.
void ProcessTree::discountEarlierImage(ProcessId image, uint64_t earlier_cpu_ns) {
    if (image.value >= facts_.size())
        return;
    const ProcessFacts& facts = facts_[image.value];
    const auto earlier = static_cast<int64_t>(earlier_cpu_ns);
    if (facts.start_cost_sample) {
        int64_t& weight = profile_.samples[*facts.start_cost_sample].weight_ns;
        weight = std::max<int64_t>(0, weight - earlier);
    }
    if (facts.main_thread) {
        int64_t& cpu = profile_.threads[facts.main_thread->value].cpu_ns;
        if (cpu > 0) // 0: not known
            cpu = std::max<int64_t>(0, cpu - earlier);
    }
}

// Children started by posix_spawn, or by a vfork child that exec'd (its Exec record is in this
// stream with the child's pid): the last launch of each pid counts.
void ProcessTree::addOtherLaunches(const ProcessFacts& facts) {
    const int32_t own_pid = process(facts.process).pid;
    std::unordered_map<int32_t, size_t> last_launch; // of each pid
    for (size_t i = 0; i < facts.launches.size(); ++i)
        last_launch[facts.launches[i].pid] = i;
    for (size_t i = 0; i < facts.launches.size(); ++i) {
        const LaunchFact& launch = facts.launches[i];
        const bool superseded = last_launch[launch.pid] != i;
        if (launch.pid == own_pid || superseded || imageStartedAfter(launch.pid, launch.time_ns))
            continue;
        addUnprofiled(launch, facts.process, own_pid);
    }
}

// The parent of a process that was not exec'd: the image of its ppid current when it started.
void ProcessTree::linkParents(size_t profiled_count) {
    for (uint32_t i = 0; i < profiled_count; ++i) {
        Process& child = profile_.processes[i];
        if (child.from_exec)
            continue;
        if (const auto parent = imageAt(child.ppid, child.start_ns, ProcessId(i)))
            child.parent = *parent;
    }
}

// A reaped child: the image of that pid current at the time, which exec did not replace.
void ProcessTree::addChildExits(const std::vector<ChildExitFact>& exits) {
    for (const ChildExitFact& exit : exits) {
        const std::optional<ProcessId> child = imageAt(exit.pid, exit.time_ns, ProcessId());
        if (!child || replaced_[child->value])
            continue;
        Process& reaped = process(*child);
        reaped.exit_status = shellExitStatus(exit.wait_status);
        if (!reaped.profiled)
            reaped.end_ns = std::max(reaped.start_ns, exit.time_ns);
        else
            endKilledProcess(*child, exit.time_ns);
    }
}

// A profiled process that wrote no ProcessEnd record died without running exit() or _exit()
// (a signal killed it): its last record is its last sample, not its end. It was dead by the
// time it was reaped; that is the best time of death known.
void ProcessTree::endKilledProcess(ProcessId id, int64_t reaped_ns) {
    if (id.value >= facts_.size() || facts_[id.value].end_record_ns)
        return;
    Process& killed = process(id);
    if (reaped_ns <= killed.end_ns)
        return;
    for (const ThreadId thread : facts_[id.value].open_threads)
        profile_.threads[thread.value].end_ns = reaped_ns;
    killed.end_ns = reaped_ns;
}

// The launcher waited for the first process (or what it exec'd into) and knows how it ended.
void ProcessTree::settleFirstProcess(size_t profiled_count, std::optional<int64_t> program_end_ns) {
    if (profiled_count == 0)
        return;
    const auto& processes = profile_.processes;
    uint32_t current = 0;
    for (uint32_t i = 1; i < profiled_count; ++i) {
        if (processes[i].start_ns < processes[current].start_ns)
            current = i;
    }
    for (bool followed = true; followed;) {
        followed = false;
        for (uint32_t i = 0; i < processes.size(); ++i) {
            if (processes[i].from_exec && processes[i].parent.value == current) {
                current = i;
                followed = true;
                break;
            }
        }
    }
    Process& last = process(ProcessId(current));
    if (!last.exit_status && run_.exit_status >= 0)
        last.exit_status = run_.exit_status;
    if (program_end_ns && !last.profiled) // it was not seen to end at all
        last.end_ns = std::max(last.start_ns, *program_end_ns);
    else if (program_end_ns)
        endKilledProcess(ProcessId(current), *program_end_ns);
}

} // namespace

int shellExitStatus(int wait_status) {
    if (WIFSIGNALED(wait_status))
        return 128 + WTERMSIG(wait_status);
    return WEXITSTATUS(wait_status);
}

void linkProcesses(Profile& profile, const std::vector<ProcessFacts>& facts,
                   const std::vector<ChildExitFact>& reaped_by_launcher, RunInfo& run,
                   std::optional<int64_t> program_end_ns) {
    const size_t profiled_count = profile.processes.size();
    ProcessTree tree(profile, facts, run);
    for (const ProcessFacts& stream : facts)
        tree.addExecs(stream);
    for (const ProcessFacts& stream : facts)
        tree.addOtherLaunches(stream);
    tree.linkParents(profiled_count);
    for (const ProcessFacts& stream : facts)
        tree.addChildExits(stream.child_exits);
    tree.addChildExits(reaped_by_launcher);
    tree.settleFirstProcess(profiled_count, program_end_ns);
}

} // namespace hprof
