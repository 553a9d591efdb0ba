// Data page: the import wizard. File (or folder) -> format and task -> columns -> validation
// report -> split -> summary, with a preview of the rows, undoable row edits saved as a new
// dataset version, and every choice written to the experiment's `dataset:` section.
#pragma once

#include <QElapsedTimer>
#include <QWidget>

#include <memory>

#include "dataset/dataset_scan.h"

class QAction;
class QButtonGroup;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QStackedWidget;
class QTableView;
class QTableWidget;
class QTabWidget;
class QTimer;

namespace tb::ui {

class DatasetEditor;
class ImageGridView;
class ImagePreprocessingPanel;
class LabelColumnsList;
class DatasetLoader;
class ErrorBanner;
class ExperimentDocument;
class LabelBarChart;
class TablePreviewModel;
class TokenLengthHistogram;
class TokenSentenceView;

// Reading and checking run on a worker thread (DatasetLoader): the page shows progress with a
// Cancel button and stays responsive; fatal errors appear in the banner with file:line:column,
// row problems in the problem list, never as crashes. Settings changes re-check the data already
// read (only a new file or format reads again).
class DataPage : public QWidget {
    Q_OBJECT

public:
    enum Step { FileStep, ColumnsStep, ValidationStep, SplitStep, SummaryStep, StepCount };

    explicit DataPage(ExperimentDocument* document, QWidget* parent = nullptr);
    ~DataPage() override;

    // Sets the data file (as if chosen in the file dialog), guessing columns if needed. The
    // file is read in the background: see isBusy() and scanned().
    void setDataFile(const QString& path);
    // A folder of images, one sub-folder per class (image classification).
    void setDataFolder(const QString& path);

    // True while a scan is queued or running.
    bool isBusy() const;
    // Processes events until the page is idle or `timeoutMs` passed; returns !isBusy().
    bool waitUntilIdle(int timeoutMs = 60000);
    // Saves `window` grabbed on every wizard step as DIR/data-<n>-<step>.png (after waiting for
    // the data to be read). Returns false if a file cannot be written.
    bool saveStepScreenshots(const QString& dir, QWidget* window);
    // Fashion-MNIST from Debian's dataset-fashion-mnist, when installed.
    static QString fashionMnistFolder();
    void useFashionMnist();
    // Files larger than this are read in streaming mode (default kStreamingThresholdBytes).
    void setStreamingThreshold(quint64 bytes) { m_streamingThreshold = bytes; }
    // The last finished scan (nullptr before the first or after a failure).
    std::shared_ptr<const DatasetScan> lastScan() const { return m_scan; }

    // Row edits (undoable; table rows as read, 0-based). Relabel takes the label text.
    void relabelRow(int tableRow, const QString& label);
    void setRowExcluded(int tableRow, bool excluded);
    // Writes the edited data as a new version file next to the original and points the
    // experiment at it. Returns the new file's path ("" on failure; the banner says why).
    QString saveNewVersion();

    // Used by tests and screenshots.
    TablePreviewModel* previewModel() const { return m_preview; }
    QTableView* previewView() const { return m_previewView; }
    QComboBox* formatCombo() const { return m_format; }
    QComboBox* taskCombo() const { return m_task; }
    QComboBox* textColumnCombo() const { return m_textColumn; }
    QComboBox* labelColumnCombo() const { return m_labelColumn; }
    QComboBox* pairColumnCombo() const { return m_pairColumn; }
    QComboBox* splitColumnCombo() const { return m_splitColumnCombo; }
    LabelColumnsList* labelColumnsList() const { return m_labelColumns; }
    ImageGridView* imageGrid() const { return m_images; }
    QListWidget* problemList() const { return m_problems; }
    LabelBarChart* labelChart() const { return m_labelChart; }
    TokenLengthHistogram* lengthHistogram() const { return m_lengths; }
    TokenSentenceView* sentenceView() const { return m_sentences; }
    QTableWidget* splitTable() const { return m_splitTable; }
    ErrorBanner* errorBanner() const { return m_banner; }
    QLabel* streamingNote() const { return m_streamingNote; }
    QTabWidget* steps() const { return m_steps; }
    QProgressBar* progressBar() const { return m_progress; }
    QPushButton* cancelButton() const { return m_cancel; }
    DatasetEditor* editor() const { return m_editor; }
    QAction* undoAction() const { return m_undoAction; }
    QAction* redoAction() const { return m_redoAction; }
    // The text of a summary value ("Rows", "Classes", "Duplicates", ...; "" if unknown).
    QString summaryValue(const QString& name) const;

signals:
    // A scan ended (finished, failed or cancelled); the page is idle again.
    void scanEnded();

private:
    QWidget* buildFileStep();
    QWidget* buildColumnsStep();
    QWidget* buildValidationStep();
    QWidget* buildSplitStep();
    QWidget* buildSummaryStep();
    QWidget* buildPreview();

