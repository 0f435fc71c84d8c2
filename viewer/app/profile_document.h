// The open profile, the current filter with its undo/redo history, and the aggregation the views
// show. Loading and every re-aggregation run on a worker thread (QtConcurrent) and arrive
// through a QFutureWatcher; a newer request cancels the older one (its result is dropped even if
// it finishes), so the window never waits for the library.
#pragma once

// moc (Qt 6.4) preprocesses as C++17 and cannot parse <compare>, which typed_id.h includes;
// it needs only the names of the types, the compiler sees everything.
#ifndef Q_MOC_RUN
#include "aggregation.h"
#endif

#include <QFutureWatcher>
#include <QObject>
#include <QPointer>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

namespace hprof::viewer {

class ProfileDocument : public QObject {
    Q_OBJECT
  public:
    explicit ProfileDocument(QObject* parent = nullptr);
    ~ProfileDocument() override;

    // The profile shown and what was computed for the shown filter; null before the first load.
    const Aggregation* aggregation() const { return shown_.get(); }
    std::shared_ptr<const Aggregation> shared() const { return shown_; }
    const Profile* profile() const { return shown_ ? shown_->profile.get() : nullptr; }
    QString path() const { return path_; }
    // The filter of the history's current entry (what is shown, or being computed).
    const SampleFilter& filter() const { return history_[index_]; }
    bool busy() const { return job_ != nullptr; }
    bool canGoBack() const { return index_ > 0; }
    bool canGoForward() const { return index_ + 1 < history_.size(); }
    QString filterDescription() const;

  public slots:
    // Reads `path` and aggregates it without a filter; on failure the shown profile stays and
    // loadFailed says why (hprof::Error::what(), the CLI's message).
    void open(const QString& path);
    // Shows `filter`, as a new history entry after the current one (later entries are dropped).
    void setFilter(const hprof::SampleFilter& filter);
    void back();
    void forward();
    void resetFilter();
    // Stops the running job; the history goes back to what is shown.
    void cancel();

    // What the views and the graphics ask for: each is setFilter() of the current filter changed.
    void setTimeRange(int64_t from_ns, int64_t to_ns);
    void clearTimeRange();
    void includeThread(hprof::ThreadId thread);
    void excludeThread(hprof::ThreadId thread);
    void includeProcess(hprof::ProcessId process);
    void excludeProcess(hprof::ProcessId process);
    void focusFunction(hprof::FunctionId function);
    void excludeFunction(hprof::FunctionId function);

  signals:
    void busyChanged(bool busy);
    // 0..1 while reading a file; -1 when the share is unknown (aggregating).
    void progressChanged(double share);
    void loadFailed(const QString& message);
    // A new aggregation is shown (after a load, a filter change, back/forward).
    void ready();
    // The history or its position changed (the filter bar's text and buttons).
    void historyChanged();

  private:
    struct Result {
        std::optional<Aggregation> aggregation;
        QString error; // set when reading failed
    };
    struct Job {
        quint64 generation = 0;
        std::shared_ptr<std::atomic<bool>> cancel = std::make_shared<std::atomic<bool>>(false);
        QFutureWatcher<Result>* watcher = nullptr;
        bool load = false;
        QString path;
    };
    void start(bool load, const QString& path, const SampleFilter& filter);
    void finish(Job* job);
    void stopJob();
    void showIndex(size_t index);
    SampleFilter changedFilter(const std::function<void(SampleFilter&)>& change) const;

    std::shared_ptr<const Aggregation> shown_;
    QString path_;
    std::vector<SampleFilter> history_{SampleFilter{}};
    size_t index_ = 0;
    size_t shown_index_ = 0;
    std::unique_ptr<Job> job_;
    std::vector<QPointer<QFutureWatcherBase>> running_; // every worker not yet finished
    quint64 generation_ = 0;
};

} // namespace hprof::viewer
