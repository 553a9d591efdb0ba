// Runs page: every run folder under the experiment's runs directory (or any folder opened,
// e.g. a cluster's shared runs folder), its checkpoints, and its curves, followed live.
#pragma once

#include <QString>
#include <QTimer>
#include <QWidget>

#include <memory>

class QLabel;
class QListWidget;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace tb::runs {
class MetricsTail;
}

namespace tb::ui {

class ExperimentDocument;
class LossPlot;

class RunsPage : public QWidget {
    Q_OBJECT

public:
    explicit RunsPage(ExperimentDocument* document, QWidget* parent = nullptr);
    ~RunsPage() override;

    // Lists the runs of `runsDir` (replacing what is shown).
    void setRunsDirectory(const QString& runsDir);
    QString runsDirectory() const { return m_runsDir; }
    // Selects the run whose folder is `runDir` (adding it if it lives elsewhere).
    void selectRun(const QString& runDir);

    QTableWidget* runsTable() const { return m_runs; }
    QListWidget* checkpointList() const { return m_checkpoints; }
    QPushButton* resumeButton() const { return m_resume; }
    QSpinBox* resumeEpochs() const { return m_resumeEpochs; }
    LossPlot* lossPlot() const { return m_plot; }
    QString selectedRun() const { return m_selectedRun; }
    QString selectedCheckpoint() const;

public slots:
    void refresh();

signals:
    // The user asked to continue `runDir` from `checkpointPath` (a file in its checkpoints/)
    // until `epochs` epochs in total are trained.
    void resumeRequested(const QString& runDir, const QString& checkpointPath, int epochs);

private:
    void showRun(const QString& runDir);
    void pollMetrics();
    void listCheckpoints(const QString& runDir);
    void openFolder();
    void onCheckpointChosen(int row);

    ExperimentDocument* m_document;
    QString m_runsDir;
    QString m_selectedRun;
    QStringList m_extraRuns;  // folders opened by hand, outside m_runsDir
    QTableWidget* m_runs;
    QListWidget* m_checkpoints;
    QLabel* m_details;
    QPushButton* m_resume;
    QSpinBox* m_resumeEpochs;
    QLabel* m_resumeInfo;
    LossPlot* m_plot;
    QTimer m_pollTimer;
    std::unique_ptr<tb::runs::MetricsTail> m_tail;
    // What the checkpoint list shows (paths, sizes, times, best): a poll that finds the same
    // folder leaves the list and the selected checkpoint's header alone, so the GUI thread
    // does not re-read HDF5 files (and wait for the lock a saving run holds) every poll.
    QString m_checkpointListing;
};

}  // namespace tb::ui
