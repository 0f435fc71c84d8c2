// One writer per `hprof export` format; export.cpp dispatches to them. Each writes what the
// selector accepts and returns what the format could not hold.
#pragma once

#include "hprof/export.h"

#include <ostream>

namespace hprof {

ExportNotes writePstats(const SampleSelector& selector, std::ostream& out);
ExportNotes writeCallgrind(const SampleSelector& selector, std::ostream& out);
ExportNotes writeFolded(const SampleSelector& selector, std::ostream& out);
ExportNotes writePprof(const SampleSelector& selector, std::ostream& out);
ExportNotes writeSpeedscope(const SampleSelector& selector, std::ostream& out);
ExportNotes writeChromeTrace(const SampleSelector& selector, std::ostream& out);

} // namespace hprof
