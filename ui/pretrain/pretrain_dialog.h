// "Pretrain a language model" dialog: the `tunebench-cli pretrain` options, a run with live
// progress and loss curve, cancel, and handing the new model folder to the model library.
#pragma once

#include <QDialog>
#include <QStringList>

#include "pretrain/pretrain_runner.h"
#include "pretrain/pretrainer.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSpinBox;

namespace tb::ui {

class ErrorBanner;
class LossPlot;
class ScientificSpinBox;

// Non-modal. The settings mirror the CLI's flags one to one and start at PretrainOptions'
// defaults; the equivalent command line is shown read-only for copying. Start runs
// tb::pretrain::run_pretraining on a PretrainRunner thread; this dialog only shows what it
// reports. Closing while a run is active cancels it and closes once the core has stopped.
class PretrainDialog : public QDialog {
    Q_OBJECT

public:
    explicit PretrainDialog(QWidget* parent = nullptr);

    // The options as the widgets set them, and back (corpus files and folders included).
    tb::pretrain::PretrainOptions options() const;
    void setOptions(const tb::pretrain::PretrainOptions& options);
    void setCorpusFiles(const QStringList& files);
    // The arguments after `tunebench-cli` that repeat options() (see pretrainArguments).
    QStringList commandArguments() const;

    // Used by tests and the screenshots.
    PretrainRunner* runner() const { return m_runner; }
    ErrorBanner* errorBanner() const { return m_banner; }
    QListWidget* corpusList() const { return m_corpus; }
    QRadioButton* newModelRadio() const { return m_newModel; }
    QRadioButton* continueRadio() const { return m_continue; }
    QLineEdit* fromDirEdit() const { return m_fromDir; }
    QSpinBox* vocabSizeSpin() const { return m_vocabSize; }
    QSpinBox* layersSpin() const { return m_layers; }
    QSpinBox* hiddenSpin() const { return m_hidden; }
    QSpinBox* headsSpin() const { return m_heads; }
    QSpinBox* intermediateSpin() const { return m_intermediate; }
    QSpinBox* maxLengthSpin() const { return m_maxLength; }
    QRadioButton* byStepsRadio() const { return m_bySteps; }
    QSpinBox* stepsSpin() const { return m_steps; }
    QSpinBox* epochsSpin() const { return m_epochs; }
    QSpinBox* batchSizeSpin() const { return m_batchSize; }
    QDoubleSpinBox* learningRateSpin() const;
    QCheckBox* wholeWordCheck() const { return m_wholeWord; }
    QSpinBox* seedSpin() const { return m_seed; }
    QSpinBox* logEverySpin() const { return m_logEvery; }
    QComboBox* deviceCombo() const { return m_device; }
    QLineEdit* outDirEdit() const { return m_outDir; }
    QLineEdit* commandLineEdit() const { return m_commandLine; }
    QPushButton* startButton() const { return m_start; }
    QPushButton* cancelButton() const { return m_cancel; }
    QPushButton* useModelButton() const { return m_useModel; }
    QProgressBar* progressBar() const { return m_progress; }
    QLabel* statusLabel() const { return m_status; }
    LossPlot* lossPlot() const { return m_plot; }
    // Progress reports received during the current (or last) run.
    int progressReports() const { return m_reports; }
    // The folder of the last run that wrote one (completed or cancelled), else empty.
    QString lastOutputDir() const { return m_lastOutDir; }
    bool lastRunCancelled() const { return m_lastCancelled; }

public slots:
    // Starts a run with options(); false (nothing started) while one is active.
    bool start();
    void cancel();
    void reject() override;

signals:
    // "Add to the model library and use it": the folder the last run wrote.
    void useModelRequested(const QString& folder);

private:
    QWidget* buildCorpusBox();
    QWidget* buildModelBox();
    QWidget* buildTrainingBox();
    QWidget* buildOutputBox();
    void chooseCorpusFiles();
    void updateModelMode();
    void updateCommandLine();
    void setRunning(bool running);
    void onProgress(const tb::pretrain::PretrainProgress& progress);
    void onFinished(const PretrainOutcome& outcome);
    // Calls updateCommandLine whenever `widget` (a spin box, check box, line edit, ...) changes.
    void watch(QObject* widget);

    PretrainRunner* m_runner;
    ErrorBanner* m_banner;
    QWidget* m_settings = nullptr;  // every option; disabled while running
    QListWidget* m_corpus = nullptr;
    QLineEdit* m_textColumn = nullptr;
    QRadioButton* m_newModel = nullptr;
    QRadioButton* m_continue = nullptr;
    QLineEdit* m_fromDir = nullptr;
    QPushButton* m_browseFrom = nullptr;
    QWidget* m_newModelBox = nullptr;
    QSpinBox* m_vocabSize = nullptr;
    QSpinBox* m_minFrequency = nullptr;
    QSpinBox* m_limitAlphabet = nullptr;
    QCheckBox* m_lowercase = nullptr;
    QSpinBox* m_layers = nullptr;
    QSpinBox* m_hidden = nullptr;
    QSpinBox* m_heads = nullptr;
    QSpinBox* m_intermediate = nullptr;
    QSpinBox* m_maxLength = nullptr;
    QRadioButton* m_byEpochs = nullptr;
    QRadioButton* m_bySteps = nullptr;
    QSpinBox* m_epochs = nullptr;
    QSpinBox* m_steps = nullptr;
    QSpinBox* m_batchSize = nullptr;
    ScientificSpinBox* m_learningRate = nullptr;
    QDoubleSpinBox* m_warmup = nullptr;
    QDoubleSpinBox* m_weightDecay = nullptr;
    QDoubleSpinBox* m_maskProbability = nullptr;
    QCheckBox* m_wholeWord = nullptr;
    QSpinBox* m_seed = nullptr;
    QComboBox* m_device = nullptr;
    QSpinBox* m_logEvery = nullptr;
    QCheckBox* m_initOnly = nullptr;
    QLineEdit* m_outDir = nullptr;
    QLineEdit* m_commandLine = nullptr;
    QPushButton* m_start = nullptr;
    QPushButton* m_cancel = nullptr;
    QPushButton* m_useModel = nullptr;
    QPushButton* m_close = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    LossPlot* m_plot = nullptr;
    QPlainTextEdit* m_log = nullptr;
    int m_reports = 0;
    QString m_lastOutDir;
    bool m_lastCancelled = false;
    bool m_closeWhenDone = false;
    bool m_filling = false;  // setOptions is filling the widgets
};

}  // namespace tb::ui
