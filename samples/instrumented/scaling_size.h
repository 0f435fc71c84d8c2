// The size of the input for the instrumented scaling samples: the first argument, or
// $HPROF_SIZE (which `hprof scaling` sets) when there is none. Not instrumented: parsing it must
// not add calls to the counts the samples are fitted by.
#pragma once

#include "call_counter.h"

#include <cstdio>
#include <cstdlib>

namespace samples {

// The size, `fallback` when neither gives one; a size outside 1..`largest` exits with status 2.
NOT_INSTRUMENTED inline unsigned long scalingSize(int argc, char** argv, const char* program,
                                                  unsigned long fallback, unsigned long largest) {
    const char* text = argc > 1 ? argv[1] : std::getenv("HPROF_SIZE");
    if (!text)
        return fallback;
    char* end = nullptr;
    const unsigned long count = std::strtoul(text, &end, 10);
    if (end == text || *end != '\0' || count == 0 || count > largest) {
        std::fprintf(stderr, "%s: bad size '%s' (expected 1..%lu)\n", program, text, largest);
        std::exit(2);
    }
    return count;
}

} // namespace samples
