#include "scaling_plot.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace hprof::viewer {
namespace {

constexpr int kCurvePoints = 64;

// Seconds below this are left off the plot (a function not sampled at a size).
constexpr double kSmallestSeconds = 1e-6;

double logOf(double value) {
    return std::log10(std::max(value, kSmallestSeconds));
}

QString sizeLabel(double size) {
    return QString::number(size, 'f', 0);
}

QString secondsLabel(double seconds) {
    if (seconds >= 1)
        return QString::number(seconds, 'g', 3) + QStringLiteral(" s");
    if (seconds >= 1e-3)
        return QString::number(seconds * 1e3, 'g', 3) + QStringLiteral(" ms");
    return QString::number(seconds * 1e6, 'g', 3) + QStringLiteral(" us");
}

// The prediction stops where it leaves any plot (2^n and n! at 10x the largest size).
constexpr double kLargestPlottedSeconds = 1e9;

} // namespace

LogLogAxes LogLogAxes::fitting(const ScalingReport& report, const std::vector<size_t>& functions,
                               const QRectF& area) {
    LogLogAxes axes;
    axes.area = area;
    if (report.sizes.empty())
        return axes;
    axes.min_size = report.sizes.front();
    axes.max_size = std::max(report.predict_size, report.sizes.back());
    double low = std::numeric_limits<double>::infinity(), high = 0;
    const auto include = [&](double seconds) {
        if (std::isfinite(seconds) && seconds >= kSmallestSeconds) {
            low = std::min(low, seconds);
            high = std::max(high, std::min(seconds, kLargestPlottedSeconds));
        }
    };
    for (size_t f : functions) {
        const FunctionScaling& function = report.functions[f];
        for (size_t i = 0; i < report.sizes.size(); ++i)
            include(fittedValue(function.inclusive, i));
        if (function.inclusive_fit)
            include(function.inclusive_fit->predict(axes.max_size));
    }
    if (!(high > 0)) {
        low = 1e-3;
        high = 1;
    }
    axes.min_seconds = std::pow(10.0, std::floor(std::log10(low)));
    axes.max_seconds = std::pow(10.0, std::ceil(std::log10(high)));
    if (axes.max_seconds <= axes.min_seconds)
        axes.max_seconds = axes.min_seconds * 10;
    return axes;
}

QPointF LogLogAxes::map(double size, double seconds) const {
    const double x = (std::log10(size) - std::log10(min_size)) /
                     std::max(1e-12, std::log10(max_size) - std::log10(min_size));
    const double y = (logOf(seconds) - std::log10(min_seconds)) /
                     (std::log10(max_seconds) - std::log10(min_seconds));
    return {area.left() + x * area.width(), area.bottom() - y * area.height()};
}

ScalingPlot::ScalingPlot(QWidget* parent) : QWidget(parent) {
    setMinimumSize(320, 240);
    setAutoFillBackground(true);
}

void ScalingPlot::setReport(const ScalingReport* report) {
    report_ = report;
    shown_.clear();
    update();
}

void ScalingPlot::setShown(std::vector<size_t> functions) {
    shown_ = std::move(functions);
    update();
}

QColor ScalingPlot::colourOf(size_t slot) {
    static const QColor kColours[] = {QColor(0xd6, 0x27, 0x28), QColor(0x1f, 0x77, 0xb4),
                                      QColor(0x2c, 0xa0, 0x2c), QColor(0xff, 0x7f, 0x0e),
                                      QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                                      QColor(0xe3, 0x77, 0xc2), QColor(0x17, 0xbe, 0xcf)};
    return kColours[slot % std::size(kColours)];
}

