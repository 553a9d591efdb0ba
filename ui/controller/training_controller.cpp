// The UI's single entry point to training: owns the worker thread and the run's RunControl.
#include "controller/training_controller.h"

#include <QThread>

#include "controller/training_worker.h"

namespace tb::ui {

using tb::train::RunState;

TrainingController::TrainingController(QObject* parent)
    : QObject(parent), m_thread(new QThread(this)), m_worker(new TrainingWorker) {
    registerMetaTypes();
    m_thread->setObjectName(QStringLiteral("training"));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);

    // Worker -> controller: queued (different threads), so slots run on the GUI thread.
    connect(m_worker, &TrainingWorker::runStarted, this, &TrainingController::runStarted);
    connect(m_worker, &TrainingWorker::stateReported, this, &TrainingController::onWorkerState);
    connect(m_worker, &TrainingWorker::stepReported, this, &TrainingController::stepReported);
    connect(m_worker, &TrainingWorker::evalReported, this, &TrainingController::evalReported);
    connect(m_worker, &TrainingWorker::checkpointSaved, this, &TrainingController::checkpointSaved);
    connect(m_worker, &TrainingWorker::logLine, this, &TrainingController::logLine);
    connect(m_worker, &TrainingWorker::runFailed, this, &TrainingController::runFailed);
    connect(m_worker, &TrainingWorker::runFinished, this, &TrainingController::onWorkerFinished);

    m_thread->start();
}

TrainingController::~TrainingController() {
    if (m_control)
        m_control->cancel();
    m_thread->quit();  // takes effect once runExperiment() returns to the thread's event loop
    m_thread->wait();
}

bool TrainingController::start(const tb::io::ExperimentConfig& config, const QString& resumeFrom) {
    if (m_running) {
        m_lastError = tr("A run is already in progress; cancel it or wait until it ends.");
        emit logLine(m_lastError);
        return false;
    }
    m_lastError.clear();
    m_control = std::make_shared<tb::train::RunControl>();
    m_running = true;
    setState(RunState::Running);
    TrainingWorker* worker = m_worker;
    auto control = m_control;
    const std::string checkpoint = resumeFrom.toStdString();
    QMetaObject::invokeMethod(
        m_worker,
        [worker, config, control, checkpoint] {
            worker->runExperiment(config, control, checkpoint);
        },
        Qt::QueuedConnection);
    return true;
}

void TrainingController::pause() {
    if (!m_running || m_state != RunState::Running)
        return;
    m_control->pause();
    setState(RunState::Paused);
}

void TrainingController::resume() {
    if (!m_running || m_state != RunState::Paused)
        return;
    m_control->resume();
    setState(RunState::Running);
}

void TrainingController::cancel() {
    if (!m_running || m_state == RunState::Cancelling)
        return;
    m_control->cancel();  // also wakes a paused run
    setState(RunState::Cancelling);
}

void TrainingController::requestCheckpoint() {
    if (m_running && m_state == RunState::Running)
        m_control->request_checkpoint();
}

void TrainingController::setState(RunState state) {
    if (state == m_state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void TrainingController::onWorkerState(RunState state) {
    // The user's pause/resume/cancel are applied here at once; a trainer report queued before
    // them must not undo them. Only a trainer-initiated cancel is taken from the worker.
    // Terminal states arrive with runFinished.
    if (m_running && state == RunState::Cancelling)
        setState(state);
}

void TrainingController::onWorkerFinished(const tb::train::RunResult& result) {
    m_running = false;
    if (result.state == RunState::Failed)
        m_lastError = QString::fromStdString(result.error);
    RunState finalState = result.state;
    if (finalState != RunState::Finished && finalState != RunState::Cancelled)
        finalState = RunState::Failed;
    setState(finalState);
    emit runFinished(result);
}

}  // namespace tb::ui
