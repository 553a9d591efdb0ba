// "Pretrain a language model" dialog: layout and the settings (the run: pretrain_dialog_run.cpp).
#include "pretrain/pretrain_dialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

#include <limits>

#include "pretrain/pretrain_command_line.h"
#include "views/loss_plot.h"
#include "widgets/error_banner.h"
#include "widgets/scientific_spin_box.h"

namespace tb::ui {

namespace {

QSpinBox* spin(QWidget* parent, int minimum, int maximum, const QString& tip) {
    auto* box = new QSpinBox(parent);
    box->setRange(minimum, maximum);
    box->setToolTip(tip);
    box->setKeyboardTracking(false);
    return box;
}

QDoubleSpinBox* fraction(QWidget* parent, double maximum, const QString& tip) {
    auto* box = new QDoubleSpinBox(parent);
    box->setRange(0.0, maximum);
    box->setDecimals(3);
    box->setSingleStep(0.01);
    box->setToolTip(tip);
    box->setKeyboardTracking(false);
    return box;
}

QFormLayout* compactForm(QWidget* box) {
    auto* form = new QFormLayout(box);
    form->setVerticalSpacing(3);
    form->setLabelAlignment(Qt::AlignRight);
    return form;
}

}  // namespace

PretrainDialog::PretrainDialog(QWidget* parent)
    : QDialog(parent), m_runner(new PretrainRunner(this)), m_banner(new ErrorBanner(this)) {
    setWindowTitle(tr("Pretrain a language model"));
    setObjectName(QStringLiteral("pretrainDialog"));

    auto* intro = new QLabel(
        tr("Trains a WordPiece vocabulary on your texts and pretrains a small BERT with "
           "masked-language modelling, or continues pretraining an existing model on domain "
           "text. The result is a model folder you can fine-tune on the Model page."),
        this);
    intro->setWordWrap(true);

    m_settings = new QWidget(this);
    auto* left = new QVBoxLayout;
    left->addWidget(buildCorpusBox());
    left->addWidget(buildModelBox(), 1);
    auto* right = new QVBoxLayout;
    right->addWidget(buildTrainingBox(), 1);
    right->addWidget(buildOutputBox());
    auto* columns = new QHBoxLayout(m_settings);
    columns->setContentsMargins(0, 0, 0, 0);
    columns->addLayout(left, 1);
    columns->addLayout(right, 1);

    m_commandLine = new QLineEdit(this);
    m_commandLine->setObjectName(QStringLiteral("commandLine"));
    m_commandLine->setReadOnly(true);
    m_commandLine->setToolTip(
        tr("The same run from a terminal or a GPU server (tunebench-cli needs no display)"));
    auto* copy = new QPushButton(tr("Copy"), this);
    connect(copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_commandLine->text()); });
    auto* commandRow = new QHBoxLayout;
    commandRow->addWidget(new QLabel(tr("Command line:"), this));
    commandRow->addWidget(m_commandLine, 1);
    commandRow->addWidget(copy);

    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("pretrainProgress"));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setFormat(tr("step %v / %m"));
    m_progress->setTextVisible(false);  // until the first step is reported
    m_status = new QLabel(tr("Not started."), this);
    m_status->setObjectName(QStringLiteral("pretrainStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_plot = new LossPlot(this);
    m_plot->setTrainOnly(tr("masked-LM loss"));
    m_plot->setMinimumHeight(180);
    m_log = new QPlainTextEdit(this);
    m_log->setObjectName(QStringLiteral("pretrainLog"));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(1000);
    m_log->setPlaceholderText(tr("Messages from the run"));
    auto* output = new QSplitter(Qt::Horizontal, this);
    output->addWidget(m_plot);
    output->addWidget(m_log);
    output->setStretchFactor(0, 3);
    output->setStretchFactor(1, 2);
    output->setChildrenCollapsible(false);

    m_start = new QPushButton(tr("Start pretraining"), this);
    m_start->setObjectName(QStringLiteral("startPretraining"));
    m_start->setDefault(true);
    m_cancel = new QPushButton(tr("Cancel run"), this);
    m_cancel->setObjectName(QStringLiteral("cancelPretraining"));
    m_cancel->setToolTip(
        tr("Stops after the current step; the model as trained so far is still written and "
           "marked as stopped early"));
    m_cancel->setEnabled(false);
    m_useModel = new QPushButton(tr("Add to model library and use it"), this);
    m_useModel->setObjectName(QStringLiteral("useModel"));
    m_useModel->setToolTip(
        tr("Lists the new folder in the model library and selects it on the Model page"));
    m_useModel->setEnabled(false);
    m_close = new QPushButton(tr("Close"), this);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_cancel);
    buttons->addStretch(1);
    buttons->addWidget(m_useModel);
    buttons->addWidget(m_close);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(intro);
    layout->addWidget(m_settings);
    layout->addLayout(commandRow);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(output, 1);
    layout->addLayout(buttons);

    connect(m_start, &QPushButton::clicked, this, &PretrainDialog::start);
    connect(m_cancel, &QPushButton::clicked, this, &PretrainDialog::cancel);
    connect(m_close, &QPushButton::clicked, this, &PretrainDialog::reject);
    connect(m_useModel, &QPushButton::clicked, this, [this] {
        if (!m_lastOutDir.isEmpty())
            emit useModelRequested(m_lastOutDir);
    });
    connect(m_runner, &PretrainRunner::progressReported, this, &PretrainDialog::onProgress);
    connect(m_runner, &PretrainRunner::logLine, m_log, &QPlainTextEdit::appendPlainText);
    connect(m_runner, &PretrainRunner::finished, this, &PretrainDialog::onFinished);

    setOptions(tb::pretrain::PretrainOptions{});
    resize(1040, 760);
}

