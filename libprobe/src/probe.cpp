// The probe's life cycle: start when loaded into a process of an hprof run (HPROF_RUN_DIR set),
// follow fork, and mark the process's end. Everything else lives in the files it calls.
#include "call_counter.h"
#include "call_tracer.h"
#include "fork_parent.h"
#include "module_table.h"
#include "process_end.h"
#include "raw_writer.h"
#include "sampler.h"
#include "signal_safe.h"
#include "wall_sampler.h"

#include "hprof/job_environment.h"

#include <climits>
#include <cstdlib>
#include <cstring>
#include <pthread.h>
#include <unistd.h>

namespace hprof::probe {

void armThreadEndHookForMainThread();

namespace {

constexpr uint32_t kDefaultFrequency = 1000;
constexpr uint32_t kMaxFrequency = 100000;
constexpr uint64_t kDefaultMinDurationNs = 100000; // trace mode keeps calls of 100 us or more

struct ProbeSettings {
    char run_dir[PATH_MAX];
    uint32_t frequency_hz;
    bool force_cpu_timer;
    bool count_calls; // HPROF_INSTRUMENT is not "off"
    bool trace_calls; // HPROF_INSTRUMENT=trace
    bool wall_clock;  // HPROF_CLOCK=wall: off-CPU samples too
    uint64_t min_duration_ns;
};
constinit ProbeSettings g_settings;
constinit raw::Trigger g_trigger = raw::Trigger::PerfTaskClock;
constinit int g_argc = 0;
constinit char** g_argv = nullptr;
// Read at start (the program may change its environment later); fork children inherit it.
constinit JobPlace g_job_place;

bool readSettings() {
    const char* run_dir = getenv("HPROF_RUN_DIR");
    if (!run_dir || !*run_dir || strlen(run_dir) >= sizeof g_settings.run_dir)
        return false;
    strcpy(g_settings.run_dir, run_dir);
    const char* frequency = getenv("HPROF_FREQUENCY");
    unsigned long hz = frequency ? strtoul(frequency, nullptr, 10) : kDefaultFrequency;
    g_settings.frequency_hz = uint32_t(hz == 0 || hz > kMaxFrequency ? kDefaultFrequency : hz);
    const char* trigger = getenv("HPROF_TRIGGER");
    g_settings.force_cpu_timer = trigger && strcmp(trigger, "timer") == 0;
    const char* instrument = getenv("HPROF_INSTRUMENT");
    g_settings.count_calls = !instrument || strcmp(instrument, "off") != 0;
    g_settings.trace_calls = instrument && strcmp(instrument, "trace") == 0;
    const char* clock = getenv("HPROF_CLOCK");
    g_settings.wall_clock = clock && strcmp(clock, "wall") == 0;
    const char* min_duration = getenv("HPROF_MIN_DURATION_NS");
    g_settings.min_duration_ns =
        min_duration ? strtoull(min_duration, nullptr, 10) : kDefaultMinDurationNs;
    return true;
}

StreamSettings streamSettings() {
    return {g_settings.run_dir, g_settings.frequency_hz, g_trigger, samplingSignal(),
            g_settings.wall_clock ? raw::Clock::Wall : raw::Clock::Cpu};
}

void writeProcessRecord() {
    char exe[PATH_MAX];
    ssize_t exe_length = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[exe_length > 0 ? exe_length : 0] = '\0';
    size_t size = sizeof(raw::ProcessRecord) + strlen(exe) + 1 + strlen(g_job_place.job_id) + 1;
    for (int i = 0; i < g_argc; ++i)
        size += strlen(g_argv[i]) + 1;
    auto* record = beginRecord(uint32_t(size));
    if (!record)
        return;
    auto* process = reinterpret_cast<raw::ProcessRecord*>(record);
    process->time_ns = monotonicNs();
    process->pid = getpid();
    process->ppid = parentPid();
    process->argc = uint32_t(g_argc);
    process->rank = g_job_place.rank;
    process->world_size = g_job_place.world_size;
    char* out = reinterpret_cast<char*>(process + 1);
    for (int i = 0; i < g_argc; ++i)
        out = stpcpy(out, g_argv[i]) + 1;
    out = stpcpy(out, exe) + 1;
    strcpy(out, g_job_place.job_id);
    commitRecord(record, raw::RecordType::Process);
}

void onProcessExit(int status, void*) {
    recordProcessEnd(status);
}

void beforeFork() {
    noteForkingProcess();
    lockModuleChanges();
}
void afterForkInParent() {
    unlockModuleChanges();
}
void afterForkInChild() {
    resetModuleLockInForkChild(); // held across fork by beforeFork, owned by the parent's thread
    resetThreadsAfterFork();
    if (!reopenStreamAfterFork(streamSettings()))
        return; // no stream: the child runs unprofiled
    writeProcessRecord();
    rewriteModuleRecordsAfterFork();
    registerCurrentThread();
    restartCallCountingAfterFork();
    restartWallSamplerAfterFork();
}

} // namespace

// glibc passes argc/argv to constructors; LD_PRELOAD libraries start after libc is ready and
// before the program's own constructors, so threads those create are sampled too.
__attribute__((constructor)) void startProbe(int argc, char** argv, char**) {
    g_argc = argc;
    g_argv = argv;
    if (!readSettings())
        return;
    g_job_place = readJobPlace(getenv);
    g_trigger = initSampler({g_settings.frequency_hz, g_settings.force_cpu_timer});
    if (!openStream(streamSettings())) {
        warnOnStderr("cannot create the raw stream in HPROF_RUN_DIR; not profiling this process");
        return;
    }
    writeProcessRecord();
    writeModulesAtStreamStart();
    pthread_atfork(beforeFork, afterForkInParent, afterForkInChild);
    on_exit(onProcessExit, nullptr);
    armThreadEndHookForMainThread();
    // What this image cost before sampling could start; read just before the thread's first
    // sampling period begins (registerCurrentThread), so nothing is counted twice or missed.
    writeProcessStartRecord(currentTid(), threadCpuNs());
    registerCurrentThread();
    if (g_settings.wall_clock)
        startWallSampler(g_settings.frequency_hz);
    if (g_settings.trace_calls)
        enableCallTracing(g_settings.min_duration_ns);
    if (g_settings.count_calls) // counts only if the program calls the hooks
        enableCallCounting();
}

} // namespace hprof::probe
