// Model page, adaptation options: freeze embeddings / first N layers, LoRA, live parameter counts.
#pragma once

#include <QGroupBox>
#include <QMap>

#include <string>
#include <vector>

#include "model/lora_census.h"
#include "model/parameter_census.h"

class QCheckBox;
class QDoubleSpinBox;
class QGridLayout;
class QLabel;
class QSlider;
class QSpinBox;

namespace tb::io {
struct ModelConfig;
}

namespace tb::ui {

// Counts come from tb::model (lora_census, count_parameters) on the folder's safetensors
// headers: no model is built. The panel never writes the document itself: it emits
// optionsEdited() and the page copies writeOptions() into the experiment.
class ModelAdaptationPanel : public QGroupBox {
    Q_OBJECT

public:
    explicit ModelAdaptationPanel(QWidget* parent = nullptr);

    // The chosen folder's config.json model_type, encoder layer count and stored tensors
    // (empty when no usable folder is chosen).
    void setModel(const std::string& modelType, int layers,
                  std::vector<tb::model::StoredTensor> tensors);
    // Shows the experiment's model.freeze_* and model.lora* values; emits nothing.
    void setOptions(const tb::io::ModelConfig& model);
    // Copies the shown choices into model.freeze_* and model.lora*. Targets equal to the
    // family default are written as [] (the default), so the file stays valid for any family.
    void writeOptions(tb::io::ModelConfig& model) const;

    // Trainable vs total parameters of the encoder (with adapters) for the shown choices.
    const tb::model::ParameterCounts& counts() const { return m_counts; }
    const tb::model::LoraCensus& loraCensus() const { return m_census; }
    QCheckBox* freezeEmbeddingsCheck() const { return m_freezeEmbeddings; }
    QSlider* freezeLayersSlider() const { return m_freezeLayers; }
    QCheckBox* loraCheck() const { return m_lora; }
    QSpinBox* loraRankSpin() const { return m_rank; }
    QDoubleSpinBox* loraAlphaSpin() const { return m_alpha; }
    QDoubleSpinBox* loraDropoutSpin() const { return m_dropout; }
    QCheckBox* loraTargetCheck(const QString& target) const { return m_targets.value(target); }
    QLabel* countsLabel() const { return m_countsLabel; }

signals:
    void optionsEdited();

private:
    void rebuildTargets(const std::vector<std::string>& checked);
    std::vector<std::string> checkedTargets() const;
    std::vector<std::string> effectiveTargets() const;  // checked, else the family default
    void userEdited();
    void recount();

    QCheckBox* m_freezeEmbeddings;
    QSlider* m_freezeLayers;
    QLabel* m_freezeLayersValue;
    QCheckBox* m_lora;
    QSpinBox* m_rank;
    QDoubleSpinBox* m_alpha;
    QDoubleSpinBox* m_dropout;
    QWidget* m_targetBox;
    QGridLayout* m_targetGrid;
    QMap<QString, QCheckBox*> m_targets;
    QStringList m_targetOrder;
    QLabel* m_countsLabel;

    std::string m_modelType;
    std::vector<std::string> m_configuredTargets;  // model.lora_target_modules as last shown
    int m_layers = 0;
    std::vector<tb::model::StoredTensor> m_tensors;
    tb::model::ParameterCounts m_counts;
    tb::model::LoraCensus m_census;
    bool m_syncing = false;
};

}  // namespace tb::ui
