// The bottleneck is the user's function even when its parameters name standard library types and
// its first line comes from a system header (an inlined std::vector accessor).
#include "hprof/scaling.h"
#include "scaling_profiles.h"

#include <gtest/gtest.h>

namespace hprof {
namespace {

using namespace scaling_profiles;

TEST(ScalingUserCode, AUserFunctionTakingAStdVectorIsNamedNotItsCaller) {
    // As g++ -O2 builds /tmp's pairs.cpp: close_pairs's entry is an inlined stl_vector.h line.
    const std::string pairs = "close_pairs(std::vector<double, std::allocator<double> > const&)";
    const Runs runs = runsAt({100, 200, 400, 800, 1600}, [&](double n) {
        return std::vector<Path>{
            {{{"main", "pairs.cpp"}}, size_t(n / 20)},
            {{{"main", "pairs.cpp"}, {pairs, "/usr/include/c++/12/bits/stl_vector.h"}},
             size_t(n * n / 400)},
            {{{"main", "pairs.cpp"},
              {pairs, "/usr/include/c++/12/bits/stl_vector.h"},
              {"std::vector<double>::operator[](unsigned long)",
               "/usr/include/c++/12/bits/stl_vector.h"}},
             size_t(n * n / 2000)}};
    });
    const ScalingReport report = analyseScaling(runs.sized());
    ASSERT_TRUE(report.bottleneck) << report.summary;
    EXPECT_EQ(report.functions[report.bottleneck->function].name, pairs) << report.summary;
}

} // namespace
} // namespace hprof
