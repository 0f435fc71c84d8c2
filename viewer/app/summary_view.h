// The tab the viewer opens on: the bottleneck in one sentence, the top functions by self time
// and the hottest source lines as bars, the run's facts, CPU per process and per thread, and the
// parallelism figures.
#pragma once

#include "cpu_usage_model.h"
#include "view.h"

class QLabel;
class QTableView;

namespace hprof::viewer {

class BarListWidget;
class ProfileDocument;

// "62.0% of the CPU time is in `hot_a()` at ground.cpp:7, called from `main`." (rich text).
QString bottleneckSentence(const Aggregation& aggregation);

class SummaryView : public View {
    Q_OBJECT
  public:
    explicit SummaryView(ProfileDocument* document, QWidget* parent = nullptr);
    void showAggregation(const std::shared_ptr<const Aggregation>& aggregation) override;

    QLabel* headline() const { return headline_; }
    BarListWidget* topFunctions() const { return top_functions_; }
    BarListWidget* hotLines() const { return hot_lines_; }
    CpuUsageModel* processesModel() const { return processes_; }
    CpuUsageModel* threadsModel() const { return threads_; }

  private:
    QTableView* makeCpuTable(CpuUsageModel* model);
    void showCpuMenu(QTableView* table, const QPoint& position);

    ProfileDocument* document_;
    QLabel* headline_;
    BarListWidget* top_functions_;
    BarListWidget* hot_lines_;
    QLabel* facts_;
    QLabel* parallelism_;
    CpuUsageModel* processes_;
    CpuUsageModel* threads_;
};

} // namespace hprof::viewer
