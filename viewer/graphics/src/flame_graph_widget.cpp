#include "hprof/viewer/flame_graph_widget.h"

#include "hprof/error.h"
#include "hprof/queries.h"
#include "hprof/viewer/frame_colors.h"
#include "hprof/viewer/time_axis.h"

#include <QContextMenuEvent>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <climits>
#include <cmath>

namespace hprof::viewer {

namespace {

constexpr double kRowHeight = 18;
constexpr double kBreadcrumbHeight = 22;
constexpr double kMinLabelWidth = 28;
const QColor kMergedColor(190, 190, 190);
const QColor kMatchColor(225, 60, 225);

QString percent(double share) {
    return QString::number(share * 100, 'f', 1) + '%';
}

double share(int64_t part, int64_t whole) {
    return whole > 0 ? double(part) / double(whole) : 0;
}

} // namespace

FlameGraphWidget::FlameGraphWidget(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setMinimumSize(200, 100);
}

FlameGraphWidget::~FlameGraphWidget() = default;

void FlameGraphWidget::setData(const Profile& profile, CallTree tree, Mode mode) {
    // A new tree of the same profile (another filter) keeps the zoom, by its path of functions,
    // and the search; another profile starts afresh.
    bool same_profile = profile_ == &profile && !tree_.nodes.empty();
    std::vector<FunctionId> zoom_path =
        same_profile ? tree_.path(zoomedNode()) : std::vector<FunctionId>{};
    profile_ = &profile;
    labels_ = std::make_unique<FunctionLabels>(profile);
    tree_ = std::move(tree);
    mode_ = mode;
    computeModuleColors();
    max_self_ns_ = 0;
    for (const CallNode& node : tree_.nodes)
        if (node.function.valid())
            max_self_ns_ = std::max(max_self_ns_, node.self.weight_ns);
    history_.assign(1, CallTree::root());
    history_index_ = 0;
    showZoom(CallTree::root());
    if (CallNodeId zoom = nodeAtPath(zoom_path); zoom != CallTree::root())
        zoomTo(zoom);
    QString search = same_profile ? search_text_ : QString();
    setSearch(search, search_kind_);
}

CallNodeId FlameGraphWidget::nodeAtPath(const std::vector<FunctionId>& path) const {
    CallNodeId node = CallTree::root();
    if (tree_.nodes.empty())
        return node;
    for (FunctionId function : path) {
        const auto& children = tree_.node(node).children;
        auto child = std::find_if(children.begin(), children.end(), [&](CallNodeId id) {
            return tree_.node(id).function == function;
        });
        if (child == children.end())
            break;
        node = *child;
    }
    return node;
}

void FlameGraphWidget::setColorMode(ColorMode mode) {
    color_mode_ = mode;
    update();
}

bool FlameGraphWidget::setSearch(const QString& text, SearchKind kind) {
    matched_function_.clear();
    search_share_.reset();
    search_text_.clear();
    search_kind_ = kind;
    if (!text.isEmpty() && profile_ && !tree_.nodes.empty()) {
        try {
            NameMatcher matcher(text.toStdString(),
                                kind == SearchKind::Regex ? NameMatcher::Kind::Regex
                                                          : NameMatcher::Kind::Substring,
                                false);
            computeSearchMatches(matcher);
            search_text_ = text;
        } catch (const Error&) {
            update();
            return false;
        }
    }
    update();
    return true;
}

void FlameGraphWidget::computeSearchMatches(const NameMatcher& matcher) {
    matched_function_.assign(profile_->functions.size(), false);
    for (size_t i = 0; i < profile_->functions.size(); ++i)
        matched_function_[i] = matcher.matches((*labels_)[FunctionId(uint32_t(i))]);
    // A matching node's samples are counted once, with none of its descendants: every sample
    // belongs to one path of the tree, so the outermost matches hold disjoint samples.
    int64_t matched_ns = 0;
    std::vector<CallNodeId> pending{CallTree::root()};
    while (!pending.empty()) {
        const CallNode& node = tree_.node(pending.back());
        pending.pop_back();
        if (node.function.valid() && matched_function_[node.function.value]) {
            matched_ns += node.total.weight_ns;
            continue;
        }
        pending.insert(pending.end(), node.children.begin(), node.children.end());
    }
    search_share_ = share(matched_ns, tree_.node(CallTree::root()).total.weight_ns);
}

QString FlameGraphWidget::searchSummary() const {
    if (!search_share_)
        return {};
    return QStringLiteral("\"%1\": %2 of the total").arg(search_text_, percent(*search_share_));
}

void FlameGraphWidget::zoomTo(CallNodeId node) {
    if (tree_.nodes.empty() || node == zoomedNode())
        return;
    history_.resize(history_index_ + 1);
    history_.push_back(node);
    history_index_++;
    showZoom(node);
}

void FlameGraphWidget::goBack() {
    if (!canGoBack())
        return;
    history_index_--;
    showZoom(history_[history_index_]);
}

void FlameGraphWidget::goForward() {
    if (!canGoForward())
        return;
    history_index_++;
    showZoom(history_[history_index_]);
}

void FlameGraphWidget::showZoom(CallNodeId node) {
    layout_ = FlameLayout(tree_, node, width());
    scroll_ = 0;
    update();
}

void FlameGraphWidget::relayout() {
    if (!tree_.nodes.empty())
        layout_ = FlameLayout(tree_, layout_.zoom(), width());
}

std::vector<CallNodeId> FlameGraphWidget::zoomPath() const {
    std::vector<CallNodeId> path;
    if (tree_.nodes.empty())
        return path;
    for (CallNodeId node = zoomedNode(); node.valid(); node = tree_.node(node).parent)
        path.push_back(node);
    std::reverse(path.begin(), path.end());
    return path;
}

QStringList FlameGraphWidget::breadcrumb() const {
    QStringList names;
    if (tree_.nodes.empty())
        return names;
    for (CallNodeId node : zoomPath()) {
        FunctionId function = tree_.node(node).function;
        names << (function.valid() ? QString::fromStdString(profile_->function(function).name)
                                   : QStringLiteral("all"));
    }
    return names;
}

QRectF FlameGraphWidget::breadcrumbRect(int index) const {
    QStringList names = breadcrumb();
    if (index < 0 || index >= names.size())
        return {};
    const QFontMetricsF metrics(font());
    double x = 4;
    for (int i = 0;; ++i) {
        double item_width = std::min(metrics.horizontalAdvance(names[i]), 240.0) + 12;
        if (i == index)
            return QRectF(x, 2, item_width, kBreadcrumbHeight - 4);
        x += item_width + metrics.horizontalAdvance(QStringLiteral(" › "));
    }
}

double FlameGraphWidget::graphTop() const {
    return kBreadcrumbHeight;
}

double FlameGraphWidget::rowTop(uint32_t depth) const {
    if (mode_ == Mode::Inverted)
        return graphTop() + depth * kRowHeight - scroll_;
    return height() - (depth + 1) * kRowHeight + scroll_;
}

QRectF FlameGraphWidget::frameRect(const FlameRect& rect) const {
    return QRectF(rect.x, rowTop(rect.depth), std::max(rect.width, 1.0), kRowHeight);
}

const FlameRect* FlameGraphWidget::rectAt(QPointF position) const {
    if (position.y() < graphTop())
        return nullptr;
    double offset = mode_ == Mode::Inverted ? position.y() - graphTop() + scroll_
                                            : height() - position.y() + scroll_;
    if (offset < 0)
        return nullptr;
    return layout_.rectAt(position.x(), uint32_t(offset / kRowHeight));
}

QString FlameGraphWidget::frameLabel(const FlameRect& rect) const {
    if (rect.merged)
        return QStringLiteral("merged (%1 frames)").arg(rect.merged_count);
    FunctionId function = tree_.node(rect.node).function;
    return function.valid() ? QString::fromStdString(profile_->function(function).name)
                            : QStringLiteral("all");
}

QString FlameGraphWidget::tooltipText(const FlameRect& rect) const {
    int64_t whole = tree_.node(CallTree::root()).total.weight_ns;
    auto line = [whole](const char* what, int64_t ns) {
        return QStringLiteral("%1: %2 (%3)")
            .arg(what, QString::fromStdString(formatDuration(ns)), percent(share(ns, whole)));
    };
    if (rect.merged)
        return QStringLiteral("%1\n%2 narrower than a pixel\n%3")
            .arg(frameLabel(rect))
            .arg(rect.merged_count)
            .arg(line("total", rect.merged_weight_ns));
    const CallNode& node = tree_.node(rect.node);
    QString label = node.function.valid() ? QString::fromStdString((*labels_)[node.function])
                                          : QStringLiteral("all samples");
    return QStringLiteral("%1\n%2\n%3\n%4 samples")
        .arg(label, line("self", node.self.weight_ns), line("total", node.total.weight_ns))
        .arg(node.total.samples);
}

QColor FlameGraphWidget::frameColor(const FlameRect& rect) const {
    if (rect.merged)
        return kMergedColor;
    const CallNode& node = tree_.node(rect.node);
    if (!node.function.valid())
        return QColor(200, 200, 210);
    if (!matched_function_.empty() && matched_function_[node.function.value])
        return kMatchColor;
    if (color_mode_ == ColorMode::BySelfShare) {
        double hot = heat(node.self.weight_ns, max_self_ns_);
        return QColor::fromHsvF(0.14 * (1 - hot), 0.25 + 0.7 * hot, 1.0);
    }
    return module_colors_[node.function.value];
}

void FlameGraphWidget::computeModuleColors() {
    module_colors_.clear();
    for (size_t i = 0; i < profile_->functions.size(); ++i) {
        const Function& function = profile_->functions[i];
        std::string_view module =
            function.module.valid() ? std::string_view(profile_->module(function.module).path) : "";
        // Neighbouring functions of one module differ a little in lightness.
        int lightness = 165 + int(i * 37 % 40);
        module_colors_.push_back(QColor::fromHsl(moduleHue(module), 150, lightness));
    }
}

void FlameGraphWidget::paintEvent(QPaintEvent* event) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    if (!profile_ || tree_.nodes.empty())
        return;
    paintFrames(painter, event->rect());
    paintBreadcrumb(painter);
    paintSearchSummary(painter);
}

