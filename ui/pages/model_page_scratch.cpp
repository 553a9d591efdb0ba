// Model page, text models without a Hugging Face folder: the BiLSTM trained from scratch
// (model.architecture: bilstm / bilstm_char, its sizes and vocabulary limits), built-ins picked
// in the library, and model files (fastText, TorchScript) summarised from the library entry.
#include <QCheckBox>
#include <QComboBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QSpinBox>

#include "document/experiment_document.h"
#include "io/experiment_config.h"
#include "model/fasttext_library.h"
#include "model/model_library.h"
#include "pages/model_adaptation_panel.h"
#include "pages/model_page.h"
#include "util/format.h"

namespace tb::ui {

bool ModelPage::scratchTextModel() const {
    const std::string& a = m_document->config().model.architecture;
    return !imageTask() && (a == "bilstm" || a == "bilstm_char");
}

tb::model::BuiltinSizes ModelPage::builtinSizes() const {
    const auto& c = m_document->config();
    tb::model::BuiltinSizes s;
    if (c.dataset.task == "image_classification") {
        s.image_channels = c.dataset.image_channels;
        s.image_height = c.dataset.image_height;
        s.image_width = c.dataset.image_width;
    }
    s.embedding_dim = c.model.embedding_dim;
    s.hidden_size = c.model.lstm_hidden_size;
    s.num_layers = c.model.lstm_layers;
    s.vocab_size = c.model.vocab_max_size;
    s.attention_pooling = c.model.pooling == "attention";
    return s;
}

bool ModelPage::isLibraryFile(const QString& path) const {
    if (path.isEmpty())
        return false;
    const std::string p = path.toStdString();
    return tb::model::is_model_file(p) || !tb::model::find_fasttext_model_file(p).empty();
}

void ModelPage::buildScratchBox() {
    m_scratchBox = new QGroupBox(tr("BiLSTM trained from scratch"), this);
    m_scratchBox->setObjectName(QStringLiteral("scratchTextModel"));
    auto spin = [this](const char* name, int low, int high, const QString& tip) {
        auto* box = new QSpinBox(this);
        box->setObjectName(QLatin1String(name));
        box->setRange(low, high);
        box->setKeyboardTracking(false);
        box->setToolTip(tip);
        connect(box, qOverload<int>(&QSpinBox::valueChanged), this, &ModelPage::writeScratch);
        return box;
    };
    m_embeddingDim = spin("embeddingDim", 1, 4096,
                          tr("model.embedding_dim: size of each vocabulary unit's embedding"));
    m_lstmHidden = spin("lstmHiddenSize", 1, 4096,
                        tr("model.lstm_hidden_size: LSTM units per direction (the pooled state "
                           "has twice as many)"));
    m_lstmLayers = spin("lstmLayers", 1, 16, tr("model.lstm_layers: stacked bidirectional layers"));
    m_vocabMinCount = spin("vocabMinCount", 1, 1000000,
                           tr("model.vocab_min_count: occurrences in the training split a unit "
                              "needs to get its own id (rarer ones read as [UNK])"));
    m_vocabMaxSize = spin("vocabMaxSize", 3, 10000000,
                          tr("model.vocab_max_size: most vocabulary entries, [PAD] and [UNK] "
                             "included (the most frequent units are kept)"));
    m_vocabMaxSize->setSingleStep(1000);
    m_scratchPooling = new QComboBox(this);
    m_scratchPooling->setObjectName(QStringLiteral("scratchPooling"));
    m_scratchPooling->addItem(tr("Mean of the LSTM states"), QStringLiteral("auto"));
    m_scratchPooling->addItem(tr("Learned attention"), QStringLiteral("attention"));
    m_scratchPooling->setToolTip(tr("model.pooling: auto / mean, or attention"));
    connect(m_scratchPooling, qOverload<int>(&QComboBox::activated), this,
            &ModelPage::writeScratch);
    auto* form = new QFormLayout(m_scratchBox);
    form->setVerticalSpacing(3);
    form->addRow(tr("Embedding size:"), m_embeddingDim);
    form->addRow(tr("LSTM units per direction:"), m_lstmHidden);
    form->addRow(tr("LSTM layers:"), m_lstmLayers);
    form->addRow(tr("Pooling:"), m_scratchPooling);
    form->addRow(tr("Vocabulary, min. count:"), m_vocabMinCount);
    form->addRow(tr("Vocabulary, max. size:"), m_vocabMaxSize);
    m_freezeFastText =
        new QCheckBox(tr("Freeze the fastText table (train only the new head)"), this);
    m_freezeFastText->setObjectName(QStringLiteral("freezeFastText"));
    m_freezeFastText->setToolTip(
        tr("model.freeze_backbone: the file's input table stays bit-identical; only the new "
           "linear head for the dataset's labels trains"));
    connect(m_freezeFastText, &QCheckBox::toggled, this, [this](bool on) {
        if (!m_syncing)
            m_document->update([on](tb::io::ExperimentConfig& c) { c.model.freeze_backbone = on; });
    });
    auto* note = new QLabel(tr("The vocabulary is built from the training split and stored in "
                               "every checkpoint with these sizes."),
                            this);
    note->setWordWrap(true);
    form->addRow(note);
}

void ModelPage::syncScratch() {
    const auto& m = m_document->config().model;
    m_embeddingDim->setValue(m.embedding_dim);
    m_lstmHidden->setValue(m.lstm_hidden_size);
    m_lstmLayers->setValue(m.lstm_layers);
    m_vocabMinCount->setValue(m.vocab_min_count);
    m_vocabMaxSize->setValue(m.vocab_max_size);
    m_scratchPooling->setCurrentIndex(m.pooling == "attention" ? 1 : 0);
    m_scratchBox->setVisible(scratchTextModel());
    const QString resolved = m_document->resolvedPath(m.path);
    m_freezeFastText->setVisible(
        !imageTask() && !resolved.isEmpty() &&
        (resolved.endsWith(QStringLiteral(".ftz")) || resolved.endsWith(QStringLiteral(".bin")) ||
         !tb::model::find_fasttext_model_file(resolved.toStdString()).empty()));
    m_freezeFastText->setChecked(m.freeze_backbone);
    // A BiLSTM has no tokenizer_config.json: "auto" lowercases.
    m_lowercase->setItemText(
        0, scratchTextModel() ? tr("Auto (lowercase)") : tr("From tokenizer_config.json"));
}

void ModelPage::writeScratch() {
    if (m_syncing)
        return;
    const int embedding = m_embeddingDim->value(), hidden = m_lstmHidden->value();
    const int layers = m_lstmLayers->value(), minCount = m_vocabMinCount->value();
    const int maxSize = m_vocabMaxSize->value();
    const std::string pooling = m_scratchPooling->currentData().toString().toStdString();
    m_document->update([&](tb::io::ExperimentConfig& c) {
        c.model.embedding_dim = embedding;
        c.model.lstm_hidden_size = hidden;
        c.model.lstm_layers = layers;
        c.model.vocab_min_count = minCount;
        c.model.vocab_max_size = maxSize;
        c.model.pooling = pooling;
    });
}

// A built-in picked in the library: model.architecture, never together with model.path, and
// only the options that network accepts.
void ModelPage::chooseArchitecture(const QString& architecture) {
    const std::string name = architecture.toStdString();
    const bool bilstm = name == "bilstm" || name == "bilstm_char";
    m_document->update([&](tb::io::ExperimentConfig& c) {
        c.model.architecture = name;
        c.model.path.clear();
        if (bilstm) {
            c.model.freeze_backbone = false;  // nothing to freeze in a model from scratch
            if (c.model.pooling != "auto" && c.model.pooling != "mean" &&
                c.model.pooling != "attention")
                c.model.pooling = "auto";
        }
    });
}

void ModelPage::showScratchSummary() {
    const auto& c = m_document->config();
    const auto& m = c.model;
    clearSummary();
    const bool chars = m.architecture == "bilstm_char";
    const tb::model::BuiltinSizes sizes = builtinSizes();
    setSummaryRow(tr("Type"), chars ? tr("BiLSTM, character vocabulary (from scratch)")
                                    : tr("BiLSTM, word vocabulary (from scratch)"));
    setSummaryRow(tr("Layers"), tr("%1 bidirectional LSTM").arg(m.lstm_layers));
    setSummaryRow(tr("Hidden size"),
                  tr("%1 per direction (pooled: %2, %3)")
                      .arg(m.lstm_hidden_size)
                      .arg(2 * m.lstm_hidden_size)
                      .arg(m.pooling == "attention" ? tr("attention") : tr("mean")));
    setSummaryRow(tr("Vocabulary size"),
                  tr("from the training split: at most %1 units seen %2+ times")
                      .arg(m.vocab_max_size)
                      .arg(m.vocab_min_count));
    setSummaryRow(tr("Max positions"), tr("%1 units (model.max_length)").arg(m.max_length));
    setSummaryRow(tr("Parameters"),
                  tr("%1 (full vocabulary, 2 classes; embedding %2 per unit)")
                      .arg(formatCount(tb::model::builtin_parameter_count(m.architecture, sizes)))
                      .arg(m.embedding_dim));
    setSummaryRow(tr("Weights"), tr("random initialisation (seeded), no pretrained weights"));
    setSummaryRow(tr("Tokenizer"), chars ? tr("one unit per character") : tr("one unit per word"));
    m_files->setText(QStringLiteral("–"));
    QStringList notes;
    for (const auto& e : tb::model::builtin_model_entries(sizes))
        if (e.model_architecture == m.architecture) {
            for (const auto& note : e.notes)
                notes << QStringLiteral("• ") + toQt(note).toHtmlEscaped();
            notes << QStringLiteral("• ") + tr("licence: %1").arg(toQt(e.license)).toHtmlEscaped();
        }
    m_notes->setText(notes.join(QStringLiteral("<br>")));
}

void ModelPage::showEntrySummary(const QString& tokenizer) {
    clearSummary();
    m_files->setText(QStringLiteral("–"));
    if (!m_entry.supported) {
        m_notes->setText(toQt(m_entry.reason).toHtmlEscaped());
        return;
    }
    const QString family = toQt(m_entry.family);
    const bool fasttext = m_entry.source_format == "fasttext";
    setSummaryRow(tr("Type"), fasttext           ? toQt(m_entry.architecture)
                              : family.isEmpty() ? toQt(m_entry.architecture)
                                                 : family);
    if (fasttext) {
        setSummaryRow(tr("Hidden size"),
                      tr("%1 (mean of the feature rows)").arg(m_entry.hidden_size));
        setSummaryRow(
            tr("Vocabulary size"),
            tr("%1 words (+ hashed n-gram rows); %2 labels in the file, replaced by a new head")
                .arg(m_entry.vocab_size)
                .arg(m_entry.labels));
    } else {
        setSummaryRow(tr("Hidden size"), m_entry.feature_size > 0
                                             ? tr("%1 pooled features").arg(m_entry.feature_size)
                                             : tr("probed when loaded"));
    }
    if (m_entry.parameter_count > 0)
        setSummaryRow(tr("Parameters"), formatCount(m_entry.parameter_count));
    setSummaryRow(tr("Weights"), toQt(m_entry.source_format));
    setSummaryRow(tr("On disk"), formatBytes(m_entry.disk_bytes));
    setSummaryRow(tr("Tokenizer"), tokenizer);
    m_files->setText(QFileInfo(m_inspectedPath).fileName());
    m_files->setToolTip(m_inspectedPath);
    QStringList notes;
    for (const auto& note : m_entry.notes)
        notes << QStringLiteral("• ") + toQt(note).toHtmlEscaped();
    m_notes->setText(notes.isEmpty() ? tr("None") : notes.join(QStringLiteral("<br>")));
}

}  // namespace tb::ui
