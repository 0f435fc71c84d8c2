// Writing a profile in the formats other tools read (`hprof export`): Python's pstats, callgrind,
// pprof, FlameGraph's folded stacks, speedscope and Chrome's Trace Event JSON. Formats are in
// ../shared/notes/formats.md and docs/export.md.
#pragma once

#include "hprof/filter.h"
#include "hprof/profile.h"

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace hprof {

enum class ExportFormat { Pstats, Callgrind, Pprof, Folded, Speedscope, ChromeTrace };

// "pstats", "callgrind", "pprof", "folded", "speedscope", "chrome"; nullopt for anything else.
std::optional<ExportFormat> parseExportFormat(std::string_view name);
std::string_view exportFormatName(ExportFormat format);
// Every format's name, for --help and error messages.
std::vector<std::string_view> exportFormatNames();

// What the export left out because the format cannot hold it ("threads: pstats has one table
// for the whole profile"). The CLI prints each once on stderr.
struct ExportNotes {
    std::vector<std::string> dropped;
};

// Writes the samples and call counts the selector accepts to `out` (binary formats write bytes:
// open the stream in binary mode). Throws hprof::Error when the stream fails.
ExportNotes exportProfile(const SampleSelector& selector, ExportFormat format, std::ostream& out);

} // namespace hprof
