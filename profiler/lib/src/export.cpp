#include "hprof/export.h"

#include "export_formats.h"
#include "hprof/error.h"
#include "report_text.h"

#include <algorithm>
#include <array>
#include <utility>

namespace hprof {
namespace {

constexpr std::array<std::pair<ExportFormat, std::string_view>, 6> kFormatNames{{
    {ExportFormat::Pstats, "pstats"},
    {ExportFormat::Callgrind, "callgrind"},
    {ExportFormat::Pprof, "pprof"},
    {ExportFormat::Folded, "folded"},
    {ExportFormat::Speedscope, "speedscope"},
    {ExportFormat::ChromeTrace, "chrome"},
}};

ExportNotes writeFormat(const SampleSelector& selector, ExportFormat format, std::ostream& out) {
    switch (format) {
    case ExportFormat::Pstats:
        return writePstats(selector, out);
    case ExportFormat::Callgrind:
        return writeCallgrind(selector, out);
    case ExportFormat::Pprof:
        return writePprof(selector, out);
    case ExportFormat::Folded:
        return writeFolded(selector, out);
    case ExportFormat::Speedscope:
        return writeSpeedscope(selector, out);
    case ExportFormat::ChromeTrace:
        return writeChromeTrace(selector, out);
    }
    throw Error("unknown export format");
}

} // namespace

std::string uniqueName(const Profile& profile, const FunctionLabels& labels, FunctionId function) {
    const Function& data = profile.function(function);
    const std::string plain = plainLabel(data);
    const std::string& label = labels[function];
    return oneLine(data.name) + label.substr(std::min(plain.size(), label.size()));
}

size_t countSelectedThreads(const SampleSelector& selector) {
    const Profile& profile = selector.profile();
    std::vector<bool> seen(profile.threads.size());
    selector.forEach([&](const Sample& sample) { seen[sample.thread.value] = true; });
    for (const CallCount& count : profile.call_counts) {
        if (count.calls > 0 && selector.acceptsThread(count.thread))
            seen[count.thread.value] = true;
    }
    return size_t(std::count(seen.begin(), seen.end(), true));
}

std::vector<std::string> droppedThreadsAndTrace(const SampleSelector& selector,
                                                std::string_view threads_why,
                                                std::string_view trace_why) {
    std::vector<std::string> dropped;
    if (const size_t threads = countSelectedThreads(selector); threads > 1)
        dropped.push_back("threads: " + std::string(threads_why) + " (" + std::to_string(threads) +
                          " threads summed)");
    if (!selector.profile().trace_events.empty())
        dropped.push_back("the trace of calls: " + std::string(trace_why));
    return dropped;
}

std::optional<ExportFormat> parseExportFormat(std::string_view name) {
    for (const auto& [format, formatName] : kFormatNames) {
        if (formatName == name)
            return format;
    }
    return std::nullopt;
}

std::string_view exportFormatName(ExportFormat format) {
    for (const auto& [known, name] : kFormatNames) {
        if (known == format)
            return name;
    }
    return "unknown";
}

std::vector<std::string_view> exportFormatNames() {
    std::vector<std::string_view> names;
    for (const auto& entry : kFormatNames)
        names.push_back(entry.second);
    return names;
}

ExportNotes exportProfile(const SampleSelector& selector, ExportFormat format, std::ostream& out) {
    ExportNotes notes = writeFormat(selector, format, out);
    out.flush();
    if (!out)
        throw Error("cannot write the " + std::string(exportFormatName(format)) + " export");
    return notes;
}

} // namespace hprof
