// The document and the window with real profiles: undo/redo of filters, a thread excluded or a
// time range set gives exactly what `hprof report` gives for that filter, a corrupt file keeps
// the profile shown, a newer request outdates an older one.
#include "call_table_view.h"
#include "filter_bar.h"
#include "main_window.h"
#include "test_support.h"
#include "viewer_test_support.h"

#include "hprof_runs.h"
#include "temp_dir.h"

#include "hprof/report.h"

#include <QLabel>
#include <QMessageBox>
#include <QSignalSpy>
#include <gtest/gtest.h>

#include <sstream>

namespace hprof::viewer {
namespace {

using namespace hprof::viewer::test;
using hprof::test::TempDir;

std::string jsonReport(const Profile& profile, const SampleFilter& filter) {
    ReportOptions options;
    options.format = ReportFormat::Json;
    options.filter = filter;
    std::ostringstream out;
    printReport(profile, options, out);
    return out.str();
}

FunctionId functionNamed(const Profile& profile, const std::string& name) {
    for (uint32_t i = 0; i < profile.functions.size(); ++i) {
        if (profile.functions[i].name == name)
            return FunctionId(i);
    }
    ADD_FAILURE() << "no function " << name;
    return {};
}

class DocumentTest : public ::testing::Test {
  protected:
    void open(const Profile& profile) {
        ASSERT_TRUE(openAndWait(document, writeTo(profile, dir.path(), "p.hprof")));
    }
    std::map<std::string, RowNumbers> rows() {
        return tableRows(*window.callTableView()->model(), *document.profile());
    }

