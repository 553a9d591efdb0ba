// Resuming from the GUI: train a tiny run, pick it and its epoch-1 checkpoint on the Runs page,
// press Resume, and the continued run finishes in a new run folder that records its parent.
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#include <nlohmann/json.hpp>

#include "controller/training_controller.h"
#include "main_window.h"
#include "pages/runs_page.h"
#include "test_support.h"

using namespace tb::ui;

class TestResumeGui : public QObject {
    Q_OBJECT

private slots:
    void resumesAPickedCheckpoint() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString data = QStringLiteral(TB_FIXTURES_DIR "/ui/separable.csv");
        tb::testing::make_tiny_model(dir.filePath("model").toStdString(), data.toStdString());
        const QString yaml = dir.filePath("exp.yaml");
        std::ofstream(yaml.toStdString())
            << "name: gui-resume\ndataset:\n  path: " << data.toStdString()
            << "\nmodel:\n  path: model\n  max_length: 32\n"
            << "training:\n  epochs: 2\n  batch_size: 8\n  device: cpu\n"
            << "output:\n  runs_dir: runs\n  keep_last_checkpoints: 3\n";

        MainWindow window;
        QVERIFY2(window.openExperiment(yaml), qPrintable(window.lastError()));
        QSignalSpy finished(window.controller(), &TrainingController::runFinished);
        window.startRun();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 240000);
        QCOMPARE(finished.at(0).at(0).value<tb::train::RunResult>().state,
                 tb::train::RunState::Finished);

        RunsPage* runs = window.runsPage();
        window.showPage(MainWindow::RunsPageIndex);
        QCOMPARE(runs->runsTable()->rowCount(), 1);
        runs->runsTable()->selectRow(0);
        int epochOne = -1;
        for (int i = 0; i < runs->checkpointList()->count(); ++i)
            if (runs->checkpointList()->item(i)->text().startsWith(QStringLiteral("epoch-001")))
                epochOne = i;
        QVERIFY(epochOne >= 0);
        runs->checkpointList()->setCurrentRow(epochOne);
        QVERIFY(runs->resumeButton()->isEnabled());
        QCOMPARE(runs->resumeEpochs()->value(), 2);  // the original plan: 2 epochs
        runs->resumeEpochs()->setValue(3);           // and train one more

        runs->resumeButton()->click();
        QCOMPARE(window.currentPage(), MainWindow::TrainPageIndex);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 240000);
        const auto result = finished.at(1).at(0).value<tb::train::RunResult>();
        QVERIFY2(result.state == tb::train::RunState::Finished, result.error.c_str());
        std::ifstream status(result.run_dir + "/run.json");
        const auto j = nlohmann::json::parse(status);
        QCOMPARE(QString::fromStdString(j["state"]), QStringLiteral("finished"));
        QVERIFY(j.contains("resumed_from"));
        QVERIFY(QFileInfo::exists(QString::fromStdString(result.run_dir) +
                                  QStringLiteral("/checkpoints/epoch-003.h5")));
        QTRY_COMPARE(runs->runsTable()->rowCount(), 2);  // the page lists the new run
    }
};

QTEST_MAIN(TestResumeGui)
#include "tst_resume_gui.moc"
