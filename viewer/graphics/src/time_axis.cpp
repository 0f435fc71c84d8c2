#include "hprof/viewer/time_axis.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace hprof::viewer {

namespace {

struct Unit {
    double ns;
    const char* name;
};
constexpr Unit kUnits[] = {{1e9, "s"}, {1e6, "ms"}, {1e3, "µs"}, {1, "ns"}};

std::string formatValue(double value, int decimals, const char* unit) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f %s", decimals, value, unit);
    return text;
}

// Label widths centred on their ticks, with a gap of at least a few pixels between them.
bool labelsFit(const std::vector<TimeTick>& ticks,
               const std::function<double(const std::string&)>& text_width) {
    constexpr double kPaddingPx = 8;
    for (size_t i = 1; i < ticks.size(); ++i) {
        double needed = (text_width(ticks[i - 1].label) + text_width(ticks[i].label)) / 2;
        if (ticks[i].x - ticks[i - 1].x < needed + kPaddingPx)
            return false;
    }
    return true;
}

} // namespace

void TimeAxis::setRun(int64_t run_begin_ns, int64_t run_end_ns) {
    run_begin_ = run_begin_ns;
    run_end_ = std::max(run_end_ns, run_begin_ns + 1);
    showAll();
}

void TimeAxis::setWidth(double pixels) {
    width_ = std::max(pixels, 1.0);
}

void TimeAxis::setView(int64_t from_ns, int64_t to_ns) {
    from_ = std::min(from_ns, to_ns);
    to_ = std::max(from_ns, to_ns);
    clampToRun();
}

void TimeAxis::clampToRun() {
    int64_t run_span = run_end_ - run_begin_;
    int64_t span = std::clamp(to_ - from_, std::min(kMinSpanNs, run_span), run_span);
    from_ = std::clamp(from_, run_begin_, run_end_ - span);
    to_ = from_ + span;
}

double TimeAxis::toPixel(int64_t time_ns) const {
    return double(time_ns - from_) / nsPerPixel();
}

int64_t TimeAxis::toTime(double x) const {
    return from_ + std::llround(x * nsPerPixel());
}

void TimeAxis::zoom(double factor, double anchor_x) {
    double anchor_time = double(from_) + anchor_x * nsPerPixel();
    double span = double(to_ - from_) / factor;
    span = std::clamp(span, double(std::min(kMinSpanNs, run_end_ - run_begin_)),
                      double(run_end_ - run_begin_));
    int64_t from = std::llround(anchor_time - anchor_x * span / width_);
    setView(from, from + std::llround(span));
}

void TimeAxis::pan(double dx) {
    int64_t shift = std::llround(dx * nsPerPixel());
    setView(from_ - shift, to_ - shift);
}

std::vector<TimeTick> TimeAxis::ticks(const std::function<double(const std::string&)>& text_width,
                                      double min_gap_px) const {
    int64_t step = niceStepAtLeast(min_gap_px * nsPerPixel());
    for (;;) {
        std::vector<TimeTick> ticks;
        int64_t first = (from_ + step - 1) / step * step;
        for (int64_t t = first; t <= to_; t += step)
            ticks.push_back({t, toPixel(t), tickLabel(t, step)});
        if (labelsFit(ticks, text_width) || ticks.size() <= 1)
            return ticks;
        step = niceStepAtLeast(double(step) + 1);
    }
}

int64_t niceStepAtLeast(double ns) {
    int64_t decade = 1;
    for (;;) {
        for (int64_t multiple : {1, 2, 5})
            if (double(multiple * decade) >= ns)
                return multiple * decade;
        decade *= 10;
    }
}

std::string tickLabel(int64_t time_ns, int64_t step_ns) {
    // The largest unit in which the step is at least 0.01: "1.25 s" rather than "1250 ms", and
    // labels stay short at every zoom.
    const Unit* unit = &kUnits[3];
    for (const Unit& candidate : kUnits)
        if (candidate.ns <= double(step_ns) * 100) {
            unit = &candidate;
            break;
        }
    double step = double(step_ns) / unit->ns;
    int decimals = std::max(0, int(std::ceil(-std::log10(step) - 1e-9)));
    return formatValue(double(time_ns) / unit->ns, decimals, unit->name);
}

std::string formatDuration(int64_t ns) {
    double magnitude = std::abs(double(ns));
    for (const Unit& unit : kUnits) {
        if (magnitude < unit.ns && unit.ns > 1)
            continue;
        double value = double(ns) / unit.ns;
        double abs_value = std::abs(value);
        int decimals = unit.ns == 1 || abs_value >= 100 ? 0 : abs_value >= 10 ? 1 : 2;
        return formatValue(value, decimals, unit.name);
    }
    return formatValue(0, 0, "ns");
}

} // namespace hprof::viewer
