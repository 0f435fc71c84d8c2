#include "export_formats.h"
#include "hprof/error.h"

namespace hprof {

ExportNotes writeCallgrind(const SampleSelector&, std::ostream&) {
    throw Error("the callgrind export is not written yet");
}

} // namespace hprof
