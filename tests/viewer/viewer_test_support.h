// Helpers of the viewer tests: collecting QAbstractItemModelTester's reports, waiting (bounded)
// for the document, and the numbers of a call table or of a JSON report by function name.
#pragma once

#include "profile_document.h"

#include "call_table_model.h"

#include <QAbstractItemModel>
#include <QAbstractItemModelTester>
#include <QStringList>

#include <map>
#include <memory>
#include <optional>
#include <string>

namespace hprof::viewer::test {

// Collects the messages of the qt.modeltest category while it lives (the tester's non-fatal
// mode reports through qWarning); a test fails when there is any.
class ModelReports {
  public:
    ModelReports();
    ~ModelReports();
    const QStringList& messages() const;
};

// A tester in the non-fatal mode on `model`.
std::unique_ptr<QAbstractItemModelTester> testModel(QAbstractItemModel* model);

// Bounded waits for the document: true when the signal came within 60 s.
bool openAndWait(ProfileDocument& document, const QString& path);
bool waitForReady(ProfileDocument& document, const std::function<void()>& request);

// The numbers of one row: tottime, cumtime (seconds) and ncalls (nullopt when unknown).
struct RowNumbers {
    double tottime = 0;
    double cumtime = 0;
    std::optional<qulonglong> ncalls;
    bool operator==(const RowNumbers&) const = default;
};
std::ostream& operator<<(std::ostream& out, const RowNumbers& row);

// By function name (the tests' profiles have unique names).
std::map<std::string, RowNumbers> tableRows(const CallTableModel& model, const Profile& profile);
// The "functions" of a JSON report (printReport or `hprof report --format json`).
std::map<std::string, RowNumbers> jsonRows(const std::string& json);

// What readAnyProfile throws for `path` (the CLI's message); empty when it reads.
std::string readError(const std::string& path);

// Writes `profile` into `dir` as `name` and returns the path.
QString writeTo(const Profile& profile, const std::string& dir, const std::string& name);

} // namespace hprof::viewer::test
