#include "hprof/export.h"

#include "export_formats.h"
#include "hprof/error.h"

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
