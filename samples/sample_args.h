// Command-line parsing shared by the samples: one optional positional number each.
// Bad input is reported in one line on stderr and ends the program with status 2.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

namespace samples {

[[noreturn]] inline void bad_argument(const char* program, const char* text, const char* what) {
    std::fprintf(stderr, "%s: invalid argument '%s': expected %s\n", program, text, what);
    std::exit(2);
}

// argv[index] as an integer in [min, max], or `fallback` when it is absent.
inline long integer_argument(int argc, char** argv, int index, long fallback, long min, long max) {
    if (index >= argc)
        return fallback;
    const std::string what =
        "an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
    char* end = nullptr;
    const long value = std::strtol(argv[index], &end, 10);
    if (end == argv[index] || *end != '\0' || value < min || value > max)
        bad_argument(argv[0], argv[index], what.c_str());
    return value;
}

// argv[index] as a positive number of seconds (at most an hour), or `fallback` when absent.
inline double seconds_argument(int argc, char** argv, int index, double fallback) {
    if (index >= argc)
        return fallback;
    char* end = nullptr;
    const double value = std::strtod(argv[index], &end);
    if (end == argv[index] || *end != '\0' || !(value > 0.0 && value <= 3600.0))
        bad_argument(argv[0], argv[index], "a number of seconds in (0, 3600]");
    return value;
}

} // namespace samples
