#include "help.h"

#include <ostream>

namespace hprof::cli {
namespace {

constexpr const char* kTopLevelHelp = R"(usage: hprof [record] [options] [--] program [args...]
       hprof report [options] FILE
       hprof collect [options] RUN_DIR
       hprof import [options] PROFILE
       hprof merge FILES... -o OUT
       hprof view [FILE] [viewer options]
       hprof diff [options] BEFORE AFTER
       hprof check [options] CURRENT... --baseline BASE...
       hprof export FILE --format FORMAT [-o OUT]
       hprof scaling --sizes A,B,C,D [options] -- program [args with {}...]
       hprof help [record|report|collect|diff|check|export|scaling|import|merge]
       hprof --version

hprof is a sampling profiler for native Linux programs. It runs a program with its
probe library preloaded, samples the call stacks of all of its threads and child
processes, and writes a profile file.

Commands:
  record   run a program and write its profile (the default when the first
           argument is not a command)
  report   print the function table of a profile file, the callers or
           callees of some of its functions, its trace, or its processes
           and threads with how parallel the run was
  collect  make the profile of a run directory that a killed hprof left
  import   convert a Python cProfile/pstats file, perf script output or a
           gperftools CPU profile into an hprof profile (report, diff, check
           and view also open them directly)
  merge    one profile of an MPI job or task farm from the profiles of its
           ranks or tasks, side by side on one time axis
  view     open a profile in the Qt viewer, hprof-viewer (installed next to
           hprof; 'hprof view --help' lists its options)
  diff     every function's change between two profiles
  check    fail (exit 1) when a function got slower than in the baseline
           profiles, beyond sampling noise: for CI
  export   write a profile in a format other tools read: pstats,
           callgrind, pprof, folded, speedscope, chrome
  scaling  run a program at several input sizes and fit how each function's
           time (and exact call count) grows: O(n), O(n^2)..., the exponent,
           the scaling bottleneck and a prediction

Options:
  -h, --help     show this help ('hprof help record' and 'hprof help report'
                 describe the options of each command)
      --version  print "hprof <version>"

Exit status: see 'hprof help record', 'hprof help report' and 'hprof help
collect'; 2 means that
hprof itself failed (bad usage, unreadable profile, failed pre-flight check).
)";

constexpr const char* kRecordHelp = R"(usage: hprof [record] [options] [--] program [args...]

Runs program with its arguments, unchanged, and writes its profile. Options end
at the first argument that is not an option, or at "--": in 'hprof ./prog -o x',
"-o x" goes to the program. The program keeps hprof's stdin, stdout and stderr;
everything hprof prints goes to stderr.

Options:
  -F, --frequency HZ  samples per second of CPU time, per thread, 1..20000
                      (default: 1000)
  -o, --output FILE   profile file to write (default: profile.hprof in the
                      current directory). The new profile is written beside
                      FILE first; then an existing FILE is renamed to FILE.old,
                      replacing an older FILE.old. A character device or FIFO
                      is written into, never renamed. For MPI ranks and Slurm
                      tasks (mpirun/srun hprof -o 'job-%r.hprof' ...), FILE may
                      hold %r (the rank, from OMPI_COMM_WORLD_RANK, PMI_RANK,
                      PMIX_RANK or SLURM_PROCID; 0 outside a job), %h (host),
                      %p (pid of the profiled program), %j (job id: Slurm's,
                      1234_7 for task 7 of array job 1234, or Open MPI's), %%.
                      A directory (DIR/, made if missing, or an existing one)
                      gets DIR/<program>-<host>-r<rank>-<pid>.hprof
      --sort KEY      order of the table printed after the run: tottime,
                      cumtime, ncalls or name (default: tottime)
      --limit N       rows of that table, 0 for all (default: 25)
  -q, --quiet         print no table after the run, only where the profile went
                      (otherwise the table is followed by the parallelism
                      section: wall and CPU time, average parallelism, serial
                      fraction, Amdahl's bound, then one row per process and
                      per thread, each list cut to --limit; for one process
                      with one thread, one line: CPU time, wall time, ratio)
      --instrument[=MODE]
                      programs built with -finstrument-functions: "counts"
                      (the default, also plain --instrument) counts every call
                      exactly; "trace" also keeps every call that lasted at
                      least --min-duration, with its exact start and duration
                      (see 'hprof report --trace'); "off" ignores the hooks.
                      Without the option, counting starts when the program
                      calls the hooks, and hprof says so after the run. The
                      times of the function table always come from samples.
      --min-duration TIME
                      with --instrument=trace: the shortest call kept, a
                      number and a unit ns, us, ms or s (or 0: every call),
                      e.g. 50us (default: 100us)
      --clock CLOCK   what the samples measure: "cpu" (the default), the time
                      threads spend on a CPU; "wall" also the time they spend
                      blocked (sleeps, locks, I/O), sampled from a thread of
                      the probe without interrupting them, with the stack
                      where they wait, and the time they wait for a CPU;
                      the table's times then include both
      --wait-descendants TIME
                      after the program ends, wait at most TIME for the
                      processes it left running (daemons, double forks,
                      children not waited for), which hprof reaps as their
                      subreaper, then collect; those still running are named
                      and marked "still running when collected" (partial).
                      A number and a unit ns, us, ms or s; 0: do not wait
                      (default: 10s). Their getppid() is hprof's pid, not 1
      --repeat N      run the program N times, one after the other, into one
                      profile (each run's processes and threads kept apart,
                      its times after the previous run's); more samples narrow
                      the intervals of 'hprof check'. hprof exits with the
                      status of the last run that failed, or 0 (default: 1)
  -h, --help          show this help

Before starting anything, hprof checks that program exists (searched in PATH
when its name has no '/'), is an executable regular file and is not setuid or
setgid (LD_PRELOAD cannot enter those), that FILE's directory is writable and
that the probe library exists.

MPI and Slurm: 'mpirun -np 4 hprof -o job-%r.hprof ./app' (or srun) writes one
profile per rank; 'hprof mpirun -np 4 ./app' one profile of mpirun and all its
ranks, each labelled [rank N] in 'hprof report --by process'. Each profile
records the ranks, the job id and the world size (see docs/cli.md).

Signals: while the program runs, hprof ignores SIGINT and SIGQUIT (Ctrl-C stops
the program, and hprof still writes the profile) and forwards SIGTERM and SIGHUP
to the program; after either, once the program has ended, it collects in a
detached process that survives a SIGKILL of hprof or its process group (as
mpirun and Slurm send one after SIGTERM). While it waits for descendants, these four signals stop the
waiting. While it collects, the first one is answered and the profile finished;
a second one abandons it, keeps the run directory, names the 'hprof collect'
command for it and exits 128+N. After a SIGKILL, the next hprof names the run
directory left behind.

Exit status:
  the program's exit status, or 128+N when a signal N killed it
  2    hprof failed before starting the program (bad usage, failed check), or
       the program exited with 0 but the profile could not be collected or
       written (when the program failed, its own status wins; the run
       directory is then kept and named)
  127  the program could not be executed although the checks passed

Environment:
  HPROF_PROBE  path of libhprof_probe.so to use instead of
               <hprof's directory>/../lib/hprof/libhprof_probe.so
  HPROF_TMPDIR where the temporary run directory hprof-run-<pid>-XXXXXX is made
               (default: the first of /dev/shm, $TMPDIR and /tmp with 256 MB
               free, else the roomiest; hprof says when it is not /dev/shm);
               it is removed when the profile is written
  PATH         searched for program
The program gets LD_PRELOAD=<probe>[:<previous LD_PRELOAD>], HPROF_RUN_DIR,
HPROF_FREQUENCY and, with --instrument, HPROF_INSTRUMENT (and, in trace mode,
HPROF_MIN_DURATION_NS), with --clock=wall HPROF_CLOCK=wall, in addition to
hprof's own environment.
)";

constexpr const char* kReportHelp = R"(usage: hprof report [options] FILE

Prints the function table of the profile FILE on stdout. Call counts (ncalls)
are known only for programs built with -finstrument-functions; times always
come from the samples. FILE may also be another tool's profile (a pstats file,
perf script output, a gperftools CPU profile: see 'hprof help import'); a
pstats file has exact times and no samples.

Options:
  --sort KEY       order of the rows: tottime, cumtime, ncalls or name
                   (default: tottime)
  --limit N        print the first N rows, 0 for all (default: all)
  --format FORMAT  text, json or csv (default: text)
  --pid P[,P...]   count only the samples and calls of these processes (the
                   option may repeat)
  --tid T[,T...]   count only the samples and calls of these threads
  --exclude-pid P[,P...]  leave out these processes
  --exclude-tid T[,T...]  leave out these threads
  --focus TEXT     count only the samples with a function whose name contains
                   TEXT on the stack (may repeat: any of them)
  --exclude TEXT   leave out the samples with a function whose name contains
                   TEXT on the stack (may repeat)
  --module TEXT    count only the samples whose running code (leaf frame) is
                   in a module whose path contains TEXT (may repeat)
  --exclude-module TEXT  leave out the samples whose running code is in such
                   a module (may repeat)
  --time FROM..TO  count only the samples taken from FROM to TO after the
                   start of the run, e.g. 1.5s..2s, 200ms.. or ..300us (units
                   ns, us, ms, s; either side may be empty). Call counts and
                   exact instrumented times are per whole thread: the time
                   range does not narrow them
  --by WHAT        instead of the table, one row per process (pid, parent,
                   start, end, exit status, CPU, share, busy span, samples,
                   threads, command; children hprof could not enter with
                   why) or per thread (tid, pid, start, end, CPU, share, busy
                   span, samples, CPU over time, name), then the parallelism
                   summary; WHAT is process or thread
  --parallelism    after the report, the whole parallelism section as 'hprof
                   record' prints it for several threads (text only; the JSON
                   report always has it)
  --callers NAME   instead of the table, for each function whose name contains
                   NAME, the functions that called it (like pstats
                   print_callers); --limit caps the functions listed
  --callees NAME   the same for the functions it called (print_callees)
  --trace          instead of the table, the calls of each thread in time
                   order, indented by nesting (profiles recorded with
                   --instrument=trace); --limit caps the calls per thread

