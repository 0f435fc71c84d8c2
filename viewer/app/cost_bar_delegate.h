// Draws a cell's cost (the model's ShareRole, 0..1) as a bar behind its text: the heavy rows of
// a table stand out without reading the numbers.
#pragma once

#include <QStyledItemDelegate>

namespace hprof::viewer {

class CostBarDelegate : public QStyledItemDelegate {
    Q_OBJECT
  public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
};

// The colour of cost bars everywhere in the viewer.
QColor costBarColor();

} // namespace hprof::viewer
