// The --help texts of hprof and its commands.
#pragma once

#include <iosfwd>
#include <string>

namespace hprof::cli {

// `topic` is "" for the top level, "record", "report" or "collect".
void printHelp(const std::string& topic, std::ostream& out);

} // namespace hprof::cli