    void chooseFile();
    void chooseFolder();
    void chooseSplitFile(QLineEdit* target);
    void syncFromDocument();
    void writeToDocument();
    void scheduleScan(bool reread);
    void startScan();
    void onScanFinished(std::shared_ptr<const DatasetScan> scan);
    void onScanFailed(const QString& detail);
    void onScanCancelled();
    void showScan();
    void showProblems();
    void showSplit();
    void showSummary();
    // Streaming mode (data_page_streaming.cpp): the note on the File step, and a preview window
    // read from the file around `line` (false if no row starts there).
    void showStreamingState();
    bool showStreamingRegion(long line);
    // Token files: the sentences around `line` read from the file into the sentence view.
    bool showStreamingSentences(long line);
    // `optional`: a "(none)" entry (empty name) comes first, chosen when `wanted` is empty.
    void fillColumnCombo(QComboBox* combo, const QString& wanted, bool optional = false);
    // The second text column: required for sentence pairs, optional for regression.
    void fillPairColumnCombo();
    // The 0/1 label column picker from the columns read and dataset.label_columns.
    void fillLabelColumns();
    void updateTaskNote();
    void updateEditActions();
    void jumpToProblem(int problemIndex);
    void relabelSelected();
    void toggleExcludeSelected();
    int selectedTableRow() const;
    void setSummary(const QString& name, const QString& value);
    QString currentFormat() const;
    // The format as the experiment file names it ("token_jsonl" is "jsonl" there).
    std::string configFormat() const;
    TaskType taskFromConfig() const;
    void setTaskType(TaskType task);
    QString settingsKey() const;

    ExperimentDocument* m_document;
    DatasetLoader* m_loader;
    DatasetEditor* m_editor;
    ErrorBanner* m_banner;
    QTabWidget* m_steps;
    QProgressBar* m_progress;
    QLabel* m_progressLabel;
    QPushButton* m_cancel;
    QTimer* m_scanTimer;
    QElapsedTimer m_scanClock;  // since the running scan started (for the ETA)

    // File step.
    QLineEdit* m_path;
    QComboBox* m_task;
    QComboBox* m_format;
    QLabel* m_detected;
    QLabel* m_taskNote;
    QCheckBox* m_deidentify;
    QWidget* m_labelsRow;
    QLineEdit* m_labelsPath;
    QLabel* m_masked;
    QLabel* m_streamingNote;
    // Columns step.
    QComboBox* m_textColumn;
    QComboBox* m_labelColumn;
    QComboBox* m_labelOrder;
    QSpinBox* m_tagColumn;
    ImagePreprocessingPanel* m_imagePreprocessing;
    QComboBox* m_pairColumn;
    QLineEdit* m_separator;
    LabelColumnsList* m_labelColumns;
    QLabel* m_columnsNote;
    // Validation step.
    QListWidget* m_problems;
    QLabel* m_problemsCaption;
    QRadioButton* m_skipBad;
    QRadioButton* m_stopOnBad;
    QSpinBox* m_rareMin;
    // Split step.
    QRadioButton* m_splitRandom;
    QRadioButton* m_splitFiles;
    QRadioButton* m_splitColumn;
    QComboBox* m_splitColumnCombo;
    QDoubleSpinBox* m_trainFraction;
    QDoubleSpinBox* m_devFraction;
    QDoubleSpinBox* m_testFraction;
    QSpinBox* m_seed;
    QLineEdit* m_devPath;
    QLineEdit* m_testPath;
    QLabel* m_splitWarning;
    QTableWidget* m_splitTable;
    // Summary step.
    QTableWidget* m_summary;
    LabelBarChart* m_labelChart;
    TokenLengthHistogram* m_lengths;
    QLabel* m_lengthsCaption;
    // Preview.
    QStackedWidget* m_previewStack;
    QLabel* m_previewCaption;
    QTableView* m_previewView;
    TablePreviewModel* m_preview;
    TokenSentenceView* m_sentences;
    ImageGridView* m_images;
    QAction* m_relabelAction;
    QAction* m_excludeAction;
    QAction* m_undoAction;
    QAction* m_redoAction;
    QAction* m_saveVersionAction;
    QLabel* m_editsCaption;
    QString m_savedNote;  // "Saved name.v2.csv (...)" after saving a version

    std::shared_ptr<const DatasetScan> m_scan;       // last finished scan
    std::shared_ptr<const tb::data::Table> m_table;  // table as read (reused by rescans)
    QString m_readKey;                               // path|format|task of m_table
    // The task chosen on the page; the experiment's dataset.task and text_pair_column say the
    // same except while a sentence-pair task has no second column yet.
    TaskType m_taskType = TaskType::TextClassification;
    QString m_settingsKey;        // settings of the last scheduled scan (skip unrelated changes)
    bool m_guessColumns = false;  // a new file was chosen: pick likely columns if needed
    bool m_reread = true;
    bool m_syncing = false;
    quint64 m_streamingThreshold = kStreamingThresholdBytes;
};

}  // namespace tb::ui
