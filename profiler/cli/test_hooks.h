// Hooks for hprof's own tests, set through environment variables that nobody else should use.
#pragma once

namespace hprof::cli {

// HPROF_TEST_COLLECT_GATE=FIFO (tests only): just before collecting, hprof opens FIFO for
// reading and reads it to its end, so a test can signal hprof while it is in its collection
// phase and then let it go on by closing its end. Does nothing when the variable is unset.
void passTestCollectGate();

} // namespace hprof::cli
