#include "bar_list_widget.h"

#include "cost_bar_delegate.h"
#include "format.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

namespace hprof::viewer {

BarListWidget::BarListWidget(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void BarListWidget::setEntries(std::vector<Entry> entries) {
    entries_ = std::move(entries);
    updateGeometry();
    update();
}

int BarListWidget::rowHeight() const {
    return fontMetrics().height() + 6;
}

QSize BarListWidget::sizeHint() const {
    return {480, rowHeight() * int(std::max<size_t>(entries_.size(), 1))};
}

QSize BarListWidget::minimumSizeHint() const {
    return {240, sizeHint().height()};
}

// Each row: the share ("62.0%") and value at the left, then the bar with the label over it.
void BarListWidget::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    const int height = rowHeight();
    const int numbers = fontMetrics().horizontalAdvance(QStringLiteral("100.0%  00000.000 s  "));
    const int barWidth = std::max(width() - numbers, 10);
    for (size_t i = 0; i < entries_.size(); ++i) {
        const Entry& entry = entries_[i];
        const int top = int(i) * height;
        const QRect numbersRect(0, top, numbers - 6, height);
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(numbersRect, Qt::AlignRight | Qt::AlignVCenter,
                         percentText(entry.share) + QStringLiteral("  ") + entry.value);
        const QRect barRect(numbers, top + 2, int(barWidth * std::clamp(entry.share, 0.0, 1.0)),
                            height - 4);
        painter.fillRect(barRect, costBarColor());
        const QRect labelRect(numbers + 4, top, barWidth - 8, height);
        painter.drawText(labelRect, Qt::AlignLeft | Qt::AlignVCenter,
                         fontMetrics().elidedText(entry.label, Qt::ElideMiddle, labelRect.width()));
    }
}

bool BarListWidget::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const size_t row = size_t(help->pos().y() / rowHeight());
        if (row < entries_.size())
            QToolTip::showText(help->globalPos(), entries_[row].tooltip, this);
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

} // namespace hprof::viewer
