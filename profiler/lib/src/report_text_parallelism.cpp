// The text views of processes and threads (--by) and of the parallelism summary.
#include "report_text.h"

#include <algorithm>
#include <cmath>
#include <ostream>

namespace hprof {
namespace {

// One column of a table row: its header, its width (right-aligned) and this row's text.
struct Cell {
    const char* title;
    size_t width;
    std::string text;
};

// Cells two spaces apart after a three-space margin; the last one (a name) is not padded.
std::string tableLine(const std::vector<Cell>& cells, bool header) {
    std::string line = "   ";
    for (size_t i = 0; i < cells.size(); ++i) {
        const std::string& text = header ? std::string(cells[i].title) : cells[i].text;
        line += i + 1 < cells.size() ? rightAligned(text, cells[i].width) + "  " : text;
    }
    return line + "\n";
}

std::string secondsText(double value) {
    return fixed("%.3f", value);
}

std::string optionalSeconds(std::optional<double> value) {
    return value ? secondsText(*value) : "-";
}

std::string percent(double fraction) {
    return fixed("%.1f%%", 100 * fraction);
}

// One character per part of the window, from ' ' (never on a CPU) through ".:-=+*" to '#'
// (on a CPU all of the time); any time at all shows.
std::string strip(const std::vector<double>* timeline, size_t bins) {
    static constexpr std::string_view kLevels = " .:-=+*#";
    std::string text(bins, ' ');
    for (size_t i = 0; timeline && i < timeline->size() && i < text.size(); ++i) {
        const double share = std::clamp((*timeline)[i], 0.0, 1.0);
        text[i] = kLevels[size_t(std::ceil(share * double(kLevels.size() - 1)))];
    }
    return "|" + text + "|";
}

// The CPU columns: CPU, with the off-CPU (blocked) time and the time waiting for a CPU next to
// it in wall-clock mode, then the share.
template <class Stats>
void addCpuCells(const ReportData& data, std::vector<Cell>& cells, const Stats& stats) {
    cells.push_back({"cpu_s", 8, secondsText(seconds(stats.cpu_ns))});
    if (data.off_cpu) {
        cells.push_back({"offcpu_s", 8, secondsText(seconds(stats.off_cpu_ns))});
        cells.push_back({"runq_s", 8, secondsText(seconds(stats.run_queue_ns))});
    }
    cells.push_back({"share", 6, percent(share(stats.cpu_ns, data.totals.cpu_ns))});
}

void addBusyCells(std::vector<Cell>& cells, const BusyStats* busy) {
    cells.push_back({"busy_from", 9, optionalSeconds(busyFrom(busy))});
    cells.push_back({"busy_to", 9, optionalSeconds(busyTo(busy))});
}

std::string exitText(const Process& process) {
    return process.exit_status ? std::to_string(*process.exit_status) : "-";
}

// A program exec'd with an empty argv has no command line: its file names it instead.
std::string commandText(const Process& process) {
    std::string text = oneLine(process.command.empty() ? process.executable : process.command);
    if (process.from_exec)
        text += " [exec]";
    if (process.rank >= 0) // of an MPI job or task farm (docs/cluster.md)
        text += " [rank " + std::to_string(process.rank) + "]";
    if (!process.profiled)
        text += " [not profiled: " + oneLine(process.note) + "]";
    else if (!process.note.empty()) // e.g. "still running when collected": its data ends early
        text += " [" + oneLine(process.note) + "]";
    return text;
}

std::vector<Cell> processCells(const ReportData& data, const ProcessStats& stats) {
    const Process& process = data.profile.process(stats.process);
    std::vector<Cell> cells{{"pid", 8, std::to_string(process.pid)},
                            {"ppid", 8, std::to_string(process.ppid)},
                            {"start_s", 8, secondsText(seconds(process.start_ns))},
                            {"end_s", 8, secondsText(seconds(process.end_ns))},
                            {"exit", 4, exitText(process)}};
    addCpuCells(data, cells, stats);
    addBusyCells(cells, busyOf(data, stats.process));
    cells.push_back({"samples", 8, std::to_string(stats.samples)});
    cells.push_back({"threads", 7, std::to_string(stats.threads)});
    cells.push_back({"command", 0, commandText(process)});
    return cells;
}

std::vector<Cell> threadCells(const ReportData& data, const ThreadStats& stats) {
    const Thread& thread = data.profile.thread(stats.thread);
    std::vector<Cell> cells{{"tid", 8, std::to_string(thread.tid)},
                            {"pid", 8, std::to_string(data.profile.process(thread.process).pid)},
                            {"start_s", 8, secondsText(seconds(thread.start_ns))},
                            {"end_s", 8, secondsText(seconds(thread.end_ns))}};
    addCpuCells(data, cells, stats);
    addBusyCells(cells, busyOf(data, stats.thread));
    cells.push_back({"samples", 8, std::to_string(stats.samples)});
    const size_t bins = data.parallelism.bins;
    cells.push_back({"cpu over time", bins + 2, strip(timelineOf(data, stats.thread), bins)});
    cells.push_back({"name", 0, oneLine(thread.name)});
    return cells;
}

// The rows in profile order, cut to options.limit.
template <class Stats, class ToCells>
void printTable(const ReportData& data, const std::vector<Stats>& rows, const char* what,
                ToCells toCells, std::ostream& out) {
    out << "\n";
    if (rows.empty()) {
        out << "   no " << what << "\n";
        return;
    }
    const size_t shown = std::min(rows.size(), data.options.limit.value_or(rows.size()));
    out << tableLine(toCells(data, rows.front()), true);
    for (size_t i = 0; i < shown; ++i)
        out << tableLine(toCells(data, rows[i]), false);
    if (shown < rows.size())
        out << "\n   " << rows.size() - shown << " of " << rows.size() << " " << what
            << " omitted (--limit " << shown << ")\n";
}

std::string boundText(const Parallelism& parallelism, std::optional<double> bound) {
    if (bound)
        return fixed("%.2fx", *bound);
    return parallelism.cpu_ns == 0 ? "-" : "unbounded";
}

std::string concurrencyText(const Parallelism& parallelism) {
    std::string text;
    for (size_t k = 0; k < parallelism.concurrency_ns.size(); ++k)
        text += (k == 0 ? "" : ", ") + std::to_string(k) + ": " +
                secondsText(seconds(parallelism.concurrency_ns[k])) + " s";
    return text;
}

// What still means something when the whole job had one thread.
void printParallelismLine(const ReportData& data, std::ostream& out) {
    const Parallelism& p = data.parallelism;
    out << "   parallelism: 1 thread, " << secondsText(seconds(p.cpu_ns)) << " s CPU in "
        << secondsText(seconds(p.wallNs())) << " s wall (" << fixed("%.2f", p.averageParallelism())
        << ")\n\n";
}

} // namespace

void printGroupTable(const ReportData& data, GroupBy by, std::ostream& out) {
    if (by == GroupBy::Process)
        printTable(data, data.processes, "processes", processCells, out);
    else
        printTable(data, data.threads, "threads", threadCells, out);
}

void printParallelismSummary(const ReportData& data, std::ostream& out) {
    const Parallelism& p = data.parallelism;
    out << "\n   Parallelism from " << secondsText(seconds(p.from_ns)) << " s to "
        << secondsText(seconds(p.to_ns)) << " s\n"
        << "   wall time            " << secondsText(seconds(p.wallNs())) << " s\n"
        << "   CPU time             " << secondsText(seconds(p.cpu_ns)) << " s\n"
        << "   average parallelism  " << fixed("%.2f", p.averageParallelism())
        << " (CPU time / wall time)\n"
        << "   idle                 " << secondsText(seconds(p.idleNs())) << " s ("
        << percent(share(p.idleNs(), p.wallNs())) << " of the wall time: no thread on a CPU)\n"
        << "   serial               " << secondsText(seconds(p.serial_ns)) << " s ("
        << percent(p.serialFraction()) << " of the busy wall time: exactly one thread on a CPU)\n"
        << "   threads on a CPU     " << concurrencyText(p) << "\n"
        << "   Amdahl's bound       " << boundText(p, p.speedupBoundOverOneCore())
        << " the speed of one core (serial work: " << percent(p.serialWorkFraction())
        << " of the CPU time)\n"
        << "                        " << boundText(p, p.speedupBoundOverThisRun())
        << " the speed of this run (idle and serial time stay)\n";
    printJobBalance(data, out);
}

void printParallelismSection(const ReportData& data, std::ostream& out) {
    // One process with one thread: the summary would say "serial" nine ways and both tables
    // would repeat the one row; the numbers that still mean something fit on one line.
    if (data.options.parallelism == ParallelismSection::Proportionate &&
        data.profile.processes.size() == 1 && data.profile.threads.size() == 1)
        return printParallelismLine(data, out);
    printParallelismSummary(data, out);
    printGroupTable(data, GroupBy::Process, out);
    printGroupTable(data, GroupBy::Thread, out);
    out << "\n";
}

} // namespace hprof
