#include "scaling_command.h"

#include "cli_error.h"
#include "record_command.h"

#include "hprof/profile_io.h"
#include "hprof/scaling.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <iostream>
#include <regex>
#include <unistd.h>

namespace hprof::cli {
namespace {

constexpr size_t kDefaultRows = 20; // of the text report

// A run of the program that did not exit with 0.
class RunFailed : public Error {
  public:
    using Error::Error;
};

std::string sizeText(double size) {
    char text[32];
    std::snprintf(text, sizeof text, "%.0f", size);
    return text;
}

// While alive, this process's stdout (and so the program's) goes to `path`: the report on stdout
// stays readable, and each run's output is kept next to its profile.
class StdoutTo {
  public:
    explicit StdoutTo(const std::string& path) {
        std::cout.flush();
        std::fflush(stdout);
        const int file = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (file < 0)
            throw Error(path + ": cannot write the run's output");
        saved_ = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 0);
        dup2(file, STDOUT_FILENO);
        close(file);
    }
    ~StdoutTo() {
        std::cout.flush();
        std::fflush(stdout);
        if (saved_ >= 0) {
            dup2(saved_, STDOUT_FILENO);
            close(saved_);
        }
    }
    StdoutTo(const StdoutTo&) = delete;
    StdoutTo& operator=(const StdoutTo&) = delete;

  private:
    int saved_ = -1;
};

// A directory of earlier runs would mix with the new ones: refused rather than overwritten.
void prepareDirectory(const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code error;
    fs::create_directories(dir, error);
    if (error || !fs::is_directory(dir))
        throw Error(dir + ": cannot create the scaling directory");
    static const std::regex kRun(R"(size-[0-9]+-run-[0-9]+\.hprof)");
    for (const fs::directory_entry& entry : fs::directory_iterator(dir))
        if (std::regex_match(entry.path().filename().string(), kRun))
            throw Error(dir + " already holds scaling runs (" + entry.path().filename().string() +
                        "): re-fit them with 'hprof scaling " + dir +
                        "', or record into another directory (-o DIR)");
}

// Records one run of the program at `size` into DIR/size-N-run-K.hprof; returns its path.
std::string recordOneRun(const ScalingCommandOptions& options, InstrumentMode& instrument,
                         double size, uint32_t run) {
    RecordOptions record;
    record.frequency_hz = options.frequency_hz;
    record.instrument = instrument;
    // Auto notes an instrumented program once; the later runs count without the note.
    if (instrument == InstrumentMode::Auto)
        instrument = InstrumentMode::Counts;
    record.quiet = true;
    record.program = programForSize(options.program, size);
    const std::string base = options.output + "/" + scalingProfileName(size, run);
    record.output = base;
    setenv("HPROF_SIZE", sizeText(size).c_str(), 1);
    const std::string output_file = base.substr(0, base.size() - 6) + ".out";
    int status = 0;
    {
        StdoutTo redirect(output_file);
        status = runRecord(record);
    }
    if (status != 0)
        throw RunFailed("the run at size " + sizeText(size) + " exited with status " +
                        std::to_string(status) + " (its output is in " + output_file +
                        "): hprof scaling needs runs that succeed");
    return base;
}

// Runs the program at every size in rounds (all sizes, then all sizes again), so that a slow
// spell of the machine spreads over the sizes instead of bending the curve. Sizes whose runs are
// short get more runs than --repeat, spread over the rounds and planned from each size's fastest
// run so far (ScalingRunPlan: a short run sits inside one slow spell, a long one averages over
// many).
void recordRuns(const ScalingCommandOptions& options) {
    prepareDirectory(options.output);
    InstrumentMode instrument = options.instrument;
    ScalingRunPlan plan(options.sizes.size(), options.repeat);
    for (std::vector<size_t> round = plan.nextRound(); !round.empty(); round = plan.nextRound())
        for (size_t s : round) {
            const uint32_t run = plan.runsDone()[s] + 1;
            const std::string path = recordOneRun(options, instrument, options.sizes[s], run);
            plan.recorded(s, scalingRunSeconds(readProfile(path)));
        }
}

ScalingOptions analysisOptions(const ScalingCommandOptions& options) {
    ScalingOptions analysis;
    if (options.expect)
        analysis.expect = parseComplexity(*options.expect);
    analysis.predict = options.predict;
    return analysis;
}

int fitAndPrint(const ScalingCommandOptions& options, const std::string& dir) {
    try {
        const ScalingDirectory directory = readScalingDirectory(dir);
        const ScalingReport report = analyseScaling(directory.runs(), analysisOptions(options));
        const std::optional<size_t> limit = options.limit.value_or(
            options.format == ReportFormat::Text ? std::optional<size_t>(kDefaultRows)
                                                 : std::nullopt);
        printScalingReport(report, options.format, std::cout, limit);
        return 0;
    } catch (const ScalingError& error) {
        printError(error.what());
        return kExitHprofError;
    } catch (const Error& error) {
        printError(error.what());
        return kExitScalingBadProfile;
    }
}

} // namespace

std::vector<std::string> programForSize(const std::vector<std::string>& program, double size) {
    std::vector<std::string> result = program;
    const std::string text = sizeText(size);
    for (size_t i = 1; i < result.size(); ++i)
        for (size_t at = result[i].find("{}"); at != std::string::npos;
             at = result[i].find("{}", at + text.size()))
            result[i].replace(at, 2, text);
    return result;
}

int runScaling(const ScalingCommandOptions& options) {
    if (!options.dir.empty())
        return fitAndPrint(options, options.dir);
    try {
        recordRuns(options);
    } catch (const RunFailed& error) {
        printError(error.what());
        return kExitScalingRunFailed;
    } // anything else (a failed pre-flight check): one line and status 2, from main
    return fitAndPrint(options, options.output);
}

} // namespace hprof::cli
