#include "own_counts.h"

#include "child_process.h"

#include <optional>
#include <stdexcept>
#include <string_view>

using hprof::test::linesOf;

namespace {

const char* const kRoles[] = {"parent ", "child "};

struct CountLine {
    std::string role;
    std::string keyword; // count, primitive, pid or edge
    std::string rest;    // what follows the keyword and its space
};

std::optional<CountLine> splitCountLine(std::string_view line) {
    std::string role;
    for (std::string_view prefix : kRoles) {
        if (line.starts_with(prefix)) {
            role = prefix.substr(0, prefix.size() - 1);
            line.remove_prefix(prefix.size());
        }
    }
    for (std::string_view keyword : {"count ", "primitive ", "pid ", "edge "}) {
        if (line.starts_with(keyword))
            return CountLine{role, std::string(keyword.substr(0, keyword.size() - 1)),
                             std::string(line.substr(keyword.size()))};
    }
    return std::nullopt;
}

uint64_t parseNumber(const std::string& text) {
    size_t used = 0;
    const uint64_t number = std::stoull(text, &used);
    if (used != text.size() || text.empty())
        throw std::runtime_error("not a count: '" + text + "'");
    return number;
}

// "<text> <number>" -> {text, number}: function names contain spaces, numbers do not.
std::pair<std::string, uint64_t> splitTrailingNumber(const std::string& text) {
    const size_t space = text.rfind(' ');
    if (space == std::string::npos)
        throw std::runtime_error("no count in '" + text + "'");
    return {text.substr(0, space), parseNumber(text.substr(space + 1))};
}

OwnEdgeCount parseEdge(const std::string& text) {
    const auto [names_and_calls, primitive_calls] = splitTrailingNumber(text);
    const auto [names, calls] = splitTrailingNumber(names_and_calls);
    const size_t arrow = names.find(" -> ");
    if (arrow == std::string::npos)
        throw std::runtime_error("no ' -> ' in edge '" + text + "'");
    return {names.substr(0, arrow), names.substr(arrow + 4), calls, primitive_calls};
}

} // namespace

std::map<std::string, OwnCounts> parseOwnCounts(const std::string& output) {
    std::map<std::string, OwnCounts> by_role;
    for (const std::string& line : linesOf(output)) {
        const std::optional<CountLine> count_line = splitCountLine(line);
        if (!count_line)
            continue;
        OwnCounts& counts = by_role[count_line->role];
        if (count_line->keyword == "pid") {
            counts.pid = int(parseNumber(count_line->rest));
        } else if (count_line->keyword == "edge") {
            counts.edges.push_back(parseEdge(count_line->rest));
        } else {
            const auto [name, number] = splitTrailingNumber(count_line->rest);
            auto& table = count_line->keyword == "count" ? counts.calls : counts.primitive_calls;
            table[name] = number;
        }
    }
    return by_role;
}

std::vector<std::string> resultLines(const std::string& output) {
    std::vector<std::string> results;
    for (const std::string& line : linesOf(output)) {
        if (!splitCountLine(line))
            results.push_back(line);
    }
    return results;
}
