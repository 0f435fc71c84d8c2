// GoogleTest with a QApplication: the widgets and the document's queued signals need one.
#include <QApplication>
#include <gtest/gtest.h>

int main(int argc, char** argv) {
    // ctest sets QT_QPA_PLATFORM=offscreen (test properties); test discovery and a manual run
    // get it here, so that no display is ever needed.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("hprof-tests"));
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