void FlameGraphWidget::paintFrames(QPainter& painter, const QRect& dirty) {
    painter.setClipRect(QRectF(0, graphTop(), width(), height() - graphTop()));
    for (uint32_t depth = 0; depth < layout_.rows(); ++depth) {
        double top = rowTop(depth);
        if (top + kRowHeight >= dirty.top() && top <= dirty.bottom())
            paintRow(painter, depth, dirty);
    }
    painter.setClipping(false);
}

// The rectangles of one row that meet the dirty area, snapped to whole pixels; a rectangle that
// would only repaint pixels its left neighbour already covered is skipped.
void FlameGraphWidget::paintRow(QPainter& painter, uint32_t depth, const QRect& dirty) {
    const QFontMetricsF metrics(font());
    const auto& rects = layout_.rects();
    auto begin = rects.begin() + ptrdiff_t(layout_.rowBegin(depth));
    auto end = rects.begin() + ptrdiff_t(layout_.rowBegin(depth + 1));
    // The first rectangle that may reach into the dirty area: the one starting before it.
    auto first = std::upper_bound(begin, end, double(dirty.left()),
                                  [](double x, const FlameRect& r) { return x < r.x; });
    if (first != begin)
        --first;
    int top = int(std::lround(rowTop(depth)));
    int painted_right = INT_MIN;
    for (auto it = first; it != end && it->x <= dirty.right(); ++it) {
        int left = int(std::floor(it->x));
        int right = std::max(int(std::lround(it->x + it->width)), left + 1);
        if (right <= painted_right)
            continue;
        left = std::max(left, painted_right);
        painted_right = right;
        int gap = right - left > 3 ? 1 : 0;
        QRect fill(left, top, right - left - gap, int(kRowHeight) - 1);
        painter.fillRect(fill, frameColor(*it));
        if (fill.width() < kMinLabelWidth)
            continue;
        painter.setPen(Qt::black);
        QRectF text_box = QRectF(fill).adjusted(3, 0, -2, 0);
        painter.drawText(text_box, Qt::AlignVCenter | Qt::AlignLeft,
                         metrics.elidedText(frameLabel(*it), Qt::ElideRight, text_box.width()));
    }
}

