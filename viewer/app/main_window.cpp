#include "main_window.h"

#include "call_table_view.h"
#include "call_tree_view.h"
#include "filter_bar.h"
#ifdef HPROF_VIEWER_GRAPHICS
#include "graphics_views.h"
#endif
#include "profile_document.h"
#include "summary_view.h"

#include <QAction>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

namespace hprof::viewer {

namespace {

constexpr int kRecentFiles = 8;
const char* const kRecentKey = "recentFiles";

#ifndef HPROF_VIEWER_GRAPHICS
// Without viewer/graphics (HPROF_VIEWER_GRAPHICS undefined): the tabs say so.
QWidget* placeholder(const QString& what) {
    auto* label = new QLabel(QObject::tr("The %1 is not part of this build.").arg(what));
    label->setAlignment(Qt::AlignCenter);
    return label;
}
#endif

} // namespace

MainWindow::MainWindow(ProfileDocument* document, QWidget* parent)
    : QMainWindow(parent), document_(document), tabs_(new QTabWidget),
      filter_bar_(new FilterBar(document)), summary_(new SummaryView(document)),
      table_(new CallTableView(document)),
      top_down_(new CallTreeView(document, CallTreeView::Direction::TopDown)),
      bottom_up_(new CallTreeView(document, CallTreeView::Direction::BottomUp)) {
    setWindowTitle(tr("hprof-viewer"));
    setAcceptDrops(true);
    addTab(summary_, tr("Summary"), 1);
    addTab(table_, tr("Call table"), 2);
    addTab(top_down_, tr("Top-down"), 3);
    addTab(bottom_up_, tr("Bottom-up"), 4);
    views_ = {summary_, table_, top_down_, bottom_up_};
#ifdef HPROF_VIEWER_GRAPHICS
    auto* flame = new FlameGraphView(document);
    auto* timeline = new TimelineView(document);
    addTab(flame, tr("Flame graph"), 5);
    addTab(timeline, tr("Timeline"), 6);
    views_.push_back(flame);
    views_.push_back(timeline);
#else
    addTab(placeholder(tr("flame graph")), tr("Flame graph"), 5);
    addTab(placeholder(tr("timeline")), tr("Timeline"), 6);
#endif

    auto* central = new QWidget;
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(filter_bar_);
    layout->addWidget(tabs_, 1);
    setCentralWidget(central);
    buildMenus();
    buildStatusBar();

    connect(document_, &ProfileDocument::ready, this, &MainWindow::showAggregation);
    connect(document_, &ProfileDocument::loadFailed, this, &MainWindow::showLoadError);
    connect(document_, &ProfileDocument::progressChanged, this, &MainWindow::showProgress);
    connect(document_, &ProfileDocument::busyChanged, this, [this](bool busy) {
        progress_->setVisible(busy);
        cancel_->setVisible(busy);
    });
}

void MainWindow::addTab(QWidget* view, const QString& title, int number) {
    tabs_->addTab(view, title);
    auto* action = new QAction(title, this);
    action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_0 + number)));
    connect(action, &QAction::triggered, this, [this, view] { tabs_->setCurrentWidget(view); });
    addAction(action);
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open..."), QKeySequence::Open, this, &MainWindow::openWithDialog);
    recent_menu_ = file->addMenu(tr("Open &recent"));
    connect(recent_menu_, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (QAction* action : actions())
        view->addAction(action); // the tab actions
    view->addSeparator();
    view->addAction(tr("&Search"), QKeySequence::Find, this, &MainWindow::focusSearch);

    QMenu* filter = menuBar()->addMenu(tr("F&ilter"));
    filter->addAction(filter_bar_->backAction());
    filter->addAction(filter_bar_->forwardAction());
    filter->addAction(filter_bar_->resetAction());
    filter->addAction(tr("Whole time range"), document_, &ProfileDocument::clearTimeRange);
}

void MainWindow::buildStatusBar() {
    status_ = new QLabel(tr("Open a profile (Ctrl+O) or drop one here."));
    progress_ = new QProgressBar;
    progress_->setMaximumWidth(200);
    progress_->setRange(0, 1000);
    cancel_ = new QPushButton(tr("Cancel"));
    connect(cancel_, &QPushButton::clicked, document_, &ProfileDocument::cancel);
    statusBar()->addWidget(status_, 1);
    statusBar()->addPermanentWidget(progress_);
    statusBar()->addPermanentWidget(cancel_);
    progress_->hide();
    cancel_->hide();
}

void MainWindow::showView(ViewKind kind) {
    tabs_->setCurrentIndex(int(kind));
}

void MainWindow::openWithDialog() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open a profile"), {}, tr("hprof profiles (*.hprof);;All files (*)"));
    if (!path.isEmpty())
        open(path);
}

void MainWindow::open(const QString& path) {
    status_->setText(tr("Reading %1...").arg(path));
    document_->open(path);
}

void MainWindow::showAggregation() {
    const std::shared_ptr<const Aggregation> aggregation = document_->shared();
    for (View* view : views_)
        view->showAggregation(aggregation);
    setWindowTitle(tr("%1 - hprof-viewer").arg(QFileInfo(document_->path()).fileName()));
    status_->setText(tr("%1: %2 samples selected of %3")
                         .arg(document_->path())
                         .arg(aggregation->totals.samples)
                         .arg(aggregation->profile->samples.size()));
    rememberRecent(document_->path());
}

// The CLI's one-line message; the profile shown before stays.
void MainWindow::showLoadError(const QString& message) {
    last_error_ = message;
    status_->setText(message);
    auto* box =
        new QMessageBox(QMessageBox::Critical, tr("hprof-viewer"), message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open(); // not exec(): the window keeps running
}

void MainWindow::showProgress(double share) {
    if (share < 0) {
        progress_->setRange(0, 0); // busy, share unknown
        return;
    }
    progress_->setRange(0, 1000);
    progress_->setValue(int(share * 1000));
}

void MainWindow::focusSearch() {
    auto* view = qobject_cast<View*>(tabs_->currentWidget());
    if (QWidget* field = view ? view->searchField() : nullptr) {
        field->setFocus(Qt::ShortcutFocusReason);
        if (auto* edit = qobject_cast<QLineEdit*>(field))
            edit->selectAll();
    }
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls() && event->mimeData()->urls().first().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.first().isLocalFile()) {
        open(urls.first().toLocalFile());
        event->acceptProposedAction();
    }
}

void MainWindow::rememberRecent(const QString& path) {
    QSettings settings;
    QStringList recent = settings.value(kRecentKey).toStringList();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    recent.removeAll(absolute);
    recent.prepend(absolute);
    while (recent.size() > kRecentFiles)
        recent.removeLast();
    settings.setValue(kRecentKey, recent);
}

void MainWindow::fillRecentMenu() {
    recent_menu_->clear();
    const QStringList recent = QSettings().value(kRecentKey).toStringList();
    for (const QString& path : recent)
        recent_menu_->addAction(path, this, [this, path] { open(path); });
    if (recent.isEmpty())
        recent_menu_->addAction(tr("(none)"))->setEnabled(false);
}

} // namespace hprof::viewer
