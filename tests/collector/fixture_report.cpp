#include "fixture_report.h"

#include <cstdio>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace hprof::testing {
namespace {

std::vector<uint8_t> bytesOfHex(const std::string& hex) {
    std::vector<uint8_t> bytes;
    for (size_t i = 0; i + 1 < hex.size(); i += 2)
        bytes.push_back(static_cast<uint8_t>(std::stoul(hex.substr(i, 2), nullptr, 16)));
    return bytes;
}

void parseLine(const std::string& text, FixtureReport& report) {
    std::istringstream line(text);
    std::string kind, name, address, build_id, path;
    line >> kind;
    if (kind == "site") {
        FixtureSite site;
        line >> name >> address >> site.line;
        site.address = std::stoull(address, nullptr, 16);
        report.sites[name] = site;
    } else if (kind == "line") {
        line >> name;
        line >> report.lines[name];
    } else if (kind == "function") {
        line >> name >> address;
        report.functions[name] = std::stoull(address, nullptr, 16);
    } else if (kind == "module") {
        std::string bias, start, end;
        line >> bias >> start >> end >> build_id >> path;
        FixtureModule module{std::stoull(bias, nullptr, 16),
                             std::stoull(start, nullptr, 16),
                             std::stoull(end, nullptr, 16),
                             {},
                             {},
                             path == "-" ? "" : path};
        if (build_id != "-") {
            module.build_id_hex = build_id;
            module.build_id = bytesOfHex(build_id);
        }
        report.modules.push_back(module);
    }
}

FixtureReport runFixture() {
    const std::string command =
        fixturePath("collector_fixture") + " " + fixturePath("libcollector_fixture_dl.so");
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
    if (!pipe)
        throw std::runtime_error("cannot run " + command);
    FixtureReport report;
    char buffer[4096];
    while (std::fgets(buffer, sizeof(buffer), pipe.get()))
        parseLine(buffer, report);
    if (report.sites.empty() || report.modules.empty())
        throw std::runtime_error(command + " reported nothing");
    return report;
}

} // namespace

std::string fixturePath(const std::string& name) {
    return std::string(HPROF_FIXTURE_DIR) + "/" + name;
}

const FixtureModule& FixtureReport::module(const std::string& path_suffix) const {
    for (const FixtureModule& module : modules) {
        const bool matches =
            path_suffix.empty() ? module.path.empty() : module.path.ends_with(path_suffix);
        if (matches)
            return module;
    }
    throw std::runtime_error("the fixture did not report module " + path_suffix);
}

const FixtureReport& fixtureReport() {
    static const FixtureReport report = runFixture();
    return report;
}

} // namespace hprof::testing
