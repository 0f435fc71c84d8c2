// Whole-file reads and writes for the tests; failures throw, so a test never reads "" by mistake.
#pragma once

#include <string>

namespace hprof::test {

// The bytes of `path`; throws std::runtime_error if it cannot be read.
std::string readFile(const std::string& path);
// Replaces the contents of `path` with `content`; throws std::runtime_error on failure.
void writeFile(const std::string& path, const std::string& content);
// True for anything at `path`, including a dangling symbolic link.
bool fileExists(const std::string& path);
// Polls for `path` (every 10 ms) until it exists or `seconds` have passed: for a file that a
// process the test cannot wait for writes (a detached collector). Whether it appeared.
bool waitForFile(const std::string& path, double seconds);

// CLOCK_MONOTONIC in seconds: deadlines of bounded waits.
double monotonicSeconds();

} // namespace hprof::test
