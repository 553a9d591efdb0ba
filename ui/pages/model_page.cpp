// Model page: the model library, the chosen folder's architecture, the head and what to freeze.
#include "pages/model_page.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <exception>

#include "common/error.h"
#include "document/experiment_document.h"
#include "model/task_catalog.h"
#include "pages/model_library_panel.h"
#include "util/format.h"
#include "widgets/error_banner.h"

namespace tb::ui {

ModelPage::ModelPage(ExperimentDocument* document, QWidget* parent)
    : QWidget(parent),
      m_document(document),
      m_banner(new ErrorBanner(this)),
      m_path(new QLineEdit(this)),
      m_summaryForm(nullptr),
      m_notes(new QLabel(this)),
      m_files(new QLabel(QStringLiteral("–"), this)),
      m_head(new QComboBox(this)),
      m_dropout(new QDoubleSpinBox(this)),
      m_maxLength(new QSpinBox(this)),
      m_lowercase(new QComboBox(this)),
      m_library(new ModelLibraryPanel(this)),
      m_headNote(new QLabel(this)),
      m_freezeEmbeddings(new QCheckBox(tr("Freeze embeddings"), this)),
      m_freezeLayers(new QSlider(Qt::Horizontal, this)),
      m_freezeLayersValue(new QLabel(this)),
      m_countsLabel(new QLabel(this)),
      m_tree(new QTreeWidget(this)) {
    m_path->setPlaceholderText(
        tr("Folder with config.json, model.safetensors and vocab.txt (a Hugging Face model)"));
    auto* choose = new QPushButton(tr("Choose folder…"), this);
    auto* folderRow = new QHBoxLayout;
    folderRow->addWidget(new QLabel(tr("Model folder:"), this));
    folderRow->addWidget(m_path, 1);
    folderRow->addWidget(choose);

    auto* summaryBox = new QGroupBox(tr("Architecture"), this);
    m_summaryForm = new QFormLayout(summaryBox);
    m_summaryForm->setLabelAlignment(Qt::AlignRight);
    for (const QString& name : {tr("Type"), tr("Layers"), tr("Hidden size"), tr("Attention heads"),
                                tr("Intermediate size"), tr("Activation"), tr("Vocabulary size"),
                                tr("Max positions"), tr("Parameters"), tr("Weights")})
        addSummaryRow(name);
    m_notes->setWordWrap(true);
    m_notes->setTextFormat(Qt::RichText);
    m_summaryForm->addRow(tr("Notes:"), m_notes);

    m_head->setObjectName(QStringLiteral("head"));
    m_headNote->setWordWrap(true);
    m_freezeEmbeddings->setObjectName(QStringLiteral("freezeEmbeddings"));
    m_freezeLayers->setObjectName(QStringLiteral("freezeLayers"));
    m_freezeLayers->setRange(0, 0);
    m_freezeLayers->setPageStep(1);
    m_freezeLayers->setTickPosition(QSlider::TicksBelow);
    m_countsLabel->setObjectName(QStringLiteral("parameterCounts"));
    m_countsLabel->setWordWrap(true);
    m_tree->setObjectName(QStringLiteral("architectureTree"));
    m_tree->setHeaderLabels({tr("Part"), tr("Shape"), tr("Parameters")});
    m_tree->setMinimumHeight(160);
    m_dropout->setRange(0.0, 0.9);
    m_dropout->setDecimals(2);
    m_dropout->setSingleStep(0.05);
    m_dropout->setKeyboardTracking(false);
    m_maxLength->setRange(8, 512);
    m_maxLength->setSingleStep(32);
    m_maxLength->setSuffix(tr(" tokens"));
    m_maxLength->setKeyboardTracking(false);
    m_lowercase->addItem(tr("From tokenizer_config.json"), -1);
    m_lowercase->addItem(tr("Lowercase"), 1);
    m_lowercase->addItem(tr("Keep case"), 0);

    auto* headBox = new QGroupBox(tr("Task head"), this);
    auto* headForm = new QFormLayout(headBox);
    headForm->addRow(tr("Head:"), m_head);
    headForm->addRow(QString(), m_headNote);
    headForm->addRow(tr("Classifier dropout:"), m_dropout);
    headForm->addRow(tr("Max sequence length:"), m_maxLength);
    headForm->addRow(tr("Lowercase input:"), m_lowercase);

    auto* adaptBox = new QGroupBox(tr("Adaptation"), this);
    auto* adaptForm = new QFormLayout(adaptBox);
    adaptForm->addRow(QString(), m_freezeEmbeddings);
    auto* sliderRow = new QHBoxLayout;
    sliderRow->addWidget(m_freezeLayers, 1);
    sliderRow->addWidget(m_freezeLayersValue);
    adaptForm->addRow(tr("Freeze first layers:"), sliderRow);
    adaptForm->addRow(tr("Parameters:"), m_countsLabel);
    auto* coming = new QLabel(
        tr("Still to come in training: LoRA adapters, layer-wise learning-rate decay, and "
           "multi-label, token classification and regression heads. Model types other than "
           "BERT are listed but cannot be trained yet."),
        this);
    coming->setWordWrap(true);
    coming->setEnabled(false);
    adaptForm->addRow(coming);

    auto* treeBox = new QGroupBox(tr("Architecture summary (from the weights header)"), this);
    auto* treeLayout = new QVBoxLayout(treeBox);
    treeLayout->addWidget(m_tree);

    auto* filesBox = new QGroupBox(tr("Files read"), this);
    auto* filesLayout = new QVBoxLayout(filesBox);
    m_files->setWordWrap(true);
    m_files->setTextInteractionFlags(Qt::TextSelectableByMouse);
    filesLayout->addWidget(m_files);

    auto* details = new QWidget(this);
    auto* columns = new QHBoxLayout(details);
    columns->setContentsMargins(0, 0, 0, 0);
    auto* left = new QVBoxLayout;
    left->addWidget(summaryBox);
    left->addWidget(filesBox);
    columns->addLayout(left, 3);
    auto* middle = new QVBoxLayout;
    middle->addWidget(headBox);
    middle->addWidget(adaptBox);
    middle->addStretch(1);
    columns->addLayout(middle, 3);
    columns->addWidget(treeBox, 3);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_library);
    splitter->addWidget(details);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(folderRow);
    layout->addWidget(splitter, 1);