The filters apply to every view. Profiles recorded in wall-clock mode also
show the off-CPU (blocked) part of the times and the time spent waiting for
a CPU (run queue).
  -h, --help       show this help

Exit status:
  0  the report was printed
  2  bad usage, FILE is missing, not a profile, corrupt or truncated, no
     function matches the NAME of --callers or --callees, or FILE has no
     trace for --trace
)";

constexpr const char* kCollectHelp = R"(usage: hprof collect [options] RUN_DIR

Makes the profile of a run directory that hprof left behind (killed by SIGKILL,
or a profile abandoned or failed: hprof names the directory then), prints the
usual table on stderr, and removes RUN_DIR once the profile is written. The
program's exit status and the run's CPU time are known only if its processes
recorded them; processes still running are marked "still running when
collected".

Options:
  -o, --output FILE  profile file to write (default: profile.hprof); an
                     existing FILE is first renamed to FILE.old
  -q, --quiet        print no table, only where the profile went
  -h, --help         show this help

Exit status:
  0  the profile was written
  2  RUN_DIR is not a directory, not an hprof run directory (no run-info),
     holds no raw stream, its hprof is still running, or FILE cannot be
     written
)";

// `hprof diff` and `hprof check` (issue 11).
constexpr const char* kDiffHelp = R"(usage: hprof diff [options] BEFORE AFTER

