#include "hprof/profile_builder.h"
#include "test_support.h"

#include <gtest/gtest.h>

namespace hprof {
namespace {

TEST(ProfileBuilder, InternsEqualElementsOnce) {
    ProfileBuilder builder;
    ModuleId module = builder.internModule({"/bin/a", "beef"});
    EXPECT_EQ(builder.internModule({"/bin/a", "beef"}), module);
    EXPECT_NE(builder.internModule({"/bin/a", "cafe"}), module);

    FunctionId function = builder.internFunction({"f", "f.c", 1, module});
    EXPECT_EQ(builder.internFunction({"f", "f.c", 1, module}), function);
    EXPECT_NE(builder.internFunction({"f", "f.c", 2, module}), function);
    EXPECT_NE(builder.internFunction({"f", "f.c", 1, ModuleId()}), function);

    FrameId frame = builder.internFrame({function, 3, false});
    EXPECT_EQ(builder.internFrame({function, 3, false}), frame);
    EXPECT_NE(builder.internFrame({function, 3, true}), frame);

    StackId root = builder.internStack(StackId(), frame);
    EXPECT_EQ(builder.internStack(StackId(), frame), root);
    StackId child = builder.internStack(root, frame);
    EXPECT_NE(child, root);
    EXPECT_EQ(builder.internStack(root, frame), child);

    const Profile& profile = builder.profile();
    EXPECT_EQ(profile.modules.size(), 2u);
    EXPECT_EQ(profile.functions.size(), 3u);
    EXPECT_EQ(profile.frames.size(), 2u);
    ASSERT_EQ(profile.stacks.size(), 2u);
    EXPECT_EQ(profile.stack(child).parent, root);
    EXPECT_EQ(profile.function(function).name, "f");
}

TEST(ProfileBuilder, TakeSortsSamplesByTimeStably) {
    ProfileBuilder builder;
    FrameId frame =
        builder.internFrame({builder.internFunction({"f", "", 0, ModuleId()}), 0, false});
    StackId stack = builder.internStack(StackId(), frame);
    builder.profile().processes.push_back({});
    builder.profile().threads.push_back({});
    std::vector<Sample>& samples = builder.profile().samples;
    samples.push_back({30, ThreadId(0), stack, 1});
    samples.push_back({10, ThreadId(0), stack, 2});
    samples.push_back({30, ThreadId(0), stack, 3});
    samples.push_back({20, ThreadId(0), stack, 4});
    samples.push_back({10, ThreadId(0), stack, 5});

    Profile profile = builder.take();
    std::vector<std::pair<int64_t, int64_t>> order;
    for (const Sample& sample : profile.samples)
        order.emplace_back(sample.time_ns, sample.weight_ns);
    std::vector<std::pair<int64_t, int64_t>> expected = {
        {10, 2}, {10, 5}, {20, 4}, {30, 1}, {30, 3}};
    EXPECT_EQ(order, expected);
}

TEST(ProfileBuilder, IsEmptyAfterTake) {
    ProfileBuilder builder;
    FunctionId first = builder.internFunction({"f", "", 0, ModuleId()});
    builder.internFunction({"g", "", 0, ModuleId()});
    Profile taken = builder.take();
    EXPECT_EQ(taken.functions.size(), 2u);
    EXPECT_TRUE(builder.profile().functions.empty());
    // The indexes were reset too: a new profile starts its ids at 0 again.
    EXPECT_EQ(builder.internFunction({"g", "", 0, ModuleId()}), first);
}

} // namespace
} // namespace hprof
