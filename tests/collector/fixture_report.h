// What the fixture program reports about itself: code sites with their source lines, other
// source lines, function entry addresses, and its modules (see fixtures/fixture_sites.h).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace hprof::testing {

struct FixtureSite {
    uint64_t address = 0;
    int line = 0;
};

struct FixtureModule {
    uint64_t load_bias = 0;
    uint64_t start = 0;
    uint64_t end = 0;
    std::vector<uint8_t> build_id;
    std::string build_id_hex;
    std::string path; // "" for the main program
};

struct FixtureReport {
    std::map<std::string, FixtureSite> sites;
    std::map<std::string, int> lines;
    std::map<std::string, uint64_t> functions; // entry addresses
    std::vector<FixtureModule> modules;

    const FixtureModule& module(const std::string& path_suffix) const;
    const FixtureModule& mainProgram() const { return module(""); }
};

std::string fixturePath(const std::string& name); // a file in the fixture build folder

// Runs the fixture program once and parses its report; throws on failure.
const FixtureReport& fixtureReport();

} // namespace hprof::testing