Prints every function's change between two profiles of the same program,
regressions of a share first, then the largest change first: self and inclusive share of all samples (in percent,
with the change in points), inclusive CPU seconds, and exact call counts where
both profiles have them. Functions are matched by name, source file and module
file name, not by id, so profiles of two builds match. The verdict column is
that of 'hprof check' with its default thresholds, every function checked.
pstats files (cProfile) are compared by their exact times (shares of the
total tottime); a sampled profile is not compared with a pstats file.

Options:
      --format F  text (default), json or csv
      --limit N   only the first N functions (default: all)
  -h, --help      show this help

Exit status: 0 printed; 2 bad usage; 3 a profile is unreadable, has no
samples, is of another program, or one side is sampled and the other pstats.
)";

constexpr const char* kCheckHelp =
    R"(usage: hprof check [options] CURRENT... --baseline BASE [BASE...]
       hprof check [options] --baseline BASE [BASE...] -- PROGRAM [ARGS...]
       hprof check [options] CURRENT... --budget FILE [--baseline BASE...]
       hprof check [--junit FILE] --scaling-budget FILE DIR

Compares the current profiles (or a run of PROGRAM that it records first, into
-o FILE) with the baseline profiles. For every function whose self or
inclusive share reaches --min-share on either side, it estimates a 95%
confidence interval for the change of each share with a moving-block
bootstrap over time (1000 resamples, fixed seed: the same profiles give the
same answer). A share regressed when the whole interval lies above the
threshold: max(--threshold x the baseline share, 1 point). Exact call counts
(instrumented builds) are compared exactly: any change fails. Inclusive CPU
seconds per run are compared too, with a looser threshold (machines differ):
max(--cpu-threshold x the baseline's seconds, 1% of its total, 10 ms), the
interval from the inclusive share's. Several profiles per side are pooled and
narrow the interval; with two or more runs on each side (profiles, or the
runs of --repeat profiles) it also covers the spread between the runs.

pstats files (cProfile) have exact times and no samples: shares come from
the exact tottime and cumtime; with one profile per side there is no interval
(the change is compared with the threshold as it is); with several, the
interval is a t-interval of the change from the spread of the per-profile
shares. Sampled and pstats profiles are not mixed (exit 3).

Options:
      --baseline BASE...      baseline profiles (the profiles after it, up to
                              the next option, are baselines too)
      --threshold P           relative change that counts (default 10%)
      --min-share P           smaller functions are not checked (default 1%)
      --cpu-threshold P       relative change of inclusive CPU seconds per run
                              that counts (default 25%; 0 turns it off)
      --repeat N              with -- PROGRAM: run it N times into the
                              current profile (a narrower interval)
  -F, --frequency HZ          with -- PROGRAM: samples per CPU second of the
                              recorded runs (default 2000, twice hprof
                              record's: a check needs samples more than a
                              low overhead; record baselines with -F 2000)
      --fail-on-inconclusive  exit 1 when some function had too few samples
                              to decide (default: a warning, exit 0)
      --format F              text (default) or json
      --junit FILE            write a JUnit XML file: one testcase per
                              checked function
      --markdown FILE         write the verdict and a Markdown table of the
                              checked functions (as GitHub's step summary)
  -o, --output FILE           where the recorded run goes (default
                              profile.hprof; with -- PROGRAM only)
      --budget FILE           also check the limits of a budget file
                              (hprof-budget.toml, see docs/cli.md); with it
                              no baseline is needed
      --scaling-budget FILE   check the max_exponent limits of a budget file
                              against the fits of a scaling directory DIR
                              (hprof scaling -o DIR); nothing else is checked
  -h, --help                  show this help

Budget file: [[budget]] tables, each with function = "SUBSTRING" or
regex = "EXPR" and limits max_self_share = "15%", max_inclusive_share,
max_ncalls = 1000, max_growth = "20%" (self share against the baseline),
max_exponent = 1.2 (growth with the input size: --scaling-budget only; the
exponent of the exact call counts where there are some, else of the
inclusive time).

Under GitHub Actions (GITHUB_ACTIONS=true) it also prints an '::error
file=F,line=L::' annotation per regressed function and appends a Markdown
table to $GITHUB_STEP_SUMMARY.

Exit status:
  0  no regression (inconclusive functions are named in a warning)
  1  a regression, a changed call count, an exceeded budget, or with
     --fail-on-inconclusive an inconclusive function
  2  bad usage, a malformed budget file, or a scaling DIR that cannot be
     fitted (too few sizes, sizes too close, runs too short)
  3  a profile is unreadable, has no samples, or is of another program
     (compared by the file name of the program); or the recorded run failed
)";

// --- `hprof export` (issue 12) ---
constexpr const char* kExportHelp =
    R"(usage: hprof export FILE --format FORMAT [-o OUT] [filter options]

Writes the profile FILE in a format that another tool reads (docs/export.md
says what each holds and drops, and how to open it):
  pstats      Python's profile stats: python3 -m pstats, snakeviz (binary)
  callgrind   KCachegrind, callgrind_annotate
  pprof       go tool pprof, gzipped profile.proto (binary)
  folded      collapsed stacks "root;...;leaf SAMPLES": flamegraph.pl
  speedscope  speedscope's JSON, one profile per thread
  chrome      Chrome's Trace Event JSON: Perfetto, chrome://tracing

Options:
  --format FORMAT  one of the formats above (required)
  -o, --output OUT file to write: written beside OUT first, then renamed over
                   it; a character device or FIFO is written into. Without
                   it the export goes to stdout (a binary format not to a
                   terminal)
  --pid, --tid, --exclude-pid, --exclude-tid, --focus, --exclude, --module,
  --exclude-module, --time FROM..TO
                   the filters of 'hprof report': the export holds what the
                   report would count
  -h, --help       show this help

What a format cannot hold (pstats has no threads) is said once on stderr:
"hprof export: pstats drops threads: ...".

Exit status:
  0  the export was written
  2  bad usage, an unknown format, FILE is missing, not a profile, corrupt
     or truncated, OUT cannot be written, or a binary format to a terminal
)";

