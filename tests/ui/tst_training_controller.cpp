// Real short runs through TrainingController on a tiny random model: events arrive on the GUI
// thread, one run at a time, pause/resume/cancel, failures, and the main window after a run.
#include <QElapsedTimer>
#include <QProgressBar>
#include <QPushButton>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

#include "controller/training_controller.h"
#include "document/experiment_document.h"
#include "main_window.h"
#include "pages/evaluate_page.h"
#include "pages/train_page.h"
#include "test_support.h"
#include "views/confusion_heatmap.h"
#include "views/loss_plot.h"

using namespace tb::ui;
using tb::train::RunState;

namespace {

constexpr int kRunTimeoutMs = 240000;  // generous: the machine may be busy building

QString fixture(const char* name) {
    return QStringLiteral(TB_FIXTURES_DIR "/ui/") + QLatin1String(name);
}

}  // namespace

class TestTrainingController : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void shortRunReportsEverything();
    void cancelOnFirstStep();
    void pauseAndResume();
    void failedRunReportsMessage();
    void destructorStopsRunningRun();
    void mainWindowShowsEvaluationAfterRun();

private:
    tb::io::ExperimentConfig config() const;
    QTemporaryDir m_dir;
    QString m_model;
};

void TestTrainingController::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_model = m_dir.filePath(QStringLiteral("model"));
    tb::testing::make_tiny_model(m_model.toStdString(), fixture("separable.csv").toStdString());
}

tb::io::ExperimentConfig TestTrainingController::config() const {
    tb::io::ExperimentConfig c;
    c.name = "ui-run";
    c.dataset.path = fixture("separable.csv").toStdString();
    c.model.path = m_model.toStdString();
    c.model.max_length = 32;
    c.training.epochs = 2;
    c.training.batch_size = 8;
    c.training.eval_batch_size = 32;
    c.training.learning_rate = 1e-3;
    c.training.device = "cpu";
    c.training.log_every_steps = 1;
    c.output.runs_dir = m_dir.filePath(QStringLiteral("runs")).toStdString();
    return c;
}

void TestTrainingController::shortRunReportsEverything() {
    TrainingController controller;
    QSignalSpy started(&controller, &TrainingController::runStarted);
    QSignalSpy steps(&controller, &TrainingController::stepReported);
    QSignalSpy evals(&controller, &TrainingController::evalReported);
    QSignalSpy checkpoints(&controller, &TrainingController::checkpointSaved);
    QSignalSpy logs(&controller, &TrainingController::logLine);
    QSignalSpy finished(&controller, &TrainingController::runFinished);
    QSignalSpy failed(&controller, &TrainingController::runFailed);

    QVERIFY(controller.start(config()));
    QVERIFY(controller.isRunning());
    QCOMPARE(controller.state(), RunState::Running);
    // One run at a time.
    QVERIFY(!controller.start(config()));
    QVERIFY(!controller.lastError().isEmpty());

    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kRunTimeoutMs);
    const auto result = finished.at(0).at(0).value<tb::train::RunResult>();
    QVERIFY2(result.state == RunState::Finished, result.error.c_str());
    QCOMPARE(failed.count(), 0);
    QVERIFY(!controller.isRunning());
    QCOMPARE(controller.state(), RunState::Finished);

    QCOMPARE(started.count(), 1);
    const auto info = started.at(0).at(0).value<tb::train::RunInfo>();
    QCOMPARE(info.epochs, 2);
    QVERIFY(info.total_steps > 0);
    QCOMPARE(steps.count(), static_cast<int>(info.total_steps));
    const auto last = steps.last().at(0).value<tb::train::StepMetrics>();
    QCOMPARE(last.step, info.total_steps);
    QCOMPARE(last.epoch, 2);
    QCOMPARE(evals.count(), 3);  // dev after each epoch, then test
    QCOMPARE(evals.last().at(0).value<tb::train::EvalReport>().split, std::string("test"));
    QVERIFY(checkpoints.count() >= 2);
    QVERIFY(!logs.isEmpty());
    QVERIFY(!result.last_checkpoint.empty());
    QVERIFY(QFileInfo::exists(QString::fromStdString(result.last_checkpoint)));

    // The controller runs again after a run ended.
    QVERIFY(controller.start(config()));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, kRunTimeoutMs);
}

