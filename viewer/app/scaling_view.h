// The scaling window (issue 13, `hprof-viewer --scaling DIR`): the sentence naming the scaling
// bottleneck, the functions with their fits (check one to plot it), and the log-log plot.
#pragma once

#include "scaling_plot.h"

#include "hprof/scaling.h"

#include <QWidget>

#include <optional>

class QLabel;
class QTreeWidget;

namespace hprof::viewer {

class ScalingView : public QWidget {
    Q_OBJECT
  public:
    explicit ScalingView(QWidget* parent = nullptr);
    // Reads and fits DIR (hprof scaling -o DIR); on failure returns the one-line message (the
    // same as `hprof scaling DIR`) and shows nothing new.
    QString load(const QString& dir);
    void setReport(ScalingReport report);
    const ScalingReport* report() const { return report_ ? &*report_ : nullptr; }
    ScalingPlot* plot() const { return plot_; }
    QTreeWidget* functionList() const { return list_; }
    QString summary() const;

    // The functions plotted first: the bottleneck, then those with the most self time at the
    // largest size (at least 1%), at most `count`.
    static std::vector<size_t> firstShown(const ScalingReport& report, size_t count);

  private:
    void fillList();
    void showChecked();

    std::optional<ScalingReport> report_;
    QLabel* summary_ = nullptr;
    QTreeWidget* list_ = nullptr;
    ScalingPlot* plot_ = nullptr;
};

} // namespace hprof::viewer
