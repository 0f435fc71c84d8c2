// Profiles for the tests and field-by-field comparison.
#pragma once

#include "hprof/analysis.h"
#include "hprof/profile.h"
#include "hprof/profile_builder.h"
#include "hprof/report.h"

#include <initializer_list>
#include <map>
#include <optional>
#include <string>

namespace hprof::test {

// A profile that sets every field of every table to a non-default value, including optional and
// "none" ids, negative numbers, and names with quotes, commas, newlines and non-ASCII bytes.
Profile richProfile();
// A few samples, call counts, call edges and trace events over two threads: small enough to
// corrupt at every byte.
// A Process with the fields every test sets; the others keep their defaults.
Process makeProcess(int32_t pid, int32_t ppid, std::string command, int64_t start_ns,
                    int64_t end_ns, std::optional<int> exit_status);
Profile smallProfile();

// The call-tree fixture of the analysis and report tests. All weights in ms; functions:
// main (app.cpp:1), alpha(int) (app.cpp:10), beta() (app.cpp:20), gamma_inline (app.h:5, only
// ever an inlined frame), delta (file unknown, no module), std::map<int, int>::find (map:100).
//   t=1 thread 100 (pid 100)  main->alpha->beta->alpha   weight 1   (recursion)
//   t=2 thread 100 (pid 100)  main->alpha->beta          weight 2
//   t=3 thread 101 (pid 100)  main->[gamma_inline]->delta weight 3
//   t=4 thread 200 (pid 200)  main                       weight 4
//   t=5 thread 101 (pid 100)  main->std::map<...>::find  weight 5
Profile callTreeProfile();
inline constexpr int64_t kMs = 1'000'000;

// The instrumented fixture: exact counts and edges next to the samples. Functions main (m.c:1),
// A (m.c:10, recursive), B (m.c:20), D (m.c:30, called but never sampled). Weights in ms:
//   t=1 thread 100 main->A->A->A  weight 1      t=4 thread 101 B     weight 8
//   t=2 thread 100 main->A        weight 2      t=5 thread 100 main  weight 16
//   t=3 thread 100 main->B        weight 4
// Counts (calls/primitive): thread 100 main 1/1, A 3/1, B 2/2, D 5/5; thread 101 B 1/1, D 2/2.
// Edges: thread 100 none->main 1/1, main->A 1/1, A->A 2/1, main->B 2/2, B->D 5/5;
//        thread 101 none->B 1/1, B->D 2/2.
Profile callCountProfile();
// callCountProfile() in trace mode with exact times on some counts and edges: B on thread 100
// (250 ms / 1500 ms, also its main -> B edge), B -> D on both threads (100 + 25 ms each).
Profile timedCallCountProfile();

// A profile for the parallelism tests: one process per entry of `threads_per_process` (pid 100,
// 200, ...; the later ones children of the first), with that many threads each (tids pid, pid+1,
// ...), a single function "work", RunInfo::wall_ns = wall_ms ms and 1000 Hz, and no samples.
Profile threadsProfile(std::initializer_list<int> threads_per_process, int64_t wall_ms);
// Adds one sample of `weight_ms` to thread index `thread` at each of `times_ms` (kept sorted).
void addSamples(Profile& profile, uint32_t thread, std::initializer_list<int64_t> times_ms,
                int64_t weight_ms = 1, bool off_cpu = false);
// Samples of 1 ms at every ms of (from_ms, to_ms]: the thread ran throughout [from_ms, to_ms).
void addBusy(Profile& profile, uint32_t thread, int64_t from_ms, int64_t to_ms);

// printReport into a string.
std::string report(const Profile& profile, const ReportOptions& options);

// Interns the frames root first and returns the leaf node.
StackId internStack(ProfileBuilder& builder, std::initializer_list<FrameId> rootToLeaf);

void expectEqual(const Profile& expected, const Profile& actual);

// Function stats keyed by function name, for readable expectations.
std::map<std::string, FunctionStats> statsByName(const Profile& profile,
                                                 const SampleFilter& filter = {});

} // namespace hprof::test
