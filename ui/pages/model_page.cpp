// Model page: the model library, the chosen folder's architecture, the head and what to freeze.
#include "pages/model_page.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
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
#include <QScrollArea>
#include <QScrollBar>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <exception>
#include <optional>

#include "common/error.h"
#include "document/experiment_document.h"
#include "io/experiment_config.h"
#include "model/encoder_config.h"
#include "model/fasttext_library.h"
#include "model/task_catalog.h"
#include "pages/model_adaptation_panel.h"
#include "pages/model_library.h"
#include "pages/model_library_panel.h"
#include "train/model_image_preprocessing.h"
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
      m_adaptation(new ModelAdaptationPanel(this)),
      m_tree(new QTreeWidget(this)) {
    auto* choose = new QPushButton(tr("Choose folder…"), this);
    auto* chooseFile = new QPushButton(tr("Choose file…"), this);
    chooseFile->setToolTip(
        tr("A fastText .ftz / .bin file or a TorchScript .pt file (TorchScript "
           "files contain code: load only files from a source you trust)"));
    auto* pretrain = new QPushButton(tr("Pretrain…"), this);
    pretrain->setObjectName(QStringLiteral("pretrainButton"));
    pretrain->setToolTip(
        tr("Pretrain a small BERT on your own texts, or continue pretraining a model on domain "
           "text (Tools > Pretrain a language model)"));
    connect(pretrain, &QPushButton::clicked, this, &ModelPage::pretrainRequested);
    auto* folderRow = new QHBoxLayout;
    folderRow->addWidget(new QLabel(tr("Model:"), this));
    folderRow->addWidget(m_path, 1);
    folderRow->addWidget(choose);
    folderRow->addWidget(chooseFile);
    folderRow->addWidget(pretrain);

    auto* summaryBox = new QWidget(this);
    m_summaryForm = new QFormLayout(summaryBox);
    m_summaryForm->setLabelAlignment(Qt::AlignRight);
    m_summaryForm->setVerticalSpacing(3);
    for (const QString& name :
         {tr("Type"), tr("Layers"), tr("Hidden size"), tr("Attention heads"),
          tr("Intermediate size"), tr("Activation"), tr("Vocabulary size"), tr("Max positions"),
          tr("Parameters"), tr("Weights"), tr("On disk"), tr("Tokenizer")})
        addSummaryRow(name);
    m_files->setWordWrap(true);
    m_files->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summaryForm->addRow(tr("Files:"), m_files);
    m_notes->setWordWrap(true);
    m_notes->setTextFormat(Qt::RichText);
    m_summaryForm->addRow(tr("Notes:"), m_notes);

    m_head->setObjectName(QStringLiteral("head"));
    m_headNote->setObjectName(QStringLiteral("headExplanation"));
    m_headNote->setWordWrap(true);
    m_tree->setObjectName(QStringLiteral("architectureTree"));
    m_tree->setHeaderLabels({tr("Part"), tr("Shape"), tr("Parameters")});
    m_tree->setRootIsDecorated(true);
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
    m_headBox = headBox;
    auto* headForm = new QFormLayout(headBox);
    headForm->setVerticalSpacing(3);
    headForm->addRow(tr("Head:"), m_head);
    headForm->addRow(QString(), m_headNote);
    headForm->addRow(tr("Classifier dropout:"), m_dropout);
    headForm->addRow(tr("Max sequence length:"), m_maxLength);
    m_lengthWarning = new QLabel(this);
    m_lengthWarning->setObjectName(QStringLiteral("lengthWarning"));
    m_lengthWarning->setWordWrap(true);
    m_lengthWarning->setStyleSheet(QStringLiteral("color: #b35900;"));
    m_lengthWarning->setTextFormat(Qt::RichText);
    m_lengthWarning->hide();
    connect(m_lengthWarning, &QLabel::linkActivated, this, [this] {
        const int length = m_maxLength->maximum();
        m_document->update([length](tb::io::ExperimentConfig& c) { c.model.max_length = length; });
    });
    headForm->addRow(QString(), m_lengthWarning);
    headForm->addRow(tr("Lowercase input:"), m_lowercase);

    // The architecture tree is the expandable detail behind the summary.
    m_detailTabs = new QTabWidget(this);
    m_detailTabs->setObjectName(QStringLiteral("modelDetails"));
    m_detailTabs->addTab(summaryBox, tr("Summary"));
    m_detailTabs->addTab(m_tree, tr("Architecture"));
    m_tree->setToolTip(
        tr("From the weights header. Expand a part to see its tensors and their "
           "shapes."));

    // Head and adaptation scroll together when the window is short.
    auto* options = new QWidget(this);
    auto* optionsLayout = new QVBoxLayout(options);
    optionsLayout->setContentsMargins(0, 0, 0, 0);
    m_imageBox = new QGroupBox(tr("Image model"), this);
    m_imageBox->setObjectName(QStringLiteral("imageModel"));
    m_architecture = new QComboBox(this);
    m_architecture->setObjectName(QStringLiteral("imageArchitecture"));
    fillArchitectures();
    m_freezeBackbone = new QCheckBox(tr("Freeze backbone (train only the new head)"), this);
    m_freezeBackbone->setObjectName(QStringLiteral("freezeBackbone"));
    m_freezeBackbone->setToolTip(
        tr("model.freeze_backbone: the backbone's weights and batch-norm statistics stay as "
           "loaded; only the new classification head trains"));
    m_trainable = new QLabel(this);
    m_trainable->setObjectName(QStringLiteral("trainableParameters"));
    m_trainable->setWordWrap(true);
    auto* imageForm = new QFormLayout(m_imageBox);
    imageForm->setVerticalSpacing(3);
    imageForm->addRow(tr("Network:"), m_architecture);
    imageForm->addRow(QString(), m_freezeBackbone);
    imageForm->addRow(tr("Trains:"), m_trainable);
    connect(m_architecture, qOverload<int>(&QComboBox::activated), this,
            &ModelPage::setArchitecture);
    connect(m_freezeBackbone, &QCheckBox::toggled, this, [this](bool on) {
        if (!m_syncing)
            m_document->update([on](tb::io::ExperimentConfig& c) { c.model.freeze_backbone = on; });
    });
    buildScratchBox();
    optionsLayout->addWidget(m_imageBox);
    optionsLayout->addWidget(m_scratchBox);
    optionsLayout->addWidget(m_freezeFastText);
    optionsLayout->addWidget(headBox);
    optionsLayout->addWidget(m_adaptation);
    optionsLayout->addStretch(1);
    auto* optionsScroll = new QScrollArea(this);
    optionsScroll->setWidget(options);
    optionsScroll->setWidgetResizable(true);
    optionsScroll->setFrameShape(QFrame::NoFrame);
    optionsScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // Never narrower than its rows need (it only scrolls vertically), so nothing is clipped.
    optionsScroll->setMinimumWidth(options->minimumSizeHint().width() +
                                   optionsScroll->verticalScrollBar()->sizeHint().width());

    auto* details = new QSplitter(Qt::Horizontal, this);
    details->addWidget(m_detailTabs);
    details->addWidget(optionsScroll);
    details->setStretchFactor(0, 1);
    details->setStretchFactor(1, 1);
    details->setChildrenCollapsible(false);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_library);
    splitter->addWidget(details);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({230, 520});  // scaled to the height available
    splitter->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(folderRow);
    layout->addWidget(splitter, 1);

    connect(choose, &QPushButton::clicked, this, &ModelPage::chooseFolder);
    connect(chooseFile, &QPushButton::clicked, this, [this] {
        QString start = m_document->resolvedPath(m_document->config().model.path);
        if (start.isEmpty())
            start = QString::fromStdString(m_document->config().base_dir);
        const QString file = QFileDialog::getOpenFileName(
            this, tr("Choose model file"), start,
            tr("Model files (*.ftz *.bin *.pt *.pth *.ts);;All files (*)"));
        if (!file.isEmpty())
            setModelFolder(file);
    });
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
    connect(m_adaptation, &ModelAdaptationPanel::optionsEdited, this, &ModelPage::writeToDocument);
    connect(m_library, &ModelLibraryPanel::modelChosen, this, &ModelPage::setModelFolder);
    connect(m_library, &ModelLibraryPanel::architectureChosen, this,
            &ModelPage::chooseArchitecture);
    connect(m_document, &ExperimentDocument::changed, this, &ModelPage::syncFromDocument);
    connect(m_document, &ExperimentDocument::loaded, this, [this] { m_inspectedPath.clear(); });

    syncFromDocument();
}

