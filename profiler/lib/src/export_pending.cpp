// Placeholders for the formats helper "export-b" writes; that branch replaces this file.
#include "export_formats.h"
#include "hprof/error.h"

namespace hprof {

ExportNotes writePprof(const SampleSelector&, std::ostream&) {
    throw Error("the pprof export is not written yet");
}

ExportNotes writeSpeedscope(const SampleSelector&, std::ostream&) {
    throw Error("the speedscope export is not written yet");
}

ExportNotes writeChromeTrace(const SampleSelector&, std::ostream&) {
    throw Error("the chrome export is not written yet");
}

} // namespace hprof
