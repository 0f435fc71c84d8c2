#!/bin/sh
# run_several.sh: a shell script that runs three sample programs from its own directory: one in
# the background while two others run one after the other, then waits for it. Profiling the
# script (`hprof ./run_several.sh`) shows each program as a process started by the shell.
set -e
here=${0%/*} # not $(dirname "$0"): that would be one more program
"$here/parallel_burn" 1 0.2 &
"$here/phases" 0.1
"$here/split" 0.2
wait $!
