// The end of a profiled process: the ending thread's ThreadEnd and the ProcessEnd record.
#pragma once

namespace hprof::probe {

// Writes both records once per process, whichever of exit() (through on_exit), _exit() or
// _Exit() comes first. Nothing in a vfork child: the stream it sees is its parent's.
void recordProcessEnd(int status);

} // namespace hprof::probe
