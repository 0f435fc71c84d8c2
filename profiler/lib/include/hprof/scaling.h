// How each function's cost grows with the size of the input (`hprof scaling`, issue 13): runs of
// one program at several sizes, each a normal profile, fitted per function against the size.
// docs/scaling.md explains the method, how a model is chosen, and its limits.
//
// Fits are done in log space, so every size counts by its relative error: a one-coefficient
// least-squares fit per complexity model (Google Benchmark's oAuto, on log values), and a power
// law c * n^b with a confidence interval for b. chooseModel() says which model is reported.
#pragma once

#include "hprof/error.h"
#include "hprof/profile.h"
#include "hprof/report.h"

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace hprof {

// Ordered by growth: a later model grows faster. PowerLaw is c * n^b with the fitted b, reported
// when no one-coefficient model agrees with the data and its exponent.
enum class Complexity {
    Constant,
    Logarithmic,
    Linear,
    NLogN,
    Quadratic,
    Cubic,
    Exponential,
    Factorial,
    PowerLaw,
};

inline constexpr Complexity kFittedModels[] = {
    Complexity::Constant,  Complexity::Logarithmic, Complexity::Linear,      Complexity::NLogN,
    Complexity::Quadratic, Complexity::Cubic,       Complexity::Exponential, Complexity::Factorial};

// "O(1)", "O(log n)", "O(n)", "O(n log n)", "O(n^2)", "O(n^3)", "O(2^n)", "O(n!)", "O(n^b)".
const char* complexityName(Complexity model);
// "n log n", "O(n^2)", "nlogn", "quadratic", "n!" ...; nullopt for anything else or "n^b".
std::optional<Complexity> parseComplexity(std::string_view text);
// ln g(n) of a one-coefficient model (log n is log2 n, as in Google Benchmark).
double logModel(Complexity model, double n);

// One measured quantity against the size: per size (ascending, distinct) the value of each run.
struct ScalingSeries {
    std::vector<double> sizes;
    std::vector<std::vector<double>> values; // values[i]: one per run at sizes[i], each >= 0
    // Times: the seconds one sample stands for (1/F), so a value is resolution * samples and its
    // relative error is about 1/sqrt(samples). 0: exact values (call counts).
    double resolution = 0;
    // Per size, the run whose value is fitted (analyseScaling: the run with the least CPU time of
    // the program, since load only ever adds time); empty: the mean of the runs. fitScaling fits
    // the mean where sampling rather than load is the larger noise of one run (short runs), and
    // the spread of all runs sets the weights and the exponent's interval (docs/scaling.md).
    std::vector<size_t> fitted_run;
};

// The value fitted at sizes[index]: its fitted run's, or the mean of its runs.
double fittedValue(const ScalingSeries& series, size_t index);

// One one-coefficient model fitted to a series: value ~ exp(log_coefficient) * g(n).
struct ModelFit {
    Complexity model = Complexity::Constant;
    double log_coefficient = 0;
    double rms = 0;      // weighted RMS of ln(value) - ln(fit): a relative error (0.05: ~5%)
    double exponent = 0; // the model's own log-log slope over the measured sizes
    // Models with a constant term (ScalingFit::constant_models): the fixed cost a of
    // value ~ a + exp(log_coefficient) * g(n), a >= 0; 0 for the one-coefficient models.
    double constant = 0;
    // Fits as well as the data can tell. Times: its chi-square (residuals against the points'
    // variances) exceeds the best fit's (the power law's or a model's) by no more than a free
    // exponent is worth at 95% (or than a slope off by 0.05 costs). Exact counts: rms within
    // 1.5 x the best (the power law's counted as if it had one parameter) + 0.02.
    bool fits = false;
};

struct ScalingFit {
    Complexity model = Complexity::Constant; // the chosen model (chooseModel)
    double rms = 0;                          // of the chosen model
    double log_coefficient = 0;              // of the chosen model
    // Power law value ~ exp(power_log_coefficient) * n^exponent, with a 95% interval.
    double exponent = 0;
    double exponent_low = 0;
    double exponent_high = 0;
    double power_log_coefficient = 0;
    double power_rms = 0;
    std::vector<ModelFit> models; // every model of kFittedModels that could be fitted
    // a + b g(n) for every model but O(1): chosen only where the data show the constant (a fixed
    // start-up) beyond what a free exponent explains (docs/scaling.md, "A constant term").
    std::vector<ModelFit> constant_models;
    double constant = 0; // the chosen model's fixed cost a; 0 when no constant term was chosen
    // How the part that grows grows: the chosen constant model's own slope, else `exponent`.
    // A fixed start-up flattens the power law's exponent; this is what growth is compared by.
    double growth_exponent = 0;
    // The value the chosen model predicts at size n (may be +inf for 2^n and n!).
    double predict(double n) const;
};

// complexityName of the chosen model; for the power law with its exponent: "O(n^1.43)"; with a
// constant term "O(n) + c".
std::string describeModel(const ScalingFit& fit);

// Fits every model and the power law to `series` (at least 3 sizes; sizes > 0). Throws
// hprof::Error for fewer than 3 sizes, a size <= 0, or a size without runs.
ScalingFit fitScaling(const ScalingSeries& series);

// The rule, documented in docs/scaling.md: of the models that fit (ModelFit::fits) and whose own
// log-log slope lies in the power law's 95% interval [low, high] (widened to +-0.05 around
// `exponent` for times, +-0.25 for exact counts, whose lower-order terms are all that
// separates them from a model), the slowest-growing; if none, the power law n^b.
Complexity chooseModel(const std::vector<ModelFit>& models, double exponent, double low,
                       double high, bool exact);

// --- Per function, over profiles of one program at several sizes -----------------------------

struct SizedProfile {
    double size = 0;
    const Profile* profile = nullptr; // one run
};

struct ScalingOptions {
    std::optional<Complexity> expect; // --expect: growth the program should not exceed
    std::optional<double> predict;    // --predict N; default 10 x the largest size
    double min_share = 0.01; // functions below this inclusive share everywhere are left out
};

// One function's series and fits. Seconds are per run (the mean of the runs of a size).
struct FunctionScaling {
    std::string name;
    std::string file;
    uint32_t line = 0;
    std::string module;
    ScalingSeries self;                 // self CPU seconds
    ScalingSeries inclusive;            // inclusive CPU seconds
    std::optional<ScalingSeries> calls; // exact calls per run, where every run has them
    std::optional<ScalingFit> self_fit; // nullopt when too little was measured to fit
    std::optional<ScalingFit> inclusive_fit;
    std::optional<ScalingFit> calls_fit;
    double share_at_largest = 0;      // inclusive share of the program at the largest size
    double self_share_at_largest = 0; // self share there
    double predicted_seconds = 0;     // inclusive, at ScalingReport::predict_size
    double predicted_share = 0;       // of the program's predicted time there (at most 1)
};

struct ScalingBottleneck {
    size_t function = 0;        // index into ScalingReport::functions
    bool faster_than_reference; // grows faster than the program (or --expect) does
    std::string sentence;       // says it in words, for the report
};

struct ScalingReport {
    std::string program;
    std::vector<std::string> command; // of the first run at the largest size
    std::vector<double> sizes;
    size_t runs_per_size = 0; // the fewest runs of any size
    uint32_t frequency_hz = 0;
    bool counted = false; // instrumented: call counts were fitted
    ScalingSeries total;  // the whole program's CPU seconds
    ScalingFit total_fit;
    // The program without its fixed part, where the whole program's fit has no constant term but
    // the fixed parts of the functions' self times (O(1) self times, and the constant terms of
    // their fits: a start-up, measured directly) hold at least 5% of the smallest size's time:
    // their sum taken off each run, and the rest fitted.
    std::optional<ScalingFit> growing_fit;
    double fixed_seconds = 0;   // the fixed part: total_fit.constant, or those functions' seconds
    double growth_exponent = 0; // how the growing part grows: what the bottleneck is compared with
    std::optional<Complexity> expect;
    double predict_size = 0;
    double predicted_total_seconds = 0;
    std::vector<FunctionScaling> functions; // by inclusive seconds at the largest size
    std::optional<ScalingBottleneck> bottleneck;
    std::string summary;               // the bottleneck sentence, or why there is none
    std::vector<std::string> warnings; // e.g. a function whose counts differ between runs
};

// Thrown for data that cannot be fitted; the message says what to change.
class ScalingError : public Error {
  public:
    using Error::Error;
};

// Throws ScalingError for fewer than 4 different sizes, or two sizes within 5% of each other
// (`sizes` ascending and distinct, as analyseScaling sees them).
void checkScalingSizes(const std::vector<double>& sizes);

// Throws ScalingError for fewer than 4 sizes, sizes too close to tell models apart, or runs too
// short to measure; hprof::Error for profiles of different programs.
ScalingReport analyseScaling(const std::vector<SizedProfile>& runs,
                             const ScalingOptions& options = {});

// --- Planning the runs (hprof scaling) --------------------------------------------------------

// The CPU seconds of one run as analyseScaling counts them (each sample's weight capped as
// `hprof diff` caps it); 0 for a run without samples.
double scalingRunSeconds(const Profile& profile);

// Runs per size, from the seconds of one run of each: `repeat`, and for a size whose runs are
// short, enough runs to last `repeat` x 0.25 s together (or `repeat` x the longest run, if
// shorter), at most 4 x `repeat` (docs/scaling.md, "Runs").
std::vector<uint32_t> scalingRunsPerSize(const std::vector<double>& run_seconds, uint32_t repeat);

// The runs of `hprof scaling`, round by round: the first round runs every size once; after each
// round, the runs per size are planned again (scalingRunsPerSize) from the FASTEST run of each
// size so far, so that a first run slowed by the load does not ask for too few runs. A size's runs
// spread evenly over the rounds, the first round included.
class ScalingRunPlan {
  public:
    ScalingRunPlan(size_t sizes, uint32_t repeat);
    // The indices of the sizes to run once each in the next round; empty when all are done.
    std::vector<size_t> nextRound();
    // A run of size `index` lasted `seconds` of CPU (scalingRunSeconds).
    void recorded(size_t index, double seconds);
    const std::vector<uint32_t>& runsDone() const { return done_; }

  private:
    uint32_t repeat_;
    uint32_t round_ = 0;
    std::vector<double> fastest_; // per size, the least seconds of its runs so far
    std::vector<uint32_t> done_;
};

// --- A scaling directory: DIR/size-<N>-run-<K>.hprof ----------------------------------------

std::string scalingProfileName(double size, size_t run); // "size-1000-run-1.hprof"

struct ScalingDirectory {
    std::vector<double> sizes; // per profile
    std::vector<Profile> profiles;
    std::vector<SizedProfile> runs() const;
};

// Reads every size-*-run-*.hprof of `dir`. Throws hprof::Error when the directory cannot be read
// or holds none.
ScalingDirectory readScalingDirectory(const std::string& dir);

// The report as text, JSON or CSV (docs/cli.md, "hprof scaling"), with at most `limit` function
// rows (all if empty).
void printScalingReport(const ScalingReport& report, ReportFormat format, std::ostream& out,
                        std::optional<size_t> limit = std::nullopt);

} // namespace hprof
