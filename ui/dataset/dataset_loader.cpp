// Runs dataset scans (read, parse, validate, count tokens, split) on a worker thread, with
// throttled progress and cancellation, and hands the result back on the UI thread.
#include "dataset/dataset_loader.h"

#include <QThread>
#include <QTimer>

#include <algorithm>
#include <exception>
#include <vector>

#include "common/error.h"
#include "util/format.h"

namespace tb::ui {

// Shared by the loader and its worker thread. The worker writes result/error/cancelled before
// it finishes; the loader reads them only after QThread::finished (happens-before via the
// thread join semantics of the queued signal).
struct DatasetLoader::Job {
    DatasetScanRequest request;
    ScanControl control;
    QThread* thread = nullptr;
    std::shared_ptr<const DatasetScan> result;
    QString error;
    bool cancelled = false;
};

DatasetLoader::DatasetLoader(QObject* parent) : QObject(parent), m_poll(new QTimer(this)) {
    m_poll->setInterval(50);  // ~20 Hz progress, never per row
    connect(m_poll, &QTimer::timeout, this, &DatasetLoader::pollProgress);
}

DatasetLoader::~DatasetLoader() {
    cancel();
    for (auto& thread : m_threads)
        if (thread)
            thread->wait();
}

void DatasetLoader::start(const DatasetScanRequest& request) {
    if (m_job)
        m_job->control.cancel = true;  // superseded: its result is dropped, no signal
    m_job.reset();
    auto job = std::make_shared<Job>();
    job->request = request;
    job->thread = QThread::create([job] {
        try {
            job->result =
                std::make_shared<const DatasetScan>(runDatasetScan(job->request, job->control));
        } catch (const ScanCancelled&) {
            job->cancelled = true;
        } catch (const tb::Error& e) {
            job->error = formatError(e);
        } catch (const std::exception& e) {
            job->error = QString::fromStdString(e.what());
        } catch (...) {
            job->error = tr("Unexpected error while reading the data.");
        }
    });
    m_job = job;
    QThread* thread = job->thread;
    connect(thread, &QThread::finished, this, [this, job] { finishJob(job); });
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    m_threads.push_back(thread);
    m_lastPermille = -1;
    m_lastStage = -1;
    thread->start();
    m_poll->start();
    emit started();
    pollProgress();
}

void DatasetLoader::cancel() {
    if (!m_job)
        return;
    m_job->control.cancel = true;
    // The worker stops at its next check; its result is dropped in finishJob.
    m_job.reset();
    m_poll->stop();
    emit scanCancelled();
}

void DatasetLoader::pollProgress() {
    if (!m_job)
        return;
    const int permille = m_job->control.permille.load();
    const int stage = m_job->control.stage.load();
    if (permille == m_lastPermille && stage == m_lastStage)
        return;
    m_lastPermille = permille;
    m_lastStage = stage;
    emit progressChanged(permille, scanStageName(stage));
}

void DatasetLoader::finishJob(const std::shared_ptr<Job>& job) {
    m_threads.erase(
        std::remove_if(m_threads.begin(), m_threads.end(),
                       [&](const QPointer<QThread>& t) { return !t || t == job->thread; }),
        m_threads.end());
    if (job != m_job)
        return;  // superseded or cancelled
    if (job->result)
        pollProgress();  // the final 100 % is shown even if the poll timer missed it
    m_job.reset();
    m_poll->stop();
    if (job->cancelled)
        emit scanCancelled();
    else if (job->result)
        emit scanFinished(job->result);
    else
        emit scanFailed(job->error);
}

}  // namespace tb::ui
