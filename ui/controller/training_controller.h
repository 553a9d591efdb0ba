// The UI's single entry point to training: owns the worker thread and the run's RunControl.
#pragma once

#include <QObject>
#include <QString>

#include <memory>

#include "controller/metatypes.h"
#include "train/run_control.h"

class QThread;

namespace tb::ui {

class TrainingWorker;

// GUI-thread object. One run at a time. pause()/resume()/cancel() act on the RunControl
// directly (the worker thread is busy inside Trainer::run and processes no events).
// Signals arrive on the GUI thread. runFinished() is always the last signal of a run (state
// Finished, Cancelled or Failed); runFailed(message) precedes it for a failed run.
class TrainingController : public QObject {
    Q_OBJECT

public:
    explicit TrainingController(QObject* parent = nullptr);
    // Cancels a running run and waits for the training thread to stop at its next batch
    // boundary (the trainer saves a checkpoint). Never terminates the thread.
    ~TrainingController() override;

    // Returns false (and emits logLine with the reason, see lastError()) if a run is active.
    // With `resumeFrom` (a checkpoint file) the run continues that checkpoint exactly, in a
    // new run folder; the Trainer refuses a config that would change the continued training.
    bool start(const tb::io::ExperimentConfig& config, const QString& resumeFrom = {});
    void pause();
    void resume();
    void cancel();
    // Saves a checkpoint after the current step; the run goes on.
    void requestCheckpoint();

    bool isRunning() const { return m_running; }
    tb::train::RunState state() const { return m_state; }
    QString lastError() const { return m_lastError; }

signals:
    void runStarted(const tb::train::RunInfo& info);
    void stateChanged(tb::train::RunState state);
    void stepReported(const tb::train::StepMetrics& metrics);
    void evalReported(const tb::train::EvalReport& report);
    void checkpointSaved(const tb::train::CheckpointInfo& checkpoint);
    void logLine(const QString& line);
    void runFinished(const tb::train::RunResult& result);
    void runFailed(const QString& message);

private:
    void setState(tb::train::RunState state);
    void onWorkerState(tb::train::RunState state);
    void onWorkerFinished(const tb::train::RunResult& result);

    QThread* m_thread = nullptr;         // child of this; outlives the worker
    TrainingWorker* m_worker = nullptr;  // lives on m_thread; deleted when it finishes
    std::shared_ptr<tb::train::RunControl> m_control;  // fresh per run (cancel is sticky)
    tb::train::RunState m_state = tb::train::RunState::Idle;
    bool m_running = false;
    QString m_lastError;
};

}  // namespace tb::ui