    connect(choose, &QPushButton::clicked, this, &ModelPage::chooseFolder);
    connect(m_path, &QLineEdit::editingFinished, this, [this] {
        if (!m_syncing)
            setModelFolder(m_path->text().trimmed());
    });
    connect(m_head, qOverload<int>(&QComboBox::activated), this, &ModelPage::writeToDocument);
    connect(m_lowercase, qOverload<int>(&QComboBox::activated), this, &ModelPage::writeToDocument);
    connect(m_dropout, qOverload<double>(&QDoubleSpinBox::valueChanged), this,
            &ModelPage::writeToDocument);
    connect(m_maxLength, qOverload<int>(&QSpinBox::valueChanged), this,
            &ModelPage::writeToDocument);
    connect(m_head, qOverload<int>(&QComboBox::currentIndexChanged), this,
            &ModelPage::updateHeadNote);
    connect(m_freezeEmbeddings, &QCheckBox::toggled, this, &ModelPage::writeToDocument);
    connect(m_freezeLayers, &QSlider::valueChanged, this, &ModelPage::writeToDocument);
    connect(m_library, &ModelLibraryPanel::modelChosen, this, &ModelPage::setModelFolder);
    connect(m_document, &ExperimentDocument::changed, this, &ModelPage::syncFromDocument);
    connect(m_document, &ExperimentDocument::loaded, this, [this] { m_inspectedPath.clear(); });

    syncFromDocument();
}

QLabel* ModelPage::addSummaryRow(const QString& name) {
    auto* value = new QLabel(QStringLiteral("–"), this);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summaryForm->addRow(name + QLatin1Char(':'), value);
    m_summary.append({name, value});
    return value;
}

QString ModelPage::summaryValue(const QString& name) const {
    for (const auto& [rowName, label] : m_summary)
        if (rowName == name)
            return label->text();
    return {};
}

void ModelPage::chooseFolder() {
    QString start = m_document->resolvedPath(m_document->config().model.path);
    if (start.isEmpty())
        start = QString::fromStdString(m_document->config().base_dir);
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Choose model folder"), start);
    if (!dir.isEmpty())
        setModelFolder(dir);
}

void ModelPage::setModelFolder(const QString& path) {
    const std::string stored = path.isEmpty()
                                   ? std::string()
                                   : m_document->storablePath(QFileInfo(path).absoluteFilePath());
    m_document->update([&](tb::io::ExperimentConfig& c) { c.model.path = stored; });
}

