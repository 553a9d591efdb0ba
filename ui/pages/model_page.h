// Model page: choose a Hugging Face model folder, see what is in it, set the head options.
#pragma once

#include <QWidget>

#include <optional>

#include "model/model_folder.h"

class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace tb::ui {

class ErrorBanner;
class ExperimentDocument;

// Inspects the folder (config.json + safetensors header + vocab, no weights loaded) whenever
// the configured path changes; a bad folder shows the core's actionable message in the banner.
class ModelPage : public QWidget {
    Q_OBJECT

public:
    explicit ModelPage(ExperimentDocument* document, QWidget* parent = nullptr);

    void setModelFolder(const QString& path);

    // Used by tests: the summary values by row name ("Layers", "Parameters", ...).
    QString summaryValue(const QString& name) const;
    const std::optional<tb::model::ModelFolderInfo>& folderInfo() const { return m_info; }
    ErrorBanner* errorBanner() const { return m_banner; }

private:
    void chooseFolder();
    void syncFromDocument();
    void inspect();
    void showSummary();
    void writeToDocument();
    QLabel* addSummaryRow(const QString& name);

    ExperimentDocument* m_document;
    ErrorBanner* m_banner;
    QLineEdit* m_path;
    QFormLayout* m_summaryForm;
    QList<QPair<QString, QLabel*>> m_summary;
    QLabel* m_notes;
    QLabel* m_files;  // full paths of config, weights and vocabulary
    QComboBox* m_head;
    QDoubleSpinBox* m_dropout;
    QSpinBox* m_maxLength;
    QComboBox* m_lowercase;

    std::optional<tb::model::ModelFolderInfo> m_info;
    QString m_inspectedPath;
    bool m_syncing = false;
};

}  // namespace tb::ui
