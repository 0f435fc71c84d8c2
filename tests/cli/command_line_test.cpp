#include "cli_error.h"
#include "command_line.h"
#include "usage_error.h"

#include <gtest/gtest.h>

using namespace hprof;
using namespace hprof::cli;

TEST(CommandLine, ProgramAloneIsRecordWithDefaults) {
    const Invocation invocation = parseCommandLine({"./prog", "a"});
    EXPECT_EQ(invocation.command, Command::Record);
    EXPECT_EQ(invocation.record.program, (std::vector<std::string>{"./prog", "a"}));
    EXPECT_EQ(invocation.record.frequency_hz, 1000u);
    EXPECT_EQ(invocation.record.output, "profile.hprof");
    EXPECT_EQ(invocation.record.limit, std::optional<size_t>(25));
    EXPECT_EQ(invocation.record.sort, SortKey::TotTime);
    EXPECT_FALSE(invocation.record.quiet);
}

TEST(CommandLine, OptionsStopAtTheProgram) {
    const Invocation invocation = parseCommandLine({"-o", "out.hprof", "./prog", "-o", "x", "--"});
    EXPECT_EQ(invocation.record.output, "out.hprof");
    EXPECT_EQ(invocation.record.program, (std::vector<std::string>{"./prog", "-o", "x", "--"}));
}

TEST(CommandLine, DoubleDashEndsOptions) {
    const Invocation invocation = parseCommandLine({"record", "-q", "--", "-weird", "--help"});
    EXPECT_EQ(invocation.command, Command::Record);
    EXPECT_TRUE(invocation.record.quiet);
    EXPECT_EQ(invocation.record.program, (std::vector<std::string>{"-weird", "--help"}));
}

TEST(CommandLine, ProgramNamedLikeACommandAfterDoubleDash) {
    const Invocation invocation = parseCommandLine({"--", "report", "x"});
    EXPECT_EQ(invocation.command, Command::Record);
    EXPECT_EQ(invocation.record.program, (std::vector<std::string>{"report", "x"}));
}

TEST(CommandLine, AllValueForms) {
    for (const auto& args : std::vector<std::vector<std::string>>{{"-F", "250", "p"},
                                                                  {"-F250", "p"},
                                                                  {"--frequency", "250", "p"},
                                                                  {"--frequency=250", "p"}}) {
        EXPECT_EQ(parseCommandLine(args).record.frequency_hz, 250u) << args[0];
    }
}

TEST(CommandLine, FrequencyBounds) {
    EXPECT_EQ(parseCommandLine({"-F", "1", "p"}).record.frequency_hz, 1u);
    EXPECT_EQ(parseCommandLine({"-F", "20000", "p"}).record.frequency_hz, 20000u);
    for (const char* bad : {"0", "20001", "abc", "", "10x", "-5", "99999999999999"}) {
        EXPECT_EQ(usageErrorOf({"record", "-F", bad, "p"}),
                  "record: bad frequency '" + std::string(bad) +
                      "' (expected an integer from 1 to 20000 Hz) (see hprof record --help)");
    }
}

TEST(CommandLine, RecordTableOptions) {
    const RecordOptions options =
        parseCommandLine({"--sort", "cumtime", "--limit", "5", "-q", "p"}).record;
    EXPECT_EQ(options.sort, SortKey::CumTime);
    EXPECT_EQ(options.limit, std::optional<size_t>(5));
    EXPECT_TRUE(options.quiet);
    EXPECT_EQ(parseCommandLine({"--limit", "0", "p"}).record.limit, std::nullopt);
}

TEST(CommandLine, RecordErrorsAreOneLine) {
    EXPECT_EQ(usageErrorOf({"--bogus", "p"}), "unknown option '--bogus' (see hprof --help)");
    EXPECT_EQ(usageErrorOf({"record", "-x", "p"}),
              "record: unknown option '-x' (see hprof record --help)");
    EXPECT_EQ(usageErrorOf({"-o"}), "option '--output' needs a value (see hprof --help)");
    EXPECT_EQ(usageErrorOf({"-q"}), "no program given (see hprof --help)");
    EXPECT_EQ(usageErrorOf({"record"}), "record: no program given (see hprof record --help)");
    EXPECT_EQ(usageErrorOf({}), "no program given (see hprof --help)");
    EXPECT_EQ(usageErrorOf({"--quiet=yes", "p"}),
              "option '--quiet' takes no value (see hprof --help)");
    EXPECT_EQ(usageErrorOf({"--sort", "speed", "p"}),
              "bad sort key 'speed' (expected tottime, cumtime, ncalls or name) (see hprof "
              "--help)");
    EXPECT_EQ(usageErrorOf({"--limit", "-1", "p"}),
              "bad limit '-1' (expected a number of rows, 0 for all) (see hprof --help)");
}