void ScalingPlot::paintAxes(QPainter& painter, const LogLogAxes& axes) const {
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawRect(axes.area);
    painter.setPen(palette().color(QPalette::WindowText));
    const QFontMetrics metrics = fontMetrics();
    for (double decade = axes.min_seconds; decade <= axes.max_seconds * 1.001; decade *= 10) {
        const QPointF at = axes.map(axes.min_size, decade);
        painter.drawLine(QPointF(axes.area.left() - 4, at.y()), QPointF(axes.area.left(), at.y()));
        const QString label = secondsLabel(decade);
        painter.drawText(QPointF(axes.area.left() - 8 - metrics.horizontalAdvance(label),
                                 at.y() + metrics.ascent() / 2.0),
                         label);
    }
    std::vector<double> ticks = report_->sizes;
    ticks.push_back(report_->predict_size);
    for (double size : ticks) {
        const QPointF at = axes.map(size, axes.min_seconds);
        painter.drawLine(at, at + QPointF(0, 4));
        const QString label = sizeLabel(size);
        painter.drawText(
            at + QPointF(-metrics.horizontalAdvance(label) / 2.0, 6 + metrics.ascent()), label);
    }
    painter.drawText(QRectF(axes.area.left(), axes.area.bottom() + 8 + metrics.height(),
                            axes.area.width(), metrics.height()),
                     Qt::AlignHCenter, tr("input size n (log)"));
    // The prediction line.
    QPen dashed(palette().color(QPalette::WindowText), 1, Qt::DashLine);
    painter.setPen(dashed);
    const QPointF top = axes.map(report_->predict_size, axes.max_seconds);
    const QPointF bottom = axes.map(report_->predict_size, axes.min_seconds);
    painter.drawLine(top, bottom);
    painter.drawText(
        top + QPointF(-metrics.horizontalAdvance(tr("prediction")) - 4, metrics.ascent() + 2),
        tr("prediction"));
}

void ScalingPlot::paintFunction(QPainter& painter, const LogLogAxes& axes, size_t f,
                                const QColor& colour) const {
    const FunctionScaling& function = report_->functions[f];
    painter.setBrush(colour);
    painter.setPen(Qt::NoPen);
    for (size_t i = 0; i < report_->sizes.size(); ++i)
        for (double seconds : function.inclusive.values[i])
            if (seconds >= kSmallestSeconds)
                painter.drawEllipse(axes.map(report_->sizes[i], seconds), 3.5, 3.5);
    if (!function.inclusive_fit)
        return;
    // The fit over the measured sizes (solid), then its prediction (dotted).
    const double first = std::log10(report_->sizes.front());
    const double last = std::log10(report_->sizes.back());
    const double end = std::log10(axes.max_size);
    for (const auto& [from, to, style] :
         {std::tuple{first, last, Qt::SolidLine}, std::tuple{last, end, Qt::DotLine}}) {
        QPainterPath path;
        for (int k = 0; k <= kCurvePoints; ++k) {
            const double size = std::pow(10.0, from + (to - from) * k / kCurvePoints);
            const double seconds = function.inclusive_fit->predict(size);
            if (!std::isfinite(seconds) || seconds > kLargestPlottedSeconds)
                break;
            const QPointF point = axes.map(size, seconds);
            k == 0 ? path.moveTo(point) : path.lineTo(point);
        }
        painter.setBrush(Qt::NoBrush);
        painter.setPen(QPen(colour, 2, style));
        painter.drawPath(path);
    }
}

void ScalingPlot::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    if (!report_ || report_->sizes.empty())
        return;
    const QFontMetrics metrics = fontMetrics();
    const double left = metrics.horizontalAdvance(QStringLiteral("100 ms ")) + 12;
    const double right = metrics.horizontalAdvance(QStringLiteral("0000000")) / 2.0 + 8;
    const QRectF area(left, 12, std::max(50.0, width() - left - right),
                      std::max(50.0, height() - 24.0 - 2 * metrics.height() - 16));
    const LogLogAxes axes = LogLogAxes::fitting(*report_, shown_, area);
    painter.save();
    painter.setClipRect(area.adjusted(-4, -4, 4, 4));
    for (size_t slot = 0; slot < shown_.size(); ++slot)
        paintFunction(painter, axes, shown_[slot], colourOf(slot));
    painter.restore();
    paintAxes(painter, axes);
}

} // namespace hprof::viewer
