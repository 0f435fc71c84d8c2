// The viewer's window: the tabs (Summary, Call table, Top-down, Bottom-up, Flame graph,
// Timeline; Ctrl+1..Ctrl+6), the filter bar, File > Open / recent files / drag and drop, and the
// status bar with the progress of the document's job and its Cancel button.
#pragma once

#include <QMainWindow>

#include <vector>

class QLabel;
class QMenu;
class QProgressBar;
class QPushButton;
class QTabWidget;

namespace hprof::viewer {

class CallTableView;
class CallTreeView;
class FilterBar;
class ProfileDocument;
class SummaryView;
class View;

enum class ViewKind { Summary, Table, TopDown, BottomUp, FlameGraph, Timeline };

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit MainWindow(ProfileDocument* document, QWidget* parent = nullptr);

    void showView(ViewKind kind);
    ProfileDocument* document() const { return document_; }
    SummaryView* summaryView() const { return summary_; }
    CallTableView* callTableView() const { return table_; }
    CallTreeView* topDownView() const { return top_down_; }
    CallTreeView* bottomUpView() const { return bottom_up_; }
    FilterBar* filterBar() const { return filter_bar_; }
    QTabWidget* tabs() const { return tabs_; }
    // The message of the last failed load, empty when none failed.
    QString lastError() const { return last_error_; }

  protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

  private:
    void buildMenus();
    void buildStatusBar();
    void addTab(QWidget* view, const QString& title, int number);
    void openWithDialog();
    void open(const QString& path);
    void showAggregation();
    void showLoadError(const QString& message);
    void showProgress(double share);
    void focusSearch();
    void rememberRecent(const QString& path);
    void fillRecentMenu();

    ProfileDocument* document_;
    QTabWidget* tabs_;
    FilterBar* filter_bar_;
    SummaryView* summary_;
    CallTableView* table_;
    CallTreeView* top_down_;
    CallTreeView* bottom_up_;
    std::vector<View*> views_; // every tab that shows the aggregation
    QMenu* recent_menu_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QLabel* status_ = nullptr;
    QString last_error_;
};

} // namespace hprof::viewer