TEST(CommandLine, Report) {
    const Invocation invocation =
        parseCommandLine({"report", "--sort", "name", "run.hprof", "--limit", "3", "--format=json",
                          "--pid", "12", "--tid", "13"});
    EXPECT_EQ(invocation.command, Command::Report);
    EXPECT_EQ(invocation.report.file, "run.hprof");
    EXPECT_EQ(invocation.report.report.sort, SortKey::Name);
    EXPECT_EQ(invocation.report.report.limit, std::optional<size_t>(3));
    EXPECT_EQ(invocation.report.report.format, ReportFormat::Json);
    EXPECT_EQ(invocation.report.filter.pids, std::vector<int32_t>{12});
    EXPECT_EQ(invocation.report.filter.tids, std::vector<int32_t>{13});
}

TEST(CommandLine, ReportDefaultsToEveryRow) {
    const ReportOptions report = parseCommandLine({"report", "f"}).report.report;
    EXPECT_EQ(report.limit, std::nullopt);
    EXPECT_EQ(report.format, ReportFormat::Text);
    EXPECT_EQ(report.sort, SortKey::TotTime);
}

TEST(CommandLine, ReportErrors) {
    EXPECT_EQ(usageErrorOf({"report", "f", "--x"}),
              "report: unknown option '--x' (see hprof report --help)");
    EXPECT_EQ(usageErrorOf({"report"}), "report: no profile file given (see hprof report --help)");
    EXPECT_EQ(usageErrorOf({"report", "a", "b"}),
              "report: unexpected argument 'b' (see hprof report --help)");
    EXPECT_EQ(usageErrorOf({"report", "f", "--format", "xml"}),
              "report: bad format 'xml' (expected text, json or csv) (see hprof report --help)");
    EXPECT_EQ(usageErrorOf({"report", "f", "--pid", "0"}),
              "report: bad pid '0' (expected a positive integer) (see hprof report --help)");
}

TEST(CommandLine, ReportCallersAndCallees) {
    const ReportOptions callers =
        parseCommandLine({"report", "f", "--callers", "spend_half"}).report.report;
    EXPECT_EQ(callers.callers_of, std::optional<std::string>("spend_half"));
    EXPECT_EQ(callers.callees_of, std::nullopt);
    const ReportOptions callees =
        parseCommandLine({"report", "--callees=std::map<int, int>::find", "f"}).report.report;
    EXPECT_EQ(callees.callees_of, std::optional<std::string>("std::map<int, int>::find"));
    EXPECT_EQ(callees.callers_of, std::nullopt);
    const ReportOptions plain = parseCommandLine({"report", "f"}).report.report;
    EXPECT_EQ(plain.callers_of, std::nullopt);
    EXPECT_EQ(plain.callees_of, std::nullopt);
}

TEST(CommandLine, ReportCallersAndCalleesErrors) {
    EXPECT_EQ(usageErrorOf({"report", "f", "--callers", "a", "--callees", "b"}),
              "report: --callers and --callees cannot be combined (see hprof report --help)");
    EXPECT_EQ(usageErrorOf({"report", "f", "--callers"}),
              "report: option '--callers' needs a value (see hprof report --help)");
}

