// Where the tables say functions are: a C program's own malloc is shown at its definition, not
// at the declaration in <stdlib.h> that GCC's DWARF gives it; a function whose first instruction
// is inlined library code is shown in its own file, not in the library header.
#include "hprof_runs.h"

#include <gtest/gtest.h>

using namespace hprof::test;

TEST(SymbolPlaces, ProgramsOwnMallocIsShownWhereItIsDefined) {
    const TempDir dir;
    const CommandResult run = recordSample(dir, {}, "own_malloc");
    ASSERT_EQ(run.status, 0) << run.err;
    const hprof::Profile profile = recordedProfile(dir);
    const std::optional<hprof::FunctionStats> stats = statsOf(profile, "malloc");
    ASSERT_TRUE(stats) << "one malloc, the program's, with samples";
    const hprof::Function& malloc_function = profile.function(stats->function);
    EXPECT_TRUE(malloc_function.file.ends_with("samples/own_malloc.c")) << malloc_function.file;
    // The definition's first instruction: its opening line (10) or, at -O2, its first statement.
    EXPECT_GE(malloc_function.line, 10u);
    EXPECT_LE(malloc_function.line, 12u);
}

// mixed_growth's pair_signature starts, at -O2, with std::vector::size() inlined from
// <bits/stl_vector.h>: the line table's place of its first instruction is in that header, and
// `hprof report`, the scaling report and check's GitHub annotations pointed there.
TEST(SymbolPlaces, AFunctionStartingWithInlinedLibraryCodeIsShownInItsOwnFile) {
    const TempDir dir;
    const CommandResult run = recordSample(dir, {"-F", "4000"}, "mixed_growth", {"4000"});
    ASSERT_EQ(run.status, 0) << run.err;
    const hprof::Profile profile = recordedProfile(dir);
    const std::optional<hprof::FunctionStats> stats = statsOf(profile, "pair_signature");
    ASSERT_TRUE(stats) << "pair_signature has samples";
    const hprof::Function& function = profile.function(stats->function);
    EXPECT_TRUE(function.file.ends_with("samples/mixed_growth.cpp")) << function.file;
}
