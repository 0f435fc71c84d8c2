#include "cost_bar_delegate.h"

#include "call_table_model.h"

#include <QPainter>

namespace hprof::viewer {

QColor costBarColor() {
    return QColor(240, 160, 60, 150);
}

void CostBarDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                            const QModelIndex& index) const {
    const QVariant share = index.data(ShareRole);
    if (share.isValid() && !(option.state & QStyle::State_Selected)) {
        QRect bar = option.rect.adjusted(1, 2, -1, -2);
        bar.setWidth(int(bar.width() * std::clamp(share.toDouble(), 0.0, 1.0)));
        painter->fillRect(bar, costBarColor());
    }
    QStyledItemDelegate::paint(painter, option, index);
}

} // namespace hprof::viewer
