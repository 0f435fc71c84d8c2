#include "report_command.h"

#include "hprof/error.h"
#include "hprof/profile_io.h"

#include <algorithm>
#include <iostream>
#include <string>

namespace hprof::cli {
namespace {

// "12, 13, 14" (at most `most` of them, then ", ...").
template <class Table, class IdOf>
std::string listIds(const Table& table, IdOf idOf, size_t most = 10) {
    std::string list;
    for (size_t i = 0; i < table.size() && i < most; ++i)
        list += (i ? ", " : "") + std::to_string(idOf(table[i]));
    return table.size() > most ? list + ", ..." : list;
}

// A --pid or --tid that names nothing in the profile would print an empty report as if that
// process or thread had done nothing: say that it is not there instead.
void checkFilterNamesSomething(const Profile& profile, const ReportCommandOptions& options) {
    const SampleFilter& filter = options.report.filter;
    auto hasPid = [&](int32_t pid) {
        return std::ranges::any_of(profile.processes,
                                   [pid](const Process& process) { return process.pid == pid; });
    };
    auto hasTid = [&](int32_t tid) {
        return std::ranges::any_of(profile.threads,
                                   [tid](const Thread& thread) { return thread.tid == tid; });
    };
    if (filter.pid && !hasPid(*filter.pid))
        throw Error(options.file + " has no process " + std::to_string(*filter.pid) +
                    " (its pids: " +
                    listIds(profile.processes, [](const Process& p) { return p.pid; }) + ")");
    if (filter.tid && !hasTid(*filter.tid))
        throw Error(
            options.file + " has no thread " + std::to_string(*filter.tid) +
            " (its tids: " + listIds(profile.threads, [](const Thread& t) { return t.tid; }) + ")");
}

} // namespace

int runReport(const ReportCommandOptions& options) {
    const Profile profile = readProfile(options.file);
    checkFilterNamesSomething(profile, options);
    // Checked here too, so that the message names the file.
    if (options.report.trace && profile.trace_events.empty())
        throw Error(options.file + " has no trace (record with --instrument=trace)");
    printReport(profile, options.report, std::cout);
    std::cout.flush();
    if (!std::cout)
        throw Error("report: cannot write to standard output");
    return 0;
}

} // namespace hprof::cli
