// Data page: choose the data file, its format and columns; preview rows, label balance, problems.
#pragma once

#include <QWidget>

#include <optional>

#include "data/table.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QTableView;

namespace tb::ui {

class ErrorBanner;
class ExperimentDocument;
class LabelBarChart;
class TablePreviewModel;

// Reads the file on the GUI thread when the path or format changes (the parsers are fast; a
// very large file blocks briefly under a busy cursor). Parse errors show in the banner with
// file:line:column; row problems (empty text, missing label) are listed, never dropped.
class DataPage : public QWidget {
    Q_OBJECT

public:
    explicit DataPage(ExperimentDocument* document, QWidget* parent = nullptr);

    // Used by tests and screenshots.
    TablePreviewModel* previewModel() const { return m_preview; }
    QComboBox* textColumnCombo() const { return m_textColumn; }
    QComboBox* labelColumnCombo() const { return m_labelColumn; }
    QListWidget* problemList() const { return m_problems; }
    LabelBarChart* labelChart() const { return m_labelChart; }
    ErrorBanner* errorBanner() const { return m_banner; }

    // Sets the data file (as if chosen in the file dialog), guessing columns if needed.
    void setDataFile(const QString& path);

private:
    void chooseFile();
    void syncFromDocument();
    void reloadTable();
    void rebuildDataset();
    void fillColumnCombo(QComboBox* combo, const QString& wanted);
    void writeToDocument();
    void updateSplitWarning();
    void showProblemRow(int problemIndex);

    ExperimentDocument* m_document;
    ErrorBanner* m_banner;
    QLineEdit* m_path;
    QComboBox* m_format;
    QComboBox* m_textColumn;
    QComboBox* m_labelColumn;
    QComboBox* m_labelOrder;
    QCheckBox* m_skipInvalid;
    QDoubleSpinBox* m_trainFraction;
    QDoubleSpinBox* m_devFraction;
    QDoubleSpinBox* m_testFraction;
    QLabel* m_splitWarning;
    QLabel* m_previewCaption;
    QTableView* m_previewView;
    TablePreviewModel* m_preview;
    LabelBarChart* m_labelChart;
    QLabel* m_labelsCaption;
    QListWidget* m_problems;
    QLabel* m_problemsCaption;

    std::optional<tb::data::Table> m_table;  // the whole file, kept to rebuild the dataset
    QString m_loadedKey;                     // "path|format" of m_table (or of the failed read)
    QString m_datasetKey;                    // "text|label|order" of the shown dataset
    QVector<long> m_problemLines;
    bool m_syncing = false;
};

}  // namespace tb::ui
