// Model page: choose a Hugging Face model folder, see what is in it, set the head options.
#include "pages/model_page.h"

#include <QApplication>
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
#include <QSpinBox>
#include <QVBoxLayout>

#include <exception>

#include "common/error.h"
#include "document/experiment_document.h"
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
      m_lowercase(new QComboBox(this)) {
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

    m_head->addItem(tr("Sequence classification"), QStringLiteral("sequence_classification"));
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
    headForm->addRow(tr("Classifier dropout:"), m_dropout);
    headForm->addRow(tr("Max sequence length:"), m_maxLength);
    headForm->addRow(tr("Lowercase input:"), m_lowercase);

    auto* filesBox = new QGroupBox(tr("Files read"), this);
    auto* filesLayout = new QVBoxLayout(filesBox);
    m_files->setWordWrap(true);
    m_files->setTextInteractionFlags(Qt::TextSelectableByMouse);
    filesLayout->addWidget(m_files);

    auto* columns = new QHBoxLayout;
    columns->addWidget(summaryBox, 3);
    auto* right = new QVBoxLayout;
    right->addWidget(headBox);
    right->addWidget(filesBox);
    right->addStretch(1);
    columns->addLayout(right, 2);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(folderRow);
    layout->addLayout(columns);
    layout->addStretch(1);

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
    m_head->setCurrentIndex(std::max(0, m_head->findData(toQt(model.head))));
    m_dropout->setValue(model.classifier_dropout);
    m_lowercase->setCurrentIndex(std::max(0, m_lowercase->findData(model.lowercase)));
    const QString resolved = m_document->resolvedPath(model.path);
    if (resolved != m_inspectedPath) {
        m_inspectedPath = resolved;
        inspect();
    }
    m_maxLength->setValue(model.max_length);
    m_syncing = false;
}

void ModelPage::inspect() {
    m_info.reset();
    m_banner->clearMessage();
    if (!m_inspectedPath.isEmpty()) {
        QApplication::setOverrideCursor(Qt::WaitCursor);
        try {
            m_info = tb::model::inspect_model_folder(m_inspectedPath.toStdString());
        } catch (const tb::Error& e) {
            m_banner->showMessage(tr("This folder cannot be used as a model."), formatError(e));
        } catch (const std::exception& e) {
            m_banner->showMessage(tr("This folder cannot be used as a model."), toQt(e.what()));
        }
        QApplication::restoreOverrideCursor();
    }
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
    const std::string head = m_head->currentData().toString().toStdString();
    const double dropout = m_dropout->value();
    const int maxLength = m_maxLength->value();
    const int lowercase = m_lowercase->currentData().toInt();
    m_document->update([&](tb::io::ExperimentConfig& c) {
        c.model.head = head;
        c.model.classifier_dropout = dropout;
        c.model.max_length = maxLength;
        c.model.lowercase = lowercase;
    });
}

}  // namespace tb::ui
