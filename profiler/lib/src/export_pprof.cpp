// `hprof export --format pprof`: a gzipped profile.proto (Google's pprof format, read by `go tool
// pprof`, Perfetto and speedscope), built with the protobuf library from proto/profile.proto.
//
// Samples are summed per (thread, stack, state) first: pprof adds up samples with the same
// locations and labels anyway, and ten million samples shrink to a few thousand messages.
#include "export_formats.h"
#include "export_support.h"
#include "hprof/error.h"
#include "proto/profile.pb.h"
#include "saturating.h"

#include <google/protobuf/io/gzip_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <unordered_map>
#include <utility>

namespace hprof {
namespace {

namespace pb = perftools::profiles;

// What a pprof sample is summed by. `state` tells on-CPU, off-CPU and run-queue samples apart
// (wall-clock mode), so that the "state" label keeps them apart in pprof too.
struct SampleKey {
    uint32_t thread = 0;
    uint32_t stack = 0;
    uint8_t state = 0;
    bool operator==(const SampleKey&) const = default;
};

struct SampleKeyHash {
    size_t operator()(const SampleKey& key) const noexcept {
        uint64_t mixed = (uint64_t(key.thread) << 34) ^ (uint64_t(key.stack) << 2) ^ key.state;
        return std::hash<uint64_t>{}(mixed * 0x9E3779B97F4A7C15ull);
    }
};

struct SampleSums {
    int64_t count = 0;
    int64_t weight_ns = 0;
};

enum SampleState : uint8_t { kOnCpu, kOffCpu, kRunQueue };

uint8_t stateOf(const Sample& sample) {
    if (sample.off_cpu)
        return kOffCpu;
    return sample.run_queue ? kRunQueue : kOnCpu;
}

// The accepted samples summed per key, in key order (so that the file does not depend on hashing).
std::vector<std::pair<SampleKey, SampleSums>> sumSamples(const SampleSelector& selector) {
    std::unordered_map<SampleKey, SampleSums, SampleKeyHash> sums;
    selector.forEach([&](const Sample& sample) {
        SampleSums& sum = sums[{sample.thread.value, sample.stack.value, stateOf(sample)}];
        ++sum.count;
        addSaturating(sum.weight_ns, sample.weight_ns);
    });
    std::vector<std::pair<SampleKey, SampleSums>> sorted(sums.begin(), sums.end());
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
        const SampleKey& x = a.first;
        const SampleKey& y = b.first;
        return std::tie(x.thread, x.stack, x.state) < std::tie(y.thread, y.stack, y.state);
    });
    return sorted;
}

// proto3 strings must be UTF-8; names from binaries are bytes. Malformed bytes become U+FFFD, as
// in the JSON reports (nlohmann's replacing dump, read back).
std::string validUtf8(const std::string& text) {
    using Json = nlohmann::json;
    return Json::parse(Json(text).dump(-1, ' ', false, Json::error_handler_t::replace))
        .get<std::string>();
}

// Builds the pb::Profile: its string table and the ids of its mappings, functions and locations,
// each added the first time a sample needs it.
class PprofBuilder {
  public:
    explicit PprofBuilder(const Profile& profile)
        : profile_(profile), names_(exportedFunctionNames(profile)),
          mapping_ids_(profile.modules.size(), 0), function_ids_(profile.functions.size(), 0) {
        message_.add_string_table(""); // index 0 must be the empty string
        addMainMapping();
    }

    int64_t string(const std::string& text) {
        auto [it, added] = strings_.try_emplace(text, message_.string_table_size());
        if (added)
            message_.add_string_table(validUtf8(text));
        return it->second;
    }

    void addSampleType(const std::string& type, const std::string& unit) {
        pb::ValueType* value_type = message_.add_sample_type();
        value_type->set_type(string(type));
        value_type->set_unit(string(unit));
    }

    void addSample(const SampleKey& key, const SampleSums& sums) {
        pb::Sample* sample = message_.add_sample();
        for (StackId node(key.stack); node.valid(); node = profile_.stack(node).parent)
            sample->add_location_id(locationId(profile_.stack(node).frame));
        sample->add_value(sums.count);
        sample->add_value(sums.weight_ns);
        addLabels(*sample, key);
    }

    pb::Profile& message() { return message_; }

  private:
    // pprof names the profile after mapping[0], "the main binary": the first process's program.
    void addMainMapping() {
        if (profile_.processes.empty())
            return;
        const std::string& program = profile_.processes.front().executable;
        for (uint32_t i = 0; i < profile_.modules.size(); ++i) {
            if (!program.empty() && profile_.modules[i].path == program) {
                mappingId(ModuleId(i));
                return;
            }
        }
    }

    void addLabels(pb::Sample& sample, const SampleKey& key) {
        const Thread& thread = profile_.thread(ThreadId(key.thread));
        addNumber(sample, "pid", profile_.process(thread.process).pid);
        addNumber(sample, "tid", thread.tid);
        if (!thread.name.empty())
            addText(sample, "thread", thread.name);
        if (key.state == kOffCpu)
            addText(sample, "state", "off-cpu");
        else if (key.state == kRunQueue)
            addText(sample, "state", "run-queue");
    }

    void addNumber(pb::Sample& sample, const std::string& key, int64_t number) {
        pb::Label* label = sample.add_label();
        label->set_key(string(key));
        label->set_num(number);
    }

