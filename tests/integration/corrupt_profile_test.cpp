// `hprof report` on damaged or foreign files: one "hprof: " line on stderr, exit status 2,
// nothing on stdout, and never a crash.
#include "files.h"
#include "hprof_runs.h"

#include <gtest/gtest.h>

using namespace hprof::test;

namespace {

void expectRejected(const TempDir& dir, const std::string& name, const std::string& content) {
    SCOPED_TRACE(name + " (" + std::to_string(content.size()) + " bytes)");
    writeFile(dir.file(name), content);
    const CommandResult run = runHprof({"report", name}, dir);
    EXPECT_EQ(run.status, 2) << run.err; // a crash would be 128+N
    EXPECT_EQ(run.out, "");
    const std::vector<std::string> lines = linesOf(run.err);
    ASSERT_EQ(lines.size(), 1u) << run.err;
    EXPECT_EQ(lines.front().rfind("hprof: ", 0), 0u) << lines.front();
    EXPECT_EQ(run.err.back(), '\n');
}

} // namespace

TEST(CorruptProfile, CorruptProfileErrors) {
    const TempDir dir;
    ASSERT_EQ(recordSample(dir, {}, "split", {"0.2"}).status, 0);
    const std::string good = readFile(dir.file("profile.hprof"));
    ASSERT_GT(good.size(), 64u);
    // The untouched profile is accepted: the rejections below are about the damage.
    const CommandResult intact = runHprof({"report", "profile.hprof"}, dir);
    ASSERT_EQ(intact.status, 0) << intact.err;
    ASSERT_NE(intact.out.find("spend_half"), std::string::npos);

    for (const size_t length :
         {size_t(1), size_t(4), size_t(8), size_t(16), size_t(40), good.size() / 3, good.size() / 2,
          good.size() - 8, good.size() - 1}) {
        expectRejected(dir, "truncated.hprof", good.substr(0, length));
    }
    std::string flipped = good;
    flipped[flipped.size() / 2] = char(flipped[flipped.size() / 2] ^ 0x5a);
    expectRejected(dir, "flipped.hprof", flipped);
    expectRejected(dir, "text.hprof", "this is not a profile\nat all\n");
    expectRejected(dir, "empty.hprof", "");
}