void ModelPage::waitUntilIdle() {
    m_library->waitUntilScanned();
}

bool ModelPage::saveDetailScreenshots(const QString& dir, QWidget* window) {
    waitUntilIdle();
    const int previous = m_detailTabs->currentIndex();
    m_detailTabs->setCurrentWidget(m_tree);
    if (m_tree->topLevelItemCount() > 1)
        m_tree->topLevelItem(1)->setExpanded(true);  // the first encoder layer
    m_tree->resizeColumnToContents(0);
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
    const bool ok =
        window->grab().save(QDir(dir).filePath(QStringLiteral("model-architecture.png")));
    m_detailTabs->setCurrentIndex(previous);
    return ok;
}

QCheckBox* ModelPage::freezeEmbeddingsCheck() const {
    return m_adaptation->freezeEmbeddingsCheck();
}

QSlider* ModelPage::freezeLayersSlider() const {
    return m_adaptation->freezeLayersSlider();
}

const tb::model::ParameterCounts& ModelPage::parameterCounts() const {
    return m_adaptation->counts();
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
    // A model file or folder replaces an architecture from scratch (the config takes only one).
    const auto endsWith = [&stored](const char* suffix) {
        return QString::fromStdString(stored).endsWith(QLatin1String(suffix), Qt::CaseInsensitive);
    };
    const bool fasttextFile = endsWith(".ftz") || endsWith(".bin") ||
                              !tb::model::find_fasttext_model_file(path.toStdString()).empty();
    const bool image = imageTask();
    // A pretrained image backbone comes with the preprocessing it was trained with: the
    // experiment adopts it (the Data page shows it and can change it back).
    std::optional<tb::model::vision::ImagePreprocessing> preprocessing;
    if (image && !stored.empty()) {
        try {
            preprocessing = tb::train::model_folder_preprocessing(path.toStdString());
        } catch (const std::exception&) {
            // An invalid folder: the summary below reports it; the dataset keeps its settings.
        }
    }
    m_document->update([&](tb::io::ExperimentConfig& c) {
        c.model.path = stored;
        if (preprocessing)
            tb::train::adopt_preprocessing(c.dataset, *preprocessing);
        if (!stored.empty())
            c.model.architecture.clear();
        // Options only a BiLSTM or an image / fastText model takes would make the file invalid.
        if (c.model.pooling == "attention")
            c.model.pooling = "auto";
        if (!image && !fasttextFile)
            c.model.freeze_backbone = false;
    });
    // Training refuses a max_length beyond the model's positions: a newly chosen model with
    // shorter inputs brings the length down with it (the spin box could not show more anyway).
    if (m_info) {
        const int longest = static_cast<int>(tb::model::max_input_length(m_info->config));
        if (m_document->config().model.max_length > longest)
            m_document->update(
                [&](tb::io::ExperimentConfig& c) { c.model.max_length = std::max(8, longest); });
    }
}

