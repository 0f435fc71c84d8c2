// The hprof command line, parsed into plain structs. No side effects: the commands act on it.
#pragma once

#include "hprof/report.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hprof::cli {

inline constexpr uint32_t kDefaultFrequencyHz = 1000;
inline constexpr uint32_t kMaxFrequencyHz = 20000;
inline constexpr size_t kDefaultRecordLimit = 25;
inline constexpr const char* kDefaultOutput = "profile.hprof";
inline constexpr int64_t kDefaultMinDurationNs = 100'000; // --min-duration of trace mode

enum class Command { Record, Report, Help, Version };

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
    std::vector<std::string> program; // argv of the program, untouched
};

struct ReportCommandOptions {
    std::string file;
    ReportOptions report; // all rows unless --limit
};

struct Invocation {
    Command command = Command::Help;
    std::string help_topic; // for Command::Help: "" (top level), "record" or "report"
    RecordOptions record;
    ReportCommandOptions report;
};

// `args` are the arguments after argv[0]. Throws UsageError with a one-line message.
Invocation parseCommandLine(const std::vector<std::string>& args);

} // namespace hprof::cli
