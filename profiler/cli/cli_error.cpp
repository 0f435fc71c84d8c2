#include "cli_error.h"

#include <iostream>

namespace hprof::cli {

void printError(std::string_view message) {
    std::cerr << "hprof: " << message << std::endl;
}

} // namespace hprof::cli
