// Runs a Trainer on the training thread and forwards its observer events as queued Qt signals.
#include "controller/training_worker.h"

#include <exception>

#include "train/trainer.h"

namespace tb::ui {

TrainingWorker::TrainingWorker(QObject* parent) : QObject(parent) {}

void TrainingWorker::runExperiment(const tb::io::ExperimentConfig& config,
                                   std::shared_ptr<tb::train::RunControl> control,
                                   const std::string& resumeFrom) {
    m_lastError.clear();
    tb::train::RunResult result;
    // Firewall: Trainer::run() promises not to throw, but nothing may reach the event loop.
    try {
        tb::train::TrainerOptions options;
        options.resume_from = resumeFrom;
        tb::train::Trainer trainer(config, *this, *control, options);
        result = trainer.run();
    } catch (const std::exception& e) {
        result.state = tb::train::RunState::Failed;
        result.error = e.what();
    } catch (...) {
        result.state = tb::train::RunState::Failed;
        result.error = "unknown error in the training thread";
    }
    if (result.state == tb::train::RunState::Failed) {
        if (result.error.empty())
            result.error = m_lastError;
        if (result.error.empty())
            result.error = "training failed";
        emit runFailed(QString::fromStdString(result.error));
    }
    emit runFinished(result);
}

void TrainingWorker::on_start(const tb::train::RunInfo& info) {
    emit runStarted(info);
}

void TrainingWorker::on_state(tb::train::RunState state) {
    emit stateReported(state);
}

void TrainingWorker::on_step(const tb::train::StepMetrics& metrics) {
    emit stepReported(metrics);
}

void TrainingWorker::on_eval(const tb::train::EvalReport& report) {
    emit evalReported(report);
}

void TrainingWorker::on_checkpoint(const tb::train::CheckpointInfo& checkpoint) {
    emit checkpointSaved(checkpoint);
}

void TrainingWorker::on_log(const std::string& line) {
    emit logLine(QString::fromStdString(line));
}

void TrainingWorker::on_error(const std::string& message) {
    m_lastError = message;
    emit logLine(QStringLiteral("error: ") + QString::fromStdString(message));
}

}  // namespace tb::ui
