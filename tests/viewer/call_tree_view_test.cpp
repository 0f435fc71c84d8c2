// The tree tabs driven with QTest: Ctrl+E expands the hot path below the selected node, the
// search selects the next matching node, and the context actions filter the document.
#include "call_tree_view.h"
#include "main_window.h"
#include "test_support.h"
#include "viewer_test_support.h"

#include "temp_dir.h"

#include <QLineEdit>
#include <QTest>
#include <QTreeView>
#include <gtest/gtest.h>

namespace hprof::viewer {
namespace {

using namespace hprof::viewer::test;

class CallTreeViewTest : public ::testing::Test {
  protected:
    void SetUp() override {
        window.resize(1000, 700);
        window.show();
        window.showView(ViewKind::TopDown);
        ASSERT_TRUE(openAndWait(document,
                                writeTo(hprof::test::callTreeProfile(), dir.path(), "tree.hprof")));
    }
    CallTreeView& view() { return *window.topDownView(); }
    std::string nameAt(const QModelIndex& index) {
        return document.profile()
            ->function(view().model()->tree()->node(view().model()->nodeAt(index)).function)
            .name;
    }

    hprof::test::TempDir dir;
    ProfileDocument document;
    MainWindow window{&document};
};

// The fixture's heaviest path: main (15 ms of 15) -> alpha (3) -> beta (3) -> alpha (1).
TEST_F(CallTreeViewTest, CtrlEExpandsTheHotPathDownToALeaf) {
    view().tree()->collapseAll();
    const QModelIndex main = view().model()->index(0, 0);
    view().tree()->setCurrentIndex(main);
    view().tree()->setFocus();
    QTest::keyClick(view().tree(), Qt::Key_E, Qt::ControlModifier);
    const QModelIndex leaf = view().tree()->currentIndex();
    ASSERT_TRUE(leaf.isValid());
    EXPECT_EQ(view().model()->rowCount(leaf), 0);
    std::vector<std::string> path;
    for (QModelIndex index = leaf; index.isValid(); index = index.parent()) {
        path.insert(path.begin(), nameAt(index));
        if (index != leaf) {
            EXPECT_TRUE(view().tree()->isExpanded(index));
        }
    }
    // main's heaviest child is std::map::find (5 ms), then nothing below it.
    EXPECT_EQ(path, (std::vector<std::string>{"main", "std::map<int, int>::find"}));
}

TEST_F(CallTreeViewTest, TheSearchSelectsTheNextMatchingNode) {
    auto* search = qobject_cast<QLineEdit*>(view().searchField());
    ASSERT_NE(search, nullptr);
    QTest::keyClicks(search, "alpha");
    QTest::keyClick(search, Qt::Key_Return);
    const QModelIndex first = view().tree()->currentIndex();
    EXPECT_EQ(nameAt(first), "alpha(int)");
    QTest::keyClick(search, Qt::Key_Return);
    const QModelIndex second = view().tree()->currentIndex();
    EXPECT_EQ(nameAt(second), "alpha(int)");
    EXPECT_NE(first, second); // alpha is in the tree twice (recursion through beta)
}

} // namespace
} // namespace hprof::viewer
