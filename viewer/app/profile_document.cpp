#include "profile_document.h"

#include "hprof/import.h"

#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace hprof::viewer {

namespace {

template <class Id> void includeOnly(Selection<Id>& selection, Id id) {
    std::erase(selection.excluded, id);
    selection.include(id);
}

template <class Id> void excludeOne(Selection<Id>& selection, Id id) {
    std::erase(selection.only, id);
    selection.exclude(id);
}

} // namespace

ProfileDocument::ProfileDocument(QObject* parent) : QObject(parent) {}

ProfileDocument::~ProfileDocument() {
    // Workers read through pointers into this object's jobs: let every one of them end first.
    stopJob();
    for (const QPointer<QFutureWatcherBase>& watcher : running_) {
        if (watcher)
            watcher->waitForFinished();
    }
}

QString ProfileDocument::filterDescription() const {
    if (!profile())
        return {};
    const std::string words = describeFilter(*profile(), filter());
    return words.empty() ? tr("no filter: everything") : QString::fromStdString(words);
}

void ProfileDocument::open(const QString& path) {
    stopJob();
    start(true, path, SampleFilter{});
}

void ProfileDocument::setFilter(const SampleFilter& filter) {
    if (!shown_ || (job_ && job_->load))
        return; // nothing to filter yet, or a new profile is on its way
    stopJob();
    if (filter == history_[index_])
        return;
    history_.resize(index_ + 1);
    history_.push_back(filter);
    index_ = history_.size() - 1;
    start(false, path_, filter);
}

// Both do nothing while a profile is being read: its history starts afresh.
void ProfileDocument::back() {
    if (job_ && job_->load)
        return;
    stopJob();
    if (canGoBack())
        showIndex(index_ - 1);
}

void ProfileDocument::forward() {
    if (job_ && job_->load)
        return;
    stopJob();
    if (canGoForward())
        showIndex(index_ + 1);
}

void ProfileDocument::resetFilter() {
    setFilter(SampleFilter{});
}

void ProfileDocument::cancel() {
    stopJob();
}

void ProfileDocument::showIndex(size_t index) {
    if (!shown_)
        return;
    index_ = index;
    start(false, path_, history_[index_]);
}

SampleFilter
ProfileDocument::changedFilter(const std::function<void(SampleFilter&)>& change) const {
    SampleFilter filter = this->filter();
    change(filter);
    return filter;
}

void ProfileDocument::setTimeRange(int64_t from_ns, int64_t to_ns) {
    setFilter(changedFilter([&](SampleFilter& f) {
        f.from_ns = std::min(from_ns, to_ns);
        f.to_ns = std::max(from_ns, to_ns);
    }));
}

void ProfileDocument::clearTimeRange() {
    setFilter(changedFilter([](SampleFilter& f) {
        f.from_ns.reset();
        f.to_ns.reset();
    }));
}

void ProfileDocument::includeThread(ThreadId thread) {
    setFilter(changedFilter([&](SampleFilter& f) { includeOnly(f.threads, thread); }));
}

void ProfileDocument::excludeThread(ThreadId thread) {
    setFilter(changedFilter([&](SampleFilter& f) { excludeOne(f.threads, thread); }));
}

void ProfileDocument::includeProcess(ProcessId process) {
    setFilter(changedFilter([&](SampleFilter& f) { includeOnly(f.processes, process); }));
}

void ProfileDocument::excludeProcess(ProcessId process) {
    setFilter(changedFilter([&](SampleFilter& f) { excludeOne(f.processes, process); }));
}

// Focus narrows to the one function (stacks through it); a second focus replaces the first.
void ProfileDocument::focusFunction(FunctionId function) {
    setFilter(changedFilter([&](SampleFilter& f) {
        f.functions.only.clear();
        includeOnly(f.functions, function);
    }));
}

void ProfileDocument::excludeFunction(FunctionId function) {
    setFilter(changedFilter([&](SampleFilter& f) { excludeOne(f.functions, function); }));
}

void ProfileDocument::start(bool load, const QString& path, const SampleFilter& filter) {
    auto job = std::make_unique<Job>();
    job->generation = ++generation_;
    job->load = load;
    job->path = path;
    job->watcher = new QFutureWatcher<Result>(this);
    std::shared_ptr<std::atomic<bool>> cancel = job->cancel;
    QPointer<ProfileDocument> self(this);
    const quint64 generation = job->generation;
    auto progress = [self, generation](double share) {
        QMetaObject::invokeMethod(
            self,
            [self, generation, share] {
                if (self && self->job_ && self->job_->generation == generation)
                    emit self->progressChanged(share);
            },
            Qt::QueuedConnection);
    };
    std::shared_ptr<const Profile> profile = shown_ ? shown_->profile : nullptr;
    std::shared_ptr<const FunctionLabels> labels = shown_ ? shown_->labels : nullptr;
    QFuture<Result> future = QtConcurrent::run([=]() -> Result {
        try {
            if (!load)
                return {aggregate(profile, labels, filter, cancel.get()), {}};
            ReadControl control{progress, cancel.get()};
            auto read =
                std::make_shared<const Profile>(readAnyProfile(path.toStdString(), control));
            auto readLabels = std::make_shared<const FunctionLabels>(*read);
            return {aggregate(read, readLabels, filter, cancel.get()), {}};
        } catch (const ReadCancelled&) {
            return {};
        } catch (const std::exception& error) {
            return {std::nullopt, QString::fromStdString(error.what())};
        }
    });
    Job* raw = job.get();
    connect(job->watcher, &QFutureWatcherBase::finished, this, [this, raw] { finish(raw); });
    connect(job->watcher, &QFutureWatcherBase::finished, job->watcher, &QObject::deleteLater);
    job->watcher->setFuture(future);
    running_.push_back(job->watcher);
    std::erase_if(running_, [](const QPointer<QFutureWatcherBase>& w) { return w.isNull(); });
    job_ = std::move(job);
    emit busyChanged(true);
    emit progressChanged(load ? 0.0 : -1.0);
    emit historyChanged();
}

void ProfileDocument::finish(Job* job) {
    if (job != job_.get())
        return; // outdated: a newer request replaced it
    Result result = job->watcher->result();
    const bool load = job->load;
    const QString path = job->path;
    job_.reset();
    if (result.aggregation) {
        shown_ = std::make_shared<const Aggregation>(std::move(*result.aggregation));
        if (load) {
            path_ = path;
            history_ = {SampleFilter{}};
            index_ = 0;
        }
        shown_index_ = index_;
    } else {
        index_ = shown_index_;
    }
    emit busyChanged(false);
    emit historyChanged();
    if (!result.error.isEmpty())
        emit loadFailed(result.error);
    else if (result.aggregation)
        emit ready();
}

void ProfileDocument::stopJob() {
    if (!job_)
        return;
    job_->cancel->store(true);
    disconnect(job_->watcher, nullptr, this, nullptr);
    if (!job_->load)
        index_ = shown_index_;
    job_.reset();
    emit busyChanged(false);
    emit historyChanged();
}

} // namespace hprof::viewer