    TempDir dir;
    ProfileDocument document;
    MainWindow window{&document};
};

TEST_F(DocumentTest, BackRestoresThePreviousNumbersAndForwardTheNext) {
    open(hprof::test::callTreeProfile());
    const auto whole = rows();
    const FunctionId alpha = functionNamed(*document.profile(), "alpha(int)");
    ASSERT_TRUE(waitForReady(document, [&] { document.excludeFunction(alpha); }));
    const auto without = rows();
    ASSERT_NE(without, whole);
    EXPECT_EQ(without, jsonRows(jsonReport(*document.profile(), document.filter())));
    EXPECT_TRUE(window.filterBar()->backAction()->isEnabled());
    EXPECT_NE(window.filterBar()->description()->text().toStdString().find("alpha"),
              std::string::npos);

    ASSERT_TRUE(waitForReady(document, [&] { window.filterBar()->backAction()->trigger(); }));
    EXPECT_EQ(rows(), whole);
    EXPECT_TRUE(document.filter() == SampleFilter{});
    EXPECT_TRUE(window.filterBar()->forwardAction()->isEnabled());

    ASSERT_TRUE(waitForReady(document, [&] { window.filterBar()->forwardAction()->trigger(); }));
    EXPECT_EQ(rows(), without);
    ASSERT_TRUE(waitForReady(document, [&] { window.filterBar()->resetAction()->trigger(); }));
    EXPECT_EQ(rows(), whole);
    EXPECT_TRUE(document.canGoBack()); // reset is a step of its own
}

// "Without thread 101" of the instrumented fixture is `--tid 100`: times and exact call counts.
TEST_F(DocumentTest, ExcludingAThreadGivesTheReportOfTheOtherThreads) {
    open(hprof::test::callCountProfile());
    const Profile& profile = *document.profile();
    ASSERT_EQ(profile.threads.size(), 2u);
    ASSERT_EQ(profile.threads[1].tid, 101);
    ASSERT_TRUE(waitForReady(document, [&] { document.excludeThread(ThreadId(1)); }));
    SampleFilter onlyThread100;
    onlyThread100.threads.include(ThreadId(0));
    const auto expected = jsonRows(jsonReport(profile, onlyThread100));
    ASSERT_FALSE(expected.empty());
    EXPECT_EQ(rows(), expected);
    EXPECT_NE(rows(), jsonRows(jsonReport(profile, {})));
}

// The real `hprof report --time A..B --format json` on a recorded run of the phases sample.
TEST_F(DocumentTest, ATimeRangeGivesWhatHprofReportGivesForIt) {
    const auto run = hprof::test::recordSample(dir, {}, "phases");
    ASSERT_EQ(run.status, 0) << run.err;
    const QString path = QString::fromStdString(dir.file("profile.hprof"));
    ASSERT_TRUE(openAndWait(document, path));
    constexpr int64_t kFrom = 100'000'000, kTo = 450'000'000; // across the change of phase
    ASSERT_TRUE(waitForReady(document, [&] { document.setTimeRange(kFrom, kTo); }));
    const auto report = hprof::test::runHprof(
        {"report", path.toStdString(), "--time", "100ms..450ms", "--format", "json"}, dir);
    ASSERT_EQ(report.status, 0) << report.err;
    const auto expected = jsonRows(report.out);
    ASSERT_GE(expected.size(), 2u);
    EXPECT_EQ(rows(), expected);
    EXPECT_NE(rows(), jsonRows(jsonReport(*document.profile(), {}))); // the range mattered
}

// "Focus on this function" keeps the samples through it, as the library's filter does for the
// report (`hprof report --focus`).
TEST_F(DocumentTest, FocusingOnAFunctionGivesTheReportOfThatFilter) {
    open(hprof::test::callTreeProfile());
    const FunctionId beta = functionNamed(*document.profile(), "beta()");
    ASSERT_TRUE(waitForReady(document, [&] { document.focusFunction(beta); }));
    SampleFilter throughBeta;
    throughBeta.functions.include(beta);
    EXPECT_TRUE(document.filter() == throughBeta);
    const auto expected = jsonRows(jsonReport(*document.profile(), throughBeta));
    EXPECT_EQ(rows(), expected);
    EXPECT_EQ(rows().at("beta()").cumtime, 0.003); // the samples at t=1 and t=2 (1 + 2 ms)
}

// Cancel drops the running load: the profile shown before stays, and so does the history.
TEST_F(DocumentTest, CancelKeepsTheShownProfile) {
    open(hprof::test::callTreeProfile());
    const Profile* shown = document.profile();
    const QString other = writeTo(hprof::test::callCountProfile(), dir.path(), "other.hprof");
    QSignalSpy ready(&document, &ProfileDocument::ready);
    document.open(other);
    EXPECT_TRUE(document.busy());
    document.cancel();
    EXPECT_FALSE(document.busy());
    // A later request is served from the profile shown before, and the cancelled load never
    // arrives.
    ASSERT_TRUE(waitForReady(document, [&] { document.excludeThread(ThreadId(0)); }));
    EXPECT_EQ(ready.count(), 1);
    EXPECT_EQ(document.profile(), shown);
    EXPECT_EQ(document.path().toStdString(), dir.file("p.hprof"));
}

// Back while another profile is being read does not cancel the read: the new profile comes,
// with a history of its own.
TEST_F(DocumentTest, BackWhileLoadingLeavesTheLoadAlone) {
    open(hprof::test::callTreeProfile());
    ASSERT_TRUE(waitForReady(document, [&] { document.excludeThread(ThreadId(0)); }));
    const QString other = writeTo(hprof::test::callCountProfile(), dir.path(), "other.hprof");
    ASSERT_TRUE(waitForReady(document, [&] {
        document.open(other);
        document.back();
        EXPECT_TRUE(document.busy());
    }));
    EXPECT_EQ(document.path(), other);
    EXPECT_FALSE(document.canGoBack());
    EXPECT_TRUE(document.filter() == SampleFilter{});
}

TEST_F(DocumentTest, ACorruptFileShowsTheCliErrorAndKeepsTheProfile) {
    open(hprof::test::callTreeProfile());
    const Profile* shown = document.profile();
    const auto before = rows();
    const std::string corrupt = dir.writeFile("corrupt.hprof", "HPROF but not really a profile");
    const std::string expected = readError(corrupt);
    ASSERT_FALSE(expected.empty());
    QSignalSpy failed(&document, &ProfileDocument::loadFailed);
    document.open(QString::fromStdString(corrupt));
    ASSERT_TRUE(failed.wait(60'000));
    EXPECT_EQ(failed.at(0).at(0).toString().toStdString(), expected);
    EXPECT_EQ(window.lastError().toStdString(), expected);
    auto* box = window.findChild<QMessageBox*>();
    ASSERT_NE(box, nullptr);
    EXPECT_EQ(box->text().toStdString(), expected);
    EXPECT_EQ(document.profile(), shown);
    EXPECT_EQ(rows(), before);
    EXPECT_EQ(document.path().toStdString(), dir.file("p.hprof"));
}

TEST_F(DocumentTest, ANewerOpenOutdatesTheOlderOne) {
    const QString first = writeTo(hprof::test::callTreeProfile(), dir.path(), "first.hprof");
    const QString second = writeTo(hprof::test::callCountProfile(), dir.path(), "second.hprof");
    QSignalSpy ready(&document, &ProfileDocument::ready);
    document.open(first);
    document.open(second);
    ASSERT_TRUE(ready.wait(60'000));
    EXPECT_EQ(document.path(), second);
    EXPECT_EQ(document.profile()->run.command, hprof::test::callCountProfile().run.command);
    // The first job finishes too, but its result is never shown.
    QSignalSpy again(&document, &ProfileDocument::ready);
    ASSERT_TRUE(waitForReady(document, [&] { document.excludeThread(ThreadId(0)); }));
    EXPECT_EQ(again.count(), 1);
    EXPECT_EQ(document.path(), second);
}

} // namespace
} // namespace hprof::viewer
