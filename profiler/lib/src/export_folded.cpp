#include "export_formats.h"
#include "hprof/error.h"

namespace hprof {

ExportNotes writeFolded(const SampleSelector&, std::ostream&) {
    throw Error("the folded export is not written yet");
}

} // namespace hprof