void FlameGraphWidget::paintBreadcrumb(QPainter& painter) {
    painter.fillRect(QRectF(0, 0, width(), kBreadcrumbHeight), palette().window());
    QStringList names = breadcrumb();
    const QFontMetricsF metrics(font());
    for (int i = 0; i < names.size(); ++i) {
        QRectF box = breadcrumbRect(i);
        bool current = i + 1 == names.size();
        painter.setPen(current ? palette().color(QPalette::WindowText)
                               : palette().color(QPalette::Link));
        painter.drawText(box.adjusted(6, 0, -6, 0), Qt::AlignVCenter | Qt::AlignLeft,
                         metrics.elidedText(names[i], Qt::ElideMiddle, box.width() - 12));
        if (!current)
            painter.drawText(QPointF(box.right(), box.center().y() + metrics.ascent() / 2 - 1),
                             QStringLiteral(" › "));
    }
}

void FlameGraphWidget::paintSearchSummary(QPainter& painter) {
    QString summary = searchSummary();
    if (summary.isEmpty())
        return;
    const QFontMetricsF metrics(font());
    QRectF box(width() - metrics.horizontalAdvance(summary) - 16, 2,
               metrics.horizontalAdvance(summary) + 12, kBreadcrumbHeight - 4);
    painter.fillRect(box, kMatchColor.lighter(160));
    painter.setPen(Qt::black);
    painter.drawText(box, Qt::AlignCenter, summary);
}

