// `hprof scaling` on a linear scan behind a fixed start-up (samples/startup_scan.cpp): the
// start-up flattens the whole program's exponent, and the scan must not be named as growing
// faster than the program, whose growing part is linear too.
#include "scaling_runs.h"

#include <gtest/gtest.h>

using namespace hprof::test;
using namespace hprof::scaling_runs;

TEST(ScalingStartUp, ALinearScanBehindAStartUpIsNotNamedAsGrowingFasterThanTheProgram) {
    const TempDir dir;
    const ScalingRun run =
        scaling(dir, {"-F", "10000", "--repeat", "2", "--sizes", "4000,8000,16000,32000"},
                "startup_scan", {"{}"});
    ASSERT_EQ(run.result.status, 0) << run.result.err;
    const hprof::ScalingReport& report = *run.report;
    const hprof::FunctionScaling* start_up = functionNamed(report, "start_up");
    ASSERT_TRUE(start_up && start_up->self_fit);
    EXPECT_EQ(start_up->self_fit->model, hprof::Complexity::Constant) << run.result.out;
    const hprof::FunctionScaling* scan = functionNamed(report, "scan_records");
    ASSERT_TRUE(scan && scan->inclusive_fit);
    // The flattening that named the scan before: the scan's exponent well above the program's.
    EXPECT_GT(scan->inclusive_fit->exponent, report.total_fit.exponent + 0.2) << run.result.out;
    // The program's growing part grows as the scan does.
    EXPECT_GT(report.fixed_seconds, 0) << run.result.out;
    EXPECT_NEAR(report.growth_exponent, scan->inclusive_fit->exponent, 0.2) << run.result.out;
    EXPECT_FALSE(report.bottleneck && report.bottleneck->faster_than_reference) << run.result.out;
    EXPECT_NE(run.result.out.find("No function grows clearly faster than the program as a whole"),
              std::string::npos)
        << run.result.out;
}
