// `hprof export --format speedscope`: speedscope's file format
// (https://www.speedscope.app/file-format-schema.json), one "sampled" profile per thread with
// the samples' weights in nanoseconds, and one shared frame per function (speedscope sums a
// frame's time in its sandwich view, as hprof report sums a function's).
//
// Written as it goes: the frames, then per thread its samples and weights, one at a time. Besides
// the profile it keeps one sample index per accepted sample and the JSON of each reached stack.
#include "export_formats.h"
#include "export_support.h"
#include "saturating.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <span>
#include <string>

namespace hprof {
namespace {

using Json = nlohmann::json;

constexpr int32_t kNoFrame = -1;

class SpeedscopeWriter {
  public:
    SpeedscopeWriter(const SampleSelector& selector, std::ostream& out)
        : selector_(selector), profile_(selector.profile()), out_(out),
          names_(exportedFunctionNames(profile_)), reached_(reachedStackNodes(selector)),
          frame_of_function_(profile_.functions.size(), kNoFrame),
          stack_json_(profile_.stacks.size()) {}

    void write() {
        out_ << "{\"$schema\":\"https://www.speedscope.app/file-format-schema.json\"";
        out_ << ",\"exporter\":" << dumpJson(Json("hprof " + profile_.run.hprof_version));
        out_ << ",\"name\":" << dumpJson(Json(commandLine(profile_.run)));
        out_ << ",\"activeProfileIndex\":0";
        writeFrames();
        writeProfiles();
        out_ << "}\n";
    }

  private:
    // One frame per function on a reached stack, numbered in order of the functions' ids.
    void writeFrames() {
        for (uint32_t node = 0; node < reached_.size(); ++node) {
            if (reached_[node])
                frame_of_function_[functionAt(StackId(node)).value] = 0;
        }
        out_ << ",\"shared\":{\"frames\":[";
        int32_t next = 0;
        for (uint32_t id = 0; id < frame_of_function_.size(); ++id) {
            if (frame_of_function_[id] == kNoFrame)
                continue;
            if (next > 0)
                out_ << ',';
            frame_of_function_[id] = next++;
            out_ << dumpJson(frameJson(profile_.functions[id], names_[id]));
        }
        out_ << "]}";
    }

    static Json frameJson(const Function& function, const std::string& name) {
        Json frame = {{"name", name}};
        if (!function.file.empty())
            frame["file"] = function.file;
        if (function.line > 0)
            frame["line"] = function.line;
        return frame;
    }

    void writeProfiles() {
        SamplesByThread groups = groupSamplesByThread(selector_);
        out_ << ",\"profiles\":[";
        writeSeparated(out_, groups.threads.size(), [&](size_t i) {
            std::span<const uint32_t> samples(groups.indices);
            writeProfile(
                groups.threads[i],
                samples.subspan(groups.offsets[i], groups.offsets[i + 1] - groups.offsets[i]));
        });
        out_ << "]";
    }

    void writeProfile(ThreadId thread, std::span<const uint32_t> samples) {
        out_ << "{\"type\":\"sampled\",\"name\":" << dumpJson(Json(threadName(thread)))
             << ",\"unit\":\"nanoseconds\",\"samples\":[";
        writeSeparated(out_, samples.size(),
                       [&](size_t i) { out_ << stackJson(profile_.samples[samples[i]].stack); });
        out_ << "],\"weights\":[";
        int64_t total_ns = 0;
        writeSeparated(out_, samples.size(), [&](size_t i) {
            int64_t weight = profile_.samples[samples[i]].weight_ns;
            addSaturating(total_ns, weight);
            out_ << weight;
        });
        // Sampled profiles run from 0 to the sum of their weights (keys may come in any order).
        out_ << "],\"startValue\":0,\"endValue\":" << total_ns << "}";
    }

    std::string threadName(ThreadId id) const {
        const Thread& thread = profile_.thread(id);
        std::string name = "pid " + std::to_string(profile_.process(thread.process).pid) + " tid " +
                           std::to_string(thread.tid);
        return thread.name.empty() ? name : name + " " + thread.name;
    }

    // The frame indices of a stack, root first, as JSON; made once per stack.
    const std::string& stackJson(StackId leaf) {
        std::string& known = stack_json_[leaf.value];
        if (known.empty()) {
            Json frames = Json::array();
            for (StackId node = leaf; node.valid(); node = profile_.stack(node).parent)
                frames.push_back(frame_of_function_[functionAt(node).value]);
            std::reverse(frames.begin(), frames.end());
            known = frames.dump();
        }
        return known;
    }

    FunctionId functionAt(StackId node) const {
        return profile_.frame(profile_.stack(node).frame).function;
    }

    const SampleSelector& selector_;
    const Profile& profile_;
    std::ostream& out_;
    std::vector<std::string> names_; // by FunctionId
    std::vector<bool> reached_;
    std::vector<int32_t> frame_of_function_; // speedscope frame index by FunctionId
    std::vector<std::string> stack_json_;    // by StackId; empty until first written
};

ExportNotes droppedBySpeedscope(const Profile& profile) {
    return droppedCountsAndTrace(profile, "speedscope's sampled profiles hold samples only",
                                 "not in the sampled profiles (--format chrome keeps it)");
}

} // namespace

ExportNotes writeSpeedscope(const SampleSelector& selector, std::ostream& out) {
    SpeedscopeWriter(selector, out).write();
    return droppedBySpeedscope(selector.profile());
}

} // namespace hprof
