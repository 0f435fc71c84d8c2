// The scaling view's plot (issue 13, `hprof-viewer --scaling DIR`): each function's inclusive
// time against the size on log-log axes, its measured points, its fitted curve, and the curve
// carried on to the predicted size, which a dashed vertical line marks.
#pragma once

#include "hprof/scaling.h"

#include <QColor>
#include <QRectF>
#include <QWidget>

#include <vector>

namespace hprof::viewer {

// Log-log mapping of (size, seconds) into a rectangle; plain data, so the tests can check it.
struct LogLogAxes {
    double min_size = 1, max_size = 10;
    double min_seconds = 1e-3, max_seconds = 1;
    QRectF area; // in widget pixels

    // Ranges holding every point and fitted value of `report`'s `functions` (indices) and the
    // prediction, widened to whole decades of seconds.
    static LogLogAxes fitting(const ScalingReport& report, const std::vector<size_t>& functions,
                              const QRectF& area);
    QPointF map(double size, double seconds) const;
};

class ScalingPlot : public QWidget {
    Q_OBJECT
  public:
    explicit ScalingPlot(QWidget* parent = nullptr);
    // `report` must outlive the plot's use of it (the view owns both).
    void setReport(const ScalingReport* report);
    void setShown(std::vector<size_t> functions); // indices into report->functions
    const std::vector<size_t>& shown() const { return shown_; }
    static QColor colourOf(size_t slot); // the colour of the n-th shown function
    QSize sizeHint() const override { return {640, 420}; }

  protected:
    void paintEvent(QPaintEvent* event) override;

  private:
    void paintAxes(QPainter& painter, const LogLogAxes& axes) const;
    void paintFunction(QPainter& painter, const LogLogAxes& axes, size_t function,
                       const QColor& colour) const;

    const ScalingReport* report_ = nullptr;
    std::vector<size_t> shown_;
};

} // namespace hprof::viewer
