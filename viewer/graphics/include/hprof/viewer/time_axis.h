// The time <-> pixel mapping of the timeline's visible window and its tick labels: plain code,
// no Qt, so the mapping and the labelling are unit-tested on their own.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace hprof::viewer {

// One labelled tick of the axis.
struct TimeTick {
    int64_t time_ns = 0;
    double x = 0;
    std::string label;
};

// The visible window [from, to) of the run [run_begin, run_end) mapped onto [0, width) pixels.
// The window never leaves the run and never gets narrower than kMinSpanNs.
class TimeAxis {
  public:
    static constexpr int64_t kMinSpanNs = 100;

    // The run the window is clamped to; shows all of it.
    void setRun(int64_t run_begin_ns, int64_t run_end_ns);
    void setWidth(double pixels);
    // Shows [from, to), cut to the run.
    void setView(int64_t from_ns, int64_t to_ns);
    void showAll() { setView(run_begin_, run_end_); }

    int64_t viewFrom() const { return from_; }
    int64_t viewTo() const { return to_; }
    double width() const { return width_; }
    double nsPerPixel() const { return double(to_ - from_) / width_; }

    double toPixel(int64_t time_ns) const;
    int64_t toTime(double x) const; // rounded to the nearest nanosecond

    // Zooms by `factor` (> 1: in) keeping the time under pixel `anchor_x` there, as far as the
    // run's bounds allow.
    void zoom(double factor, double anchor_x);
    // Moves the window by `dx` pixels (positive: content moves right, earlier times show).
    void pan(double dx);

    // Ticks at a nice step (1, 2 or 5 x 10^k ns), at least `min_gap_px` apart, whose labels,
    // centred on their ticks and measured by `text_width`, never overlap.
    std::vector<TimeTick> ticks(const std::function<double(const std::string&)>& text_width,
                                double min_gap_px = 60) const;

  private:
    void clampToRun();
    int64_t run_begin_ = 0;
    int64_t run_end_ = 1'000'000'000;
    int64_t from_ = 0;
    int64_t to_ = 1'000'000'000;
    double width_ = 1000;
};

// The smallest of 1, 2, 5 x 10^k that is at least `ns` (at least 1).
int64_t niceStepAtLeast(double ns);

// A tick label for `time_ns` on an axis whose step is `step_ns`: in the unit that keeps the
// label short (ns, µs, ms, s) with just the decimals the step needs ("1.25 s", "340 µs").
std::string tickLabel(int64_t time_ns, int64_t step_ns);

// A duration for tooltips and lane labels: "1.23 s", "45.6 ms", "789 µs", "12 ns".
std::string formatDuration(int64_t ns);

} // namespace hprof::viewer
