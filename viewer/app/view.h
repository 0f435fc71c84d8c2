// What the main window asks of each tab: show a new aggregation, and name the field Ctrl+F
// focuses.
#pragma once

// moc (Qt 6.4) preprocesses as C++17 and cannot parse <compare>, which typed_id.h includes;
// it needs only the names of the types, the compiler sees everything.
#ifndef Q_MOC_RUN
#include "aggregation.h"
#endif

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