    void addText(pb::Sample& sample, const std::string& key, const std::string& text) {
        pb::Label* label = sample.add_label();
        label->set_key(string(key));
        label->set_str(string(text));
    }

    // One location per (function, line): an inlined frame and a physical frame of the same
    // function at the same line are the same place for pprof.
    uint64_t locationId(FrameId frame_id) {
        const Frame& frame = profile_.frame(frame_id);
        uint64_t key = (uint64_t(frame.function.value) << 32) | frame.line;
        auto [it, added] = location_ids_.try_emplace(key, message_.location_size() + 1);
        if (added) {
            pb::Location* location = message_.add_location();
            location->set_id(it->second);
            location->set_mapping_id(mappingId(profile_.function(frame.function).module));
            pb::Line* line = location->add_line();
            line->set_function_id(functionId(frame.function));
            line->set_line(frame.line);
        }
        return it->second;
    }

    uint64_t functionId(FunctionId id) {
        uint64_t& known = function_ids_[id.value];
        if (known == 0) {
            const Function& function = profile_.function(id);
            pb::Function* added = message_.add_function();
            known = message_.function_size();
            added->set_id(known);
            // No system_name: hprof keeps no mangled names, and pprof leaves a name alone (rather
            // than dropping its parameters and template arguments) when it has none.
            added->set_name(string(names_[id.value]));
            added->set_filename(string(function.file));
            added->set_start_line(function.line);
        }
        return known;
    }

    // Mappings carry no addresses (hprof symbolized the stacks already); has_functions and
    // friends tell pprof not to look for the binaries to symbolize them again.
    uint64_t mappingId(ModuleId id) {
        if (!id.valid())
            return 0;
        uint64_t& known = mapping_ids_[id.value];
        if (known == 0) {
            const Module& module = profile_.module(id);
            pb::Mapping* added = message_.add_mapping();
            known = message_.mapping_size();
            added->set_id(known);
            added->set_filename(string(module.path));
            added->set_build_id(string(module.build_id));
            added->set_has_functions(true);
            added->set_has_filenames(true);
            added->set_has_line_numbers(true);
            added->set_has_inline_frames(true);
        }
        return known;
    }

    const Profile& profile_;
    std::vector<std::string> names_; // by FunctionId
    pb::Profile message_;
    std::unordered_map<std::string, int64_t> strings_;
    std::vector<uint64_t> mapping_ids_;  // by ModuleId; 0 until added
    std::vector<uint64_t> function_ids_; // by FunctionId; 0 until added
    std::unordered_map<uint64_t, uint64_t> location_ids_;
};

// The time the selected samples cover: the run, cut to the filter's time range.
void setTimes(const SampleSelector& selector, PprofBuilder& builder) {
    const RunInfo& run = selector.profile().run;
    int64_t from = std::max<int64_t>(selector.filter().from_ns.value_or(0), 0);
    int64_t to = std::min(selector.filter().to_ns.value_or(run.wall_ns), run.wall_ns);
    int64_t start = run.start_time_unix_ns;
    addSaturating(start, from);
    builder.message().set_time_nanos(start);
    builder.message().set_duration_nanos(std::max<int64_t>(subtractSaturating(to, from), 0));
}

// "cpu", or "wall" when off-CPU samples count too (--clock=wall).
std::string timeType(const RunInfo& run) {
    return run.clock == "wall" ? "wall" : "cpu";
}

void setPeriod(const RunInfo& run, PprofBuilder& builder) {
    pb::ValueType* period_type = builder.message().mutable_period_type();
    period_type->set_type(builder.string(timeType(run)));
    period_type->set_unit(builder.string("nanoseconds"));
    if (run.frequency_hz > 0)
        builder.message().set_period(1'000'000'000 / run.frequency_hz);
}

void addComments(const RunInfo& run, PprofBuilder& builder) {
    builder.message().add_comment(
        builder.string("hprof " + run.hprof_version + ": " + commandLine(run)));
    builder.message().add_comment(builder.string("clock: " + run.clock));
}

void writeGzipped(const pb::Profile& message, std::ostream& out) {
    google::protobuf::io::OstreamOutputStream raw(&out);
    google::protobuf::io::GzipOutputStream::Options options;
    options.format = google::protobuf::io::GzipOutputStream::GZIP;
    google::protobuf::io::GzipOutputStream gzipped(&raw, options);
    if (!message.SerializeToZeroCopyStream(&gzipped) || !gzipped.Close())
        throw Error("cannot write the pprof export");
}

ExportNotes droppedByPprof(const Profile& profile) {
    return droppedCountsAndTrace(profile,
                                 "pprof's samples are stacks, and exact call counts have none",
                                 "pprof has no timeline (--format chrome keeps it)");
}

} // namespace

ExportNotes writePprof(const SampleSelector& selector, std::ostream& out) {
    const Profile& profile = selector.profile();
    PprofBuilder builder(profile);
    builder.addSampleType("samples", "count");
    builder.addSampleType(timeType(profile.run), "nanoseconds");
    builder.message().set_default_sample_type(builder.string(timeType(profile.run)));
    for (const auto& [key, sums] : sumSamples(selector))
        builder.addSample(key, sums);
    setTimes(selector, builder);
    setPeriod(profile.run, builder);
    addComments(profile.run, builder);
    writeGzipped(builder.message(), out);
    return droppedByPprof(profile);
}

} // namespace hprof
