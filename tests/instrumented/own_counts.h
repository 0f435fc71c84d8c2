// The counts an instrumented sample prints about itself (samples/instrumented/call_counter.h):
//   [<role> ]count <function> <calls>
//   [<role> ]primitive <function> <primitive calls>
//   [<role> ]pid <pid>
//   edge <caller> -> <callee> <calls> <primitive calls>
// <role> ("parent", "child") tells apart the processes of s_fork; it is "" elsewhere.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

struct OwnEdgeCount {
    std::string caller;
    std::string callee;
    uint64_t calls = 0;
    uint64_t primitive_calls = 0;
};

struct OwnCounts {
    int pid = 0;                                     // 0 unless the process printed its pid
    std::map<std::string, uint64_t> calls;           // by function name
    std::map<std::string, uint64_t> primitive_calls; // by function name
    std::vector<OwnEdgeCount> edges;
};

// By role. Throws std::runtime_error for a count line that does not parse.
std::map<std::string, OwnCounts> parseOwnCounts(const std::string& output);

// The lines of `output` that are none of the above: the sample's results.
std::vector<std::string> resultLines(const std::string& output);
