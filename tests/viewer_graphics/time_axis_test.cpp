// TimeAxis: the time <-> pixel mapping, zoom and pan inside the run, and tick labels.
#include "hprof/viewer/time_axis.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

namespace hprof::viewer {
namespace {

constexpr int64_t kS = 1'000'000'000;

TimeAxis axisOf(int64_t run_end, double width, int64_t from, int64_t to) {
    TimeAxis axis;
    axis.setRun(0, run_end);
    axis.setWidth(width);
    axis.setView(from, to);
    return axis;
}

double charsWidth(const std::string& text) {
    return 7.0 * double(text.size());
}

TEST(TimeAxis, PixelsAndTimesRoundTrip) {
    TimeAxis axis = axisOf(10 * kS, 1000, 2 * kS, 3 * kS);
    EXPECT_DOUBLE_EQ(axis.toPixel(2 * kS), 0);
    EXPECT_DOUBLE_EQ(axis.toPixel(3 * kS), 1000);
    EXPECT_EQ(axis.toTime(500), 2 * kS + kS / 2);
    for (double x = 0; x <= 1000; x += 7.25)
        EXPECT_NEAR(axis.toPixel(axis.toTime(x)), x, 1e-6) << x;
    for (int64_t t = 2 * kS; t <= 3 * kS; t += 12'345'678)
        EXPECT_NEAR(double(axis.toTime(axis.toPixel(t))), double(t), 1) << t;
}

TEST(TimeAxis, ZoomKeepsTheTimeUnderTheCursor) {
    TimeAxis axis = axisOf(10 * kS, 800, 0, 10 * kS);
    for (double anchor : {0.0, 123.0, 400.0, 799.0}) {
        for (double factor : {1.25, 3.0, 0.8, 10.0}) {
            int64_t before = axis.toTime(anchor);
            axis.zoom(factor, anchor);
            EXPECT_NEAR(double(axis.toTime(anchor)), double(before), axis.nsPerPixel())
                << anchor << " " << factor;
        }
    }
    EXPECT_LT(axis.viewTo() - axis.viewFrom(), 10 * kS / 100);
}

TEST(TimeAxis, ZoomAndPanStayInsideTheRun) {
    TimeAxis axis = axisOf(5 * kS, 500, kS, 2 * kS);
    axis.zoom(0.001, 250);
    EXPECT_EQ(axis.viewFrom(), 0);
    EXPECT_EQ(axis.viewTo(), 5 * kS);
    axis.zoom(1e12, 100);
    EXPECT_EQ(axis.viewTo() - axis.viewFrom(), TimeAxis::kMinSpanNs);
    axis.setView(kS, 2 * kS);
    axis.pan(1e9); // far right: shows earlier times, stops at the run start
    EXPECT_EQ(axis.viewFrom(), 0);
    EXPECT_EQ(axis.viewTo(), kS);
    axis.pan(-1e9);
    EXPECT_EQ(axis.viewTo(), 5 * kS);
    EXPECT_EQ(axis.viewFrom(), 4 * kS);
    axis.pan(100); // 100 px of 2 ms back
    EXPECT_EQ(axis.viewFrom(), 4 * kS - 200'000'000);
}

TEST(TimeAxis, NiceSteps) {
    EXPECT_EQ(niceStepAtLeast(0.3), 1);
    EXPECT_EQ(niceStepAtLeast(3), 5);
    EXPECT_EQ(niceStepAtLeast(5), 5);
    EXPECT_EQ(niceStepAtLeast(6), 10);
    EXPECT_EQ(niceStepAtLeast(1500), 2000);
    EXPECT_EQ(niceStepAtLeast(2.1e9), 5'000'000'000);
}

TEST(TimeAxis, TicksAreNiceStepsWhoseLabelsNeverOverlap) {
    for (double width : {120.0, 333.0, 1000.0, 2560.0}) {
        for (int64_t span : {int64_t(150), int64_t(7'777), int64_t(3'300'000), 12 * kS}) {
            TimeAxis axis = axisOf(20 * kS, width, 1'234'567, 1'234'567 + span);
            auto ticks = axis.ticks(charsWidth);
            ASSERT_FALSE(ticks.empty()) << width << " " << span;
            std::set<std::string> labels;
            for (size_t i = 0; i < ticks.size(); ++i) {
                EXPECT_TRUE(labels.insert(ticks[i].label).second) << ticks[i].label;
                EXPECT_GE(ticks[i].time_ns, axis.viewFrom());
                EXPECT_LE(ticks[i].time_ns, axis.viewTo());
                EXPECT_NEAR(ticks[i].x, axis.toPixel(ticks[i].time_ns), 1e-9);
                if (i == 0)
                    continue;
                int64_t step = ticks[i].time_ns - ticks[i - 1].time_ns;
                EXPECT_EQ(niceStepAtLeast(double(step)), step);
                double gap = ticks[i].x - ticks[i - 1].x;
                EXPECT_GE(gap, (charsWidth(ticks[i].label) + charsWidth(ticks[i - 1].label)) / 2)
                    << ticks[i - 1].label << " / " << ticks[i].label << " at width " << width;
            }
        }
    }
}

TEST(TimeAxis, LabelsUseTheUnitAndDecimalsOfTheStep) {
    EXPECT_EQ(tickLabel(1'250'000'000, 50'000'000), "1.25 s");
    EXPECT_EQ(tickLabel(3 * kS, kS), "3 s");
    EXPECT_EQ(tickLabel(340'000, 20'000), "0.34 ms");
    EXPECT_EQ(tickLabel(1'500, 500), "1.5 µs");
    EXPECT_EQ(tickLabel(70, 5), "70 ns");
    EXPECT_EQ(tickLabel(1'234'570, 10), "1234.57 µs");
}

TEST(TimeAxis, DurationsHaveThreeSignificantDigits) {
    EXPECT_EQ(formatDuration(1'234'000'000), "1.23 s");
    EXPECT_EQ(formatDuration(45'600'000), "45.6 ms");
    EXPECT_EQ(formatDuration(789'000), "789 µs");
    EXPECT_EQ(formatDuration(12), "12 ns");
    EXPECT_EQ(formatDuration(0), "0 ns");
    EXPECT_EQ(formatDuration(3600 * kS), "3600 s");
}

} // namespace
} // namespace hprof::viewer