constexpr const char* kScalingHelp =
    R"(usage: hprof scaling --sizes A,B,C,D [options] -- PROGRAM [ARGS...]
       hprof scaling [options] DIR

Runs PROGRAM once per size (or --repeat K times), with every {} in ARGS
replaced by the size and HPROF_SIZE=size in its environment, records each run
as a normal profile DIR/size-N-run-K.hprof (its stdout goes to
DIR/size-N-run-K.out), then fits each function's self time, inclusive time
and, for programs built with -finstrument-functions, exact call count
against the size: O(1), O(log n), O(n), O(n log n), O(n^2), O(n^3), O(2^n)
and O(n!) by least squares on log values, and a power law n^b whose exponent
gets a 95% interval. The simplest model that fits as well as the best one and
agrees with the exponent is reported; O(n^b) when none does. A model with a
constant term, "O(n) + c" (a fixed start-up), is reported where the data show
the constant; a power law steeper than n^6 gives way to 2^n or n! where those
fit about as well. Given a DIR
instead of a program, re-fits the runs recorded there. docs/scaling.md
explains the method and its limits.

The report: the whole program's fit, then per function (inclusive share at
the largest size, model, exponent [95% interval], rms of the fit, the self
and calls models, the predicted time and share at --predict), and a sentence
naming the scaling bottleneck: the function that grows clearly faster than
the program as a whole (its growing part, without a fixed start-up) or than
--expect.