QWidget* PretrainDialog::buildCorpusBox() {
    auto* box = new QGroupBox(tr("Corpus"), this);
    m_corpus = new QListWidget(box);
    m_corpus->setObjectName(QStringLiteral("corpusFiles"));
    m_corpus->setToolTip(
        tr("Text files: one text per line. CSV, TSV and JSONL files: the text column of every "
           "row."));
    m_corpus->setMinimumHeight(60);
    m_corpus->setMaximumHeight(90);
    auto* add = new QPushButton(tr("Add files…"), box);
    auto* remove = new QPushButton(tr("Remove"), box);
    connect(add, &QPushButton::clicked, this, &PretrainDialog::chooseCorpusFiles);
    connect(remove, &QPushButton::clicked, this, [this] {
        delete m_corpus->currentItem();
        updateCommandLine();
    });
    m_textColumn = new QLineEdit(box);
    m_textColumn->setToolTip(tr("The column holding the text in CSV, TSV and JSONL files"));
    watch(m_textColumn);
    auto* buttons = new QVBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    auto* row = new QHBoxLayout;
    row->addWidget(m_corpus, 1);
    row->addLayout(buttons);
    auto* layout = new QVBoxLayout(box);
    layout->addLayout(row);
    auto* column = new QFormLayout;
    column->addRow(tr("Text column (tables):"), m_textColumn);
    layout->addLayout(column);
    return box;
}

