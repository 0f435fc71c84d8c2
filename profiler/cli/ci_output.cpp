#include "ci_output.h"

#include "compare_output.h"

#include "hprof/error.h"

#include <cstdio>
#include <fstream>
#include <pugixml.hpp>

namespace hprof::cli {
namespace {

bool checked(const FunctionChange& change) {
    return change.verdict != Verdict::NotChecked;
}

// The lines of describeShare for the measures that gave the function its verdict.
std::string verdictReason(const FunctionChange& change) {
    std::string reason;
    auto add = [&](const std::string& part) { reason += (reason.empty() ? "" : "; ") + part; };
    if (change.self.verdict == change.verdict)
        add(describeShare("self", change.self));
    if (change.inclusive.verdict == change.verdict)
        add(describeShare("inclusive", change.inclusive));
    if (change.cpu.verdict == change.verdict)
        add(describeCpu(change.cpu));
    if (change.ncalls_changed)
        add("ncalls " + std::to_string(*change.before_ncalls) + " -> " +
            std::to_string(*change.after_ncalls));
    return reason;
}

std::string percent(double share) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f%%", 100 * share);
    return text;
}

} // namespace

std::string markdownCell(std::string text) {
    for (size_t at = text.find('|'); at != std::string::npos; at = text.find('|', at + 2))
        text.replace(at, 1, "\\|");
    return text;
}

void writeJUnit(const ProfileComparison& comparison, bool fail_on_inconclusive,
                const std::string& path) {
    pugi::xml_document document;
    pugi::xml_node suites = document.append_child("testsuites");
    pugi::xml_node suite = suites.append_child("testsuite");
    suite.append_attribute("name") = "hprof check";
    size_t tests = 0, failures = 0, skipped = 0;
    for (const FunctionChange& change : comparison.functions) {
        if (!checked(change))
            continue;
        ++tests;
        pugi::xml_node testcase = suite.append_child("testcase");
        testcase.append_attribute("classname") = "hprof.check";
        testcase.append_attribute("name") = change.name.c_str();
        if (!change.file.empty()) {
            testcase.append_attribute("file") = change.file.c_str();
            testcase.append_attribute("line") = change.line;
        }
        const bool inconclusive = change.verdict == Verdict::Inconclusive;
        if (change.verdict == Verdict::Regression || (inconclusive && fail_on_inconclusive)) {
            ++failures;
            pugi::xml_node failure = testcase.append_child("failure");
            failure.append_attribute("message") =
                (std::string(verdictName(change.verdict)) + ": " + functionPlace(change)).c_str();
            failure.text() = verdictReason(change).c_str();
        } else if (inconclusive) {
            ++skipped;
            testcase.append_child("skipped").append_attribute("message") =
                verdictReason(change).c_str();
        }
    }
    suite.append_attribute("tests") = tests;
    suite.append_attribute("failures") = failures;
    suite.append_attribute("skipped") = skipped;
    if (!document.save_file(path.c_str(), "  "))
        throw Error("cannot write the JUnit file '" + path + "'");
}

void printGitHubAnnotations(const ProfileComparison& comparison, std::ostream& out) {
    for (const FunctionChange& change : comparison.functions) {
        if (change.verdict != Verdict::Regression)
            continue;
        out << "::error";
        if (!change.file.empty())
            out << " file=" << change.file << ",line=" << change.line;
        out << "::hprof check: " << change.name << " regressed: " << verdictReason(change) << '\n';
    }
}

void writeMarkdownSummary(const ProfileComparison& comparison, Verdict overall,
                          const std::string& path, MarkdownMode mode) {
    std::ofstream out(path, mode == MarkdownMode::Append ? std::ios::app : std::ios::trunc);
    out << "### hprof check: " << verdictName(overall) << "\n\n"
        << "| verdict | function | self before | self after | inclusive before | inclusive "
           "after | ncalls |\n|---|---|---|---|---|---|---|\n";
    for (const FunctionChange& change : comparison.functions) {
        if (!checked(change))
            continue;
        out << "| " << verdictName(change.verdict) << " | " << markdownCell(functionPlace(change))
            << " | " << percent(change.self.before) << " | " << percent(change.self.after) << " | "
            << percent(change.inclusive.before) << " | " << percent(change.inclusive.after) << " | "
            << (change.ncalls_changed ? std::to_string(*change.before_ncalls) + " -> " +
                                            std::to_string(*change.after_ncalls)
                                      : "")
            << " |\n";
    }
    out << '\n';
    if (!out.flush())
        throw Error("cannot write the Markdown summary '" + path + "'");
}

} // namespace hprof::cli