void ModelPage::syncFromDocument() {
    m_syncing = true;
    const auto& model = m_document->config().model;
    m_path->setText(toQt(model.path));
    m_path->setPlaceholderText(
        model.architecture.empty()
            ? tr("A model folder (Hugging Face: config.json, model.safetensors, vocab.txt; or an "
                 "image model folder), a fastText .ftz/.bin or TorchScript .pt file, or pick a "
                 "built-in architecture in the library")
            : tr("none: model.architecture %1 is trained from scratch")
                  .arg(toQt(model.architecture)));
    fillHeads();
    m_head->setCurrentIndex(std::max(0, m_head->findData(toQt(model.head))));
    // Filling the list changes the index before the explanations are set: refresh it here.
    updateHeadNote();
    m_dropout->setValue(model.classifier_dropout);
    m_lowercase->setCurrentIndex(std::max(0, m_lowercase->findData(model.lowercase)));
    const QString resolved = m_document->resolvedPath(model.path);
    if (resolved != m_inspectedPath || imageTask() != m_inspectedImage) {
        m_inspectedPath = resolved;
        m_inspectedImage = imageTask();
        inspect();
    }
    m_maxLength->setValue(model.max_length);
    // The spin box cannot show more than the model takes; say so rather than hide it.
    const bool tooLong = m_info && model.max_length > m_maxLength->maximum();
    m_lengthWarning->setVisible(tooLong);
    if (tooLong)
        m_lengthWarning->setText(tr("The experiment asks for %1 tokens (model.max_length), more "
                                    "than this model takes; training refuses it. "
                                    "<a href=\"use\">Use %2 tokens</a>")
                                     .arg(model.max_length)
                                     .arg(m_maxLength->maximum()));
    m_adaptation->setOptions(model);
    const bool image = imageTask();
    m_library->setDatasetTask(toQt(m_document->config().dataset.task));
    m_library->setBuiltinSizes(builtinSizes());
    m_library->setCurrentKey(
        model.architecture.empty() ? resolved : architectureKey(toQt(model.architecture)));
    m_imageBox->setVisible(image);
    m_headBox->setVisible(!image);
    // Freezing and LoRA act on a pretrained encoder's layers: not on a BiLSTM or fastText table.
    m_adaptation->setVisible(!image && !scratchTextModel() && !isLibraryFile(resolved));
    syncScratch();
    if (!image && (scratchTextModel() || (!m_info && isLibraryFile(resolved))))
        showSummary();
    if (image) {
        m_architecture->setCurrentIndex(
            std::max(0, m_architecture->findData(toQt(model.architecture))));
        m_freezeBackbone->setChecked(model.freeze_backbone);
        showImageSummary();
        updateTrainable();
    }
    m_syncing = false;
}

