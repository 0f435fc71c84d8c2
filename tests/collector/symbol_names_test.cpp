// Names of compiler-generated functions and clones, as a reader of the table wants them.
#include "symbol_names.h"

#include <gtest/gtest.h>

namespace hprof {
namespace {

TEST(SymbolNames, CxxNamesAreDemangledWithTheirCloneSuffix) {
    EXPECT_EQ(readableName("_Z3fooi"), "foo(int)");
    EXPECT_EQ(readableName("_Z3fooi.constprop.0"), "foo(int) [clone .constprop.0]");
    EXPECT_EQ(readableName("_ZL7comparePKvS0_.lto_priv.0"),
              "compare(void const*, void const*) [clone .lto_priv.0]");
}

TEST(SymbolNames, CNamesRenamedByTheCompilerSayTheyAreClones) {
    EXPECT_EQ(readableName("compar.1"), "compar [clone .1]");
    EXPECT_EQ(readableName("foo_internal.part.0"), "foo_internal [clone .part.0]");
    EXPECT_EQ(readableName("main"), "main");
    EXPECT_EQ(readableName(".annobin_init.c"), ".annobin_init.c"); // not an identifier: as is
    EXPECT_EQ(readableName("_Zbroken"), "_Zbroken");               // not demangleable: as is
}

TEST(SymbolNames, StaticInitializersNameTheirUnit) {
    EXPECT_EQ(readableName("_GLOBAL__sub_I__Z3foov", "/src/app/widgets.cpp"),
              "static initializers of widgets.cpp");
    EXPECT_EQ(readableName("_GLOBAL__sub_I__Z3foov"), "static initializers (with foo())");
    EXPECT_EQ(readableName("_GLOBAL__sub_I_main.cpp"), "static initializers (with main.cpp)");
    EXPECT_EQ(readableName("_GLOBAL__sub_D_x", "a.cpp"), "static destructors of a.cpp");
}

} // namespace
} // namespace hprof
