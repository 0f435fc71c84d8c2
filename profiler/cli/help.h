// The --help texts of hprof and its commands.
#pragma once

#include <iosfwd>
#include <string>

namespace hprof::cli {

// `topic` is "" for the top level, "record" or "report".
void printHelp(const std::string& topic, std::ostream& out);

} // namespace hprof::cli
