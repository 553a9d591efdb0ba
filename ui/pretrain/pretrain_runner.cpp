// Runs masked-LM pretraining on its own thread; everything it reports arrives on the GUI thread.
#include "pretrain/pretrain_runner.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>

#include <exception>

#include "common/error.h"
#include "util/format.h"

namespace tb::ui {

PretrainRunner::PretrainRunner(QObject* parent) : QObject(parent) {}

PretrainRunner::~PretrainRunner() {
    if (!m_thread)
        return;
    m_control->cancel();
    m_thread->wait();  // the core stops after its current step and writes the folder
    delete m_thread;   // queued reports to this object are dropped with it
}

bool PretrainRunner::isCancelling() const {
    return m_thread && m_control->is_cancelled();
}

bool PretrainRunner::start(const tb::pretrain::PretrainOptions& options) {
    if (m_thread)
        return false;
    m_control = std::make_shared<tb::train::RunControl>();
    m_outcome = std::make_shared<PretrainOutcome>();
    auto control = m_control;
    auto outcome = m_outcome;
    // Reports are queued to this object's (the GUI) thread. `this` outlives the thread: the
    // destructor joins it before the object goes away.
    const auto onProgress = [this](const tb::pretrain::PretrainProgress& p) {
        QMetaObject::invokeMethod(
            this, [this, p] { emit progressReported(p); }, Qt::QueuedConnection);
    };
    const auto onLog = [this](const std::string& line) {
        const QString text = QString::fromStdString(line);
        QMetaObject::invokeMethod(
            this, [this, text] { emit logLine(text); }, Qt::QueuedConnection);
    };
    m_thread = QThread::create([options, control, outcome, onProgress, onLog] {
        // Exception firewall: nothing escapes the thread (it would terminate the process).
        try {
            outcome->result = tb::pretrain::run_pretraining(options, *control, onProgress, onLog);
            outcome->cancelled = outcome->result.cancelled;
            outcome->outDir = QString::fromStdString(options.out_dir);
        } catch (const tb::Error& e) {
            outcome->failed = true;
            outcome->error = formatError(e);
        } catch (const std::exception& e) {
            outcome->failed = true;
            outcome->error = QString::fromUtf8(e.what());
        } catch (...) {
            outcome->failed = true;
            outcome->error = tr("pretraining stopped with an unknown error");
        }
    });
    m_thread->setObjectName(QStringLiteral("pretraining"));
    // Emitted on the worker thread; queued to this object, so after every report above.
    connect(m_thread, &QThread::finished, this, &PretrainRunner::onThreadDone,
            Qt::QueuedConnection);
    m_thread->start();
    return true;
}

void PretrainRunner::cancel() {
    if (m_thread)
        m_control->cancel();
}

void PretrainRunner::onThreadDone() {
    if (!m_thread)
        return;
    m_thread->wait();
    m_thread->deleteLater();
    m_thread = nullptr;
    const PretrainOutcome outcome = *m_outcome;
    m_outcome.reset();
    emit finished(outcome);
}

bool PretrainRunner::waitUntilFinished(int timeoutMs) {
    QElapsedTimer timer;
    timer.start();
    while (m_thread && timer.elapsed() < timeoutMs) {
        QCoreApplication::processEvents();
        if (m_thread)
            QThread::msleep(10);  // do not spin against the training thread
    }
    return !m_thread;
}

}  // namespace tb::ui
