// Row labels: pstats' "file:line(function)", with the module added only where two functions of
// the profile would otherwise print the same label.
#include "hprof/function_labels.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace hprof {
namespace {

Profile profileWithModules(std::initializer_list<Function> functions) {
    Profile profile;
    profile.modules = {{"/usr/bin/app", ""}, {"/usr/lib/libwork.so.1", ""}};
    profile.functions = functions;
    return profile;
}

TEST(FunctionLabels, PstatsLabelsAndTildeForUnknownFiles) {
    const Profile profile = profileWithModules(
        {{"main", "app.cpp", 3, ModuleId(0)}, {"app+0x1234", "", 0, ModuleId(0)}});
    const FunctionLabels labels(profile);
    EXPECT_EQ(labels[FunctionId(0)], "app.cpp:3(main)");
    EXPECT_EQ(labels[FunctionId(1)], "~:0(app+0x1234)");
}

TEST(FunctionLabels, SameLabelInTwoModulesNamesTheModule) {
    const Profile profile = profileWithModules({{"burn(double)", "burn.h", 25, ModuleId(0)},
                                                {"burn(double)", "burn.h", 25, ModuleId(1)},
                                                {"burn(double)", "burn.h", 26, ModuleId(1)},
                                                {"helper", "", 0, ModuleId()}});
    const FunctionLabels labels(profile);
    EXPECT_EQ(labels[FunctionId(0)], "burn.h:25(burn(double)) [app]");
    EXPECT_EQ(labels[FunctionId(1)], "burn.h:25(burn(double)) [libwork.so.1]");
    EXPECT_EQ(labels[FunctionId(2)], "burn.h:26(burn(double))"); // another line: no clash
    EXPECT_EQ(labels[FunctionId(3)], "~:0(helper)");
}

TEST(FunctionLabels, TextReportPrintsTheDisambiguatedLabels) {
    Profile profile = test::callTreeProfile();
    // beta() becomes a second alpha(int) at the same place, in another module.
    auto find = [&](const std::string& name) -> Function& {
        for (Function& function : profile.functions)
            if (function.name == name)
                return function;
        throw std::runtime_error("no function " + name);
    };
    Function& alpha = find("alpha(int)");
    Function& beta = find("beta()");
    alpha.module = ModuleId(uint32_t(profile.modules.size()));
    profile.modules.push_back({"/usr/bin/app", ""});
    beta = alpha;
    beta.module = ModuleId(uint32_t(profile.modules.size()));
    profile.modules.push_back({"/usr/lib/libtwin.so", ""});
    const std::string text = test::report(profile, {});
    EXPECT_NE(text.find("app.cpp:10(alpha(int)) [app]\n"), std::string::npos) << text;
    EXPECT_NE(text.find("app.cpp:10(alpha(int)) [libtwin.so]\n"), std::string::npos) << text;
    EXPECT_NE(text.find("app.cpp:1(main)\n"), std::string::npos) << text;
}

} // namespace
} // namespace hprof