namespace {

struct HeadText {
    QString label;
    QString explanation;
};

HeadText headText(tb::model::HeadKind head) {
    switch (head) {
        case tb::model::HeadKind::SequenceClassification:
            return {ModelPage::tr("Sequence classification"),
                    ModelPage::tr("one label per text: softmax over the classes, cross-entropy")};
        case tb::model::HeadKind::MultiLabel:
            return {ModelPage::tr("Multi-label"),
                    ModelPage::tr("any number of labels per text: one sigmoid per label, "
                                  "binary cross-entropy")};
        case tb::model::HeadKind::TokenClassification:
            return {ModelPage::tr("Token classification"),
                    ModelPage::tr("one label per word (first sub-token), cross-entropy")};
        case tb::model::HeadKind::Regression:
            return {ModelPage::tr("Regression"),
                    ModelPage::tr("one number per text (or text pair), mean squared error")};
    }
    return {};
}

QString poolingText(tb::model::Pooling pooling) {
    switch (pooling) {
        case tb::model::Pooling::Pooler:
            return ModelPage::tr("the pooler output ([CLS] through dense + tanh)");
        case tb::model::Pooling::Cls:
            return ModelPage::tr("the first token's hidden state");
        case tb::model::Pooling::Mean:
            return ModelPage::tr("the mean over the tokens");
    }
    return {};
}

}  // namespace

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
        // Not a text task (image classification): no head of a text encoder fits it.
        m_head->addItem(tr("None for a %1 dataset").arg(task), QString());
        m_head->setItemData(0,
                            tr("a text encoder has no head for a %1 dataset; image models "
                               "are chosen with the dataset")
                                .arg(task),
                            Qt::UserRole + 1);
        m_head->setItemData(0, 0, Qt::UserRole - 1);  // disabled item
        return;
    }
    const auto& accepted = tb::io::accepted_model_heads();
    for (const auto& choice : choices) {
        const std::string name = tb::model::head_kind_name(choice.head);
        const HeadText text = headText(choice.head);
        // Valid for the task but not yet accepted by training: shown, not selectable.
        const bool trainable = std::find(accepted.begin(), accepted.end(), name) != accepted.end();
        m_head->addItem(
            trainable ? text.label : tr("%1 (training support to come)").arg(text.label),
            toQt(name));
        const int index = m_head->count() - 1;
        m_head->setItemData(
            index, tr("%1 (loss: %2)").arg(text.explanation, toQt(loss_kind_name(choice.loss))),
            Qt::ToolTipRole);
        m_head->setItemData(index, text.explanation, Qt::UserRole + 1);
        m_head->setItemData(index, QVariant::fromValue(static_cast<int>(choice.head)),
                            Qt::UserRole + 2);
        if (!trainable)
            m_head->setItemData(index, 0, Qt::UserRole - 1);  // disabled item
    }
}