TEST(CommandLine, HelpAndVersion) {
    EXPECT_EQ(parseCommandLine({"--help"}).help_topic, "");
    EXPECT_EQ(parseCommandLine({"-h"}).command, Command::Help);
    EXPECT_EQ(parseCommandLine({"help"}).help_topic, "");
    EXPECT_EQ(parseCommandLine({"help", "report"}).help_topic, "report");
    EXPECT_EQ(parseCommandLine({"record", "--help"}).help_topic, "record");
    EXPECT_EQ(parseCommandLine({"report", "--help"}).help_topic, "report");
    EXPECT_EQ(parseCommandLine({"report", "-h"}).command, Command::Help);
    EXPECT_EQ(parseCommandLine({"--version"}).command, Command::Version);
    EXPECT_EQ(usageErrorOf({"help", "frobnicate"}),
              "help: unknown command 'frobnicate' (see hprof --help)");
}

TEST(CommandLine, InstrumentTakesAValueOnlyAfterEquals) {
    EXPECT_EQ(parseCommandLine({"./prog"}).record.instrument, InstrumentMode::Auto);
    const Invocation plain = parseCommandLine({"--instrument", "./prog", "x"});
    EXPECT_EQ(plain.record.instrument, InstrumentMode::Counts);
    EXPECT_EQ(plain.record.program, (std::vector<std::string>{"./prog", "x"}));
    EXPECT_EQ(parseCommandLine({"--instrument=counts", "p"}).record.instrument,
              InstrumentMode::Counts);
    EXPECT_EQ(parseCommandLine({"record", "--instrument=off", "p"}).record.instrument,
              InstrumentMode::Off);
}

TEST(CommandLine, UnknownInstrumentModesAreErrors) {
    EXPECT_EQ(usageErrorOf({"--instrument=fast", "p"}),
              "bad instrument mode 'fast' (expected counts, trace or off) (see hprof --help)");
}

TEST(CommandLine, ClockIsCpuUnlessWallIsAsked) {
    EXPECT_EQ(parseCommandLine({"./prog"}).record.clock, ClockMode::Cpu);
    EXPECT_EQ(parseCommandLine({"--clock=wall", "p"}).record.clock, ClockMode::Wall);
    const Invocation separate = parseCommandLine({"record", "--clock", "wall", "p", "x"});
    EXPECT_EQ(separate.record.clock, ClockMode::Wall);
    EXPECT_EQ(separate.record.program, (std::vector<std::string>{"p", "x"}));
    EXPECT_EQ(parseCommandLine({"--clock=wall", "--clock=cpu", "p"}).record.clock, ClockMode::Cpu);
    EXPECT_EQ(usageErrorOf({"--clock=real", "p"}),
              "bad clock 'real' (expected cpu or wall) (see hprof --help)");
}