QWidget* PretrainDialog::buildModelBox() {
    auto* box = new QGroupBox(tr("Model"), this);
    m_newModel = new QRadioButton(tr("New model: train a vocabulary and a small BERT"), box);
    m_newModel->setObjectName(QStringLiteral("newModel"));
    m_continue = new QRadioButton(
        tr("Continue pretraining a model folder (domain-adaptive; keeps its vocabulary and "
           "size):"),
        box);
    m_continue->setObjectName(QStringLiteral("continueModel"));
    m_fromDir = new QLineEdit(box);
    m_fromDir->setObjectName(QStringLiteral("fromDir"));
    m_fromDir->setPlaceholderText(tr("A BERT model folder (config.json, model.safetensors)"));
    m_browseFrom = new QPushButton(tr("Browse…"), box);
    connect(m_browseFrom, &QPushButton::clicked, this, [this] {
        const QString dir =
            QFileDialog::getExistingDirectory(this, tr("Model to continue"), m_fromDir->text());
        if (!dir.isEmpty())
            m_fromDir->setText(dir);
    });
    connect(m_newModel, &QRadioButton::toggled, this, &PretrainDialog::updateModelMode);
    watch(m_fromDir);
    auto* fromRow = new QHBoxLayout;
    fromRow->setContentsMargins(20, 0, 0, 0);
    fromRow->addWidget(m_fromDir, 1);
    fromRow->addWidget(m_browseFrom);

    m_newModelBox = new QWidget(box);
    auto* form = compactForm(m_newModelBox);
    form->setContentsMargins(20, 0, 0, 0);
    m_vocabSize = spin(box, 10, 1000000, tr("--vocab-size: WordPiece tokens, specials included"));
    m_vocabSize->setObjectName(QStringLiteral("vocabSize"));
    m_minFrequency = spin(box, 0, 1000000, tr("--min-frequency: fewest occurrences of a pair"));
    m_limitAlphabet = spin(box, 0, 1000000, tr("--limit-alphabet: most characters kept (0: all)"));
    m_lowercase = new QCheckBox(tr("Lowercase and strip accents"), box);
    m_lowercase->setToolTip(tr("Unchecked: --cased (keep case and accents)"));
    m_layers = spin(box, 1, 48, tr("--layers: transformer layers"));
    m_hidden = spin(box, 8, 4096, tr("--hidden: hidden size (a multiple of the heads)"));
    m_heads = spin(box, 1, 64, tr("--heads: attention heads"));
    m_intermediate = spin(box, 8, 16384, tr("--intermediate: feed-forward size"));
    form->addRow(tr("Vocabulary size:"), m_vocabSize);
    form->addRow(tr("Min. pair frequency:"), m_minFrequency);
    form->addRow(tr("Alphabet limit:"), m_limitAlphabet);
    form->addRow(QString(), m_lowercase);
    form->addRow(tr("Layers:"), m_layers);
    form->addRow(tr("Hidden size:"), m_hidden);
    form->addRow(tr("Attention heads:"), m_heads);
    form->addRow(tr("Intermediate size:"), m_intermediate);
    for (QObject* w :
         std::initializer_list<QObject*>{m_vocabSize, m_minFrequency, m_limitAlphabet, m_lowercase,
                                         m_layers, m_hidden, m_heads, m_intermediate})
        watch(w);

    auto* layout = new QVBoxLayout(box);
    layout->setSpacing(3);
    layout->addWidget(m_newModel);
    layout->addWidget(m_newModelBox);
    layout->addWidget(m_continue);
    layout->addLayout(fromRow);
    layout->addStretch(1);
    return box;
}

QWidget* PretrainDialog::buildTrainingBox() {
    auto* box = new QGroupBox(tr("Training"), this);
    auto* form = compactForm(box);
    m_maxLength =
        spin(box, 8, 8192, tr("--max-length: tokens per block, [CLS] and [SEP] included"));
    m_byEpochs = new QRadioButton(tr("Epochs:"), box);
    m_bySteps = new QRadioButton(tr("Steps:"), box);
    m_bySteps->setObjectName(QStringLiteral("bySteps"));
    m_epochs = spin(box, 1, 100000, tr("--epochs: passes over the corpus blocks"));
    m_steps = spin(box, 1, std::numeric_limits<int>::max(), tr("--steps: optimizer steps"));
    connect(m_byEpochs, &QRadioButton::toggled, m_epochs, &QWidget::setEnabled);
    connect(m_bySteps, &QRadioButton::toggled, m_steps, &QWidget::setEnabled);
    auto* length = new QHBoxLayout;
    length->addWidget(m_byEpochs);
    length->addWidget(m_epochs, 1);
    length->addSpacing(12);
    length->addWidget(m_bySteps);
    length->addWidget(m_steps, 1);
    m_batchSize = spin(box, 1, 65536, tr("--batch-size: blocks per optimizer step"));
    m_learningRate = new ScientificSpinBox(box);
    m_learningRate->setToolTip(tr("--lr: peak learning rate (linear warmup, then linear decay)"));
    m_learningRate->setRange(1e-8, 1.0);
    m_warmup = fraction(box, 1.0, tr("--warmup-ratio: share of the steps spent warming up"));
    m_weightDecay = fraction(box, 1.0, tr("--weight-decay (AdamW)"));
    m_maskProbability = fraction(box, 0.9, tr("--mask-probability: share of tokens predicted"));
    m_maskProbability->setMinimum(0.01);
    m_wholeWord = new QCheckBox(tr("Whole-word masking"), box);
    m_wholeWord->setToolTip(
        tr("--whole-word-mask: mask a word's pieces together instead of single tokens"));
    m_seed = spin(box, 0, std::numeric_limits<int>::max(), tr("--seed"));
    m_device = new QComboBox(box);
    m_device->setEditable(true);
    m_device->addItems({QStringLiteral("auto"), QStringLiteral("cpu"), QStringLiteral("cuda")});
    m_device->setToolTip(
        tr("--device: auto (a CUDA GPU if this build has one, else the CPU), cpu, cuda or "
           "cuda:N"));
    m_logEvery = spin(box, 1, 1000000, tr("--log-every: report the mean loss every N steps"));
    m_initOnly = new QCheckBox(tr("Initialise only (random baseline, NOT pretrained)"), box);
    m_initOnly->setToolTip(
        tr("--init-only: writes the initialised model without training it, for comparisons"));
    form->addRow(tr("Max length:"), m_maxLength);
    form->addRow(tr("Train for:"), length);
    form->addRow(tr("Batch size:"), m_batchSize);
    form->addRow(tr("Learning rate:"), m_learningRate);
    form->addRow(tr("Warmup ratio:"), m_warmup);
    form->addRow(tr("Weight decay:"), m_weightDecay);
    form->addRow(tr("Mask probability:"), m_maskProbability);
    form->addRow(QString(), m_wholeWord);
    form->addRow(tr("Seed:"), m_seed);
    form->addRow(tr("Device:"), m_device);
    form->addRow(tr("Report every:"), m_logEvery);
    form->addRow(QString(), m_initOnly);
    for (QObject* w :
         std::initializer_list<QObject*>{m_maxLength, m_byEpochs, m_epochs, m_steps, m_batchSize,
                                         m_learningRate, m_warmup, m_weightDecay, m_maskProbability,
                                         m_wholeWord, m_seed, m_device, m_logEvery, m_initOnly})
        watch(w);
    return box;
}

