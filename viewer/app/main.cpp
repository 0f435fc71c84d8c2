// hprof-viewer: the window, or with --screenshot a headless rendering of one view.
#include "main_window.h"
#include "profile_document.h"
#include "scaling_view.h"
#include "viewer_options.h"

#include <QApplication>
#include <QPixmap>

#include <cstdio>
#include <iostream>

namespace {

using namespace hprof::viewer;

void printError(const std::string& message) {
    std::cerr << "hprof-viewer: " << message << std::endl;
}

// In --screenshot mode stderr carries one line, the error, if any: Qt's notes about the headless
// platform (no XDG_RUNTIME_DIR, no size hints offscreen) are not for the user.
void dropQtNotes(QtMsgType type, const QMessageLogContext&, const QString& message) {
    if (type == QtCriticalMsg || type == QtFatalMsg)
        std::cerr << message.toStdString() << std::endl;
}

// Grabs the window once the document's aggregation is shown ("ready"), writes the PNG, exits.
void takeScreenshotWhenReady(ProfileDocument& document, MainWindow& window,
                             const std::string& out) {
    QObject::connect(&document, &ProfileDocument::ready, &window, [&window, out] {
        QCoreApplication::processEvents(); // the views' pending layouts, not a wait
        if (!window.grab().save(QString::fromStdString(out), "PNG")) {
            printError("cannot write the screenshot '" + out + "'");
            QCoreApplication::exit(1);
            return;
        }
        QCoreApplication::exit(0);
    });
    QObject::connect(&document, &ProfileDocument::loadFailed, &window, [](const QString& error) {
        printError(error.toStdString());
        QCoreApplication::exit(1);
    });
}

// --scaling DIR: the scaling view, shown or (--screenshot) rendered to a PNG.
int runScalingView(const ViewerOptions& options) {
    ScalingView view;
    view.setWindowTitle(QStringLiteral("hprof scaling: ") +
                        QString::fromStdString(options.scaling_dir));
    const QString error = view.load(QString::fromStdString(options.scaling_dir));
    if (!error.isEmpty()) {
        printError(error.toStdString());
        return 1;
    }
    view.resize(options.width, options.height);
    view.show();
    if (options.screenshot.empty())
        return QApplication::exec();
    QCoreApplication::processEvents(); // the pending layouts, not a wait
    if (!view.grab().save(QString::fromStdString(options.screenshot), "PNG")) {
        printError("cannot write the screenshot '" + options.screenshot + "'");
        return 1;
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    const auto parsed = parseViewerOptions(std::vector<std::string>(argv + 1, argv + argc));
    if (const auto* error = std::get_if<std::string>(&parsed)) {
        printError(*error);
        return 2;
    }
    const ViewerOptions& options = std::get<ViewerOptions>(parsed);
    if (options.help) {
        std::cout << kViewerHelp;
        return 0;
    }
    // A screenshot needs no display: render offscreen unless a platform was chosen.
    if (!options.screenshot.empty()) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        qInstallMessageHandler(dropQtNotes);
    }
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("hprof"));
    QApplication::setApplicationName(QStringLiteral("hprof-viewer"));
    if (!options.scaling_dir.empty())
        return runScalingView(options);
    ProfileDocument document;
    MainWindow window(&document);
    window.resize(options.width, options.height);
    window.showView(options.view);
    if (!options.screenshot.empty())
        takeScreenshotWhenReady(document, window, options.screenshot);
    window.show();
    if (!options.file.empty())
        document.open(QString::fromStdString(options.file));
    return QApplication::exec();
}
