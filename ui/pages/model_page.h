// Model page: the model library, the chosen model's summary and architecture, the head and what
// to freeze; image networks and the BiLSTM trained from scratch with their options.
#pragma once

#include <QWidget>

#include <optional>

#include "model/builtin_models.h"
#include "model/model_folder.h"
#include "model/model_library.h"
#include "model/parameter_census.h"

class QCheckBox;
class QComboBox;
class QSlider;
class QTreeWidget;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QGroupBox;
class QSpinBox;
class QTabWidget;

namespace tb::ui {

class ErrorBanner;
class ExperimentDocument;
class ModelAdaptationPanel;
class ModelLibraryPanel;

// Inspects the folder (config.json + safetensors header + vocab, no weights loaded) whenever
// the configured path changes; a bad folder shows the core's actionable message in the banner.
class ModelPage : public QWidget {
    Q_OBJECT

public:
    explicit ModelPage(ExperimentDocument* document, QWidget* parent = nullptr);

    void setModelFolder(const QString& path);
    // Grabs `window` with the architecture tab open (first layer expanded) into
    // DIR/model-architecture.png, after the library scan has finished; for --screenshots.
    bool saveDetailScreenshots(const QString& dir, QWidget* window);
    // Returns once the model library scan has been shown (it runs on a worker thread).
    void waitUntilIdle();

    // Used by tests: the summary values by row name ("Layers", "Parameters", ...).
    QString summaryValue(const QString& name) const;
    const std::optional<tb::model::ModelFolderInfo>& folderInfo() const { return m_info; }
    ErrorBanner* errorBanner() const { return m_banner; }
    ModelLibraryPanel* library() const { return m_library; }
    QComboBox* headCombo() const { return m_head; }
    QLabel* headExplanation() const { return m_headNote; }
    // Shown when the experiment's max_length is longer than the chosen model takes.
    QLabel* lengthWarning() const { return m_lengthWarning; }
    QCheckBox* freezeEmbeddingsCheck() const;
    QSlider* freezeLayersSlider() const;
    ModelAdaptationPanel* adaptation() const { return m_adaptation; }
    QTreeWidget* architectureTree() const { return m_tree; }
    // Image classification: model.architecture (from scratch; empty item = the model folder or
    // TorchScript file in model.path) and model.freeze_backbone, with what then trains.
    QGroupBox* imageModelBox() const { return m_imageBox; }
    QComboBox* architectureCombo() const { return m_architecture; }
    QCheckBox* freezeBackboneCheck() const { return m_freezeBackbone; }
    QLabel* trainableLabel() const { return m_trainable; }
    // Text classification trained from scratch (model.architecture: bilstm / bilstm_char): the
    // network's sizes, the vocabulary limits and the pooling (model_page_scratch.cpp).
    QGroupBox* scratchTextBox() const { return m_scratchBox; }
    QSpinBox* embeddingDimSpin() const { return m_embeddingDim; }
    QSpinBox* lstmHiddenSizeSpin() const { return m_lstmHidden; }
    QSpinBox* lstmLayersSpin() const { return m_lstmLayers; }
    QSpinBox* vocabMinCountSpin() const { return m_vocabMinCount; }
    QSpinBox* vocabMaxSizeSpin() const { return m_vocabMaxSize; }
    QComboBox* scratchPoolingCombo() const { return m_scratchPooling; }
    // fastText models (text classification): model.freeze_backbone keeps the table fixed.
    QCheckBox* freezeFastTextCheck() const { return m_freezeFastText; }
    // Parameter counts of the chosen folder's encoder under the current freeze / LoRA options.
    const tb::model::ParameterCounts& parameterCounts() const;

signals:
    // "Pretrain…": the user wants to pretrain a new model (the main window opens the dialog).
    void pretrainRequested();

private:
    void chooseFolder();
    void syncFromDocument();
    void inspect();
    void showSummary();
    void writeToDocument();
    QLabel* addSummaryRow(const QString& name);
    void fillHeads();
    void updateHeadNote();
    void fillTree();
    bool imageTask() const;
    void fillArchitectures();
    void setArchitecture(int index);
    void updateTrainable();
    void showImageSummary();
    // One summary row's value ("–" when empty), and every row back to "–".
    void setSummaryRow(const QString& name, const QString& value);
    void clearSummary();
    // model_page_scratch.cpp
    void buildScratchBox();
    void syncScratch();
    void writeScratch();
    void showScratchSummary();
    // The summary of m_entry (image folders, TorchScript and fastText files) from the library.
    void showEntrySummary(const QString& tokenizer);
    void chooseArchitecture(const QString& architecture);
    bool scratchTextModel() const;
    // The experiment's sizes for the library's built-ins (image size, BiLSTM keys).
    tb::model::BuiltinSizes builtinSizes() const;
    // A fastText or TorchScript file, or a folder holding a fastText file: described from the
    // library entry, not inspected as a Hugging Face folder.
    bool isLibraryFile(const QString& path) const;

    ExperimentDocument* m_document;
    ErrorBanner* m_banner;
    QLineEdit* m_path;
    QFormLayout* m_summaryForm;
    QList<QPair<QString, QLabel*>> m_summary;
    QLabel* m_notes;
    QLabel* m_files;  // names of the files read; full paths in the tooltip
    QComboBox* m_head;
    QDoubleSpinBox* m_dropout;
    QSpinBox* m_maxLength;
    QComboBox* m_lowercase;
    ModelLibraryPanel* m_library;
    QLabel* m_headNote;
    QLabel* m_lengthWarning = nullptr;
    ModelAdaptationPanel* m_adaptation;
    QTabWidget* m_detailTabs = nullptr;
    QTreeWidget* m_tree;
    QGroupBox* m_imageBox = nullptr;
    QGroupBox* m_headBox = nullptr;
    QComboBox* m_architecture = nullptr;
    QCheckBox* m_freezeBackbone = nullptr;
    QLabel* m_trainable = nullptr;
    QGroupBox* m_scratchBox = nullptr;
    QSpinBox* m_embeddingDim = nullptr;
    QSpinBox* m_lstmHidden = nullptr;
    QSpinBox* m_lstmLayers = nullptr;
    QSpinBox* m_vocabMinCount = nullptr;
    QSpinBox* m_vocabMaxSize = nullptr;
    QComboBox* m_scratchPooling = nullptr;
    QCheckBox* m_freezeFastText = nullptr;
    std::vector<tb::model::StoredTensor> m_tensors;
    QString m_headsForTask;

    std::optional<tb::model::ModelFolderInfo> m_info;
    tb::model::ModelLibraryEntry m_entry;  // disk size, tokenizer files, family of the folder
    QString m_inspectedPath;
    bool m_inspectedImage = false;  // m_inspectedPath was described as an image model
    bool m_syncing = false;
};

}  // namespace tb::ui