void ModelPage::updateHeadNote() {
    const int current = std::max(0, m_head->currentIndex());
    QString note = tr("For a %1 dataset: %2.")
                       .arg(m_headsForTask, m_head->itemData(current, Qt::UserRole + 1).toString());
    const QVariant head = m_head->itemData(current, Qt::UserRole + 2);
    // Sequence-level heads pool one vector per text; the default follows the model family.
    if (m_info && head.isValid() &&
        static_cast<tb::model::HeadKind>(head.toInt()) != tb::model::HeadKind::TokenClassification)
        note += QLatin1Char(' ') +
                tr("Pooling for %1: %2.")
                    .arg(toQt(m_info->config.model_type),
                         poolingText(tb::model::default_pooling(m_info->config.model_type)));
    m_headNote->setText(note);
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
        auto* top = new QTreeWidgetItem(
            m_tree, {toQt(group.name), tr("%n tensor(s)", nullptr, int(group.tensors.size())),
                     formatCount(group.numel)});
        top->setData(2, Qt::UserRole, QVariant::fromValue<qint64>(group.numel));
        // Children are named relative to their group ("attention.self.query.weight" under
        // "layer 0"), so the shapes and counts stay in view; the full name is the tooltip.
        const QString groupName = toQt(group.name);
        const QString key = groupName.startsWith(QStringLiteral("layer "))
                                ? QStringLiteral("layer.%1.").arg(groupName.mid(6))
                                : groupName + QLatin1Char('.');
        for (const auto& t : group.tensors) {
            const QString full = toQt(t.name);
            const int at = full.indexOf(key);
            const QString shown = at >= 0 ? full.mid(at + key.size()) : full;
            auto* item =
                new QTreeWidgetItem(top, {shown, shapeText(t.shape), formatCount(t.numel)});
            item->setToolTip(0, full);
        }
    }
    m_tree->resizeColumnToContents(0);
    m_tree->resizeColumnToContents(1);
}

void ModelPage::inspect() {
    m_info.reset();
    m_entry = {};
    m_tensors.clear();
    m_banner->clearMessage();
    // Image models are described from the library (showImageSummary), not as text encoders;
    // so are fastText and TorchScript files.
    const bool libraryFile = isLibraryFile(m_inspectedPath);
    if (libraryFile && !m_inspectedImage) {
        const std::string path = m_inspectedPath.toStdString();
        m_entry = tb::model::is_model_file(path) ? tb::model::describe_model_file(path)
                                                 : tb::model::describe_model_folder(path);
        if (!m_entry.supported)
            m_banner->showMessage(tr("This file cannot be used as a model."), toQt(m_entry.reason));
        else if (m_entry.kind == "image")
            m_banner->showMessage(tr("This is an image model; the dataset is text."),
                                  tr("Choose a text model, or an image dataset on the Data page."));
    } else if (!m_inspectedPath.isEmpty() && !m_inspectedImage) {
        QApplication::setOverrideCursor(Qt::WaitCursor);
        try {
            m_info = tb::model::inspect_model_folder(m_inspectedPath.toStdString());
            m_tensors = tb::model::stored_tensors(m_info->weight_files);
            m_entry = tb::model::describe_model_folder(m_info->path);
        } catch (const tb::Error& e) {
            m_banner->showMessage(tr("This folder cannot be used as a model."), formatError(e));
        } catch (const std::exception& e) {
            m_banner->showMessage(tr("This folder cannot be used as a model."), toQt(e.what()));
        }
        QApplication::restoreOverrideCursor();
    }
    if (!m_info)
        m_tensors.clear();
    m_adaptation->setModel(m_info ? m_info->config.model_type : std::string(),
                           m_info ? static_cast<int>(m_info->config.num_hidden_layers) : 0,
                           m_tensors);
    fillTree();
    showSummary();
    updateHeadNote();
}