QWidget* PretrainDialog::buildOutputBox() {
    auto* box = new QGroupBox(tr("Output"), this);
    m_outDir = new QLineEdit(box);
    m_outDir->setObjectName(QStringLiteral("outDir"));
    m_outDir->setPlaceholderText(tr("A new folder (nothing is overwritten)"));
    watch(m_outDir);
    auto* browse = new QPushButton(tr("Browse…"), box);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString parent =
            QFileDialog::getExistingDirectory(this, tr("Folder to create the model folder in"),
                                              QFileInfo(m_outDir->text()).absolutePath());
        if (parent.isEmpty())
            return;
        QString name = QFileInfo(m_outDir->text()).fileName();
        if (name.isEmpty())
            name = QStringLiteral("pretrained-bert");
        m_outDir->setText(QDir(parent).filePath(name));
    });
    auto* row = new QHBoxLayout(box);
    row->addWidget(new QLabel(tr("Model folder:"), box));
    row->addWidget(m_outDir, 1);
    row->addWidget(browse);
    return box;
}

void PretrainDialog::watch(QObject* widget) {
    if (auto* s = qobject_cast<QSpinBox*>(widget))
        connect(s, &QSpinBox::valueChanged, this, &PretrainDialog::updateCommandLine);
    else if (auto* d = qobject_cast<QDoubleSpinBox*>(widget))
        connect(d, &QDoubleSpinBox::valueChanged, this, &PretrainDialog::updateCommandLine);
    else if (auto* b = qobject_cast<QAbstractButton*>(widget))
        connect(b, &QAbstractButton::toggled, this, &PretrainDialog::updateCommandLine);
    else if (auto* e = qobject_cast<QLineEdit*>(widget))
        connect(e, &QLineEdit::textChanged, this, &PretrainDialog::updateCommandLine);
    else if (auto* c = qobject_cast<QComboBox*>(widget))
        connect(c, &QComboBox::currentTextChanged, this, &PretrainDialog::updateCommandLine);
}

void PretrainDialog::chooseCorpusFiles() {
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Corpus files"), QString(),
        tr("Text corpora (*.txt *.csv *.tsv *.jsonl);;All files (*)"));
    for (const QString& file : files)
        if (m_corpus->findItems(file, Qt::MatchExactly).isEmpty())
            m_corpus->addItem(file);
    updateCommandLine();
}

void PretrainDialog::updateModelMode() {
    const bool fresh = m_newModel->isChecked();
    m_newModelBox->setEnabled(fresh);
    m_fromDir->setEnabled(!fresh);
    m_browseFrom->setEnabled(!fresh);
    updateCommandLine();
}

void PretrainDialog::updateCommandLine() {
    if (m_filling)
        return;
    m_commandLine->setText(shellCommandLine(QStringLiteral("tunebench-cli"), commandArguments()));
    m_commandLine->setCursorPosition(0);
}

QStringList PretrainDialog::commandArguments() const {
    return pretrainArguments(options());
}

QDoubleSpinBox* PretrainDialog::learningRateSpin() const {
    return m_learningRate;
}

}  // namespace tb::ui
