#include "export_formats.h"
#include "hprof/error.h"

namespace hprof {

ExportNotes writePstats(const SampleSelector&, std::ostream&) {
    throw Error("the pstats export is not written yet");
}

} // namespace hprof