void ModelPage::showSummary() {
    if (!m_info && scratchTextModel()) {
        showScratchSummary();
        m_maxLength->setMaximum(512);
        return;
    }
    if (!m_info && !m_entry.path.empty() && !m_inspectedImage) {
        showEntrySummary(m_entry.source_format == "fasttext"
                             ? tr("fastText's words and character / word n-grams (from the file)")
                             : tr("none"));
        m_maxLength->setMaximum(512);
        return;
    }
    if (!m_info) {
        for (auto& row : m_summary)
            row.second->setText(QStringLiteral("–"));
        m_notes->setText(m_inspectedPath.isEmpty()
                             ? tr("No model chosen: pick one in the library above.")
                             : QString());
        m_files->setText(QStringLiteral("–"));
        m_files->setToolTip(QString());
        m_maxLength->setMaximum(512);
        return;
    }
    const auto& c = m_info->config;
    const QString family = toQt(m_entry.family);
    // The family only where it adds something: "xlm-roberta (RoBERTa)", but plain "bert".
    const QString type = toQt(c.model_type);
    setSummaryRow(tr("Type"), family.isEmpty() || family.compare(type, Qt::CaseInsensitive) == 0
                                  ? type
                                  : tr("%1 (%2)").arg(type, family));
    setSummaryRow(tr("Layers"), QString::number(c.num_hidden_layers));
    setSummaryRow(tr("Hidden size"), QString::number(c.hidden_size));
    setSummaryRow(tr("Attention heads"), QString::number(c.num_attention_heads));
    setSummaryRow(tr("Intermediate size"), QString::number(c.intermediate_size));
    setSummaryRow(tr("Activation"), toQt(c.hidden_act));
    setSummaryRow(tr("Vocabulary size"), QString::number(c.vocab_size));
    const std::int64_t longest = tb::model::max_input_length(c);
    setSummaryRow(
        tr("Max positions"),
        longest == c.max_position_embeddings
            ? QString::number(c.max_position_embeddings)
            : tr("%1 (inputs up to %2 tokens)").arg(c.max_position_embeddings).arg(longest));
    setSummaryRow(tr("Parameters"), formatCount(m_info->parameter_count));
    setSummaryRow(tr("Weights"), tr("%1 (%2)").arg(QFileInfo(toQt(m_info->weights_path)).fileName(),
                                                   formatBytes(m_info->weights_bytes)));
    setSummaryRow(tr("On disk"), formatBytes(m_entry.disk_bytes));
    QStringList tokenizerFiles;
    for (const auto& f : m_entry.tokenizer_files)
        tokenizerFiles << toQt(f);
    setSummaryRow(tr("Tokenizer"),
                  m_entry.tokenizer_present
                      ? tokenizerFiles.join(QStringLiteral(", "))
                      : tr("missing (put vocab.txt or tokenizer.json into the folder)"));
    QStringList names;
    QStringList paths;
    for (const std::string& file : {m_info->config_path, m_info->weights_path, m_info->vocab_path,
                                    m_info->tokenizer_json_path, m_info->vocab_json_path,
                                    m_info->merges_path, m_info->tokenizer_config_path}) {
        const QString path = toQt(file);
        if (path.isEmpty() || paths.contains(path))
            continue;
        paths << path;
        names << QFileInfo(path).fileName();
    }
    m_files->setText(names.join(QStringLiteral(", ")));
    m_files->setToolTip(tr("In %1:\n%2").arg(toQt(m_info->path), paths.join(QLatin1Char('\n'))));
    QStringList notes;
    for (const auto& note : m_info->notes)
        notes << QStringLiteral("• ") + toQt(note).toHtmlEscaped();
    m_notes->setText(notes.isEmpty() ? tr("None") : notes.join(QStringLiteral("<br>")));
    m_maxLength->setMaximum(static_cast<int>(std::max<std::int64_t>(8, longest)));
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
    m_document->update([&](tb::io::ExperimentConfig& c) {
        m_adaptation->writeOptions(c.model);
        c.model.head = head;
        c.model.classifier_dropout = dropout;
        c.model.max_length = maxLength;
        c.model.lowercase = lowercase;
    });
}

void ModelPage::setSummaryRow(const QString& name, const QString& value) {
    for (auto& row : m_summary)
        if (row.first == name)
            row.second->setText(value.isEmpty() ? QStringLiteral("–") : value);
}

void ModelPage::clearSummary() {
    for (auto& row : m_summary)
        row.second->setText(QStringLiteral("–"));
}

}  // namespace tb::ui
