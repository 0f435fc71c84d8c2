// The call table tab driven with QTest: the filter box narrows the rows, a bad regular
// expression is said and changes nothing, the selected row's callers and callees fill the panes,
// Ctrl+C copies the selected rows.
#include "call_table_view.h"
#include "main_window.h"
#include "test_support.h"
#include "viewer_test_support.h"

#include "temp_dir.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <gtest/gtest.h>

namespace hprof::viewer {
namespace {

using namespace hprof::viewer::test;

class CallTableViewTest : public ::testing::Test {
  protected:
    void SetUp() override {
        window.resize(1000, 700);
        window.show();
        window.showView(ViewKind::Table);
        ASSERT_TRUE(openAndWait(document,
                                writeTo(hprof::test::callTreeProfile(), dir.path(), "tree.hprof")));
    }
    CallTableView& view() { return *window.callTableView(); }

    hprof::test::TempDir dir;
    ProfileDocument document;
    MainWindow window{&document};
};

TEST_F(CallTableViewTest, TypingInTheFilterBoxNarrowsTheRows) {
    const int all = view().model()->rowCount();
    ASSERT_EQ(all, 6);
    QTest::keyClicks(view().filterEdit(), "d");
    EXPECT_EQ(view().model()->rowCount(), 2); // delta, std::map<int, int>::find
    QTest::keyClicks(view().filterEdit(), "e");
    EXPECT_EQ(view().model()->rowCount(), 1); // delta
    QTest::keyClick(view().filterEdit(), Qt::Key_Backspace);
    QTest::keyClick(view().filterEdit(), Qt::Key_Backspace);
    QTest::keyClicks(view().filterEdit(), "alp");
    ASSERT_EQ(view().model()->rowCount(), 1);
    EXPECT_EQ(view().model()->index(0, CallTableModel::Location).data().toString(),
              "app.cpp:10(alpha(int))");
    view().filterEdit()->clear();
    EXPECT_EQ(view().model()->rowCount(), all);
}

TEST_F(CallTableViewTest, ARegularExpressionFiltersAndABadOneIsShownWithoutChange) {
    QTest::mouseClick(view().regexBox(), Qt::LeftButton);
    ASSERT_TRUE(view().regexBox()->isChecked());
    QTest::keyClicks(view().filterEdit(), "^app\\.cpp:(1|20)\\(");
    EXPECT_EQ(view().model()->rowCount(), 2); // main (app.cpp:1), beta (app.cpp:20)
    EXPECT_TRUE(view().filterError()->text().isEmpty());
    QTest::keyClicks(view().filterEdit(), "[");
    EXPECT_EQ(view().model()->rowCount(), 2);
    EXPECT_FALSE(view().filterError()->text().isEmpty());
}

TEST_F(CallTableViewTest, SelectingARowShowsItsCallersAndCallees) {
    QSignalSpy shown(&view(), &CallTableView::relationsShown);
    const FunctionId beta = [&] {
        for (uint32_t i = 0; i < document.profile()->functions.size(); ++i)
            if (document.profile()->functions[i].name == "beta()")
                return FunctionId(i);
        return FunctionId();
    }();
    view().selectFunction(beta);
    ASSERT_TRUE(shown.wait(60'000));
    const auto callers = computeCallers(*document.profile(), beta);
    const auto callees = computeCallees(*document.profile(), beta);
    ASSERT_EQ(view().callersModel()->rowCount(), int(callers.size()));
    ASSERT_EQ(view().calleesModel()->rowCount(), int(callees.size()));
    EXPECT_EQ(view().callersModel()->index(0, CallerCalleeModel::Location).data().toString(),
              "app.cpp:10(alpha(int))");
}

TEST_F(CallTableViewTest, CtrlCCopiesTheSelectedRows) {
    view().table()->setFocus();
    view().table()->selectRow(0);
    QTest::keyClick(view().table(), Qt::Key_C, Qt::ControlModifier);
    const QString copied = QApplication::clipboard()->text();
    EXPECT_TRUE(copied.startsWith("ncalls\ttottime"));
    EXPECT_TRUE(
        copied.contains(view().model()->index(0, CallTableModel::Location).data().toString()));
    EXPECT_EQ(copied.count('\n'), 2);
}

TEST_F(CallTableViewTest, CtrlFFocusesTheCurrentViewsSearch) {
    QApplication::setActiveWindow(&window);
    view().table()->setFocus();
    QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
    EXPECT_TRUE(view().filterEdit()->hasFocus());
}

} // namespace
} // namespace hprof::viewer
