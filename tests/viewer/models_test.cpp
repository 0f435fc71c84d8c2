// Every model of hprof_viewer_models through QAbstractItemModelTester (non-fatal mode: any
// report fails the test), and the numbers, labels and order they show against the library's.
#include "call_tree_model.h"
#include "caller_callee_model.h"
#include "cpu_usage_model.h"
#include "format.h"
#include "test_support.h"
#include "viewer_test_support.h"

#include "hprof/error.h"

#include <gtest/gtest.h>

namespace hprof::viewer {
namespace {

using hprof::test::callCountProfile;
using hprof::test::callTreeProfile;
using namespace hprof::viewer::test;

struct Fixture {
    std::shared_ptr<const Profile> profile;
    std::shared_ptr<const FunctionLabels> labels;
    Totals totals;
};

Fixture fixture(Profile profile) {
    auto shared = std::make_shared<const Profile>(std::move(profile));
    return {shared, std::make_shared<const FunctionLabels>(*shared), computeTotals(*shared)};
}

FunctionId functionNamed(const Profile& profile, const std::string& name) {
    for (size_t i = 0; i < profile.functions.size(); ++i) {
        if (profile.functions[i].name == name)
            return FunctionId(uint32_t(i));
    }
    ADD_FAILURE() << "no function " << name;
    return {};
}

void fillTable(CallTableModel& model, const Fixture& f) {
    model.setStats(f.profile, f.labels, computeFunctionStats(*f.profile), f.totals.weight_ns);
}

TEST(CallTableModel, PassesTheModelTesterThroughSortsAndFilters) {
    const ModelReports reports;
    const Fixture f = fixture(callCountProfile());
    CallTableModel model;
    const auto tester = testModel(&model);
    fillTable(model, f);
    for (int column = 0; column < CallTableModel::ColumnCount; ++column) {
        model.sort(column, Qt::AscendingOrder);
        model.sort(column, Qt::DescendingOrder);
    }
    model.setNameFilter(QStringLiteral("m.c:1"), NameMatcher::Kind::Substring);
    model.setNameFilter(QStringLiteral("^m\\.c:[12]"), NameMatcher::Kind::Regex);
    model.setNameFilter({}, NameMatcher::Kind::Substring);
    model.setStats(f.profile, f.labels, {}, 0);
    EXPECT_TRUE(reports.messages().isEmpty()) << reports.messages().join('\n').toStdString();
}

TEST(CallTableModel, ShowsTheReportsNumbersLabelsAndOrder) {
    const Fixture f = fixture(callCountProfile());
    CallTableModel model;
    fillTable(model, f);
    std::vector<FunctionStats> expected = computeFunctionStats(*f.profile);
    sortFunctionStats(*f.profile, expected, SortKey::TotTime);
    ASSERT_EQ(model.rowCount(), int(expected.size()));
    for (int row = 0; row < model.rowCount(); ++row) {
        const FunctionStats& stats = expected[size_t(row)];
        auto text = [&](int column) { return model.index(row, column).data().toString(); };
        EXPECT_EQ(model.statsAt(row).function, stats.function) << "row " << row;
        EXPECT_EQ(text(CallTableModel::Location).toStdString(), (*f.labels)[stats.function]);
        EXPECT_EQ(text(CallTableModel::TotTime), QString::asprintf("%.3f", stats.self_ns / 1e9));
        EXPECT_EQ(text(CallTableModel::CumTime), QString::asprintf("%.3f", stats.total_ns / 1e9));
    }
    // A recursive function's calls as pstats writes them: A is called 3 times, 1 primitive.
    const int rowOfA = model.rowOf(functionNamed(*f.profile, "A"));
    ASSERT_GE(rowOfA, 0);
    EXPECT_EQ(model.index(rowOfA, CallTableModel::NCalls).data().toString(), "3/1");
}

TEST(CallTableModel, SortsByEveryKeyOfTheReportBothWays) {
    const Fixture f = fixture(callCountProfile());
    CallTableModel model;
    fillTable(model, f);
    const std::pair<int, SortKey> keys[] = {{CallTableModel::CumTime, SortKey::CumTime},
                                            {CallTableModel::NCalls, SortKey::NCalls}};
    for (const auto& [column, key] : keys) {
        std::vector<FunctionStats> expected = computeFunctionStats(*f.profile);
        sortFunctionStats(*f.profile, expected, key);
        model.sort(column, Qt::DescendingOrder);
        for (size_t row = 0; row < expected.size(); ++row)
            EXPECT_EQ(model.statsAt(int(row)).function, expected[row].function) << column;
        model.sort(column, Qt::AscendingOrder);
        for (size_t row = 0; row < expected.size(); ++row)
            EXPECT_EQ(model.statsAt(int(row)).function,
                      expected[expected.size() - 1 - row].function);
    }
}

TEST(CallTableModel, NameFilterNarrowsRowsAndABadExpressionKeepsThem) {
    const Fixture f = fixture(callTreeProfile());
    CallTableModel model;
    fillTable(model, f);
    const int all = model.rowCount();
    model.setNameFilter(QStringLiteral("ALPHA"), NameMatcher::Kind::Substring); // any case
    ASSERT_EQ(model.rowCount(), 1);
    EXPECT_EQ(model.statsAt(0).function, functionNamed(*f.profile, "alpha(int)"));
    model.setNameFilter(QStringLiteral("(alpha|beta)\\("), NameMatcher::Kind::Regex);
    EXPECT_EQ(model.rowCount(), 2);
    EXPECT_THROW(model.setNameFilter(QStringLiteral("(unclosed"), NameMatcher::Kind::Regex),
                 hprof::Error);
    EXPECT_EQ(model.rowCount(), 2);
    model.setNameFilter({}, NameMatcher::Kind::Regex);
    EXPECT_EQ(model.rowCount(), all);
}

TEST(CallTableModel, CopiesRowsAsTabSeparatedText) {
    const Fixture f = fixture(callTreeProfile());
    CallTableModel model;
    fillTable(model, f);
    const QStringList lines = model.rowsAsText({0, 1}).split('\n', Qt::SkipEmptyParts);
    ASSERT_EQ(lines.size(), 3);
    EXPECT_TRUE(lines[0].startsWith("ncalls\ttottime\tpercall\tcumtime"));
    EXPECT_TRUE(lines[1].endsWith(model.index(0, CallTableModel::Location).data().toString()));
    EXPECT_EQ(lines[2].split('\t').size(), CallTableModel::ColumnCount);
}

TEST(CallTreeModel, PassesTheModelTesterTopDownAndBottomUp) {
    const ModelReports reports;
    const Fixture f = fixture(callTreeProfile());
    const StackCosts costs = computeStackCosts(SampleSelector(*f.profile, {}));
    CallTreeModel model;
    const auto tester = testModel(&model);
    model.setTree(f.profile, f.labels,
                  std::make_shared<const CallTree>(buildTopDownTree(*f.profile, costs)));
    model.setTree(f.profile, f.labels,
                  std::make_shared<const CallTree>(buildBottomUpTree(*f.profile, costs)));
    EXPECT_TRUE(reports.messages().isEmpty()) << reports.messages().join('\n').toStdString();
}

TEST(CallTreeModel, RowsAreTheTreesNodesWithTheirCosts) {
    const Fixture f = fixture(callTreeProfile());
    const StackCosts costs = computeStackCosts(SampleSelector(*f.profile, {}));
    auto tree = std::make_shared<const CallTree>(buildTopDownTree(*f.profile, costs));
    CallTreeModel model;
    model.setTree(f.profile, f.labels, tree);
    const CallNode& root = tree->node(CallTree::root());
    ASSERT_EQ(model.rowCount(), int(root.children.size()));
    // Every node is reachable, and indexOf/nodeAt/parent agree with the tree.
    for (uint32_t id = 1; id < tree->nodes.size(); ++id) {
        const CallNode& node = tree->nodes[id];
        const QModelIndex index = model.indexOf(CallNodeId(id));
        ASSERT_TRUE(index.isValid());
        EXPECT_EQ(model.nodeAt(index), CallNodeId(id));
        EXPECT_EQ(model.nodeAt(model.parent(index)), node.parent);
        EXPECT_EQ(model.rowCount(index), int(node.children.size()));
        EXPECT_EQ(index.siblingAtColumn(CallTreeModel::Total).data().toString(),
                  QString::asprintf("%.3f", node.total.weight_ns / 1e9));
        EXPECT_EQ(
            index.siblingAtColumn(CallTreeModel::FunctionColumn).data().toString().toStdString(),
            f.profile->function(node.function).name);
    }
}

TEST(CallerCalleeModel, PassesTheModelTesterAndShowsTheEdges) {
    const ModelReports reports;
    const Fixture f = fixture(callCountProfile());
    const FunctionId b = functionNamed(*f.profile, "B");
    const std::vector<EdgeStats> callees = computeCallees(*f.profile, b);
    CallerCalleeModel model;
    const auto tester = testModel(&model);
    model.setEdges(f.profile, f.labels, callees, f.totals.weight_ns);
    ASSERT_EQ(model.rowCount(), int(callees.size()));
    for (int row = 0; row < model.rowCount(); ++row)
        EXPECT_EQ(model.index(row, CallerCalleeModel::NCalls).data().toString(),
                  callsText(callees[size_t(row)].ncalls, callees[size_t(row)].primitive_calls));
    model.setEdges(f.profile, f.labels, computeCallers(*f.profile, b), f.totals.weight_ns);
    model.clear();
    EXPECT_EQ(model.rowCount(), 0);
    EXPECT_TRUE(reports.messages().isEmpty()) << reports.messages().join('\n').toStdString();
}

TEST(CpuUsageModel, PassesTheModelTesterForProcessesAndThreads) {
    const ModelReports reports;
    const Fixture f = fixture(callTreeProfile());
    CpuUsageModel model;
    const auto tester = testModel(&model);
    const std::vector<ThreadStats> threads = computeThreadStats(*f.profile);
    model.setThreads(f.profile, threads);
    ASSERT_EQ(model.rowCount(), int(threads.size()));
    for (int row = 0; row < model.rowCount(); ++row)
        EXPECT_EQ(model.index(row, CpuUsageModel::Cpu).data().toString(),
                  QString::asprintf("%.3f", threads[size_t(row)].cpu_ns / 1e9));
    model.setProcesses(f.profile, computeProcessStats(*f.profile));
    EXPECT_EQ(model.rowCount(), 2);
    EXPECT_FALSE(model.index(0, 0).data(CpuUsageModel::ThreadRole).isValid());
    EXPECT_TRUE(reports.messages().isEmpty()) << reports.messages().join('\n').toStdString();
}

} // namespace
} // namespace hprof::viewer