void TestTrainingController::cancelOnFirstStep() {
    TrainingController controller;
    QSignalSpy steps(&controller, &TrainingController::stepReported);
    QSignalSpy finished(&controller, &TrainingController::runFinished);
    QSignalSpy states(&controller, &TrainingController::stateChanged);
    QSignalSpy started(&controller, &TrainingController::runStarted);
    connect(&controller, &TrainingController::stepReported, &controller,
            [&controller] { controller.cancel(); });
    auto c = config();
    c.training.epochs = 50;
    QVERIFY(controller.start(c));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kRunTimeoutMs);
    const auto result = finished.at(0).at(0).value<tb::train::RunResult>();
    QVERIFY2(result.state == RunState::Cancelled, result.error.c_str());
    QCOMPARE(controller.state(), RunState::Cancelled);
    QVERIFY(!controller.isRunning());
    QVERIFY(steps.count() >= 1);
    QCOMPARE(started.count(), 1);
    const auto info = started.at(0).at(0).value<tb::train::RunInfo>();
    QVERIFY(steps.count() < info.total_steps);  // stopped long before the end
    bool sawCancelling = false;
    for (const auto& args : states)
        sawCancelling |= args.at(0).value<RunState>() == RunState::Cancelling;
    QVERIFY(sawCancelling);
}

void TestTrainingController::pauseAndResume() {
    TrainingController controller;
    QSignalSpy steps(&controller, &TrainingController::stepReported);
    QSignalSpy finished(&controller, &TrainingController::runFinished);
    auto c = config();
    c.training.epochs = 20;
    QVERIFY(controller.start(c));
    // Paused before the loop reaches its first batch boundary: the tiny model is too fast to
    // pause reliably from a step signal (the worker runs ahead of the GUI thread).
    controller.pause();
    QCOMPARE(controller.state(), RunState::Paused);
    QTest::qWait(500);
    const int before = steps.count();
    QTest::qWait(1000);
    QCOMPARE(steps.count(), before);
    QCOMPARE(finished.count(), 0);
    QVERIFY(controller.isRunning());
    // A second pause is ignored; resume continues to the end.
    controller.pause();
    QCOMPARE(controller.state(), RunState::Paused);
    controller.resume();
    QCOMPARE(controller.state(), RunState::Running);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kRunTimeoutMs);
    QCOMPARE(finished.at(0).at(0).value<tb::train::RunResult>().state, RunState::Finished);
    QVERIFY(steps.count() > before);
}

void TestTrainingController::failedRunReportsMessage() {
    TrainingController controller;
    QSignalSpy failed(&controller, &TrainingController::runFailed);
    QSignalSpy finished(&controller, &TrainingController::runFinished);
    auto c = config();
    c.model.path = m_dir.filePath(QStringLiteral("no-such-model")).toStdString();
    QVERIFY(controller.start(c));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kRunTimeoutMs);
    QCOMPARE(failed.count(), 1);
    QVERIFY2(failed.at(0).at(0).toString().contains(QStringLiteral("no-such-model")),
             qPrintable(failed.at(0).at(0).toString()));
    QCOMPARE(finished.at(0).at(0).value<tb::train::RunResult>().state, RunState::Failed);
    QCOMPARE(controller.state(), RunState::Failed);
    QVERIFY(!controller.isRunning());
}

void TestTrainingController::destructorStopsRunningRun() {
    auto controller = std::make_unique<TrainingController>();
    QSignalSpy steps(controller.get(), &TrainingController::stepReported);
    auto c = config();
    c.training.epochs = 50;
    QVERIFY(controller->start(c));
    QTRY_VERIFY_WITH_TIMEOUT(steps.count() >= 1, kRunTimeoutMs);
    QElapsedTimer timer;
    timer.start();
    controller.reset();  // cancel -> quit -> wait; must not hang or crash
    QVERIFY(timer.elapsed() < 60000);
}

void TestTrainingController::mainWindowShowsEvaluationAfterRun() {
    MainWindow window;
    window.show();
    window.document()->reset(config());
    QSignalSpy finished(window.controller(), &TrainingController::runFinished);
    window.startRun();
    QCOMPARE(window.currentPage(), MainWindow::TrainPageIndex);
    QVERIFY(!window.trainPage()->startButton()->isEnabled());
    QVERIFY(window.trainPage()->cancelButton()->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kRunTimeoutMs);
    QCOMPARE(finished.at(0).at(0).value<tb::train::RunResult>().state, RunState::Finished);
    QCOMPARE(window.currentPage(), MainWindow::EvaluatePageIndex);
    QTRY_VERIFY_WITH_TIMEOUT(window.trainPage()->lossPlot()->trainPointCount() > 0, 2000);
    QTRY_COMPARE_WITH_TIMEOUT(window.trainPage()->lossPlot()->devPointCount(), 2, 2000);
    QCOMPARE(window.evaluatePage()->reportCount(), 3);
    const ConfusionHeatmap* heatmap = window.evaluatePage()->heatmap();
    QCOMPARE(heatmap->classCount(), 2);
    std::int64_t total = 0;
    for (int t = 0; t < 2; ++t)
        for (int p = 0; p < 2; ++p)
            total += heatmap->cellCount(t, p);
    QVERIFY(total > 0);
    QVERIFY(window.trainPage()->startButton()->isEnabled());
    QCOMPARE(window.trainPage()->progressBar()->value(),
             window.trainPage()->progressBar()->maximum());
}

QTEST_MAIN(TestTrainingController)
#include "tst_training_controller.moc"
