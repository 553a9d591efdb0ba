// tunebench GUI entry point: parses the command line and shows the main window.
#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include <cstdio>

#include "controller/training_controller.h"
#include "main_window.h"
#include "util/app_identity.h"

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    tb::ui::setApplicationIdentity();  // also adopts settings saved by earlier versions
    QApplication::setApplicationVersion(QStringLiteral(TUNEBENCH_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Fine-tuning workbench"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("experiment"),
                                 QStringLiteral("Experiment YAML file to open."),
                                 QStringLiteral("[EXPERIMENT.yaml]"));
    const QCommandLineOption start(QStringLiteral("start"),
                                   QStringLiteral("Start training right after loading."));
    const QCommandLineOption screenshots(
        QStringLiteral("screenshots"),
        QStringLiteral("Save a PNG of every page (and of the pretraining dialog) into DIR once the "
                       "run ends (or at once)."),
        QStringLiteral("DIR"));
    const QCommandLineOption quitAfterRun(
        QStringLiteral("quit-after-run"),
        QStringLiteral("Quit when the run ends (or after the screenshots when not started)."));
    parser.addOptions({start, screenshots, quitAfterRun});
    parser.process(app);

    tb::ui::MainWindow window;
    window.show();
    const QStringList args = parser.positionalArguments();
    if (!args.isEmpty() && !window.openExperiment(args.first())) {
        std::fprintf(stderr, "tunebench: %s\n", qPrintable(window.lastError()));
        if (parser.isSet(quitAfterRun))
            return 2;
    }

    const bool autoStart = parser.isSet(start);
    const QString shotsDir = parser.value(screenshots);
    const bool quit = parser.isSet(quitAfterRun);
    int exitCode = 0;
    // Runs once the run has ended (or at once when no run was started).
    auto finish = [&](bool failed) {
        if (!shotsDir.isEmpty() && !window.savePageScreenshots(shotsDir))
            std::fprintf(stderr, "tunebench: %s\n", qPrintable(window.lastError()));
        if (failed)
            exitCode = 1;
        if (quit)
            QApplication::exit(exitCode);
    };
    if (autoStart) {
        QObject::connect(window.controller(), &tb::ui::TrainingController::runFinished, &window,
                         [&](const tb::train::RunResult& result) {
                             // Give the final replots a moment before grabbing.
                             QTimer::singleShot(300, &window, [&, result] {
                                 finish(result.state == tb::train::RunState::Failed);
                             });
                         });
        QTimer::singleShot(0, &window, [&] { window.startRun(); });
    } else if (!shotsDir.isEmpty() || quit) {
        QTimer::singleShot(300, &window, [&] { finish(false); });
    }
    const int rc = app.exec();
    return exitCode != 0 ? exitCode : rc;
}
