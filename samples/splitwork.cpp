#include "splitwork.h"

#include "burn.h"

namespace splitwork {

void burn_in_library(double seconds) {
    samples::burn_cpu(seconds);
}

} // namespace splitwork
