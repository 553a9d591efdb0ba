// Runs dataset scans (read, parse, validate, count tokens, split) on a worker thread, with
// throttled progress and cancellation, and hands the result back on the UI thread.
#pragma once

#include <QObject>
#include <QPointer>
#include <QString>

#include <memory>
#include <vector>

#include "dataset/dataset_scan.h"

class QThread;
class QTimer;

namespace tb::ui {

// One scan at a time: start() while one runs cancels it (its result is dropped). cancel() is
// seen between chunks of reading and tokenizing and between stages; a parse in progress finishes
// its chunk first. Signals are emitted on the UI thread; exceptions never leave the worker.
class DatasetLoader : public QObject {
    Q_OBJECT

public:
    explicit DatasetLoader(QObject* parent = nullptr);
    ~DatasetLoader() override;  // cancels and waits for the worker

    void start(const DatasetScanRequest& request);
    void cancel();
    bool isRunning() const { return m_job != nullptr; }

signals:
    void started();
    // permille 0..1000 of the whole scan, and what is being done.
    void progressChanged(int permille, const QString& stage);
    void scanFinished(std::shared_ptr<const tb::ui::DatasetScan> scan);
    // A fatal problem: `detail` carries file:line:column when known.
    void scanFailed(const QString& detail);
    void scanCancelled();

private:
    struct Job;
    void pollProgress();
    void finishJob(const std::shared_ptr<Job>& job);

    std::shared_ptr<Job> m_job;                // the current scan (nullptr when idle)
    std::vector<QPointer<QThread>> m_threads;  // workers not yet finished (waited for at exit)
    QTimer* m_poll;
    int m_lastPermille = -1;
    int m_lastStage = -1;
};

}  // namespace tb::ui
