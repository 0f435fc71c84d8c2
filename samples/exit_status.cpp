// exit_status: exits with the status given as its argument (default 0), doing nothing else.
// Used to check that a profiler passes its target's exit status on unchanged.
//
// Usage: exit_status [status 0..255]
#include "sample_args.h"

int main(int argc, char** argv) {
    return static_cast<int>(samples::integer_argument(argc, argv, 1, 0, 0, 255));
}
