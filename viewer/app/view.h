// What the main window asks of each tab: show a new aggregation, and name the field Ctrl+F
// focuses.
#pragma once

#include "aggregation.h"

#include <QWidget>

namespace hprof::viewer {

class View : public QWidget {
    Q_OBJECT
  public:
    using QWidget::QWidget;
    virtual void showAggregation(const std::shared_ptr<const Aggregation>& aggregation) = 0;
    virtual QWidget* searchField() { return nullptr; }
};

} // namespace hprof::viewer
