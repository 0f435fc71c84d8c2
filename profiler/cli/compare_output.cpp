#include "compare_output.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace hprof::cli {
namespace {

std::string format(const char* pattern, double a, double b = 0, double c = 0, double d = 0) {
    char buffer[160];
    std::snprintf(buffer, sizeof buffer, pattern, a, b, c, d);
    return buffer;
}

std::string calls(const std::optional<uint64_t>& ncalls) {
    return ncalls ? std::to_string(*ncalls) : "-";
}

bool checked(const FunctionChange& change) {
    return change.verdict != Verdict::NotChecked;
}

nlohmann::json shareJson(const ShareChange& share) {
    nlohmann::json json = {{"before", share.before},
                           {"after", share.after},
                           {"change", share.change()},
                           {"verdict", verdictName(share.verdict)}};
    if (share.verdict != Verdict::NotChecked) {
        json["interval"] = {share.low, share.high};
        json["threshold"] = share.threshold;
    }
    if (share.seconds_needed)
        json["seconds_needed"] = *share.seconds_needed;
    return json;
}

nlohmann::json functionJson(const FunctionChange& change) {
    nlohmann::json json = {
        {"name", change.name},
        {"file", change.file},
        {"line", change.line},
        {"module", change.module},
        {"verdict", verdictName(change.verdict)},
        {"self", shareJson(change.self)},
        {"inclusive", shareJson(change.inclusive)},
        {"cpu_seconds", {{"before", change.before_cpu_s}, {"after", change.after_cpu_s}}},
        {"inclusive_cpu_seconds", shareJson(change.cpu)}};
    if (change.before_ncalls || change.after_ncalls)
        json["ncalls"] = {{"before", change.before_ncalls ? nlohmann::json(*change.before_ncalls)
                                                          : nlohmann::json()},
                          {"after", change.after_ncalls ? nlohmann::json(*change.after_ncalls)
                                                        : nlohmann::json()},
                          {"changed", change.ncalls_changed}};
    return json;
}

nlohmann::json comparisonJson(const ProfileComparison& comparison, bool checked_only,
                              std::optional<size_t> limit) {
    nlohmann::json functions = nlohmann::json::array();
    for (const FunctionChange& change : comparison.functions) {
        if (limit && functions.size() >= *limit)
            break;
        if (!checked_only || checked(change))
            functions.push_back(functionJson(change));
    }
    nlohmann::json json = {
        {"baseline",
         {{"seconds", comparison.before_seconds}, {"samples", comparison.before_samples}}},
        {"current", {{"seconds", comparison.after_seconds}, {"samples", comparison.after_samples}}},
        {"functions", functions}};
    if (comparison.exact_times) { // pstats: measured seconds, no samples
        json["exact_times"] = true;
        json["baseline"]["profiles"] = comparison.before_runs;
        json["current"]["profiles"] = comparison.after_runs;
    }
    return json;
}

// One row per function: shares in percent, changes in points.
void printTable(const ProfileComparison& comparison, bool checked_only, std::optional<size_t> limit,
                std::ostream& out) {
    char header[240];
    std::snprintf(header, sizeof header, "%-12s %9s %9s %7s %9s %9s %9s %9s %10s %10s  function\n",
                  "verdict", "self%-bef", "self%-aft", "change", "incl%-bef", "incl%-aft",
                  "cum-s-bef", "cum-s-aft", "ncalls-bef", "ncalls-aft");
    out << header;
    size_t rows = 0;
    for (const FunctionChange& change : comparison.functions) {
        if (checked_only && !checked(change))
            continue;
        if (limit && rows++ >= *limit)
            break;
        char line[240];
        std::snprintf(
            line, sizeof line, "%-12s %9.2f %9.2f %+7.2f %9.2f %9.2f %9.3f %9.3f %10s %10s  ",
            verdictName(change.verdict), 100 * change.self.before, 100 * change.self.after,
            100 * change.self.change(), 100 * change.inclusive.before, 100 * change.inclusive.after,
            change.before_inclusive_cpu_s, change.after_inclusive_cpu_s,
            calls(change.before_ncalls).c_str(), calls(change.after_ncalls).c_str());
        out << line << functionPlace(change) << '\n';
    }
}

void csvField(const std::string& text, std::ostream& out) {
    out << '"';
    for (char c : text)
        out << (c == '"' ? "\"\"" : std::string(1, c));
    out << '"';
}

void printCsv(const ProfileComparison& comparison, std::optional<size_t> limit, std::ostream& out) {
    out << "function,file,line,module,verdict,self_before,self_after,self_low,self_high,"
           "inclusive_before,inclusive_after,inclusive_low,inclusive_high,cpu_s_before,"
           "cpu_s_after,inclusive_cpu_s_before,inclusive_cpu_s_after,ncalls_before,ncalls_after\n";
    size_t rows = 0;
    for (const FunctionChange& change : comparison.functions) {
        if (limit && rows++ >= *limit)
            break;
        csvField(change.name, out);
        out << ',';
        csvField(change.file, out);
        out << ',' << change.line << ',';
        csvField(change.module, out);
        out << ',' << verdictName(change.verdict);
        for (const ShareChange* share : {&change.self, &change.inclusive})
            out << ',' << share->before << ',' << share->after << ',' << share->low << ','
                << share->high;
        out << ',' << change.before_cpu_s << ',' << change.after_cpu_s << ','
            << change.before_inclusive_cpu_s << ',' << change.after_inclusive_cpu_s << ','
            << (change.before_ncalls ? std::to_string(*change.before_ncalls) : "") << ','
            << (change.after_ncalls ? std::to_string(*change.after_ncalls) : "") << '\n';
    }
}

// The lines that explain one function's verdict.
void explain(const FunctionChange& change, std::ostream& out) {
    out << "  " << functionPlace(change) << '\n';
    if (change.self.verdict == change.verdict)
        out << "    " << describeShare("self", change.self) << '\n';
    if (change.inclusive.verdict == change.verdict)
        out << "    " << describeShare("inclusive", change.inclusive) << '\n';
    if (change.cpu.verdict == change.verdict)
        out << "    " << describeCpu(change.cpu) << '\n';
    if (change.ncalls_changed)
        out << "    ncalls " << *change.before_ncalls << " -> " << *change.after_ncalls
            << " (exact counts: any change is flagged)\n";
    out << format("    CPU time per run: self %.3f s -> %.3f s, inclusive %.3f s -> %.3f s\n",
                  change.before_cpu_s, change.after_cpu_s, change.before_inclusive_cpu_s,
                  change.after_inclusive_cpu_s);
}

void printSection(const ProfileComparison& comparison, Verdict verdict, const char* title,
                  std::ostream& out) {
    bool first = true;
    for (const FunctionChange& change : comparison.functions) {
        if (change.verdict != verdict)
            continue;
        if (first)
            out << title << ":\n";
        first = false;
        explain(change, out);
    }
}

// What each side holds: sampled seconds and samples, or exact times of so many profiles.
std::string sidesLine(const ProfileComparison& comparison) {
    if (comparison.exact_times)
        return format("before: %.3f s measured in %.0f profile(s); after: %.3f s in %.0f "
                      "(exact times, no samples)\n",
                      comparison.before_seconds, double(comparison.before_runs),
                      comparison.after_seconds, double(comparison.after_runs));
    return format("before: %.3f s sampled (%.0f samples); after: %.3f s (%.0f samples)\n",
                  comparison.before_seconds, double(comparison.before_samples),
                  comparison.after_seconds, double(comparison.after_samples));
}

} // namespace