Options:
      --sizes A,B,...  the sizes, positive integers: at least 4, each at least
                       5% apart (doubling is best), spanning at least 4x
                       (exact counts of an instrumented build: any span)
      --repeat K       runs per size (default 1); repeats narrow the exponent's
                       interval and make it honest about run-to-run noise.
                       Sizes whose runs are short get more (up to 4K) so
                       that their fastest runs last K x 0.25 s together
      --predict N      the size to predict the times at (default: 10 x the
                       largest size)
      --expect MODEL   the growth the program should not exceed (1, log n, n,
                       n log n, n^2, n^3, 2^n, n!): functions growing faster are
                       named
  -o, --output DIR     where the runs go (default: hprof-scaling); a DIR that
                       already holds runs is refused
      --format FORMAT  text (default), json or csv
      --limit N        function rows (default: 20 in text, all in JSON and
                       CSV; 0: all)
  -F, --frequency HZ   samples per second, as for record (default: 1000)
      --instrument[=MODE]  as for record
  -h, --help           show this help

Exit status:
  0  the fit was printed
  1  a run of PROGRAM did not exit with status 0
  2  bad usage, or runs that cannot be fitted: fewer than 4 sizes, sizes too
     close, runs too short to measure (the message says what to change)
  3  a profile of DIR is unreadable or of another program
)";

