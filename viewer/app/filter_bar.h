// The line above the views: the current filter in words (hprof::describeFilter) and the
// Back / Forward / Reset buttons of the document's filter history.
#pragma once

#include <QWidget>

class QAction;
class QLabel;

namespace hprof::viewer {

class ProfileDocument;

class FilterBar : public QWidget {
    Q_OBJECT
  public:
    FilterBar(ProfileDocument* document, QWidget* parent = nullptr);
    QAction* backAction() const { return back_; }
    QAction* forwardAction() const { return forward_; }
    QAction* resetAction() const { return reset_; }
    QLabel* description() const { return description_; }

  private:
    void refresh();

    ProfileDocument* document_;
    QLabel* description_;
    QAction* back_;
    QAction* forward_;
    QAction* reset_;
};

} // namespace hprof::viewer
