// `perf script` text: one block per sample, a header line ("COMM PID/TID [CPU] TIME: PERIOD
// EVENT:") then, with call chains, one indented line per frame, leaf first ("ADDR SYM+0xOFF
// (DSO)"), and an empty line. The -F variants drop fields of the header; what is absent is
// marked missing (docs/import.md).
#include "hprof/error.h"
#include "hprof/profile_builder.h"
#include "import_formats.h"

#include <charconv>
#include <map>
#include <optional>

namespace hprof {
namespace {

struct PerfFrame {
    uint64_t address = 0;
    std::string symbol; // without "+0xOFF"; empty when perf printed [unknown]
    std::string dso;    // empty when perf did not print one
    uint32_t line = 0;  // from a srcline line under the frame
};

struct PerfSample {
    std::string comm;
    std::optional<int32_t> pid;
    std::optional<int32_t> tid;
    std::optional<int64_t> time_ns; // perf's clock
    std::optional<uint64_t> period;
    std::string event;
    std::vector<PerfFrame> frames; // leaf first
};

std::vector<std::string_view> words(std::string_view line) {
    std::vector<std::string_view> result;
    size_t at = 0;
    while (true) {
        at = line.find_first_not_of(" \t", at);
        if (at == std::string_view::npos)
            return result;
        const size_t end = std::min(line.find_first_of(" \t", at), line.size());
        result.push_back(line.substr(at, end - at));
        at = end;
    }
}

bool allDigits(std::string_view text) {
    return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

template <class T> std::optional<T> number(std::string_view text, int base = 10) {
    T value{};
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    if (error != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

// "12345.678901:" as ns; perf prints microseconds by default and ns with --ns.
std::optional<int64_t> timeStamp(std::string_view word) {
    if (!word.ends_with(':'))
        return std::nullopt;
    word.remove_suffix(1);
    const size_t dot = word.find('.');
    if (dot == std::string_view::npos || !allDigits(word.substr(0, dot)) ||
        !allDigits(word.substr(dot + 1)) || word.size() - dot - 1 > 9)
        return std::nullopt;
    const auto seconds = number<int64_t>(word.substr(0, dot));
    std::string fraction(word.substr(dot + 1));
    fraction.resize(9, '0');
    const auto nanos = number<int64_t>(fraction);
    if (!seconds || !nanos || *seconds > INT64_MAX / 1000000000 - 1)
        return std::nullopt;
    return *seconds * 1000000000 + *nanos;
}

bool isHex(std::string_view word) {
    return !word.empty() && word.size() <= 16 &&
           word.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos;
}

// "ADDR SYM+0xOFF (DSO)", "ADDR SYM (DSO)", "ADDR [unknown] (DSO)", "ADDR SYM", "ADDR".
std::optional<PerfFrame> parseFrame(std::string_view text) {
    const size_t start = text.find_first_not_of(" \t");
    if (start == std::string_view::npos)
        return std::nullopt;
    text = text.substr(start);
    const size_t space = std::min(text.find(' '), text.size());
    if (!isHex(text.substr(0, space)))
        return std::nullopt;
    PerfFrame frame;
    frame.address = *number<uint64_t>(text.substr(0, space), 16);
    std::string_view rest = space < text.size() ? text.substr(space + 1) : std::string_view();
    while (!rest.empty() && rest.back() == ' ')
        rest.remove_suffix(1);
    if (rest.ends_with(')')) {
        const size_t open = rest.rfind(" (");
        const size_t at =
            open == std::string_view::npos ? (rest[0] == '(' ? 0 : rest.npos) : open + 1;
        if (at != rest.npos) {
            frame.dso = std::string(rest.substr(at + 1, rest.size() - at - 2));
            rest = rest.substr(0, at == 0 ? 0 : at - 1);
        }
    }
    if (const size_t plus = rest.rfind("+0x");
        plus != std::string_view::npos && isHex(rest.substr(plus + 3)))
        rest = rest.substr(0, plus);
    if (rest != "[unknown]")
        frame.symbol = std::string(rest);
    if (frame.dso == "unknown" || frame.dso == "[unknown]")
        frame.dso.clear();
    return frame;
}

// A srcline line under a frame: "  file.c:42".
std::optional<uint32_t> sourceLine(std::string_view text) {
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos)
        return std::nullopt;
    return number<uint32_t>(text.substr(colon + 1));
}

class PerfScriptParser {
  public:
    explicit PerfScriptParser(std::string_view text) : text_(text) {}

    // Calls `take` with each sample in file order.
    template <class Take> void parse(Take take) {
        std::optional<PerfSample> sample;
        while (nextLine()) {
            if (line_.empty() || line_[0] == '#') {
                if (sample && line_.empty()) { // the end of a sample's block
                    take(std::move(*sample));
                    sample.reset();
                }
                continue;
            }
            if (line_[0] == ' ' || line_[0] == '\t') {
                if (!sample)
                    fail("a frame line before any sample header");
                addFrameLine(*sample);
                continue;
            }
            if (sample)
                take(std::move(*sample));
            sample = header();
        }
        if (sample)
            take(std::move(*sample));
    }

  private:
    bool nextLine() {
        if (position_ >= text_.size())
            return false;
        const size_t end = std::min(text_.find('\n', position_), text_.size());
        line_ = text_.substr(position_, end - position_);
        if (line_.ends_with('\r'))
            line_.remove_suffix(1);
        position_ = end + 1;
        ++line_number_;
        return true;
    }

    std::string_view trimmedLine() const {
        const size_t start = line_.find_first_not_of(" \t");
        return start == std::string_view::npos ? std::string_view() : line_.substr(start);
    }

    [[noreturn]] void fail(const std::string& what) const {
        throw Error("line " + std::to_string(line_number_) + ": not perf script output (" + what +
                    ")");
    }

    void addFrameLine(PerfSample& sample) {
        if (std::optional<PerfFrame> frame = parseFrame(line_)) {
            sample.frames.push_back(std::move(*frame));
            return;
        }
        const std::optional<uint32_t> line = sourceLine(line_);
        if (!line || sample.frames.empty())
            fail("cannot read '" + std::string(trimmedLine().substr(0, 60)) + "'");
        sample.frames.back().line = *line;
    }

    // "PID/TID", "TID" (or "PID" when -F has pid without tid).
    static bool readIds(std::string_view word, PerfSample& sample) {
        const size_t slash = word.find('/');
        if (slash == std::string_view::npos) {
            sample.tid = number<int32_t>(word);
            return sample.tid.has_value();
        }
        sample.pid = number<int32_t>(word.substr(0, slash));
        sample.tid = number<int32_t>(word.substr(slash + 1));
        return sample.pid && sample.tid;
    }

    PerfSample header() {
        const std::vector<std::string_view> fields = words(line_);
        PerfSample sample;
        size_t time_at = 0;
        while (time_at < fields.size() && !(sample.time_ns = timeStamp(fields[time_at])))
            ++time_at;
        // Without a time stamp the identity ends at the event ("EVENT:") or the first address.
        size_t end = time_at;
        if (!sample.time_ns) {
            end = 0;
            while (end < fields.size() && !fields[end].ends_with(':'))
                ++end;
        }
        size_t identity = end;
        if (identity > 0 && fields[identity - 1].starts_with('[') &&
            fields[identity - 1].ends_with(']'))
            --identity; // [CPU]
        if (identity > 0 && readIds(fields[identity - 1], sample))
            --identity;
        for (size_t i = 0; i < identity; ++i)
            sample.comm += (i ? " " : "") + std::string(fields[i]);
        if (sample.comm.empty() && !sample.tid)
            fail("a sample header without command or thread id");
        size_t at = sample.time_ns ? end + 1 : end;
        if (at < fields.size() && allDigits(fields[at]) && at + 1 < fields.size() &&
            fields[at + 1].ends_with(':'))
            sample.period = number<uint64_t>(fields[at++]);
        if (at < fields.size() && fields[at].ends_with(':')) {
            sample.event = std::string(fields[at].substr(0, fields[at].size() - 1));
            ++at;
        }
        // Without call chains the sampled address follows on the same line.
        if (at < fields.size()) {
            const size_t offset = size_t(fields[at].data() - line_.data());
            if (std::optional<PerfFrame> frame = parseFrame(line_.substr(offset)))
                sample.frames.push_back(std::move(*frame));
        }
        return sample;
    }

    std::string_view text_;
    std::string_view line_;
    size_t position_ = 0;
    size_t line_number_ = 0;
};

// perf's clock events count nanoseconds; any other event's period counts events.
bool periodIsTime(const std::string& event) {
    const std::string name = event.substr(0, event.find(':'));
    return name == "cpu-clock" || name == "task-clock";
}

std::string basename(const std::string& path) {
    return path.substr(path.rfind('/') + 1);
}

class PerfProfileBuilder {
  public:
    PerfProfileBuilder() {
        builder_.profile() =
            importedProfile("perf script", SourceGaps{.call_counts = true, .run_times = true});
    }

    void add(PerfSample&& sample) {
        if (sample.frames.empty())
            return; // e.g. a tracepoint without a stack: no code to attribute it to
        all_have_times_ = all_have_times_ && sample.time_ns.has_value();
        all_have_pids_ = all_have_pids_ && sample.pid.has_value();
        if (sample.event != event_ && !event_.empty())
            several_events_ = true;
        event_ = sample.event;
        weighted_ = weighted_ && sample.period.has_value() && periodIsTime(sample.event);
        // The stack is interned now so that only one id per sample is kept until the end.
        stacks_.push_back(stackOf(sample));
        sample.frames = {};
        samples_.push_back(std::move(sample));
    }

    Profile finish() {
        if (samples_.empty())
            throw Error("no samples with a stack");
        Profile& profile = builder_.profile();
        noteGaps(profile.run);
        int64_t first = INT64_MAX;
        for (const PerfSample& sample : samples_)
            first = std::min(first, sample.time_ns.value_or(0));
        for (size_t i = 0; i < samples_.size(); ++i)
            addSample(samples_[i], stacks_[i], all_have_times_ ? *samples_[i].time_ns - first : 0);
        for (const Thread& thread : profile.threads) // the span of the samples
            profile.run.wall_ns = std::max(profile.run.wall_ns, thread.end_ns);
        return builder_.take();
    }

  private:
    void noteGaps(RunInfo& run) {
        run.missing.timestamps = !all_have_times_;
        run.missing.sample_weights = !weighted_;
        run.trigger = event_.empty() ? "perf" : "perf " + event_;
        if (!all_have_pids_)
            run.warnings.push_back("perf script output without pids: every thread is shown as a "
                                   "process of its own");
        if (several_events_)
            run.warnings.push_back("perf script output of several events: their samples are "
                                   "added together");
        if (!weighted_)
            run.warnings.push_back("perf script output without a time per sample (cpu-clock or "
                                   "task-clock period): each sample weighs 1 ns");
    }

    ProcessId process(const PerfSample& sample, int64_t time_ns) {
        const int32_t pid = all_have_pids_ ? *sample.pid : sample.tid.value_or(0);
        Profile& profile = builder_.profile();
        const auto [position, inserted] =
            processes_.try_emplace(pid, ProcessId(uint32_t(profile.processes.size())));
        if (inserted) {
            Process process;
            process.pid = pid;
            process.command = sample.comm;
            process.start_ns = process.end_ns = time_ns;
            profile.processes.push_back(process);
        }
        Process& process = profile.processes[position->second.value];
        if (sample.tid == pid) // the main thread's name is the program's
            process.command = sample.comm;
        process.start_ns = std::min(process.start_ns, time_ns);
        process.end_ns = std::max(process.end_ns, time_ns);
        return position->second;
    }

    ThreadId thread(const PerfSample& sample, int64_t time_ns) {
        const ProcessId owner = process(sample, time_ns);
        Profile& profile = builder_.profile();
        const int32_t tid = sample.tid.value_or(0);
        const auto [position, inserted] =
            threads_.try_emplace({owner.value, tid}, ThreadId(uint32_t(profile.threads.size())));
        if (inserted)
            profile.threads.push_back(Thread{owner, tid, {}, time_ns, time_ns, 0});
        Thread& thread = profile.threads[position->second.value];
        thread.name = sample.comm; // the latest: a thread renames itself, exec renames it
        thread.start_ns = std::min(thread.start_ns, time_ns);
        thread.end_ns = std::max(thread.end_ns, time_ns);
        return position->second;
    }

    FrameId frame(const PerfFrame& frame) {
        Function function;
        if (!frame.dso.empty())
            function.module = builder_.internModule(Module{frame.dso, {}});
        if (!frame.symbol.empty()) {
            function.name = frame.symbol;
        } else { // hprof's name for code without a symbol: module+0xADDRESS
            char address[24];
            std::snprintf(address, sizeof address, "+0x%llx",
                          static_cast<unsigned long long>(frame.address));
            function.name = (frame.dso.empty() ? "[unknown]" : basename(frame.dso)) + address;
        }
        return builder_.internFrame(Frame{builder_.internFunction(function), frame.line, false});
    }

    StackId stackOf(const PerfSample& sample) {
        StackId stack;
        for (auto at = sample.frames.rbegin(); at != sample.frames.rend(); ++at)
            stack = builder_.internStack(stack, frame(*at));
        return stack;
    }

    void addSample(const PerfSample& sample, StackId stack, int64_t time_ns) {
        const int64_t weight = weighted_ ? int64_t(*sample.period) : 1;
        builder_.profile().samples.push_back(
            Sample{time_ns, thread(sample, time_ns), stack, weight, false, false});
        builder_.profile().run.cpu_ns += weight;
    }

    ProfileBuilder builder_;
    std::vector<PerfSample> samples_; // without their frames
    std::vector<StackId> stacks_;     // of each sample
    std::map<int32_t, ProcessId> processes_;
    std::map<std::pair<uint32_t, int32_t>, ThreadId> threads_;
    std::string event_;
    bool all_have_times_ = true;
    bool all_have_pids_ = true;
    bool weighted_ = true;
    bool several_events_ = false;
};

} // namespace

Profile importPerfScript(std::string_view text) {
    PerfProfileBuilder builder;
    PerfScriptParser(text).parse([&](PerfSample&& sample) { builder.add(std::move(sample)); });
    return builder.finish();
}

} // namespace hprof
