// A short ranked list drawn as horizontal bars: a label, a bar as long as the entry's share and
// the share in words. The summary's top functions and hottest lines.
#pragma once

#include <QWidget>

#include <vector>

namespace hprof::viewer {

class BarListWidget : public QWidget {
    Q_OBJECT
  public:
    struct Entry {
        QString label;
        double share = 0; // 0..1 of the whole
        QString value;    // e.g. "1.234 s"
        QString tooltip;
    };
    explicit BarListWidget(QWidget* parent = nullptr);
    void setEntries(std::vector<Entry> entries);
    const std::vector<Entry>& entries() const { return entries_; }
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

  protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override; // tooltips

  private:
    int rowHeight() const;
    std::vector<Entry> entries_;
};

} // namespace hprof::viewer