constexpr const char* kImportHelp = R"(usage: hprof import [options] PROFILE

Reads another tool's profile and writes it as an hprof profile: a Python
cProfile/pstats file (python3 -m cProfile -o FILE), the text of 'perf script'
(of 'perf record -g', also -F variants) or a gperftools CPU profile
(CPUPROFILE=FILE; symbolized from the binaries its memory map names). The
format is recognised by the file's content. What the format does not record
(timestamps, threads, call counts, the run's times) is marked missing, and
reports say "not in the source". 'hprof report', 'diff', 'check' and 'view'
open such files directly too.

Options:
  -o, --output FILE  profile file to write (default: profile.hprof); an
                     existing FILE is first renamed to FILE.old
  -q, --quiet        print no table, only where the profile went
  -h, --help         show this help

Exit status:
  0  the profile was written
  2  PROFILE is missing, of no known format, truncated or corrupt, or FILE
     cannot be written
)";

constexpr const char* kMergeHelp = R"(usage: hprof merge FILES... -o OUT

Makes one profile of a whole MPI job or task farm from the profiles of its ranks
or tasks (e.g. mpirun -np 4 hprof -o 'job-%r.hprof' ./app; docs/cluster.md).
Every input's processes become processes of OUT, each on its host and with its
rank; times are aligned on each input's recorded wall-clock start, the
earliest at 0. On one host that is exact; across hosts it is only as good as
their clocks agree (NTP: commonly 0.1-10 ms), which hprof cannot measure. The
inputs may run different programs (a task farm); inputs of different jobs, a
rank given twice and missing ranks are merged with a warning. FILES may be any
profile hprof reads (see 'hprof help import').

Options:
  -o, --output OUT  profile file to write (required); an existing OUT is first
                    renamed to OUT.old
  -h, --help        show this help

'hprof report --parallelism OUT' shows each rank's CPU and MPI time and the
job's load imbalance.

Exit status:
  0  the profile was written
  2  a FILE is missing, of no known format, truncated or corrupt, or OUT
     cannot be written
)";

} // namespace

void printHelp(const std::string& topic, std::ostream& out) {
    if (topic == "record")
        out << kRecordHelp;
    else if (topic == "report")
        out << kReportHelp;
    else if (topic == "collect")
        out << kCollectHelp;
    else if (topic == "diff")
        out << kDiffHelp;
    else if (topic == "check")
        out << kCheckHelp;
    else if (topic == "export")
        out << kExportHelp;
    else if (topic == "scaling")
        out << kScalingHelp;
    else if (topic == "import")
        out << kImportHelp;
    else if (topic == "merge")
        out << kMergeHelp;
    else
        out << kTopLevelHelp;
}

} // namespace hprof::cli