void ModelPage::syncFromDocument() {
    m_syncing = true;
    const auto& model = m_document->config().model;
    m_path->setText(toQt(model.path));
    fillHeads();
    m_head->setCurrentIndex(std::max(0, m_head->findData(toQt(model.head))));
    // Filling the list changes the index before the explanations are set: refresh it here.
    updateHeadNote();
    m_freezeEmbeddings->setChecked(model.freeze_embeddings);
    m_dropout->setValue(model.classifier_dropout);
    m_lowercase->setCurrentIndex(std::max(0, m_lowercase->findData(model.lowercase)));
    const QString resolved = m_document->resolvedPath(model.path);
    if (resolved != m_inspectedPath) {
        m_inspectedPath = resolved;
        inspect();
    }
    m_maxLength->setValue(model.max_length);
    m_freezeLayers->setMaximum(m_info ? static_cast<int>(m_info->config.num_hidden_layers) : 0);
    m_freezeLayers->setValue(model.freeze_layers);
    m_library->setCurrentPath(resolved);
    updateCounts();
    m_syncing = false;
}

void ModelPage::fillHeads() {
    const QString task = toQt(m_document->config().dataset.task);
    if (task == m_headsForTask && m_head->count() > 0)
        return;
    m_headsForTask = task;
    m_head->clear();
    std::vector<tb::model::HeadChoice> choices;
    try {
        choices = tb::model::valid_heads(tb::model::task_type_from_name(task.toStdString()));
    } catch (const std::exception&) {
        choices = tb::model::valid_heads(tb::model::TaskType::TextClassification);
    }
    QStringList notes;
    for (const auto& choice : choices) {
        const QString name = toQt(tb::model::head_kind_name(choice.head));
        const QString loss = toQt(tb::model::loss_kind_name(choice.loss));
        QString label;
        QString explanation;
        switch (choice.head) {
            case tb::model::HeadKind::SequenceClassification:
                label = tr("Sequence classification");
                explanation = tr("one label per text: softmax over the classes, cross-entropy");
                break;
            case tb::model::HeadKind::MultiLabel:
                label = tr("Multi-label");
                explanation =
                    tr("any number of labels per text: one sigmoid per label, "
                       "binary cross-entropy");
                break;
            case tb::model::HeadKind::TokenClassification:
                label = tr("Token classification");
                explanation = tr("one label per word (first sub-token), cross-entropy");
                break;
            case tb::model::HeadKind::Regression:
                label = tr("Regression");
                explanation = tr("one number per text, mean squared error");
                break;
        }
        // The config (and training) accept sequence classification only for now.
        const bool trainable = choice.head == tb::model::HeadKind::SequenceClassification;
        if (!trainable)
            label += tr(" (training support to come)");
        m_head->addItem(label, name);
        const int index = m_head->count() - 1;
        m_head->setItemData(index, tr("%1 (loss: %2)").arg(explanation, loss), Qt::ToolTipRole);
        m_head->setItemData(index, explanation, Qt::UserRole + 1);
        if (!trainable)
            m_head->setItemData(index, 0, Qt::UserRole - 1);  // disabled item
    }
}

void ModelPage::updateHeadNote() {
    const int current = std::max(0, m_head->currentIndex());
    m_headNote->setText(
        tr("For a %1 dataset: %2.")
            .arg(m_headsForTask, m_head->itemData(current, Qt::UserRole + 1).toString()));
}

void ModelPage::updateCounts() {
    const auto& model = m_document->config().model;
    const tb::model::FreezeOptions options{model.freeze_embeddings, model.freeze_layers};
    m_counts = tb::model::count_parameters(tb::model::parameter_infos(m_tensors), options);
    const int layers = m_info ? static_cast<int>(m_info->config.num_hidden_layers) : 0;
    m_freezeLayers->setMaximum(layers);
    m_freezeLayers->setEnabled(layers > 0);
    m_freezeLayersValue->setText(tr("%1 of %2").arg(m_freezeLayers->value()).arg(layers));
    if (m_tensors.empty()) {
        m_countsLabel->setText(QStringLiteral("–"));
        return;
    }
    const double share =
        m_counts.total > 0 ? 100.0 * double(m_counts.trainable) / double(m_counts.total) : 0.0;
    m_countsLabel->setText(tr("%1 trainable of %2 (%3%) in the encoder; the new head adds its own.")
                               .arg(formatCount(m_counts.trainable), formatCount(m_counts.total))
                               .arg(share, 0, 'f', 1));
}

