// The collector tests of instrumented runs (call tables, trace chunks): synthetic streams over
// the real function entry addresses of the fixture program.
#pragma once

#include "fixture_report.h"
#include "hprof/collector.h"
#include "raw_stream_writer.h"
#include "temp_dir.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace hprof::testing {

inline constexpr int32_t kTid = 1000;
inline constexpr int32_t kOtherTid = 1001;
inline constexpr const char* kLibrary = "libcollector_fixture_lib.so";
inline constexpr const char* kDlLibrary = "libcollector_fixture_dl.so";
inline constexpr const char* kUninstrumented = "(uninstrumented)";

inline raw::CallCountEntry total(uint64_t function, uint64_t calls, uint64_t primitive_calls,
                                 uint64_t tottime_ticks = 0, uint64_t cumtime_ticks = 0) {
    return {function, raw::kFunctionTotal, calls,        primitive_calls, 0,
            1,        tottime_ticks,       cumtime_ticks};
}

inline raw::CallCountEntry edge(uint64_t caller, uint64_t callee, uint64_t calls,
                                uint64_t primitive_calls, uint64_t tottime_ticks = 0,
                                uint64_t cumtime_ticks = 0) {
    return {callee, caller, calls, primitive_calls, 0, 1, tottime_ticks, cumtime_ticks};
}

inline std::string nameOf(const Profile& profile, FunctionId function) {
    return function.valid() ? profile.function(function).name : kUninstrumented;
}

class InstrumentedStreamTest : public ::testing::Test {
  protected:
    uint64_t entryOf(const std::string& function) const { return report.functions.at(function); }

    void load(RawStreamWriter& writer, const FixtureModule& module) {
        writer.moduleLoad(++time, module.load_bias, module.start, module.end, module.build_id,
                          module.path);
    }

    // A stream with its process record and the fixture's program and library loaded.
    RawStreamWriter& startStream() {
        writer.emplace(dir.file("1000.raw"), RawStreamWriter::Header{});
        writer->process(++time, {"collector_fixture"}, fixturePath("collector_fixture"));
        load(*writer, report.mainProgram());
        load(*writer, report.module(kLibrary));
        return *writer;
    }

    Profile collectStream() {
        writer.reset();
        return collect({dir.path(), {}, {}});
    }

    const FixtureReport& report = fixtureReport();
    test::TempDir dir;
    std::optional<RawStreamWriter> writer;
    uint64_t time = 1'000'000'000;
};

} // namespace hprof::testing
