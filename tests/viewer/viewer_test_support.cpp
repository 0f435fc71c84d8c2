#include "viewer_test_support.h"

#include "hprof/import.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>

#include <mutex>
#include <ostream>

namespace hprof::viewer::test {

namespace {

std::mutex reports_mutex;
QStringList reports;
QtMessageHandler previous_handler = nullptr;

void collectModelTestMessages(QtMsgType type, const QMessageLogContext& context,
                              const QString& message) {
    if (context.category && QByteArray(context.category) == "qt.modeltest") {
        std::lock_guard lock(reports_mutex);
        reports << message;
        return;
    }
    previous_handler(type, context, message);
}

constexpr int kWaitMs = 60'000;

} // namespace

ModelReports::ModelReports() {
    reports.clear();
    previous_handler = qInstallMessageHandler(collectModelTestMessages);
}

ModelReports::~ModelReports() {
    qInstallMessageHandler(previous_handler);
}

const QStringList& ModelReports::messages() const {
    return reports;
}

std::unique_ptr<QAbstractItemModelTester> testModel(QAbstractItemModel* model) {
    return std::make_unique<QAbstractItemModelTester>(
        model, QAbstractItemModelTester::FailureReportingMode::Warning);
}

bool waitForReady(ProfileDocument& document, const std::function<void()>& request) {
    QSignalSpy ready(&document, &ProfileDocument::ready);
    request();
    return ready.wait(kWaitMs);
}

bool openAndWait(ProfileDocument& document, const QString& path) {
    return waitForReady(document, [&] { document.open(path); });
}

std::ostream& operator<<(std::ostream& out, const RowNumbers& row) {
    out << "{tottime " << row.tottime << ", cumtime " << row.cumtime << ", ncalls ";
    if (row.ncalls)
        out << *row.ncalls;
    else
        out << "-";
    return out << "}";
}

std::map<std::string, RowNumbers> tableRows(const CallTableModel& model, const Profile& profile) {
    std::map<std::string, RowNumbers> rows;
    for (int row = 0; row < model.rowCount(); ++row) {
        const FunctionStats& stats = model.statsAt(row);
        auto value = [&](int column) { return model.index(row, column).data(ValueRole); };
        const QVariant ncalls = value(CallTableModel::NCalls);
        rows[profile.function(stats.function).name] = {
            value(CallTableModel::TotTime).toDouble(), value(CallTableModel::CumTime).toDouble(),
            ncalls.isValid() ? std::optional<qulonglong>(ncalls.toULongLong()) : std::nullopt};
    }
    return rows;
}

std::map<std::string, RowNumbers> jsonRows(const std::string& json) {
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray::fromStdString(json));
    std::map<std::string, RowNumbers> rows;
    for (const QJsonValue& value : document.object().value(QStringLiteral("functions")).toArray()) {
        const QJsonObject function = value.toObject();
        const QJsonValue ncalls = function.value(QStringLiteral("ncalls"));
        rows[function.value(QStringLiteral("function")).toString().toStdString()] = {
            function.value(QStringLiteral("tottime")).toDouble(),
            function.value(QStringLiteral("cumtime")).toDouble(),
            ncalls.isNull() ? std::nullopt
                            : std::optional<qulonglong>(qulonglong(ncalls.toInteger()))};
    }
    return rows;
}

std::string readError(const std::string& path) {
    try {
        readAnyProfile(path); // what `hprof report` reads files with
    } catch (const Error& error) {
        return error.what();
    }
    return {};
}

QString writeTo(const Profile& profile, const std::string& dir, const std::string& name) {
    const std::string path = dir + "/" + name;
    writeProfile(profile, path);
    return QString::fromStdString(path);
}

} // namespace hprof::viewer::test
