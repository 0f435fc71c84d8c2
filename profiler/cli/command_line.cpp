#include "command_line.h"

#include "cli_error.h"
#include "option_scanner.h"
#include "output_name.h"

#include "hprof/scaling.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <span>
#include <string_view>

namespace hprof::cli {
namespace {

constexpr std::array kRecordOptions{
    OptionSpec{'F', "frequency", true},
    OptionSpec{'o', "output", true},
    OptionSpec{'\0', "sort", true},
    OptionSpec{'\0', "limit", true},
    OptionSpec{'q', "quiet", false},
    OptionSpec{'h', "help", false},
    OptionSpec{'\0', "instrument", false, true},
    OptionSpec{'\0', "min-duration", true},
    OptionSpec{'\0', "clock", true},
    OptionSpec{'\0', "wait-descendants", true},
    OptionSpec{'\0', "repeat", true},
};

constexpr std::array kCollectOptions{
    OptionSpec{'o', "output", true},
    OptionSpec{'q', "quiet", false},
    OptionSpec{'h', "help", false},
};

// The options that build a FilterRequest (parseFilterOption), shared by report and export.
constexpr std::array kFilterOptions{
    OptionSpec{'\0', "pid", true},
    OptionSpec{'\0', "tid", true},
    OptionSpec{'\0', "time", true},
    OptionSpec{'\0', "exclude-pid", true},
    OptionSpec{'\0', "exclude-tid", true},
    OptionSpec{'\0', "focus", true},
    OptionSpec{'\0', "exclude", true},
    OptionSpec{'\0', "module", true},
    OptionSpec{'\0', "exclude-module", true},
};

template <size_t N, size_t M>
constexpr std::array<OptionSpec, N + M> withFilterOptions(const std::array<OptionSpec, N>& own,
                                                          const std::array<OptionSpec, M>& filter) {
    std::array<OptionSpec, N + M> all{};
    std::copy(own.begin(), own.end(), all.begin());
    std::copy(filter.begin(), filter.end(), all.begin() + N);
    return all;
}

constexpr std::array kReportOptions = withFilterOptions(
    std::array{
        OptionSpec{'\0', "sort", true},
        OptionSpec{'\0', "limit", true},
        OptionSpec{'\0', "format", true},
        OptionSpec{'\0', "callers", true},
        OptionSpec{'\0', "callees", true},
        OptionSpec{'\0', "trace", false},
        OptionSpec{'\0', "by", true},
        OptionSpec{'\0', "parallelism", false},
        OptionSpec{'h', "help", false},
    },
    kFilterOptions);

constexpr std::array kExportOptions = withFilterOptions(
    std::array{
        OptionSpec{'\0', "format", true},
        OptionSpec{'o', "output", true},
        OptionSpec{'h', "help", false},
    },
    kFilterOptions);

// A whole-word decimal number in [min, max]; std::nullopt for anything else.
template <typename Integer>
std::optional<Integer> parseInteger(const std::string& text, Integer min, Integer max) {
    Integer value{};
    const char* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, value);
    if (text.empty() || error != std::errc() || stop != end || value < min || value > max)
        return std::nullopt;
    return value;
}

uint32_t parseFrequency(const OptionScanner& scanner, const std::string& text) {
    if (auto hz = parseInteger<uint32_t>(text, 1, kMaxSamplingHz))
        return *hz;
    scanner.fail("bad frequency '" + text + "' (expected an integer from 1 to " +
                 std::to_string(kMaxSamplingHz) + " Hz)");
}

// "0" means every row.
std::optional<size_t> parseLimit(const OptionScanner& scanner, const std::string& text) {
    const auto rows = parseInteger<size_t>(text, 0, std::numeric_limits<size_t>::max());
    if (!rows)
        scanner.fail("bad limit '" + text + "' (expected a number of rows, 0 for all)");
    if (*rows == 0)
        return std::nullopt;
    return rows;
}

SortKey parseSort(const OptionScanner& scanner, const std::string& text) {
    if (auto key = parseSortKey(text))
        return *key;
    scanner.fail("bad sort key '" + text + "' (expected tottime, cumtime, ncalls or name)");
}

ReportFormat parseFormat(const OptionScanner& scanner, const std::string& text) {
    if (auto format = parseReportFormat(text))
        return *format;
    scanner.fail("bad format '" + text + "' (expected text, json or csv)");
}

int32_t parseId(const OptionScanner& scanner, const std::string& what, const std::string& text) {
    if (auto id = parseInteger<int32_t>(text, 1, std::numeric_limits<int32_t>::max()))
        return *id;
    scanner.fail("bad " + what + " '" + text + "' (expected a positive integer)");
}

// "--instrument" alone means counts.
InstrumentMode parseInstrument(const OptionScanner& scanner, const std::string& text) {
    if (text.empty() || text == "counts")
        return InstrumentMode::Counts;
    if (text == "off")
        return InstrumentMode::Off;
    if (text == "trace")
        return InstrumentMode::Trace;
    scanner.fail("bad instrument mode '" + text + "' (expected counts, trace or off)");
}

ClockMode parseClock(const OptionScanner& scanner, const std::string& text) {
    if (text == "cpu")
        return ClockMode::Cpu;
    if (text == "wall")
        return ClockMode::Wall;
    scanner.fail("bad clock '" + text + "' (expected cpu or wall)");
}

// A number (decimals allowed) and a unit: ns, us, ms or s; a bare "0" needs none. A bare other
// number is refused rather than guessed: "50" could mean 50 ns or 50 µs.
std::optional<int64_t> parseDuration(std::string_view text, double max_ns) {
    constexpr std::array units{std::pair{"ns", 1.0}, std::pair{"us", 1e3}, std::pair{"ms", 1e6},
                               std::pair{"s", 1e9}};
    if (text == "0")
        return 0;
    for (const auto& [unit, ns_per_unit] : units) {
        const std::string_view number =
            text.substr(0, text.ends_with(unit) ? text.size() - std::strlen(unit) : 0);
        double value = -1;
        const auto [stop, error] =
            std::from_chars(number.data(), number.data() + number.size(), value);
        if (!number.empty() && error == std::errc() && stop == number.data() + number.size() &&
            value >= 0 && value * ns_per_unit <= max_ns)
            return int64_t(std::llround(value * ns_per_unit));
    }
    return std::nullopt;
}

int64_t parseMinDuration(const OptionScanner& scanner, const std::string& text) {
    constexpr double kMaxNs = 3600e9; // an hour: far beyond any useful threshold
    if (auto ns = parseDuration(text, kMaxNs))
        return *ns;
    scanner.fail("bad duration '" + text +
                 "' (expected a number and a unit ns, us, ms or s, e.g. 100us, at most 3600s)");
}

// "FROM..TO" since the run start; either side may be empty (from the start, to the end).
void parseTimeRange(const OptionScanner& scanner, const std::string& text, FilterRequest& filter) {
    constexpr double kMaxNs = 1e18; // about 31 years: anything a run can last
    const size_t dots = text.find("..");
    std::optional<int64_t> from, to;
    bool good = dots != std::string::npos;
    if (good && dots > 0)
        good = (from = parseDuration(std::string_view(text).substr(0, dots), kMaxNs)).has_value();
    if (good && dots + 2 < text.size())
        good = (to = parseDuration(std::string_view(text).substr(dots + 2), kMaxNs)).has_value();
    if (!good)
        scanner.fail("bad time range '" + text +
                     "' (expected FROM..TO since the start of the run, each a number and a unit "
                     "ns, us, ms or s or empty, e.g. 1.5s..2s, 200ms.. or ..300us)");
    if (from && to && *from >= *to)
        scanner.fail("empty time range '" + text + "' (FROM must come before TO)");
    filter.from_ns = from;
    filter.to_ns = to;
}

// "12,13": one or more ids, each added to `ids` (the option may also repeat).
void parseIdList(const OptionScanner& scanner, const std::string& what, const std::string& text,
                 std::vector<int32_t>& ids) {
    size_t start = 0;
    while (true) {
        const size_t comma = text.find(',', start);
        ids.push_back(parseId(scanner, what, text.substr(start, comma - start)));
        if (comma == std::string::npos)
            return;
        start = comma + 1;
    }
}

// --focus, --exclude, --module, --exclude-module: a non-empty text to look for in names.
std::string parseNameText(const OptionScanner& scanner, std::string_view option,
                          const std::string& text) {
    if (text.empty())
        scanner.fail("--" + std::string(option) + " needs a non-empty text");
    return text;
}

// The options that build the FilterRequest; false for any other option.
bool parseFilterOption(const OptionScanner& scanner, std::string_view option,
                       const std::string& value, FilterRequest& filter) {
    if (option == "pid")
        parseIdList(scanner, "pid", value, filter.pids);
    else if (option == "exclude-pid")
        parseIdList(scanner, "pid", value, filter.excluded_pids);
    else if (option == "tid")
        parseIdList(scanner, "tid", value, filter.tids);
    else if (option == "exclude-tid")
        parseIdList(scanner, "tid", value, filter.excluded_tids);
    else if (option == "focus")
        filter.focus_functions.push_back(parseNameText(scanner, option, value));
    else if (option == "exclude")
        filter.excluded_functions.push_back(parseNameText(scanner, option, value));
    else if (option == "module")
        filter.modules.push_back(parseNameText(scanner, option, value));
    else if (option == "exclude-module")
        filter.excluded_modules.push_back(parseNameText(scanner, option, value));
    else if (option == "time")
        parseTimeRange(scanner, value, filter);
    else
        return false;
    return true;
}

int64_t parseWaitDescendants(const OptionScanner& scanner, const std::string& text) {
    constexpr double kMaxNs = 86400e9; // a day
    if (auto ns = parseDuration(text, kMaxNs))
        return *ns;
    scanner.fail("bad --wait-descendants '" + text +
                 "' (expected a number and a unit ns, us, ms or s, e.g. 30s, or 0: do not wait)");
}

// The one positional argument of a command: `missing` when there is none, an error for a second.
std::string singleArgument(const OptionScanner& scanner, const std::vector<std::string>& values,
                           const char* missing) {
    if (values.empty())
        scanner.fail(missing);
    if (values.size() > 1)
        scanner.fail("unexpected argument '" + values[1] + "'");
    return values.front();
}

// --repeat N (issue 11): how many runs one profile holds.
uint32_t parseRepeat(const OptionScanner& scanner, const std::string& text) {
    if (auto runs = parseInteger<uint32_t>(text, 1, kMaxRepeat))
        return *runs;
    scanner.fail("bad --repeat '" + text + "' (expected a number of runs from 1 to " +
                 std::to_string(kMaxRepeat) + ")");
}

GroupBy parseBy(const OptionScanner& scanner, const std::string& text) {
    if (auto by = parseGroupBy(text))
        return *by;
    scanner.fail("bad --by '" + text + "' (expected process or thread)");
}

Invocation helpFor(const std::string& topic) {
    Invocation invocation;
    invocation.command = Command::Help;
    invocation.help_topic = topic;
    return invocation;
}

// --- `hprof record -o` templates (issue 14, output_name.h) ----------------------------------

std::string parseOutputTemplate(const OptionScanner& scanner, const std::string& text) {
    if (auto problem = outputTemplateProblem(text))
        scanner.fail(*problem);
    return text;
}

// `command` is "record" when the user typed it, empty when record is implied.
Invocation parseRecord(std::span<const std::string> args, const std::string& command) {
    Invocation invocation;
    invocation.command = Command::Record;
    RecordOptions& options = invocation.record;
    OptionScanner scanner(args, kRecordOptions, command);
    std::optional<int64_t> min_duration;
    while (auto argument = scanner.next()) {
        if (argument->option.empty()) {
            if (min_duration && options.instrument != InstrumentMode::Trace)
                scanner.fail("--min-duration needs --instrument=trace");
            options.min_duration_ns = min_duration.value_or(kDefaultMinDurationNs);
            options.program.assign(args.begin() + argument->index, args.end());
            return invocation;
        }
        if (argument->option == "help")
            return helpFor(command);
        if (argument->option == "frequency")
            options.frequency_hz = parseFrequency(scanner, argument->value);
        else if (argument->option == "output")
            options.output = parseOutputTemplate(scanner, argument->value);
        else if (argument->option == "sort")
            options.sort = parseSort(scanner, argument->value);
        else if (argument->option == "limit")
            options.limit = parseLimit(scanner, argument->value);
        else if (argument->option == "quiet")
            options.quiet = true;
        else if (argument->option == "instrument")
            options.instrument = parseInstrument(scanner, argument->value);
        else if (argument->option == "min-duration")
            min_duration = parseMinDuration(scanner, argument->value);
        else if (argument->option == "clock")
            options.clock = parseClock(scanner, argument->value);
        else if (argument->option == "wait-descendants")
            options.wait_descendants_ns = parseWaitDescendants(scanner, argument->value);
        else if (argument->option == "repeat")
            options.repeat = parseRepeat(scanner, argument->value);
    }
    scanner.fail("no program given");
}

Invocation parseReport(std::span<const std::string> args) {
    Invocation invocation;
    invocation.command = Command::Report;
    ReportOptions& report = invocation.report.report;
    FilterRequest& filter = invocation.report.filter;
    OptionScanner scanner(args, kReportOptions, "report");
    std::vector<std::string> files;
    while (auto argument = scanner.next()) {
        if (argument->option.empty())
            files.push_back(argument->value);
        else if (argument->option == "help")
            return helpFor("report");
        else if (argument->option == "sort")
            report.sort = parseSort(scanner, argument->value);
        else if (argument->option == "limit")
            report.limit = parseLimit(scanner, argument->value);
        else if (argument->option == "format")
            report.format = parseFormat(scanner, argument->value);
        else if (parseFilterOption(scanner, argument->option, argument->value, filter))
            continue;
        else if (argument->option == "callers")
            report.callers_of = argument->value;
        else if (argument->option == "callees")
            report.callees_of = argument->value;
        else if (argument->option == "trace")
            report.trace = true;
        else if (argument->option == "by")
            report.by = parseBy(scanner, argument->value);
        else if (argument->option == "parallelism")
            report.parallelism = ParallelismSection::Full;
    }
    if (report.callers_of && report.callees_of)
        scanner.fail("--callers and --callees cannot be combined");
    if (report.trace && (report.callers_of || report.callees_of))
        scanner.fail("--trace cannot be combined with --callers or --callees");
    if (report.by && (report.trace || report.callers_of || report.callees_of))
        scanner.fail("--by cannot be combined with --trace, --callers or --callees");
    if (report.by && report.parallelism != ParallelismSection::None)
        scanner.fail("--by already ends with the parallelism summary: drop --parallelism");
    if (report.parallelism != ParallelismSection::None && report.format == ReportFormat::Csv)
        scanner.fail("--parallelism has no CSV form (the JSON report always has it)");
    invocation.report.file = singleArgument(scanner, files, "no profile file given");
    return invocation;
}

// --- `hprof export` (issue 12) -------------------------------------------------------------

// "(expected one of pstats, callgrind, ...)"
std::string knownExportFormats() {
    std::string known;
    for (std::string_view name : exportFormatNames())
        known += (known.empty() ? "" : ", ") + std::string(name);
    return "(expected one of " + known + ")";
}

ExportFormat parseExportFormatOption(const OptionScanner& scanner, const std::string& text) {
    if (auto format = parseExportFormat(text))
        return *format;
    scanner.fail("unknown export format '" + text + "' " + knownExportFormats());
}

Invocation parseExport(std::span<const std::string> args) {
    Invocation invocation;
    invocation.command = Command::Export;
    ExportCommandOptions& options = invocation.export_options;
    OptionScanner scanner(args, kExportOptions, "export");
    std::vector<std::string> files;
    bool format_given = false;
    while (auto argument = scanner.next()) {
        if (argument->option.empty())
            files.push_back(argument->value);
        else if (argument->option == "help")
            return helpFor("export");
        else if (argument->option == "format") {
            options.format = parseExportFormatOption(scanner, argument->value);
            format_given = true;
        } else if (argument->option == "output") {
            if (argument->value.empty())
                scanner.fail("-o needs a file name");
            options.output = argument->value;
        } else
            parseFilterOption(scanner, argument->option, argument->value, options.filter);
    }
    if (!format_given)
        scanner.fail("no --format given " + knownExportFormats());
    options.file = singleArgument(scanner, files, "no profile file given");
    return invocation;
}

Invocation parseCollect(std::span<const std::string> args) {
    Invocation invocation;
    invocation.command = Command::Collect;
    CollectCommandOptions& options = invocation.collect;
    OptionScanner scanner(args, kCollectOptions, "collect");
    std::vector<std::string> directories;
    while (auto argument = scanner.next()) {
        if (argument->option.empty())
            directories.push_back(argument->value);
        else if (argument->option == "help")
            return helpFor("collect");
        else if (argument->option == "output")
            options.output = argument->value;
        else if (argument->option == "quiet")
            options.quiet = true;
    }
    options.run_dir = singleArgument(scanner, directories, "no run directory given");
    return invocation;
}

// --- `hprof import` ------------------------------------------------------------------------------

constexpr std::array kImportOptions{
    OptionSpec{'o', "output", true},
    OptionSpec{'q', "quiet", false},
    OptionSpec{'h', "help", false},
};

Invocation parseImport(std::span<const std::string> args) {
    Invocation invocation;
    invocation.command = Command::Import;
    ImportCommandOptions& options = invocation.import_options;
    OptionScanner scanner(args, kImportOptions, "import");
    std::vector<std::string> files;
    while (auto argument = scanner.next()) {
        if (argument->option.empty())
            files.push_back(argument->value);
        else if (argument->option == "help")
            return helpFor("import");
        else if (argument->option == "output")
            options.output = argument->value;
        else if (argument->option == "quiet")
            options.quiet = true;
    }
    options.file = singleArgument(scanner, files, "no profile file given");
    return invocation;
}

// --- `hprof merge` (issue 14) ---------------------------------------------------------------

constexpr std::array kMergeOptions{
    OptionSpec{'o', "output", true},
    OptionSpec{'h', "help", false},
};

Invocation parseMerge(std::span<const std::string> args) {
    Invocation invocation;
    invocation.command = Command::Merge;
    MergeCommandOptions& options = invocation.merge;
    OptionScanner scanner(args, kMergeOptions, "merge");
    while (auto argument = scanner.next()) {
        if (argument->option.empty())
            options.files.push_back(argument->value);
        else if (argument->option == "help")
            return helpFor("merge");
        else if (argument->option == "output")
            options.output = argument->value;
    }
    if (options.files.empty())
        scanner.fail("no profile files given (hprof merge FILES... -o OUT)");
    if (options.output.empty())
        scanner.fail("no output given (-o OUT)");
    return invocation;
}

// --- `hprof diff` and `hprof check` -----------------------------------------------------------

constexpr std::array kDiffOptions{
    OptionSpec{'\0', "format", true},
    OptionSpec{'\0', "limit", true},
    OptionSpec{'h', "help", false},
};

constexpr std::array kCheckOptions{
    OptionSpec{'\0', "baseline", true},       OptionSpec{'\0', "threshold", true},
    OptionSpec{'\0', "min-share", true},      OptionSpec{'\0', "fail-on-inconclusive", false},
    OptionSpec{'\0', "format", true},         OptionSpec{'\0', "junit", true},
    OptionSpec{'\0', "markdown", true},       OptionSpec{'o', "output", true},
    OptionSpec{'h', "help", false},           OptionSpec{'\0', "budget", true},
    OptionSpec{'\0', "cpu-threshold", true},  OptionSpec{'\0', "repeat", true},
    OptionSpec{'\0', "scaling-budget", true}, OptionSpec{'F', "frequency", true},
};

CompareFormat parseCompareFormat(const OptionScanner& scanner, const std::string& text,
                                 bool csv_allowed) {
    if (text == "text")
        return CompareFormat::Text;
    if (text == "json")
        return CompareFormat::Json;
    if (text == "csv" && csv_allowed)
        return CompareFormat::Csv;
    scanner.fail("bad format '" + text +
                 (csv_allowed ? "' (expected text, json or csv)" : "' (expected text or json)"));
}

// "10%" or a fraction "0.1", in (0, 1] (0 allowed for --min-share: check every function).
double parseShare(const OptionScanner& scanner, const std::string& option, const std::string& text,
                  bool zero_allowed) {
    const bool percent = text.ends_with('%');
    const std::string_view number(text.data(), text.size() - (percent ? 1 : 0));
    double value = -1;
    const auto [stop, error] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (percent)
        value /= 100;
    if (number.empty() || error != std::errc() || stop != number.data() + number.size() ||
        value > 1 || value < 0 || (value == 0 && !zero_allowed))
        scanner.fail("bad --" + option + " '" + text +
                     "' (expected a percentage such as 10% or a fraction such as 0.1)");
    return value;
}

Invocation parseDiff(std::span<const std::string> args) {
    Invocation invocation;
    invocation.command = Command::Diff;
    DiffCommandOptions& options = invocation.diff;
    OptionScanner scanner(args, kDiffOptions, "diff");
    std::vector<std::string> files;
    while (auto argument = scanner.next()) {
        if (argument->option.empty())
            files.push_back(argument->value);
        else if (argument->option == "help")
            return helpFor("diff");
        else if (argument->option == "format")
            options.format = parseCompareFormat(scanner, argument->value, true);
        else if (argument->option == "limit")
            options.limit = parseLimit(scanner, argument->value);
    }
    if (files.size() != 2)
        scanner.fail(files.size() < 2 ? "needs two profiles, BEFORE and AFTER"
                                      : "unexpected argument '" + files[2] + "'");
    options.before = files[0];
    options.after = files[1];
    return invocation;
}

// --scaling-budget FILE DIR: the one current argument is a scaling directory (issue 13).
void checkScalingBudgetArguments(const OptionScanner& scanner, const CheckCommandOptions& options) {
    if (!options.baselines.empty() || !options.budget.empty() || !options.program.empty())
        scanner.fail("--scaling-budget checks a scaling directory: give no --baseline, --budget "
                     "or -- PROGRAM with it");
    if (options.current.size() != 1)
        scanner.fail("--scaling-budget needs one scaling directory (hprof scaling -o DIR)");
}

// Profiles named after --baseline, up to the next option, are baselines: `--baseline a b c`.
Invocation parseCheck(std::span<const std::string> args) {
    Invocation invocation;
    invocation.command = Command::Check;
    CheckCommandOptions& options = invocation.check;
    const auto dashes = std::find(args.begin(), args.end(), std::string("--"));
    if (dashes != args.end())
        options.program.assign(dashes + 1, args.end());
    OptionScanner scanner(args.first(size_t(dashes - args.begin())), kCheckOptions, "check");
    bool after_baseline = false;
    while (auto argument = scanner.next()) {
        if (argument->option.empty()) {
            (after_baseline ? options.baselines : options.current).push_back(argument->value);
            continue;
        }
        after_baseline = argument->option == "baseline";
        if (argument->option == "help")
            return helpFor("check");
        if (argument->option == "baseline")
            options.baselines.push_back(argument->value);
        else if (argument->option == "threshold")
            options.threshold = parseShare(scanner, "threshold", argument->value, false);
        else if (argument->option == "min-share")
            options.min_share = parseShare(scanner, "min-share", argument->value, true);
        else if (argument->option == "cpu-threshold")
            options.cpu_threshold = parseShare(scanner, "cpu-threshold", argument->value, true);
        else if (argument->option == "repeat")
            options.repeat = parseRepeat(scanner, argument->value);
        else if (argument->option == "frequency")
            options.frequency_hz = parseFrequency(scanner, argument->value);
        else if (argument->option == "fail-on-inconclusive")
            options.fail_on_inconclusive = true;
        else if (argument->option == "format")
            options.format = parseCompareFormat(scanner, argument->value, false);
        else if (argument->option == "junit")
            options.junit = argument->value;
        else if (argument->option == "markdown")
            options.markdown = argument->value;
        else if (argument->option == "output")
            options.output = argument->value;
        else if (argument->option == "budget")
            options.budget = argument->value;
        else if (argument->option == "scaling-budget")
            options.scaling_budget = argument->value;
    }
    if (!options.scaling_budget.empty())
        checkScalingBudgetArguments(scanner, options);
    if (options.baselines.empty() && options.budget.empty() && options.scaling_budget.empty())
        scanner.fail("no baseline given (--baseline FILE, or --budget FILE)");
    if (dashes != args.end() && options.program.empty())
        scanner.fail("no program after '--'");
    if (options.program.empty() && options.current.empty())
        scanner.fail("no current profile given (CURRENT, or -- PROGRAM ARGS to record one)");
    if (!options.program.empty() && !options.current.empty())
        scanner.fail("give either CURRENT profiles or -- PROGRAM, not both");
    if (options.repeat > 1 && options.program.empty())
        scanner.fail("--repeat runs a program: give it after '--'");
    if (options.frequency_hz && options.program.empty())
        scanner.fail("-F samples a program: give it after '--' (a profile keeps the rate it was "
                     "recorded at)");
    return invocation;
}

// --- `hprof scaling` (issue 13) ----------------------------------------------------------------

constexpr std::array kScalingOptions{
    OptionSpec{'\0', "sizes", true},    OptionSpec{'\0', "repeat", true},
    OptionSpec{'\0', "predict", true},  OptionSpec{'\0', "expect", true},
    OptionSpec{'o', "output", true},    OptionSpec{'\0', "format", true},
    OptionSpec{'F', "frequency", true}, OptionSpec{'\0', "instrument", false, true},
    OptionSpec{'\0', "limit", true},    OptionSpec{'h', "help", false},
};

// The largest size: beyond it a size is no longer an exact integer in a double.
constexpr uint64_t kMaxScalingSize = uint64_t(1) << 53;

// "1000,2000,4000,8000": positive integers, at least 4 different ones, none within 5% of another.
std::vector<double> parseSizes(const OptionScanner& scanner, const std::string& text) {
    std::vector<double> sizes;
    size_t start = 0;
    while (true) {
        const size_t comma = text.find(',', start);
        const std::string word = text.substr(start, comma - start);
        const auto size = parseInteger<uint64_t>(word, 1, kMaxScalingSize);
        if (!size)
            scanner.fail("bad size '" + word +
                         "' in --sizes (expected positive integers "
                         "separated by commas, e.g. 1000,2000,4000,8000)");
        sizes.push_back(double(*size));
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    std::vector<double> sorted = sizes;
    std::sort(sorted.begin(), sorted.end());
    if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
        scanner.fail("--sizes names a size twice");
    try {
        checkScalingSizes(sorted);
    } catch (const Error& error) {
        scanner.fail(error.what());
    }
    return sizes;
}

double parsePredict(const OptionScanner& scanner, const std::string& text) {
    if (const auto size = parseInteger<uint64_t>(text, 1, kMaxScalingSize))
        return double(*size);
    scanner.fail("bad --predict '" + text + "' (expected a size, a positive integer)");
}

std::string parseExpect(const OptionScanner& scanner, const std::string& text) {
    if (parseComplexity(text))
        return text;
    scanner.fail("bad --expect '" + text +
                 "' (expected 1, log n, n, n log n, n^2, n^3, 2^n or n!)");
}

void parseScalingOption(const OptionScanner& scanner, const ScannedArgument& argument,
                        ScalingCommandOptions& options) {
    const std::string& value = argument.value;
    if (argument.option == "sizes")
        options.sizes = parseSizes(scanner, value);
    else if (argument.option == "repeat")
        options.repeat = parseRepeat(scanner, value);
    else if (argument.option == "predict")
        options.predict = parsePredict(scanner, value);
    else if (argument.option == "expect")
        options.expect = parseExpect(scanner, value);
    else if (argument.option == "output")
        options.output = value;
    else if (argument.option == "format")
        options.format = parseFormat(scanner, value);
    else if (argument.option == "frequency")
        options.frequency_hz = parseFrequency(scanner, value);
    else if (argument.option == "instrument")
        options.instrument = parseInstrument(scanner, value);
    else if (argument.option == "limit")
        options.limit = parseLimit(scanner, value);
}

// `hprof scaling --sizes ... -- PROGRAM {}` records and fits; `hprof scaling DIR` re-fits.
Invocation parseScaling(std::span<const std::string> args) {
    Invocation invocation;
    invocation.command = Command::Scaling;
    ScalingCommandOptions& options = invocation.scaling;
    const auto dashes = std::find(args.begin(), args.end(), std::string("--"));
    if (dashes != args.end())
        options.program.assign(dashes + 1, args.end());
    OptionScanner scanner(args.first(size_t(dashes - args.begin())), kScalingOptions, "scaling");
    std::vector<std::string> directories;
    bool output_given = false;
    while (auto argument = scanner.next()) {
        if (argument->option.empty())
            directories.push_back(argument->value);
        else if (argument->option == "help")
            return helpFor("scaling");
        else
            parseScalingOption(scanner, *argument, options);
        output_given = output_given || argument->option == "output";
    }
    if (dashes != args.end() && options.program.empty())
        scanner.fail("no program after '--'");
    if (directories.size() > 1 || (!directories.empty() && dashes != args.end()))
        scanner.fail("unexpected argument '" + directories.back() +
                     "' (give either a scaling DIR to re-fit, or -- PROGRAM ARGS to run)");
    if (directories.empty() && dashes == args.end())
        scanner.fail("no program given (--sizes A,B,C,D -- PROGRAM ARGS, with {} for the size; "
                     "or a scaling DIR to re-fit)");
    if (!directories.empty()) {
        if (!options.sizes.empty() || output_given)
            scanner.fail("--sizes and -o are for recording runs, not for re-fitting DIR");
        options.dir = directories.front();
    } else if (options.sizes.empty()) {
        scanner.fail("no --sizes given (e.g. --sizes 1000,2000,4000,8000,16000)");
    }
    return invocation;
}

Invocation parseHelp(std::span<const std::string> args) {
    if (args.empty())
        return helpFor("");
    if (args.size() > 1)
        throw UsageError("help: unexpected argument '" + args[1] + "' (see hprof --help)");
    if (args[0] == "record" || args[0] == "report" || args[0] == "collect" || args[0] == "diff" ||
        args[0] == "check" || args[0] == "export" || args[0] == "scaling" || args[0] == "import" ||
        args[0] == "merge")
        return helpFor(args[0]);
    throw UsageError("help: unknown command '" + args[0] + "' (see hprof --help)");
}

} // namespace

Invocation parseCommandLine(const std::vector<std::string>& args) {
    const std::span<const std::string> all(args);
    if (args.empty())
        throw UsageError("no program given (see hprof --help)");
    const std::string& first = args.front();
    if (first == "record")
        return parseRecord(all.subspan(1), "record");
    if (first == "report")
        return parseReport(all.subspan(1));
    if (first == "collect")
        return parseCollect(all.subspan(1));
    if (first == "help")
        return parseHelp(all.subspan(1));
    if (first == "diff")
        return parseDiff(all.subspan(1));
    if (first == "check")
        return parseCheck(all.subspan(1));
    if (first == "export")
        return parseExport(all.subspan(1));
    if (first == "scaling")
        return parseScaling(all.subspan(1));
    if (first == "import")
        return parseImport(all.subspan(1));
    if (first == "merge")
        return parseMerge(all.subspan(1));
    if (first == "view") {
        Invocation invocation;
        invocation.command = Command::View;
        invocation.view_args.assign(args.begin() + 1, args.end());
        return invocation;
    }
    if (first == "--version") {
        Invocation invocation;
        invocation.command = Command::Version;
        return invocation;
    }
    return parseRecord(all, "");
}

} // namespace hprof::cli