void ModelPage::fillTree() {
    m_tree->clear();
    auto shapeText = [](const std::vector<std::int64_t>& shape) {
        QStringList dims;
        for (const auto d : shape)
            dims << QString::number(d);
        return QStringLiteral("[") + dims.join(QStringLiteral(", ")) + QStringLiteral("]");
    };
    for (const auto& group : tb::model::group_tensors(m_tensors)) {
        auto* top =
            new QTreeWidgetItem(m_tree, {toQt(group.name), QString(), formatCount(group.numel)});
        top->setData(2, Qt::UserRole, QVariant::fromValue<qint64>(group.numel));
        for (const auto& t : group.tensors)
            new QTreeWidgetItem(top, {toQt(t.name), shapeText(t.shape), formatCount(t.numel)});
    }
    m_tree->resizeColumnToContents(0);
}

void ModelPage::inspect() {
    m_info.reset();
    m_tensors.clear();
    m_banner->clearMessage();
    if (!m_inspectedPath.isEmpty()) {
        QApplication::setOverrideCursor(Qt::WaitCursor);
        try {
            m_info = tb::model::inspect_model_folder(m_inspectedPath.toStdString());
            m_tensors = tb::model::stored_tensors(m_info->weight_files);
        } catch (const tb::Error& e) {
            m_banner->showMessage(tr("This folder cannot be used as a model."), formatError(e));
        } catch (const std::exception& e) {
            m_banner->showMessage(tr("This folder cannot be used as a model."), toQt(e.what()));
        }
        QApplication::restoreOverrideCursor();
    }
    if (!m_info)
        m_tensors.clear();
    fillTree();
    showSummary();
}

void ModelPage::showSummary() {
    auto set = [this](const QString& name, const QString& value) {
        for (auto& [rowName, label] : m_summary)
            if (rowName == name)
                label->setText(value.isEmpty() ? QStringLiteral("–") : value);
    };
    if (!m_info) {
        for (auto& row : m_summary)
            row.second->setText(QStringLiteral("–"));
        m_notes->setText(m_inspectedPath.isEmpty() ? tr("No model folder chosen.") : QString());
        m_files->setText(QStringLiteral("–"));
        m_maxLength->setMaximum(512);
        return;
    }
    const auto& c = m_info->config;
    set(tr("Type"), toQt(c.model_type));
    set(tr("Layers"), QString::number(c.num_hidden_layers));
    set(tr("Hidden size"), QString::number(c.hidden_size));
    set(tr("Attention heads"), QString::number(c.num_attention_heads));
    set(tr("Intermediate size"), QString::number(c.intermediate_size));
    set(tr("Activation"), toQt(c.hidden_act));
    set(tr("Vocabulary size"), QString::number(c.vocab_size));
    set(tr("Max positions"), QString::number(c.max_position_embeddings));
    set(tr("Parameters"), formatCount(m_info->parameter_count));
    set(tr("Weights"), tr("%1 (%2)").arg(QFileInfo(toQt(m_info->weights_path)).fileName(),
                                         formatBytes(m_info->weights_bytes)));
    m_files->setText(QStringList({toQt(m_info->config_path), toQt(m_info->weights_path),
                                  toQt(m_info->vocab_path)})
                         .join(QLatin1Char('\n')));
    QStringList notes;
    for (const auto& note : m_info->notes)
        notes << QStringLiteral("• ") + toQt(note).toHtmlEscaped();
    m_notes->setText(notes.isEmpty() ? tr("None") : notes.join(QStringLiteral("<br>")));
    m_maxLength->setMaximum(static_cast<int>(std::max<std::int64_t>(8, c.max_position_embeddings)));
}

void ModelPage::writeToDocument() {
    if (m_syncing)
        return;
    // A head training cannot use yet is shown but never written (the config would refuse it).
    const bool headUsable = m_head->currentIndex() >= 0 &&
                            m_head->itemData(m_head->currentIndex(), Qt::UserRole - 1).isNull();
    const std::string head = headUsable ? m_head->currentData().toString().toStdString()
                                        : m_document->config().model.head;
    const double dropout = m_dropout->value();
    const int maxLength = m_maxLength->value();
    const int lowercase = m_lowercase->currentData().toInt();
    const bool freezeEmbeddings = m_freezeEmbeddings->isChecked();
    const int freezeLayers = m_freezeLayers->value();
    m_document->update([&](tb::io::ExperimentConfig& c) {
        c.model.freeze_embeddings = freezeEmbeddings;
        c.model.freeze_layers = freezeLayers;
        c.model.head = head;
        c.model.classifier_dropout = dropout;
        c.model.max_length = maxLength;
        c.model.lowercase = lowercase;
    });
}

}  // namespace tb::ui
