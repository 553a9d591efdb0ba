// Runs masked-LM pretraining (tb::pretrain::run_pretraining) on its own thread for the GUI.
#pragma once

#include <QObject>
#include <QString>

#include <memory>

#include "pretrain/pretrainer.h"

class QThread;

namespace tb::ui {

// How a pretraining run ended. Exactly one of: completed, cancelled (stopped early; the core
// still wrote the folder, marked "completed": false in pretraining.json) or failed (error set;
// the core wrote nothing).
struct PretrainOutcome {
    bool failed = false;
    bool cancelled = false;
    QString error;   // failed only: the core's message, with its location
    QString outDir;  // the folder written (not failed)
    tb::pretrain::PretrainResult result;
};

// GUI-thread object; one run at a time. The core runs on a QThread created per run; its
// progress, log lines and outcome are handed to this object's thread as queued calls and
// re-emitted as signals there. cancel() acts on the run's RunControl directly (the worker
// thread is inside run_pretraining and processes no events). Never does training math.
class PretrainRunner : public QObject {
    Q_OBJECT

public:
    explicit PretrainRunner(QObject* parent = nullptr);
    // Cancels a running run and waits until the core has stopped (after its current step and
    // writing the folder). Never terminates the thread.
    ~PretrainRunner() override;

    // False (and nothing starts) while a run is active.
    bool start(const tb::pretrain::PretrainOptions& options);
    // Asks the run to stop after the current optimizer step. Reading the corpus and training
    // the vocabulary are not interruptible: a cancel then takes effect before the first step.
    void cancel();
    bool isRunning() const { return m_thread != nullptr; }
    bool isCancelling() const;
    // Processes events until the run has ended and finished() was emitted (tests, shutdown).
    // Returns false on timeout.
    bool waitUntilFinished(int timeoutMs);

signals:
    void progressReported(const tb::pretrain::PretrainProgress& progress);
    void logLine(const QString& line);
    // Always the last signal of a run.
    void finished(const tb::ui::PretrainOutcome& outcome);

private:
    void onThreadDone();

    QThread* m_thread = nullptr;
    std::shared_ptr<tb::train::RunControl> m_control;
    std::shared_ptr<PretrainOutcome> m_outcome;  // filled on the worker thread, read after join
};

}  // namespace tb::ui
