// What `hprof check` leaves for CI systems: a JUnit XML file and, under GitHub Actions, error
// annotations and a Markdown step summary.
#pragma once

#include "hprof/compare.h"

#include <ostream>
#include <string>

namespace hprof::cli {

// One testcase per checked function: a failure for a regression (and for an inconclusive one
// when `fail_on_inconclusive`), skipped for an inconclusive one otherwise. Throws hprof::Error
// when the file cannot be written.
void writeJUnit(const ProfileComparison& comparison, bool fail_on_inconclusive,
                const std::string& path);

// "::error file=F,line=L::message" on `out` for every regression.
void printGitHubAnnotations(const ProfileComparison& comparison, std::ostream& out);

// `text` fit for a Markdown table cell: '|' escaped (C++ names rarely have one: operator|).
std::string markdownCell(std::string text);

// A Markdown table of the checked functions: appended to GITHUB_STEP_SUMMARY, or the whole of
// the file of --markdown.
enum class MarkdownMode { Append, Replace };
void writeMarkdownSummary(const ProfileComparison& comparison, Verdict overall,
                          const std::string& path, MarkdownMode mode);

} // namespace hprof::cli