void FlameGraphWidget::resizeEvent(QResizeEvent*) {
    relayout();
}

void FlameGraphWidget::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::BackButton)
        return goBack();
    if (event->button() == Qt::ForwardButton)
        return goForward();
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    std::vector<CallNodeId> path = zoomPath();
    for (int i = 0; i + 1 < int(path.size()); ++i)
        if (breadcrumbRect(i).contains(event->position()))
            return zoomTo(path[size_t(i)]);
    const FlameRect* hit = rectAt(event->position());
    if (!hit)
        return;
    CallNodeId target = hit->merged ? hit->parent : hit->node;
    zoomTo(target);
    emit frameActivated(target);
}

void FlameGraphWidget::wheelEvent(QWheelEvent* event) {
    double content = layout_.rows() * kRowHeight;
    double visible = height() - graphTop();
    double limit = std::max(0.0, content - visible);
    double step = event->angleDelta().y() / 120.0 * kRowHeight * 3;
    scroll_ = std::clamp(scroll_ + (mode_ == Mode::Inverted ? -step : step), 0.0, limit);
    update();
}

void FlameGraphWidget::keyPressEvent(QKeyEvent* event) {
    if (event->modifiers() & Qt::AltModifier) {
        if (event->key() == Qt::Key_Left)
            return goBack();
        if (event->key() == Qt::Key_Right)
            return goForward();
    }
    QWidget::keyPressEvent(event);
}

std::unique_ptr<QMenu> FlameGraphWidget::contextMenuAt(QPointF position) {
    const FlameRect* hit = rectAt(position);
    if (!hit || hit->merged || !tree_.node(hit->node).function.valid())
        return nullptr;
    CallNodeId node = hit->node;
    FunctionId function = tree_.node(node).function;
    auto menu = std::make_unique<QMenu>(this);
    menu->addAction(tr("Zoom to frame"), this, [this, node] { zoomTo(node); });
    menu->addAction(tr("Focus on function"), this,
                    [this, function] { emit focusRequested(function); });
    menu->addAction(tr("Exclude function"), this,
                    [this, function] { emit excludeRequested(function); });
    return menu;
}

void FlameGraphWidget::contextMenuEvent(QContextMenuEvent* event) {
    if (auto menu = contextMenuAt(event->pos()))
        menu->exec(event->globalPos());
}

bool FlameGraphWidget::event(QEvent* event) {
    if (event->type() != QEvent::ToolTip)
        return QWidget::event(event);
    auto* help = static_cast<QHelpEvent*>(event);
    if (const FlameRect* hit = rectAt(help->pos()))
        QToolTip::showText(help->globalPos(), tooltipText(*hit), this);
    else
        QToolTip::hideText();
    return true;
}

} // namespace hprof::viewer
