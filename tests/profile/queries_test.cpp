// The public query helpers: table order, name matching and the trace nesting.
#include "hprof/error.h"
#include "hprof/queries.h"
#include "test_support.h"

#include <gtest/gtest.h>

namespace hprof {
namespace {

std::vector<std::string> namesInOrder(const Profile& profile, SortKey key) {
    std::vector<FunctionStats> stats = computeFunctionStats(profile);
    std::reverse(stats.begin(), stats.end()); // the order must not depend on the input's
    sortFunctionStats(profile, stats, key);
    std::vector<std::string> names;
    for (const FunctionStats& row : stats)
        names.push_back(profile.function(row.function).name);
    return names;
}

TEST(Queries, SortFunctionStatsByKeyThenName) {
    Profile profile = test::callCountProfile();
    // Self: main 16, B 12, A 3, D 0; total: main 23, B 12, A 3, D 0; calls: D 7, B 3, A 3, main 1.
    EXPECT_EQ(namesInOrder(profile, SortKey::TotTime),
              (std::vector<std::string>{"main", "B", "A", "D"}));
    EXPECT_EQ(namesInOrder(profile, SortKey::NCalls),
              (std::vector<std::string>{"D", "B", "A", "main"}));
    EXPECT_EQ(namesInOrder(profile, SortKey::Name),
              (std::vector<std::string>{"A", "B", "D", "main"}));
    Profile sampled = test::callTreeProfile(); // no counts: ncalls unknown, then by tottime
    EXPECT_EQ(namesInOrder(sampled, SortKey::NCalls).front(), "std::map<int, int>::find");
}

TEST(Queries, NameMatcherBySubstringOrRegex) {
    NameMatcher substring("map<", NameMatcher::Kind::Substring);
    EXPECT_TRUE(substring.matches("std::map<int, int>::find"));
    EXPECT_FALSE(substring.matches("std::Map<int>"));
    EXPECT_TRUE(NameMatcher("MAP", NameMatcher::Kind::Substring, false).matches("std::map<int>"));
    NameMatcher regex("^hot_[ab]\\(", NameMatcher::Kind::Regex);
    EXPECT_TRUE(regex.matches("hot_a()"));
    EXPECT_FALSE(regex.matches("not_hot_a()")); // anchored
    EXPECT_TRUE(NameMatcher("ALPHA", NameMatcher::Kind::Regex, false).matches("alpha(int)"));
    EXPECT_FALSE(NameMatcher("ALPHA", NameMatcher::Kind::Regex).matches("alpha(int)"));
    EXPECT_EQ(NameMatcher("(", NameMatcher::Kind::Substring).pattern(), "(");
}

TEST(Queries, BadRegularExpressionIsAOneLineError) {
    try {
        NameMatcher("hot_(a", NameMatcher::Kind::Regex);
        FAIL() << "no error";
    } catch (const Error& error) {
        const std::string message = error.what();
        EXPECT_EQ(message.rfind("bad regular expression 'hot_(a': ", 0), 0u) << message;
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
}

TEST(Queries, TraceNeedsTraceEvents) {
    EXPECT_THROW(computeTrace(test::callTreeProfile(), {}), Error);
}

} // namespace
} // namespace hprof
