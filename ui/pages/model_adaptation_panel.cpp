// Model page, adaptation options: freeze embeddings / first N layers, LoRA, live parameter counts.
#include "pages/model_adaptation_panel.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>

#include <algorithm>
#include <utility>

#include "io/experiment_config.h"
#include "util/format.h"

namespace tb::ui {

namespace {

QString toQ(const std::string& s) {
    return QString::fromStdString(s);
}

bool sameSet(std::vector<std::string> a, std::vector<std::string> b) {
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    return a == b;
}

}  // namespace

ModelAdaptationPanel::ModelAdaptationPanel(QWidget* parent)
    : QGroupBox(tr("Adaptation"), parent),
      m_freezeEmbeddings(new QCheckBox(tr("Freeze embeddings"), this)),
      m_freezeLayers(new QSlider(Qt::Horizontal, this)),
      m_freezeLayersValue(new QLabel(this)),
      m_lora(new QCheckBox(tr("Train LoRA adapters (encoder frozen)"), this)),
      m_rank(new QSpinBox(this)),
      m_alpha(new QDoubleSpinBox(this)),
      m_dropout(new QDoubleSpinBox(this)),
      m_targetBox(new QWidget(this)),
      m_targetGrid(new QGridLayout(m_targetBox)),
      m_countsLabel(new QLabel(QStringLiteral("–"), this)) {
    m_freezeEmbeddings->setObjectName(QStringLiteral("freezeEmbeddings"));
    m_freezeLayers->setObjectName(QStringLiteral("freezeLayers"));
    m_freezeLayers->setRange(0, 0);
    m_freezeLayers->setPageStep(1);
    m_freezeLayers->setTickPosition(QSlider::TicksBelow);
    m_lora->setObjectName(QStringLiteral("lora"));
    m_lora->setToolTip(
        tr("Adds small trainable matrices (rank r) next to the chosen linear layers; every other "
           "encoder weight stays fixed, the task head trains."));
    m_rank->setObjectName(QStringLiteral("loraRank"));
    m_rank->setRange(1, 1024);
    m_rank->setKeyboardTracking(false);
    m_alpha->setObjectName(QStringLiteral("loraAlpha"));
    m_alpha->setRange(0.5, 4096.0);
    m_alpha->setDecimals(1);
    m_alpha->setKeyboardTracking(false);
    m_alpha->setToolTip(tr("The adapter output is scaled by alpha / rank."));
    m_dropout->setObjectName(QStringLiteral("loraDropout"));
    m_dropout->setRange(0.0, 0.9);
    m_dropout->setDecimals(2);
    m_dropout->setSingleStep(0.05);
    m_dropout->setKeyboardTracking(false);
    m_targetGrid->setContentsMargins(0, 0, 0, 0);
    m_targetGrid->setHorizontalSpacing(12);
    m_targetGrid->setVerticalSpacing(2);
    m_targetBox->setToolTip(
        tr("Linear layers to adapt in every encoder layer (matched by name ending, as PEFT "
           "does). With none checked the default of the model family is used."));
    m_countsLabel->setObjectName(QStringLiteral("parameterCounts"));
    m_countsLabel->setWordWrap(true);

    auto* form = new QFormLayout(this);
    // The live count first: it is what the options below change.
    form->addRow(tr("Parameters:"), m_countsLabel);
    form->addRow(QString(), m_freezeEmbeddings);
    auto* sliderRow = new QHBoxLayout;
    sliderRow->addWidget(m_freezeLayers, 1);
    sliderRow->addWidget(m_freezeLayersValue);
    form->addRow(tr("Freeze first layers:"), sliderRow);
    form->addRow(QString(), m_lora);
    form->addRow(tr("LoRA rank:"), m_rank);
    form->addRow(tr("LoRA alpha:"), m_alpha);
    form->addRow(tr("LoRA dropout:"), m_dropout);
    form->addRow(tr("LoRA layers:"), m_targetBox);

    rebuildTargets({});
    connect(m_freezeEmbeddings, &QCheckBox::toggled, this, &ModelAdaptationPanel::userEdited);
    connect(m_freezeLayers, &QSlider::valueChanged, this, &ModelAdaptationPanel::userEdited);
    connect(m_lora, &QCheckBox::toggled, this, &ModelAdaptationPanel::userEdited);
    connect(m_rank, qOverload<int>(&QSpinBox::valueChanged), this,
            &ModelAdaptationPanel::userEdited);
    connect(m_alpha, qOverload<double>(&QDoubleSpinBox::valueChanged), this,
            &ModelAdaptationPanel::userEdited);
    connect(m_dropout, qOverload<double>(&QDoubleSpinBox::valueChanged), this,
            &ModelAdaptationPanel::userEdited);
    recount();
}

void ModelAdaptationPanel::setModel(const std::string& modelType, int layers,
                                    std::vector<tb::model::StoredTensor> tensors) {
    const bool familyChanged = modelType != m_modelType;
    m_modelType = modelType;
    m_layers = layers;
    m_tensors = std::move(tensors);
    {
        const QSignalBlocker block(m_freezeLayers);
        m_freezeLayers->setMaximum(layers);
    }
    if (familyChanged)
        rebuildTargets(m_configuredTargets);
    recount();
}

void ModelAdaptationPanel::setOptions(const tb::io::ModelConfig& model) {
    m_syncing = true;
    m_freezeEmbeddings->setChecked(model.freeze_embeddings);
    m_freezeLayers->setValue(model.freeze_layers);
    m_lora->setChecked(model.lora);
    m_rank->setValue(model.lora_rank);
    m_alpha->setValue(model.lora_alpha);
    m_dropout->setValue(model.lora_dropout);
    m_configuredTargets = model.lora_target_modules;
    rebuildTargets(m_configuredTargets);
    m_syncing = false;
    recount();
}

void ModelAdaptationPanel::writeOptions(tb::io::ModelConfig& model) const {
    model.freeze_embeddings = m_freezeEmbeddings->isChecked();
    model.freeze_layers = m_freezeLayers->value();
    model.lora = m_lora->isChecked();
    model.lora_rank = m_rank->value();
    model.lora_alpha = m_alpha->value();
    model.lora_dropout = m_dropout->value();
    const auto checked = checkedTargets();
    model.lora_target_modules =
        checked.empty() || sameSet(checked, tb::model::default_lora_target_names(m_modelType))
            ? std::vector<std::string>{}
            : checked;
}

void ModelAdaptationPanel::rebuildTargets(const std::vector<std::string>& checked) {
    const auto shown =
        checked.empty() ? tb::model::default_lora_target_names(m_modelType) : checked;
    std::vector<std::string> names = tb::model::lora_target_choices(m_modelType);
    for (const auto& name : shown)  // configured names outside the usual choices stay visible
        if (std::find(names.begin(), names.end(), name) == names.end())
            names.push_back(name);
    QStringList order;
    for (const auto& name : names)
        order << toQ(name);
    // This runs from a check box's own toggled() (edit -> document -> setOptions): keep the
    // boxes when the names are the same, and never delete one synchronously.
    if (order != m_targetOrder) {
        for (QCheckBox* box : std::as_const(m_targets)) {
            m_targetGrid->removeWidget(box);
            box->hide();
            box->disconnect(this);
            box->deleteLater();
        }
        m_targets.clear();
        m_targetOrder = order;
        for (int index = 0; index < order.size(); ++index) {
            auto* box = new QCheckBox(order[index], m_targetBox);
            box->setObjectName(QStringLiteral("loraTarget_") + order[index]);
            m_targetGrid->addWidget(box, index / 2, index % 2);
            connect(box, &QCheckBox::toggled, this, &ModelAdaptationPanel::userEdited);
            m_targets.insert(order[index], box);
        }
    }
    const bool wasSyncing = m_syncing;
    m_syncing = true;
    for (auto it = m_targets.begin(); it != m_targets.end(); ++it)
        it.value()->setChecked(std::find(shown.begin(), shown.end(), it.key().toStdString()) !=
                               shown.end());
    m_syncing = wasSyncing;
}

std::vector<std::string> ModelAdaptationPanel::checkedTargets() const {
    std::vector<std::string> out;
    for (const QString& name : m_targetOrder)
        if (m_targets.value(name)->isChecked())
            out.push_back(name.toStdString());
    return out;
}

std::vector<std::string> ModelAdaptationPanel::effectiveTargets() const {
    const auto checked = checkedTargets();
    return checked.empty() ? tb::model::default_lora_target_names(m_modelType) : checked;
}

void ModelAdaptationPanel::userEdited() {
    recount();
    if (!m_syncing)
        emit optionsEdited();
}

void ModelAdaptationPanel::recount() {
    const bool lora = m_lora->isChecked();
    // LoRA freezes the whole encoder, so the freeze options would change nothing.
    m_freezeEmbeddings->setEnabled(!lora);
    m_freezeLayers->setEnabled(!lora && m_layers > 0);
    m_rank->setEnabled(lora);
    m_alpha->setEnabled(lora);
    m_dropout->setEnabled(lora);
    m_targetBox->setEnabled(lora);
    m_freezeLayersValue->setText(tr("%1 of %2").arg(m_freezeLayers->value()).arg(m_layers));

    const tb::model::FreezeOptions freeze{m_freezeEmbeddings->isChecked(), m_freezeLayers->value()};
    m_census = lora ? tb::model::lora_census(m_tensors, effectiveTargets(), m_rank->value())
                    : tb::model::LoraCensus{};
    m_counts = tb::model::count_parameters_with_lora(m_tensors, freeze, lora ? &m_census : nullptr);
    if (m_tensors.empty()) {
        m_countsLabel->setText(QStringLiteral("–"));
        return;
    }
    const double share =
        m_counts.total > 0 ? 100.0 * double(m_counts.trainable) / double(m_counts.total) : 0.0;
    QString text = tr("%1 trainable of %2 (%3%) in the encoder")
                       .arg(formatCount(m_counts.trainable), formatCount(m_counts.total))
                       .arg(share, 0, 'f', share < 1.0 ? 2 : 1);
    if (lora)
        text += tr(": adapters on %n linear layer(s), the base weights fixed", nullptr,
                   static_cast<int>(m_census.modules.size()));
    text += tr("; the new head adds its own.");
    if (lora && !m_census.unmatched.empty()) {
        QStringList names;
        for (const auto& n : m_census.unmatched)
            names << toQ(n);
        text += QStringLiteral("\n") +
                tr("Matches no layer of this model: %1.").arg(names.join(QStringLiteral(", ")));
    }
    m_countsLabel->setText(text);
}

}  // namespace tb::ui
