// Runs a Trainer on the training thread and forwards its observer events as queued Qt signals.
#pragma once

#include <QObject>
#include <QString>

#include <memory>
#include <string>

#include "controller/metatypes.h"
#include "train/run_control.h"
#include "train/training_observer.h"

namespace tb::ui {

// Lives on TrainingController's QThread. Observer callbacks arrive on that thread and are
// re-emitted as signals; receivers on the GUI thread get them queued, by value.
// Contract: for every runExperiment() call exactly one runFinished() is emitted, last; when the
// run failed, runFailed(message) comes just before it.
class TrainingWorker : public QObject, public tb::train::TrainingObserver {
    Q_OBJECT

public:
    explicit TrainingWorker(QObject* parent = nullptr);

public slots:
    // Blocks this thread for the whole run. `control` is shared with the GUI thread, which
    // pauses / resumes / cancels through it directly.
    // `resumeFrom`: a checkpoint to continue from exactly (empty: a fresh run).
    void runExperiment(const tb::io::ExperimentConfig& config,
                       std::shared_ptr<tb::train::RunControl> control,
                       const std::string& resumeFrom = {});

signals:
    void runStarted(const tb::train::RunInfo& info);
    void stateReported(tb::train::RunState state);
    void stepReported(const tb::train::StepMetrics& metrics);
    void evalReported(const tb::train::EvalReport& report);
    void checkpointSaved(const tb::train::CheckpointInfo& checkpoint);
    void logLine(const QString& line);
    void runFailed(const QString& message);
    void runFinished(const tb::train::RunResult& result);

private:
    // tb::train::TrainingObserver, called on the training thread.
    void on_start(const tb::train::RunInfo& info) override;
    void on_state(tb::train::RunState state) override;
    void on_step(const tb::train::StepMetrics& metrics) override;
    void on_eval(const tb::train::EvalReport& report) override;
    void on_checkpoint(const tb::train::CheckpointInfo& checkpoint) override;
    void on_log(const std::string& line) override;
    void on_error(const std::string& message) override;

    std::string m_lastError;  // from on_error, used when the result carries no message
};

}  // namespace tb::ui
