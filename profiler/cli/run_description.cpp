#include "run_description.h"

#include "hprof/error.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <unistd.h>

namespace hprof::cli {
namespace {

constexpr const char* kMagic = "hprof-run-info";
constexpr const char* kVersion = "1";

// Field 22 (starttime) of /proc/<pid>/stat; 0 when the process does not exist. The command
// name (field 2) may hold spaces and parentheses: count from its last ')'.
uint64_t processStartTicks(pid_t pid) {
    std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
    const std::string stat((std::istreambuf_iterator<char>(file)), {});
    const size_t name_end = stat.rfind(')');
    if (name_end == std::string::npos)
        return 0;
    std::istringstream fields(stat.substr(name_end + 1));
    std::string field;
    for (int number = 3; fields >> field; ++number) {
        if (number == 22)
            return std::strtoull(field.c_str(), nullptr, 10);
    }
    return 0;
}

template <typename Number> Number number(const std::string& text) {
    Number value{};
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size())
        throw Error("bad number '" + text + "'");
    return value;
}

void put(std::string& out, const std::string& name, const std::string& value) {
    out.append(name).push_back('\0');
    out.append(value).push_back('\0');
}

std::vector<std::string> splitAtNuls(const std::string& bytes) {
    std::vector<std::string> strings;
    size_t start = 0;
    for (size_t end; (end = bytes.find('\0', start)) != std::string::npos; start = end + 1)
        strings.push_back(bytes.substr(start, end - start));
    return strings;
}

RunDescription parse(const std::vector<std::string>& strings) {
    if (strings.size() < 2 || strings[0] != kMagic || strings[1] != kVersion ||
        strings.size() % 2 != 0)
        throw Error("not an hprof run description");
    RunDescription description;
    RunInfo& run = description.run;
    std::map<std::string, std::string> values;
    for (size_t i = 2; i < strings.size(); i += 2) {
        if (strings[i] == "arg")
            run.command.push_back(strings[i + 1]);
        else
            values[strings[i]] = strings[i + 1];
    }
    description.hprof_pid = number<pid_t>(values["hprof_pid"]);
    description.hprof_start_ticks = number<uint64_t>(values["hprof_start_ticks"]);
    description.output = values["output"];
    run.host = values["host"];
    run.hprof_version = values["hprof_version"];
    run.start_time_unix_ns = number<int64_t>(values["start_time_unix_ns"]);
    run.frequency_hz = number<uint32_t>(values["frequency_hz"]);
    run.min_duration_ns = number<int64_t>(values["min_duration_ns"]);
    return description;
}

} // namespace

RunDescription describeThisHprof() {
    RunDescription description;
    description.hprof_pid = getpid();
    description.hprof_start_ticks = processStartTicks(getpid());
    return description;
}

void writeRunDescription(const std::string& run_dir, const RunDescription& description) {
    std::string out = std::string(kMagic) + '\0' + kVersion + '\0';
    const RunInfo& run = description.run;
    put(out, "hprof_pid", std::to_string(description.hprof_pid));
    put(out, "hprof_start_ticks", std::to_string(description.hprof_start_ticks));
    put(out, "output", description.output);
    put(out, "host", run.host);
    put(out, "hprof_version", run.hprof_version);
    put(out, "start_time_unix_ns", std::to_string(run.start_time_unix_ns));
    put(out, "frequency_hz", std::to_string(run.frequency_hz));
    put(out, "min_duration_ns", std::to_string(run.min_duration_ns));
    for (const std::string& argument : run.command)
        put(out, "arg", argument);
    const std::string path = run_dir + "/" + kRunDescriptionFile;
    std::ofstream file(path, std::ios::binary);
    file << out;
    if (!file.flush())
        throw Error("cannot write " + path + ": " + std::strerror(errno));
}

std::optional<RunDescription> readRunDescription(const std::string& run_dir) {
    const std::string path = run_dir + "/" + kRunDescriptionFile;
    std::ifstream file(path, std::ios::binary);
    if (!file)
        return std::nullopt;
    const std::string bytes((std::istreambuf_iterator<char>(file)), {});
    try {
        return parse(splitAtNuls(bytes));
    } catch (const Error& error) {
        throw Error(path + ": " + error.what());
    }
}

bool writerIsAlive(const RunDescription& description) {
    return description.hprof_start_ticks != 0 &&
           processStartTicks(description.hprof_pid) == description.hprof_start_ticks;
}

} // namespace hprof::cli
