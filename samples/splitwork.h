// The part of the `split` sample that lives in a shared library (libsplitwork.so), so that
// a profile of `split` must resolve a function outside the main executable.
#pragma once

namespace splitwork {

// Burns CPU until the calling thread's CPU clock has advanced by `seconds`.
void burn_in_library(double seconds);

} // namespace splitwork