TEST(CommandLine, TraceModeHasAMinimumDuration) {
    const RecordOptions plain = parseCommandLine({"--instrument=trace", "p"}).record;
    EXPECT_EQ(plain.instrument, InstrumentMode::Trace);
    EXPECT_EQ(plain.min_duration_ns, 100'000);
    const RecordOptions equals =
        parseCommandLine({"record", "--instrument=trace", "--min-duration=50us", "p"}).record;
    EXPECT_EQ(equals.min_duration_ns, 50'000);
    // The option may come before --instrument, and take its value as the next argument.
    const RecordOptions separate =
        parseCommandLine({"--min-duration", "1ms", "--instrument=trace", "p", "x"}).record;
    EXPECT_EQ(separate.min_duration_ns, 1'000'000);
    EXPECT_EQ(separate.program, (std::vector<std::string>{"p", "x"}));
}

TEST(CommandLine, MinDurationUnits) {
    auto minDuration = [](const std::string& text) {
        return parseCommandLine({"--instrument=trace", "--min-duration=" + text, "p"})
            .record.min_duration_ns;
    };
    EXPECT_EQ(minDuration("0"), 0);
    EXPECT_EQ(minDuration("250ns"), 250);
    EXPECT_EQ(minDuration("0us"), 0);
    EXPECT_EQ(minDuration("2.5us"), 2'500);
    EXPECT_EQ(minDuration("3ms"), 3'000'000);
    EXPECT_EQ(minDuration("0.5s"), 500'000'000);
    EXPECT_EQ(minDuration("3600s"), 3'600'000'000'000);
}

TEST(CommandLine, BadMinDurationsAreErrors) {
    for (std::string text : {"50", "", "us", "-5us", "5 us", "5min", "5US", "1e3", "3601s", "nan",
                             "inf", "5usx", "0x10ns"}) {
        EXPECT_EQ(usageErrorOf({"--instrument=trace", "--min-duration=" + text, "p"}),
                  "bad duration '" + text +
                      "' (expected a number and a unit ns, us, ms or s, e.g. 100us, at most "
                      "3600s) (see hprof --help)")
            << text;
    }
    EXPECT_EQ(usageErrorOf({"--instrument=trace", "--min-duration"}),
              "option '--min-duration' needs a value (see hprof --help)");
}

TEST(CommandLine, MinDurationNeedsTraceMode) {
    const std::string error = "--min-duration needs --instrument=trace (see hprof --help)";
    EXPECT_EQ(usageErrorOf({"--min-duration=1ms", "p"}), error);
    EXPECT_EQ(usageErrorOf({"--instrument=counts", "--min-duration=1ms", "p"}), error);
    EXPECT_EQ(usageErrorOf({"--min-duration=1ms", "--instrument=off", "p"}), error);
    EXPECT_EQ(usageErrorOf({"record", "--instrument", "--min-duration=0", "p"}),
              "record: --min-duration needs --instrument=trace (see hprof record --help)");
    // The last --instrument counts, as for every other option.
    EXPECT_EQ(
        parseCommandLine({"--instrument=off", "--min-duration=1ms", "--instrument=trace", "p"})
            .record.instrument,
        InstrumentMode::Trace);
}

TEST(CommandLine, ReportTrace) {
    EXPECT_TRUE(parseCommandLine({"report", "--trace", "f"}).report.report.trace);
    EXPECT_FALSE(parseCommandLine({"report", "f"}).report.report.trace);
    const std::string error =
        "report: --trace cannot be combined with --callers or --callees (see hprof report --help)";
    EXPECT_EQ(usageErrorOf({"report", "--trace", "--callers", "x", "f"}), error);
    EXPECT_EQ(usageErrorOf({"report", "--callees=x", "f", "--trace"}), error);
    EXPECT_EQ(usageErrorOf({"report", "--trace=yes", "f"}),
              "report: option '--trace' takes no value (see hprof report --help)");
}

TEST(CommandLine, ReportTimeRange) {
    auto range = [](const std::string& text) {
        return parseCommandLine({"report", "f", "--time", text}).report.filter;
    };
    FilterRequest both = range("1.5s..2s");
    EXPECT_EQ(both.from_ns, std::optional<int64_t>(1'500'000'000));
    EXPECT_EQ(both.to_ns, std::optional<int64_t>(2'000'000'000));
    FilterRequest from = range("200ms..");
    EXPECT_EQ(from.from_ns, std::optional<int64_t>(200'000'000));
    EXPECT_EQ(from.to_ns, std::nullopt);
    FilterRequest to = range("..300us");
    EXPECT_EQ(to.from_ns, std::nullopt);
    EXPECT_EQ(to.to_ns, std::optional<int64_t>(300'000));
    EXPECT_EQ(range("0..25ns").to_ns, std::optional<int64_t>(25));
    FilterRequest all = range("..");
    EXPECT_EQ(all.from_ns, std::nullopt);
    EXPECT_EQ(all.to_ns, std::nullopt);
    EXPECT_EQ(parseCommandLine({"report", "--time=1s..", "f"}).report.filter.from_ns,
              std::optional<int64_t>(1'000'000'000));
}

TEST(CommandLine, BadTimeRangesAreOneLineErrors) {
    const std::string expected = "(expected FROM..TO since the start of the run, each a number and "
                                 "a unit ns, us, ms or s or empty, e.g. 1.5s..2s, 200ms.. or "
                                 "..300us) (see hprof report --help)";
    for (const std::string text :
         {"1s", "", "1..2s", "1s..2", "abc..1s", "-1s..", "1s..2s..3s", "1 s..2s", "1e30s.."})
        EXPECT_EQ(usageErrorOf({"report", "f", "--time", text}),
                  "report: bad time range '" + text + "' " + expected)
            << text;
    EXPECT_EQ(usageErrorOf({"report", "f", "--time", "2s..1s"}),
              "report: empty time range '2s..1s' (FROM must come before TO) (see hprof report "
              "--help)");
    EXPECT_EQ(usageErrorOf({"report", "f", "--time", "1s..1000ms"}),
              "report: empty time range '1s..1000ms' (FROM must come before TO) (see hprof "
              "report --help)");
}

TEST(CommandLine, ReportByAndParallelism) {
    EXPECT_EQ(parseCommandLine({"report", "f", "--by", "process"}).report.report.by,
              std::optional(GroupBy::Process));
    EXPECT_EQ(parseCommandLine({"report", "--by=thread", "f"}).report.report.by,
              std::optional(GroupBy::Thread));
    EXPECT_EQ(parseCommandLine({"report", "f"}).report.report.by, std::nullopt);
    EXPECT_EQ(parseCommandLine({"report", "f", "--parallelism"}).report.report.parallelism,
              ParallelismSection::Full);
    EXPECT_EQ(parseCommandLine({"report", "f"}).report.report.parallelism,
              ParallelismSection::None);
    EXPECT_EQ(usageErrorOf({"report", "f", "--by", "cpu"}),
              "report: bad --by 'cpu' (expected process or thread) (see hprof report --help)");
    EXPECT_EQ(usageErrorOf({"report", "f", "--by", "thread", "--callers", "x"}),
              "report: --by cannot be combined with --trace, --callers or --callees (see hprof "
              "report --help)");
    EXPECT_EQ(usageErrorOf({"report", "f", "--by", "thread", "--parallelism"}),
              "report: --by already ends with the parallelism summary: drop --parallelism (see "
              "hprof report --help)");
    EXPECT_EQ(usageErrorOf({"report", "f", "--parallelism", "--format", "csv"}),
              "report: --parallelism has no CSV form (the JSON report always has it) (see hprof "
              "report --help)");
}

TEST(CommandLine, WaitDescendantsTakesADuration) {
    EXPECT_EQ(parseCommandLine({"./prog"}).record.wait_descendants_ns, kDefaultWaitDescendantsNs);
    EXPECT_EQ(parseCommandLine({"--wait-descendants=2.5s", "./prog"}).record.wait_descendants_ns,
              2'500'000'000);
    EXPECT_EQ(parseCommandLine({"--wait-descendants", "0", "./prog"}).record.wait_descendants_ns,
              0);
    for (const char* bad : {"5", "-1s", "2days", "90000s"})
        EXPECT_THROW(parseCommandLine({std::string("--wait-descendants=") + bad, "./prog"}),
                     UsageError)
            << bad;
}

TEST(CommandLine, RepeatTakesANumberOfRuns) {
    EXPECT_EQ(parseCommandLine({"./prog"}).record.repeat, 1u);
    EXPECT_EQ(parseCommandLine({"--repeat", "3", "./prog"}).record.repeat, 3u);
    EXPECT_EQ(parseCommandLine({"record", "--repeat=10000", "--", "./prog", "--repeat", "2"})
                  .record.repeat,
              10000u);
    EXPECT_EQ(parseCommandLine({"./prog", "--repeat", "2"}).record.repeat, 1u); // the program's
    for (const char* bad : {"0", "-1", "abc", "3x", "", "10001", "99999999999"})
        EXPECT_THROW(parseCommandLine({std::string("--repeat=") + bad, "./prog"}), UsageError)
            << bad;
    EXPECT_EQ(usageErrorOf({"--repeat", "0", "./prog"}),
              "bad --repeat '0' (expected a number of runs from 1 to 10000) (see hprof --help)");
}

TEST(CommandLine, CollectTakesOneRunDirectory) {
    const Invocation invocation =
        parseCommandLine({"collect", "-q", "-o", "x.hprof", "/dev/shm/d"});
    EXPECT_EQ(invocation.command, Command::Collect);
    EXPECT_EQ(invocation.collect.run_dir, "/dev/shm/d");
    EXPECT_EQ(invocation.collect.output, "x.hprof");
    EXPECT_TRUE(invocation.collect.quiet);
    EXPECT_THROW(parseCommandLine({"collect"}), UsageError);
    EXPECT_THROW(parseCommandLine({"collect", "a", "b"}), UsageError);
    EXPECT_EQ(parseCommandLine({"help", "collect"}).help_topic, "collect");
}
