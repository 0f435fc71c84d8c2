// The viewer opens other tools' profiles directly (docs/import.md): a pstats file shows its
// exact times and call counts, a perf script its samples, each with the numbers `hprof report`
// prints for the same file.
#include "call_table_view.h"
#include "main_window.h"
#include "marshal_bytes.h"
#include "viewer_test_support.h"

#include "temp_dir.h"

#include "hprof/import.h"
#include "hprof/report.h"

#include <QSignalSpy>
#include <gtest/gtest.h>

#include <sstream>

namespace hprof::viewer {
namespace {

using namespace hprof::viewer::test;
using namespace hprof::test::marshal;
using hprof::test::TempDir;

std::string jsonReport(const Profile& profile) {
    ReportOptions options;
    options.format = ReportFormat::Json;
    std::ostringstream out;
    printReport(profile, options, out);
    return out.str();
}

std::string key(const std::string& name) {
    return tuple({shortText("prog.py"), integer(1), shortText(name)});
}

class ImportDocumentTest : public ::testing::Test {
  protected:
    std::map<std::string, RowNumbers> openRows(const std::string& name, const std::string& bytes) {
        const std::string path = dir.writeFile(name, bytes);
        EXPECT_TRUE(openAndWait(document, QString::fromStdString(path)));
        EXPECT_EQ(jsonRows(jsonReport(readAnyProfile(path))),
                  tableRows(*window.callTableView()->model(), *document.profile()));
        return tableRows(*window.callTableView()->model(), *document.profile());
    }

    TempDir dir;
    ProfileDocument document;
    MainWindow window{&document};
};

TEST_F(ImportDocumentTest, PstatsShowsExactTimesAndCounts) {
    const std::string pstats = dict(
        {{key("main"), tuple({integer(1), integer(1), real(0.5), real(2.0), dict({})})},
         {key("work"),
          tuple({integer(2), integer(3), real(1.5), real(1.5),
                 dict({{key("main"), tuple({integer(3), integer(2), real(1.5), real(1.5)})}})})}});
    const auto rows = openRows("prog.prof", pstats);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows.at("work"), (RowNumbers{1.5, 1.5, 3}));
    EXPECT_EQ(rows.at("main"), (RowNumbers{0.5, 2.0, 1}));
}

TEST_F(ImportDocumentTest, PerfScriptShowsItsSamples) {
    const auto rows = openRows("perf.txt", "prog 7/7 10.000000: 250000 cpu-clock:\n"
                                           "\t1163 leaf+0x1 (/tmp/prog)\n"
                                           "\t120e main+0x5 (/tmp/prog)\n"
                                           "\n"
                                           "prog 7/7 10.000250: 250000 cpu-clock:\n"
                                           "\t120e main+0x9 (/tmp/prog)\n");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows.at("leaf"), (RowNumbers{0.00025, 0.00025, std::nullopt}));
    EXPECT_EQ(rows.at("main"), (RowNumbers{0.00025, 0.0005, std::nullopt}));
}

TEST_F(ImportDocumentTest, AFileOfNoKnownFormatGetsTheCliError) {
    const std::string path = dir.writeFile("notes.txt", "hello\n");
    QSignalSpy failed(&document, &ProfileDocument::loadFailed);
    document.open(QString::fromStdString(path));
    ASSERT_TRUE(failed.wait(60'000));
    EXPECT_EQ(failed.at(0).at(0).toString().toStdString(),
              path + ": not a profile hprof can read (neither .hprof nor pstats, perf script or "
                     "gperftools CPU profile)");
}

} // namespace
} // namespace hprof::viewer
