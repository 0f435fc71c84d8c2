// The scaling directory (DIR/size-<N>-run-<K>.hprof) and the report's text, JSON and CSV forms.
#include "hprof/scaling.h"

#include "hprof/profile_io.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

namespace hprof {
namespace {

std::string format(const char* pattern, double value) {
    char text[64];
    std::snprintf(text, sizeof text, pattern, value);
    return text;
}

// Seconds in a short form: "0.0123 s", "152 s", "> 1e12 s" for what no one will wait for.
std::string seconds(double value) {
    if (!std::isfinite(value) || value > 1e12)
        return "> 1e12 s";
    return format("%.3g s", value);
}

std::string percent(double share) {
    return format("%.1f%%", 100 * share);
}

std::string exponentText(const ScalingFit& fit) {
    return format("%.2f", fit.exponent) + " [" + format("%.2f", fit.exponent_low) + ", " +
           format("%.2f", fit.exponent_high) + "]";
}

std::string modelOrDash(const std::optional<ScalingFit>& fit) {
    return fit ? describeModel(*fit) : "-";
}

std::string sizesText(const std::vector<double>& sizes) {
    std::string text;
    for (double size : sizes)
        text += (text.empty() ? "" : ",") + format("%.0f", size);
    return text;
}

// "2 runs each", or "8,8,3,2 runs" when the short sizes got more (scalingRunsPerSize).
std::string runsText(const ScalingReport& report) {
    std::string text;
    bool even = true;
    for (const std::vector<double>& runs : report.total.values) {
        text += (text.empty() ? "" : ",") + std::to_string(runs.size());
        even = even && runs.size() == report.runs_per_size;
    }
    if (even)
        return std::to_string(report.runs_per_size) +
               (report.runs_per_size == 1 ? " run each" : " runs each");
    return text + " runs";
}

void printText(const ScalingReport& report, size_t rows, std::ostream& out) {
    out << "hprof scaling: " << report.program << " at sizes " << sizesText(report.sizes) << " ("
        << runsText(report) << ", " << report.frequency_hz << " Hz"
        << (report.counted ? ", exact call counts" : "") << ")\n";
    const double last = fittedValue(report.total, report.sizes.size() - 1);
    out << "whole program: " << describeModel(report.total_fit) << ", exponent "
        << exponentText(report.total_fit) << ", rms " << percent(report.total_fit.rms) << "; "
        << seconds(last) << " at n=" << format("%.0f", report.sizes.back()) << ", "
        << seconds(report.predicted_total_seconds)
        << " predicted at n=" << format("%.0f", report.predict_size) << "\n";
    if (report.fixed_seconds > 0)
        out << "fixed part: " << seconds(report.fixed_seconds)
            << (report.growing_fit ? " (measured in its functions)" : " (the fit's constant)")
            << "; the rest grows with exponent " << format("%.2f", report.growth_exponent) << "\n";
    out << '\n';
    const std::string predicted_header = "at n=" + format("%.0f", report.predict_size);
    out << std::left << std::setw(7) << "share" << std::setw(12) << "model" << std::setw(22)
        << "exponent [95%]" << std::setw(7) << "rms" << std::setw(12) << "self" << std::setw(12)
        << "calls" << std::setw(20) << predicted_header << "function\n";
    for (size_t row = 0; row < rows; ++row) {
        const FunctionScaling& function = report.functions[row];
        const std::optional<ScalingFit>& fit = function.inclusive_fit;
        const std::string predicted =
            fit ? seconds(function.predicted_seconds) + " " + percent(function.predicted_share)
                : "-";
        out << std::setw(7) << percent(function.share_at_largest) << std::setw(12)
            << modelOrDash(fit) << std::setw(22) << (fit ? exponentText(*fit) : "-") << std::setw(7)
            << (fit ? percent(fit->rms) : "-") << std::setw(12) << modelOrDash(function.self_fit)
            << std::setw(12) << modelOrDash(function.calls_fit) << std::setw(20) << predicted
            << function.name;
        if (!function.file.empty())
            out << "  " << function.file << ":" << function.line;
        out << '\n';
    }
    if (rows < report.functions.size())
        out << "(" << report.functions.size() - rows << " more functions: --limit 0 lists all)\n";
    out << '\n' << report.summary << '\n';
    for (const std::string& warning : report.warnings)
        out << "warning: " << warning << '\n';
}

// Non-finite numbers (a factorial's prediction) become null.
nlohmann::ordered_json number(double value) {
    return std::isfinite(value) ? nlohmann::ordered_json(value) : nlohmann::ordered_json();
}

nlohmann::ordered_json fitJson(const std::optional<ScalingFit>& fit) {
    if (!fit)
        return nullptr;
    nlohmann::ordered_json models = nlohmann::ordered_json::array();
    for (const ModelFit& model : fit->models)
        models.push_back({{"model", complexityName(model.model)},
                          {"rms", number(model.rms)},
                          {"exponent", number(model.exponent)},
                          {"log_coefficient", number(model.log_coefficient)}});
    return {{"model", describeModel(*fit)},
            {"rms", number(fit->rms)},
            {"exponent", number(fit->exponent)},
            {"exponent_low", number(fit->exponent_low)},
            {"exponent_high", number(fit->exponent_high)},
            {"power_rms", number(fit->power_rms)},
            {"constant", number(fit->constant)},
            {"growth_exponent", number(fit->growth_exponent)},
            {"models", models}};
}

nlohmann::ordered_json seriesJson(const std::optional<ScalingSeries>& series) {
    if (!series)
        return nullptr;
    return series->values;
}

void printJson(const ScalingReport& report, size_t rows, std::ostream& out) {
    nlohmann::ordered_json functions = nlohmann::ordered_json::array();
    for (size_t row = 0; row < rows; ++row) {
        const FunctionScaling& function = report.functions[row];
        functions.push_back({{"name", function.name},
                             {"file", function.file},
                             {"line", function.line},
                             {"module", function.module},
                             {"share_at_largest", function.share_at_largest},
                             {"self_share_at_largest", function.self_share_at_largest},
                             {"predicted_seconds", number(function.predicted_seconds)},
                             {"predicted_share", number(function.predicted_share)},
                             {"inclusive", fitJson(function.inclusive_fit)},
                             {"self", fitJson(function.self_fit)},
                             {"calls", fitJson(function.calls_fit)},
                             {"inclusive_seconds", seriesJson(function.inclusive)},
                             {"self_seconds", seriesJson(function.self)},
                             {"call_counts", seriesJson(function.calls)}});
    }
    nlohmann::ordered_json json{
        {"program", report.program},
        {"command", report.command},
        {"sizes", report.sizes},
        {"runs_per_size", report.runs_per_size},
        {"frequency_hz", report.frequency_hz},
        {"counted", report.counted},
        {"expect", report.expect ? nlohmann::ordered_json(complexityName(*report.expect))
                                 : nlohmann::ordered_json()},
        {"predict_size", report.predict_size},
        {"total", fitJson(report.total_fit)},
        {"growing", fitJson(report.growing_fit)},
        {"fixed_seconds", report.fixed_seconds},
        {"growth_exponent", report.growth_exponent},
        {"total_seconds", report.total.values},
        {"predicted_total_seconds", number(report.predicted_total_seconds)},
        {"bottleneck", report.bottleneck ? nlohmann::ordered_json(
                                               report.functions[report.bottleneck->function].name)
                                         : nlohmann::ordered_json()},
        {"bottleneck_faster_than_reference",
         report.bottleneck && report.bottleneck->faster_than_reference},
        {"summary", report.summary},
        {"warnings", report.warnings},
        {"functions", functions}};
    out << json.dump(1) << '\n';
}

std::string csvField(const std::string& text) {
    if (text.find_first_of(",\"\n") == std::string::npos)
        return text;
    std::string quoted = "\"";
    for (char c : text)
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

std::string csvNumber(double value) {
    if (!std::isfinite(value))
        return "";
    std::ostringstream text;
    text << std::setprecision(6) << value;
    return text.str();
}

void printCsvRow(const std::string& name, const std::string& file, uint32_t line,
                 const std::string& module, const char* metric, const ScalingFit& fit, double share,
                 double predicted, std::ostream& out) {
    out << csvField(name) << ',' << csvField(file) << ',' << line << ',' << csvField(module) << ','
        << metric << ',' << csvField(describeModel(fit)) << ',' << csvNumber(fit.exponent) << ','
        << csvNumber(fit.exponent_low) << ',' << csvNumber(fit.exponent_high) << ','
        << csvNumber(fit.rms) << ',' << csvNumber(share) << ',' << csvNumber(predicted) << ','
        << csvNumber(fit.constant) << '\n';
}

void printCsv(const ScalingReport& report, size_t rows, std::ostream& out) {
    out << "function,file,line,module,metric,model,exponent,exponent_low,exponent_high,rms,"
           "share_at_largest,predicted,constant\n";
    printCsvRow("[program]", "", 0, "", "inclusive", report.total_fit, 1.0,
                report.predicted_total_seconds, out);
    for (size_t row = 0; row < rows; ++row) {
        const FunctionScaling& f = report.functions[row];
        if (f.inclusive_fit)
            printCsvRow(f.name, f.file, f.line, f.module, "inclusive", *f.inclusive_fit,
                        f.share_at_largest, f.predicted_seconds, out);
        if (f.self_fit)
            printCsvRow(f.name, f.file, f.line, f.module, "self", *f.self_fit,
                        f.self_share_at_largest, f.self_fit->predict(report.predict_size), out);
        if (f.calls_fit)
            printCsvRow(f.name, f.file, f.line, f.module, "calls", *f.calls_fit, f.share_at_largest,
                        f.calls_fit->predict(report.predict_size), out);
    }
}

} // namespace

std::string scalingProfileName(double size, size_t run) {
    return "size-" + format("%.0f", size) + "-run-" + std::to_string(run) + ".hprof";
}

std::vector<SizedProfile> ScalingDirectory::runs() const {
    std::vector<SizedProfile> runs;
    for (size_t i = 0; i < profiles.size(); ++i)
        runs.push_back({sizes[i], &profiles[i]});
    return runs;
}

ScalingDirectory readScalingDirectory(const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code error;
    fs::directory_iterator entries(dir, error);
    if (error)
        throw Error(dir + ": cannot read the scaling directory (" + error.message() + ")");
    static const std::regex kName(R"(size-([0-9]+)-run-([0-9]+)\.hprof)");
    std::vector<std::tuple<double, unsigned long, std::string>> found;
    for (const fs::directory_entry& entry : entries) {
        const std::string name = entry.path().filename().string();
        std::smatch match;
        if (std::regex_match(name, match, kName))
            found.emplace_back(std::stod(match[1]), std::stoul(match[2]), entry.path().string());
    }
    if (found.empty())
        throw Error(dir +
                    ": no size-N-run-K.hprof profiles (record them with hprof scaling "
                    "--sizes ... -o " +
                    dir + " -- PROGRAM)");
    std::sort(found.begin(), found.end());
    ScalingDirectory directory;
    for (const auto& [size, run, path] : found) {
        directory.sizes.push_back(size);
        directory.profiles.push_back(readProfile(path));
    }
    return directory;
}

void printScalingReport(const ScalingReport& report, ReportFormat format, std::ostream& out,
                        std::optional<size_t> limit) {
    const size_t rows = std::min(report.functions.size(), limit.value_or(report.functions.size()));
    switch (format) {
    case ReportFormat::Text:
        printText(report, rows, out);
        return;
    case ReportFormat::Json:
        printJson(report, rows, out);
        return;
    case ReportFormat::Csv:
        printCsv(report, rows, out);
        return;
    }
}

} // namespace hprof