std::string functionPlace(const FunctionChange& change) {
    std::string place = change.name;
    if (!change.file.empty())
        place += " at " + change.file + ":" + std::to_string(change.line);
    if (!change.module.empty())
        place += " [" + change.module + "]";
    return place;
}

std::string describeShare(const char* measure, const ShareChange& share) {
    std::string text = std::string(measure) +
                       format(" share %.1f%% -> %.1f%% (%+.1f points, 95%% interval ",
                              100 * share.before, 100 * share.after, 100 * share.change()) +
                       format("%+.1f..%+.1f, threshold %.1f", 100 * share.low, 100 * share.high,
                              100 * share.threshold);
    if (share.seconds_needed)
        text += format("; about %.1f s of samples per side would decide", *share.seconds_needed);
    return text + ")";
}

std::string describeCpu(const ShareChange& cpu) {
    std::string text =
        format("inclusive CPU time per run %.3f s -> %.3f s (%+.3f s, 95%% interval ", cpu.before,
               cpu.after, cpu.change()) +
        format("%+.3f..%+.3f s, threshold %.3f s", cpu.low, cpu.high, cpu.threshold);
    if (cpu.seconds_needed)
        text += format("; about %.1f s of samples per side would decide", *cpu.seconds_needed);
    return text + ")";
}

void printDiff(const ProfileComparison& comparison, CompareFormat format_,
               std::optional<size_t> limit, std::ostream& out) {
    if (format_ == CompareFormat::Json)
        out << comparisonJson(comparison, false, limit).dump(2) << '\n';
    else if (format_ == CompareFormat::Csv)
        printCsv(comparison, limit, out);
    else {
        out << sidesLine(comparison);
        printTable(comparison, false, limit, out);
    }
}

nlohmann::json checkJson(const ProfileComparison& comparison, Verdict overall) {
    nlohmann::json json = comparisonJson(comparison, true, std::nullopt);
    json["verdict"] = verdictName(overall);
    return json;
}

void printCheck(const ProfileComparison& comparison, Verdict overall, CompareFormat format_,
                std::ostream& out) {
    if (format_ == CompareFormat::Json) {
        out << checkJson(comparison, overall).dump(2) << '\n';
        return;
    }
    out << "hprof check: " << verdictName(overall)
        << format(comparison.exact_times ? " (baseline %.3f s measured, current %.3f s)\n"
                                         : " (baseline %.3f s sampled, current %.3f s)\n",
                  comparison.before_seconds, comparison.after_seconds);
    printSection(comparison, Verdict::Regression, "Regressions", out);
    printSection(comparison, Verdict::Inconclusive,
                 comparison.exact_times ? "Inconclusive (the runs differ too much to decide)"
                                        : "Inconclusive (too few samples to decide)",
                 out);
    printSection(comparison, Verdict::Improvement, "Improvements", out);
    out << '\n';
    printTable(comparison, true, std::nullopt, out);
}

} // namespace hprof::cli
