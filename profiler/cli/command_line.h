// The hprof command line, parsed into plain structs. No side effects: the commands act on it.
#pragma once

#include "hprof/export.h"
#include "hprof/filter.h"
#include "hprof/report.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hprof::cli {

inline constexpr uint32_t kDefaultFrequencyHz = 1000;
// The rate `hprof check -- PROGRAM` records at. A check is limited by its sample count, not by
// the probe's overhead: with the 2,000 samples of a 2 s run at 1 kHz, no interval keeps false
// alarms under 1 in 100 and still catches 95% of 1.5x slowdowns of a function holding 10% of the
// time; at 2 kHz both hold (docs/performance.md, "hprof check").
inline constexpr uint32_t kCheckFrequencyHz = 2000;
inline constexpr size_t kDefaultRecordLimit = 25;
inline constexpr const char* kDefaultOutput = "profile.hprof";
inline constexpr int64_t kDefaultMinDurationNs = 100'000; // --min-duration of trace mode
// --wait-descendants: how long hprof waits, after the program ended, for the processes it left
// running (docs/cli.md says why 10 s).
inline constexpr int64_t kDefaultWaitDescendantsNs = 10'000'000'000;
// --repeat: the most runs of the program one profile can hold (a typo guard, not a need).
inline constexpr uint32_t kMaxRepeat = 10000;

enum class Command {
    Record,
    Report,
    Collect,
    View,
    Help,
    Version,
    Diff,
    Check,
    Export,  // issue 12
    Scaling, // issue 13
    Import,  // issue 12
    Merge,   // issue 14
};

// How `record` treats programs built with -finstrument-functions.
enum class InstrumentMode {
    Auto,   // count calls exactly when the program calls the hooks, and say so
    Counts, // the same, asked for explicitly (no note)
    Off,    // ignore the hooks: sampling only
    Trace,  // keep every call that lasted at least RecordOptions::min_duration_ns, with its times
};

// What the samples measure.
enum class ClockMode {
    Cpu,  // on-CPU time only (the default)
    Wall, // also the time threads spend blocked (sleeps, locks, I/O): off-CPU samples
};

struct RecordOptions {
    uint32_t frequency_hz = kDefaultFrequencyHz;
    std::string output = kDefaultOutput;
    SortKey sort = SortKey::TotTime;
    std::optional<size_t> limit = kDefaultRecordLimit; // rows of the table; all if empty
    bool quiet = false;                                // no table after the run
    InstrumentMode instrument = InstrumentMode::Auto;
    int64_t min_duration_ns = kDefaultMinDurationNs; // trace mode only
    ClockMode clock = ClockMode::Cpu;
    int64_t wait_descendants_ns = kDefaultWaitDescendantsNs; // 0: no waiting, no subreaper
    uint32_t repeat = 1; // --repeat N: runs of the program, one after the other, in one profile
    std::vector<std::string> program; // argv of the program, untouched
};

// `hprof collect RUN_DIR`: the profile of a run directory that hprof left behind.
struct CollectCommandOptions {
    std::string run_dir;
    std::string output = kDefaultOutput;
    bool quiet = false;
};

struct ReportCommandOptions {
    std::string file;
    // The filter options as typed; resolved against the profile (into report.filter) once it is
    // read.
    FilterRequest filter;
    ReportOptions report; // all rows unless --limit
};

// `hprof diff` and `hprof check` (issue 11): comparing profiles.
enum class CompareFormat { Text, Json, Csv };

struct DiffCommandOptions {
    std::string before;
    std::string after;
    CompareFormat format = CompareFormat::Text;
    std::optional<size_t> limit; // rows; all if empty
};

struct CheckCommandOptions {
    std::vector<std::string> current;     // profiles of the current side; empty with `program`
    std::vector<std::string> baselines;   // at least one
    double threshold = 0.10;              // --threshold: relative change that counts
    double min_share = 0.01;              // --min-share: smaller functions are not checked
    double cpu_threshold = 0.25;          // --cpu-threshold: relative CPU-seconds change; 0: off
    uint32_t repeat = 1;                  // --repeat: runs of `program` recorded into one profile
    std::optional<uint32_t> frequency_hz; // -F: the recorded runs' rate; kCheckFrequencyHz unset
    bool fail_on_inconclusive = false;
    CompareFormat format = CompareFormat::Text; // text or json
    std::string junit;                          // --junit FILE; empty: none
    std::string markdown;                       // --markdown FILE; empty: none
    std::string output = kDefaultOutput;        // -o: where the recorded current run goes
    std::vector<std::string> program;           // after "--": record it, then check
    std::string budget; // --budget FILE (hprof-budget.toml); with it no baseline is needed
    // --scaling-budget FILE (issue 13): its max_exponent limits against the scaling directory
    // given as the one CURRENT argument.
    std::string scaling_budget;
};

// `hprof scaling` (issue 13): runs of a program at several sizes, fitted per function.
struct ScalingCommandOptions {
    std::vector<double> sizes;            // --sizes, as given; empty when re-fitting `dir`
    uint32_t repeat = 1;                  // --repeat: runs per size
    std::optional<double> predict;        // --predict N
    std::optional<std::string> expect;    // --expect MODEL, checked by the parser
    std::string output = "hprof-scaling"; // -o DIR: where the runs' profiles go
    ReportFormat format = ReportFormat::Text;
    // --limit: function rows; unset: 20 in text, all in JSON and CSV; 0 given: all.
    std::optional<std::optional<size_t>> limit;
    uint32_t frequency_hz = kDefaultFrequencyHz;
    InstrumentMode instrument = InstrumentMode::Auto;
    std::vector<std::string> program; // after "--", with {} where the size goes
    std::string dir;                  // `hprof scaling DIR`: re-fit its profiles
};

// `hprof export FILE --format F [-o OUT]` (issue 12): the profile in another tool's format.
struct ExportCommandOptions {
    std::string file;
    ExportFormat format = ExportFormat::Folded;
    FilterRequest filter;              // as in report, resolved once the profile is read
    std::optional<std::string> output; // -o; standard output without it
};

// `hprof import FILE -o OUT`: another tool's profile (pstats, perf script, gperftools) as an
// hprof profile (docs/import.md).
struct ImportCommandOptions {
    std::string file;
    std::string output = kDefaultOutput;
    bool quiet = false;
};

// `hprof merge FILES... -o OUT` (issue 14): one profile of an MPI job's ranks or a task farm's
// tasks, side by side (docs/cluster.md).
struct MergeCommandOptions {
    std::vector<std::string> files;
    std::string output; // required: a default name could be one of the inputs of a glob
};

struct Invocation {
    Command command = Command::Help;
    std::string help_topic; // for Command::Help: "" (top level), "record", "report", "collect"
    RecordOptions record;
    ReportCommandOptions report;
    CollectCommandOptions collect;
    std::vector<std::string> view_args; // `hprof view ARGS`: handed to hprof-viewer as they are
    DiffCommandOptions diff;
    CheckCommandOptions check;
    ExportCommandOptions export_options;
    ScalingCommandOptions scaling;
    ImportCommandOptions import_options;
    MergeCommandOptions merge;
};

// `args` are the arguments after argv[0]. Throws UsageError with a one-line message.
Invocation parseCommandLine(const std::vector<std::string>& args);

} // namespace hprof::cli
