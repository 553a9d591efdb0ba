// Train page: hyperparameters, run buttons, live progress, loss curves and the run log.
#pragma once

#include <functional>

#include <QTimer>
#include <QWidget>

#include "controller/metatypes.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QGroupBox;

namespace tb::ui {

class ErrorBanner;
class ExperimentDocument;
class LossPlot;
class ScientificSpinBox;
class TrainingController;

// Starts runs from the document's config through the controller and shows what it reports.
// Labels refresh from a 10 Hz timer (the plot has its own), so fast steps cost little.
class TrainPage : public QWidget {
    Q_OBJECT

public:
    TrainPage(ExperimentDocument* document, TrainingController* controller,
              QWidget* parent = nullptr);

    LossPlot* lossPlot() const { return m_plot; }
    QPushButton* startButton() const { return m_start; }
    QPushButton* pauseButton() const { return m_pause; }
    QPushButton* resumeButton() const { return m_resume; }
    QPushButton* cancelButton() const { return m_cancel; }
    QPushButton* saveCheckpointButton() const { return m_saveCheckpoint; }
    QProgressBar* progressBar() const { return m_progress; }
    QPlainTextEdit* logView() const { return m_log; }
    ErrorBanner* errorBanner() const { return m_banner; }

public slots:
    void startRun();
    // Called by startRun() before the run starts (the main window waits there for the Data
    // page's background read of the same file to end).
    void setBeforeStart(std::function<void()> hook) { m_beforeStart = std::move(hook); }

private:
    std::function<void()> m_beforeStart;
    void syncFromDocument();
    void writeToDocument();
    void updateButtons(tb::train::RunState state);
    void onRunStarted(const tb::train::RunInfo& info);
    void onStep(const tb::train::StepMetrics& metrics);
    void onEval(const tb::train::EvalReport& report);
    void onCheckpoint(const tb::train::CheckpointInfo& checkpoint);
    void onRunFinished(const tb::train::RunResult& result);
    void refreshProgress();
    void appendLog(const QString& line);

    ExperimentDocument* m_document;
    TrainingController* m_controller;
    ErrorBanner* m_banner;

    QGroupBox* m_paramsBox;
    QSpinBox* m_epochs;
    QSpinBox* m_batchSize;
    ScientificSpinBox* m_learningRate;
    QDoubleSpinBox* m_weightDecay;
    QDoubleSpinBox* m_warmupRatio;
    QDoubleSpinBox* m_maxGradNorm;
    QSpinBox* m_seed;
    QComboBox* m_device;

    QPushButton* m_start;
    QPushButton* m_pause;
    QPushButton* m_resume;
    QPushButton* m_cancel;
    QPushButton* m_saveCheckpoint;
    QProgressBar* m_progress;
    QLabel* m_state;
    QLabel* m_epoch;
    QLabel* m_loss;
    QLabel* m_lr;
    QLabel* m_elapsed;
    QLabel* m_eta;
    QLabel* m_devScore;
    QLabel* m_runDir;
    QLabel* m_checkpoint;
    LossPlot* m_plot;
    QPlainTextEdit* m_log;

    QTimer m_refreshTimer;
    tb::train::RunInfo m_info;
    tb::train::StepMetrics m_lastStep;
    bool m_haveStep = false;
    bool m_syncing = false;
};

}  // namespace tb::ui
