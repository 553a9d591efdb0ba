// Data page: the import wizard (layout, wiring, experiment sync and background scans).
#include "pages/data_page.h"

#include <QAction>
#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTimer>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>

#include <cmath>

#include "dataset/dataset_editor.h"
#include "dataset/dataset_loader.h"
#include "document/experiment_document.h"
#include "pages/table_preview_model.h"
#include "util/format.h"
#include "views/token_length_histogram.h"
#include "views/token_sentence_view.h"
#include "widgets/error_banner.h"
#include "widgets/label_bar_chart.h"

namespace tb::ui {

namespace {

QDoubleSpinBox* fractionBox(QWidget* parent) {
    auto* box = new QDoubleSpinBox(parent);
    box->setRange(0.0, 1.0);
    box->setDecimals(2);
    box->setSingleStep(0.05);
    box->setKeyboardTracking(false);
    return box;
}

QLabel* noteLabel(QWidget* parent) {
    auto* label = new QLabel(parent);
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("color: #5f6368;"));
    return label;
}

}  // namespace

DataPage::DataPage(ExperimentDocument* document, QWidget* parent)
    : QWidget(parent),
      m_document(document),
      m_loader(new DatasetLoader(this)),
      m_editor(new DatasetEditor(this)),
      m_banner(new ErrorBanner(this)),
      m_steps(new QTabWidget(this)),
      m_progress(new QProgressBar(this)),
      m_progressLabel(new QLabel(this)),
      m_cancel(new QPushButton(tr("Cancel"), this)),
      m_scanTimer(new QTimer(this)) {
    m_scanTimer->setSingleShot(true);
    m_scanTimer->setInterval(60);  // coalesces the several edits one user action makes
    connect(m_scanTimer, &QTimer::timeout, this, &DataPage::startScan);

    m_steps->setObjectName(QStringLiteral("importSteps"));
    m_steps->addTab(buildFileStep(), tr("1  File"));
    m_steps->addTab(buildColumnsStep(), tr("2  Columns"));
    m_steps->addTab(buildValidationStep(), tr("3  Validation"));
    m_steps->addTab(buildSplitStep(), tr("4  Split"));
    m_steps->addTab(buildSummaryStep(), tr("5  Summary"));
    auto* back = new QPushButton(tr("‹ Back"), this);
    auto* next = new QPushButton(tr("Next ›"), this);
    auto* corner = new QWidget(this);
    auto* cornerLayout = new QHBoxLayout(corner);
    cornerLayout->setContentsMargins(0, 0, 0, 2);
    cornerLayout->addWidget(back);
    cornerLayout->addWidget(next);
    m_steps->setCornerWidget(corner, Qt::TopRightCorner);
    connect(back, &QPushButton::clicked, this,
            [this] { m_steps->setCurrentIndex(std::max(0, m_steps->currentIndex() - 1)); });
    connect(next, &QPushButton::clicked, this, [this] {
        m_steps->setCurrentIndex(std::min(m_steps->count() - 1, m_steps->currentIndex() + 1));
    });
    auto updateNav = [this, back, next] {
        back->setEnabled(m_steps->currentIndex() > 0);
        next->setEnabled(m_steps->currentIndex() < m_steps->count() - 1);
    };
    connect(m_steps, &QTabWidget::currentChanged, this, updateNav);
    updateNav();

    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(true);
    m_progress->setFormat(QStringLiteral("%p%"));
    auto* progressRow = new QHBoxLayout;
    progressRow->addWidget(m_progressLabel);
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_cancel);
    auto* progressBox = new QWidget(this);
    progressBox->setLayout(progressRow);
    progressRow->setContentsMargins(0, 0, 0, 0);
    progressBox->setVisible(false);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_steps);
    splitter->addWidget(buildPreview());
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({330, 420});

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(progressBox);
    layout->addWidget(splitter, 1);

    // Loader.
    connect(m_cancel, &QPushButton::clicked, m_loader, &DatasetLoader::cancel);
    connect(m_loader, &DatasetLoader::started, progressBox, [this, progressBox] {
        m_progress->setValue(0);
        progressBox->setVisible(true);
    });
    connect(m_loader, &DatasetLoader::progressChanged, this,
            [this](int permille, const QString& stage) {
                m_progress->setValue(permille);
                m_progressLabel->setText(stage + QStringLiteral("…"));
            });
    auto hideProgress = [progressBox] { progressBox->setVisible(false); };
    connect(m_loader, &DatasetLoader::scanFinished, progressBox, hideProgress);
    connect(m_loader, &DatasetLoader::scanFailed, progressBox, hideProgress);
    connect(m_loader, &DatasetLoader::scanCancelled, progressBox, hideProgress);
    connect(m_loader, &DatasetLoader::scanFinished, this, &DataPage::onScanFinished);
    connect(m_loader, &DatasetLoader::scanFailed, this, &DataPage::onScanFailed);
    connect(m_loader, &DatasetLoader::scanCancelled, this, &DataPage::onScanCancelled);

    // Edits.
    connect(m_editor, &DatasetEditor::editsChanged, this, [this] {
        m_preview->setEdits(m_editor->edits());
        updateEditActions();
        scheduleScan(/*reread=*/false);
    });

    connect(m_document, &ExperimentDocument::changed, this, &DataPage::syncFromDocument);
    connect(m_document, &ExperimentDocument::loaded, this, [this] {
        m_readKey.clear();  // re-read even if the same path: the file may have changed
        m_folder.clear();
        m_taskType = TaskType::TextClassification;
    });
    syncFromDocument();
}

DataPage::~DataPage() = default;

QWidget* DataPage::buildFileStep() {
    auto* page = new QWidget(this);
    m_path = new QLineEdit(page);
    m_path->setPlaceholderText(
        tr("CSV, TSV or JSONL table, a CoNLL / tagged-text token file, "
           "or a folder of images"));
    auto* chooseFile = new QPushButton(tr("Choose file…"), page);
    auto* chooseFolder = new QPushButton(tr("Choose folder…"), page);
    auto* reload = new QPushButton(tr("Reload"), page);
    reload->setToolTip(tr("Read the file again (after it changed on disk)"));
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(chooseFile);
    pathRow->addWidget(chooseFolder);
    pathRow->addWidget(reload);

    m_task = new QComboBox(page);
    m_task->setObjectName(QStringLiteral("taskType"));
    m_task->addItem(tr("Text classification"), int(TaskType::TextClassification));
    m_task->addItem(tr("Token classification (NER, POS)"), int(TaskType::TokenClassification));
    m_task->addItem(tr("Sentence-pair classification"), int(TaskType::SentencePair));
    m_task->addItem(tr("Multi-label classification"), int(TaskType::MultiLabel));
    m_task->addItem(tr("Image classification"), int(TaskType::Image));

    m_format = new QComboBox(page);
    m_format->setObjectName(QStringLiteral("dataFormat"));
    m_format->addItem(tr("Auto-detect"), QStringLiteral("auto"));
    m_format->addItem(QStringLiteral("CSV"), QStringLiteral("csv"));
    m_format->addItem(QStringLiteral("TSV"), QStringLiteral("tsv"));
    m_format->addItem(tr("JSON Lines (one object per line)"), QStringLiteral("jsonl"));
    m_format->addItem(tr("CoNLL columns (token per line)"), QStringLiteral("conll"));
    m_format->addItem(tr("JSON Lines with tokens/tags arrays"), QStringLiteral("token_jsonl"));
    m_format->addItem(tr("Tagged text (word/TAG …)"), QStringLiteral("tagged"));
    m_detected = noteLabel(page);
    auto* formatRow = new QHBoxLayout;
    formatRow->addWidget(m_format);
    formatRow->addWidget(m_detected, 1);

    m_deidentify = new QCheckBox(
        tr("De-identify: mask e-mail addresses, URLs, IP addresses, phone numbers and long "
           "digit runs in the text"),
        page);
    m_deidentify->setToolTip(
        tr("Counts are shown here. The masked text is written when you "
           "save a new dataset version; your file is never changed."));
    m_masked = noteLabel(page);
    m_taskNote = noteLabel(page);

    auto* form = new QFormLayout(page);
    form->addRow(tr("Data:"), pathRow);
    form->addRow(tr("Task:"), m_task);
    form->addRow(tr("Format:"), formatRow);
    form->addRow(QString(), m_deidentify);
    form->addRow(QString(), m_masked);
    form->addRow(QString(), m_taskNote);

    connect(chooseFile, &QPushButton::clicked, this, &DataPage::chooseFile);
    connect(chooseFolder, &QPushButton::clicked, this, &DataPage::chooseFolder);
    connect(reload, &QPushButton::clicked, this, [this] {
        m_readKey.clear();
        scheduleScan(/*reread=*/true);
    });
    connect(m_path, &QLineEdit::editingFinished, this, [this] {
        if (!m_syncing &&
            m_path->text().trimmed() != m_document->resolvedPath(m_document->config().dataset.path))
            setDataFile(m_path->text().trimmed());
    });
    connect(m_task, qOverload<int>(&QComboBox::activated), this, [this] {
        m_taskType = TaskType(m_task->currentData().toInt());
        if (m_taskType == TaskType::TokenClassification &&
            !isTokenFormat(currentFormat().toStdString()))
            m_format->setCurrentIndex(0);
        if (m_taskType == TaskType::TextClassification &&
            isTokenFormat(currentFormat().toStdString()))
            m_format->setCurrentIndex(0);
        writeToDocument();
        updateTaskNote();
        scheduleScan(/*reread=*/true);
    });
    connect(m_format, qOverload<int>(&QComboBox::activated), this, [this] {
        const std::string format = currentFormat().toStdString();
        if (isTokenFormat(format))
            m_taskType = TaskType::TokenClassification;
        else if (m_taskType == TaskType::TokenClassification && format != "auto")
            m_taskType = TaskType::TextClassification;
        m_task->setCurrentIndex(m_task->findData(int(m_taskType)));
        writeToDocument();
        updateTaskNote();
        scheduleScan(/*reread=*/true);
    });
    connect(m_deidentify, &QCheckBox::toggled, this, [this] { scheduleScan(false); });
    return page;
}

QWidget* DataPage::buildColumnsStep() {
    auto* page = new QWidget(this);
    m_textColumn = new QComboBox(page);
    m_labelColumn = new QComboBox(page);
    m_labelOrder = new QComboBox(page);
    m_tagColumn = new QSpinBox(page);
    m_columnsNote = noteLabel(page);
    m_textColumn->setMinimumContentsLength(14);
    m_labelColumn->setMinimumContentsLength(14);
    m_labelOrder->addItem(tr("First seen"), QStringLiteral("first_seen"));
    m_labelOrder->addItem(tr("Sorted"), QStringLiteral("sorted"));
    m_tagColumn->setRange(0, 20);
    m_tagColumn->setSpecialValueText(tr("last column"));
    m_tagColumn->setToolTip(tr("CoNLL: the 1-based column holding the tag"));
    auto* form = new QFormLayout(page);
    form->addRow(tr("Text column:"), m_textColumn);
    form->addRow(tr("Label column:"), m_labelColumn);
    form->addRow(tr("Label order:"), m_labelOrder);
    form->addRow(tr("Tag column (CoNLL):"), m_tagColumn);
    form->addRow(m_columnsNote);
    for (QComboBox* combo : {m_textColumn, m_labelColumn, m_labelOrder})
        connect(combo, qOverload<int>(&QComboBox::activated), this, &DataPage::writeToDocument);
    connect(m_tagColumn, qOverload<int>(&QSpinBox::valueChanged), this,
            [this] { scheduleScan(/*reread=*/true); });
    return page;
}

QWidget* DataPage::buildValidationStep() {
    auto* page = new QWidget(this);
    m_problems = new QListWidget(page);
    m_problems->setObjectName(QStringLiteral("problems"));
    m_problems->setToolTip(tr("Double-click a problem to show its row in the preview"));
    m_problemsCaption = new QLabel(page);
    m_skipBad = new QRadioButton(tr("Skip bad rows (they are counted and listed here)"), page);
    m_stopOnBad =
        new QRadioButton(tr("Stop: training refuses to start while any row is bad"), page);
    auto* group = new QButtonGroup(page);
    group->addButton(m_skipBad);
    group->addButton(m_stopOnBad);
    m_rareMin = new QSpinBox(page);
    m_rareMin->setRange(0, 100000);
    m_rareMin->setValue(5);
    m_rareMin->setToolTip(tr("Labels with fewer examples than this are listed as warnings"));

    auto* left = new QVBoxLayout;
    left->addWidget(m_skipBad);
    left->addWidget(m_stopOnBad);
    auto* rareRow = new QHBoxLayout;
    rareRow->addWidget(new QLabel(tr("Warn about labels with fewer than"), page));
    rareRow->addWidget(m_rareMin);
    rareRow->addWidget(new QLabel(tr("examples"), page));
    rareRow->addStretch(1);
    left->addLayout(rareRow);
    auto* hint = noteLabel(page);
    hint->setText(
        tr("Problems (✖) are rows that cannot be used; warnings (⚠: duplicates, rare "
           "labels) are kept. Double-click one to see its row below."));
    left->addWidget(hint);
    left->addStretch(1);
    auto* right = new QVBoxLayout;
    right->addWidget(m_problemsCaption);
    right->addWidget(m_problems, 1);
    auto* layout = new QHBoxLayout(page);
    layout->addLayout(left, 2);
    layout->addLayout(right, 3);

    connect(m_skipBad, &QRadioButton::toggled, this, &DataPage::writeToDocument);
    connect(m_rareMin, qOverload<int>(&QSpinBox::valueChanged), this,
            [this] { scheduleScan(false); });
    connect(m_problems, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { jumpToProblem(m_problems->row(item)); });
    connect(m_problems, &QListWidget::itemDoubleClicked, this,
            [this](QListWidgetItem* item) { jumpToProblem(m_problems->row(item)); });
    return page;
}

QWidget* DataPage::buildSplitStep() {
    auto* page = new QWidget(this);
    m_splitRandom = new QRadioButton(tr("Random, stratified by label"), page);
    m_splitFiles = new QRadioButton(tr("My own dev / test files"), page);
    m_splitColumn = new QRadioButton(tr("A split column in the file"), page);
    m_splitColumn->setEnabled(false);
    m_splitColumn->setToolTip(tr("Reading train/dev/test from a column is still to come"));
    auto* group = new QButtonGroup(page);
    for (QRadioButton* b : {m_splitRandom, m_splitFiles, m_splitColumn})
        group->addButton(b);
    m_trainFraction = fractionBox(page);
    m_devFraction = fractionBox(page);
    m_testFraction = fractionBox(page);
    m_seed = new QSpinBox(page);
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_seed->setToolTip(tr("The experiment's seed (training.seed): same seed, same split"));
    m_devPath = new QLineEdit(page);
    m_testPath = new QLineEdit(page);
    m_devPath->setPlaceholderText(tr("dev file (same format and columns)"));
    m_testPath->setPlaceholderText(tr("test file (optional)"));
    m_splitWarning = new QLabel(page);
    m_splitWarning->setStyleSheet(QStringLiteral("color: #a50e0e;"));
    m_splitWarning->setWordWrap(true);

    auto* fractions = new QHBoxLayout;
    for (auto [name, box] :
         {std::pair{tr("train"), m_trainFraction}, std::pair{tr("dev"), m_devFraction},
          std::pair{tr("test"), m_testFraction}}) {
        fractions->addWidget(new QLabel(name, page));
        fractions->addWidget(box);
    }
    fractions->addWidget(new QLabel(tr("seed"), page));
    fractions->addWidget(m_seed);
    fractions->addStretch(1);
    auto fileRow = [this, page](QLineEdit* edit) {
        auto* row = new QHBoxLayout;
        auto* browse = new QPushButton(tr("…"), page);
        browse->setFixedWidth(32);
        row->addWidget(edit, 1);
        row->addWidget(browse);
        connect(browse, &QPushButton::clicked, this, [this, edit] { chooseSplitFile(edit); });
        return row;
    };
    auto* left = new QVBoxLayout;
    left->addWidget(m_splitRandom);
    left->addLayout(fractions);
    left->addWidget(m_splitFiles);
    left->addLayout(fileRow(m_devPath));
    left->addLayout(fileRow(m_testPath));
    left->addWidget(m_splitColumn);
    left->addWidget(m_splitWarning);
    left->addStretch(1);

    m_splitTable = new QTableWidget(page);
    m_splitTable->setObjectName(QStringLiteral("splitCounts"));
    m_splitTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_splitTable->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    auto* layout = new QHBoxLayout(page);
    layout->addLayout(left, 1);
    layout->addWidget(m_splitTable, 1);

    connect(m_splitRandom, &QRadioButton::toggled, this, [this](bool random) {
        if (m_syncing)
            return;
        if (random) {
            m_devPath->clear();
            m_testPath->clear();
        }
        writeToDocument();
    });
    for (QDoubleSpinBox* box : {m_trainFraction, m_devFraction, m_testFraction})
        connect(box, qOverload<double>(&QDoubleSpinBox::valueChanged), this,
                &DataPage::writeToDocument);
    connect(m_seed, qOverload<int>(&QSpinBox::valueChanged), this, &DataPage::writeToDocument);
    for (QLineEdit* edit : {m_devPath, m_testPath})
        connect(edit, &QLineEdit::editingFinished, this, [this] {
            if (!m_syncing)
                writeToDocument();
        });
    return page;
}

QWidget* DataPage::buildSummaryStep() {
    auto* page = new QWidget(this);
    m_summary = new QTableWidget(0, 2, page);
    m_summary->setObjectName(QStringLiteral("summary"));
    m_summary->horizontalHeader()->hide();
    m_summary->verticalHeader()->hide();
    m_summary->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_summary->setShowGrid(false);
    m_summary->horizontalHeader()->setStretchLastSection(true);
    m_summary->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    m_summary->setColumnWidth(0, 150);
    m_labelChart = new LabelBarChart(page);
    m_lengths = new TokenLengthHistogram(page);
    m_lengthsCaption = noteLabel(page);
    auto* labels = new QVBoxLayout;
    labels->addWidget(new QLabel(tr("<b>Class distribution</b>"), page));
    labels->addWidget(m_labelChart, 1);
    auto* lengths = new QVBoxLayout;
    lengths->addWidget(m_lengthsCaption);
    lengths->addWidget(m_lengths, 1);
    auto* layout = new QHBoxLayout(page);
    layout->addWidget(m_summary, 3);
    layout->addLayout(labels, 3);
    layout->addLayout(lengths, 4);
    return page;
}

QWidget* DataPage::buildPreview() {
    auto* pane = new QWidget(this);
    m_previewCaption = new QLabel(pane);
    m_preview = new TablePreviewModel(this);
    m_previewView = new QTableView(pane);
    m_previewView->setObjectName(QStringLiteral("preview"));
    m_previewView->setModel(m_preview);
    m_previewView->setAlternatingRowColors(true);
    m_previewView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_previewView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_previewView->setWordWrap(false);
    m_previewView->horizontalHeader()->setStretchLastSection(true);
    m_previewView->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_sentences = new TokenSentenceView(pane);
    m_previewStack = new QStackedWidget(pane);
    m_previewStack->addWidget(m_previewView);
    m_previewStack->addWidget(m_sentences);

    auto* toolbar = new QToolBar(pane);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_relabelAction = toolbar->addAction(tr("Relabel…"), this, &DataPage::relabelSelected);
    m_relabelAction->setToolTip(tr("Give the selected row another label"));
    m_excludeAction = toolbar->addAction(tr("Exclude row"), this, &DataPage::toggleExcludeSelected);
    m_excludeAction->setShortcut(Qt::Key_Delete);
    m_excludeAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_previewView->addAction(m_excludeAction);
    toolbar->addSeparator();
    m_undoAction = m_editor->undoStack()->createUndoAction(this, tr("Undo"));
    m_undoAction->setShortcut(QKeySequence::Undo);
    m_redoAction = m_editor->undoStack()->createRedoAction(this, tr("Redo"));
    m_redoAction->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
    for (QAction* a : {m_undoAction, m_redoAction}) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(a);  // active anywhere on the Data page
        toolbar->addAction(a);
    }
    toolbar->addSeparator();
    m_saveVersionAction =
        toolbar->addAction(tr("Save as new version…"), this, [this] { saveNewVersion(); });
    m_saveVersionAction->setToolTip(
        tr("Write the edited data next to the original (name.v2.csv, …) and use it in the "
           "experiment; the original file is not changed"));
    m_editsCaption = noteLabel(pane);

    auto* top = new QHBoxLayout;
    top->addWidget(m_previewCaption, 1);
    top->addWidget(m_editsCaption);
    top->addWidget(toolbar);
    auto* layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_previewStack, 1);
    connect(m_previewView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &DataPage::updateEditActions);
    connect(m_previewView, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        if (m_scan && m_scan->text &&
            m_preview->headerData(index.column(), Qt::Horizontal).toString() ==
                toQt(m_scan->text->label_column))
            relabelSelected();
    });
    updateEditActions();
    return pane;
}

QString DataPage::currentFormat() const {
    return m_format->currentData().toString();
}

void DataPage::chooseFile() {
    QString start = m_document->resolvedPath(m_document->config().dataset.path);
    if (start.isEmpty())
        start = QString::fromStdString(m_document->config().base_dir);
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Choose data file"), start,
        tr("Data files (*.csv *.tsv *.tab *.jsonl *.txt *.conll *.bio *.iob);;All files (*)"));
    if (!path.isEmpty())
        setDataFile(path);
}

void DataPage::chooseFolder() {
    const QString path = QFileDialog::getExistingDirectory(
        this, tr("Choose a folder of images (one sub-folder per class)"),
        QString::fromStdString(m_document->config().base_dir));
    if (!path.isEmpty())
        setDataFolder(path);
}

void DataPage::setDataFolder(const QString& path) {
    m_folder = path;
    m_taskType = TaskType::Image;
    m_task->setCurrentIndex(m_task->findData(int(TaskType::Image)));
    m_path->setText(path);
    m_table.reset();
    m_scan.reset();
    m_preview->clear();
    m_banner->showMessage(
        tr("Image folders cannot be imported yet."),
        tr("The image-folder importer is still to come; the experiment keeps its data file."));
    updateTaskNote();
}

void DataPage::chooseSplitFile(QLineEdit* target) {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Choose split file"), QString::fromStdString(m_document->config().base_dir));
    if (path.isEmpty())
        return;
    target->setText(path);
    m_splitFiles->setChecked(true);
    writeToDocument();
}

void DataPage::setDataFile(const QString& path) {
    m_folder.clear();
    if (m_taskType == TaskType::Image)
        m_taskType = TaskType::TextClassification;
    const std::string stored = path.isEmpty()
                                   ? std::string()
                                   : m_document->storablePath(QFileInfo(path).absoluteFilePath());
    m_editor->reset();
    m_readKey.clear();
    m_guessColumns = true;
    m_document->update([&](tb::io::ExperimentConfig& c) { c.dataset.path = stored; });
    scheduleScan(/*reread=*/true);
}

void DataPage::syncFromDocument() {
    m_syncing = true;
    const auto& config = m_document->config();
    const auto& ds = config.dataset;
    if (m_folder.isEmpty())
        m_path->setText(m_document->resolvedPath(ds.path));
    if (m_taskType == TaskType::TextClassification)
        m_format->setCurrentIndex(std::max(0, m_format->findData(toQt(ds.format))));
    m_task->setCurrentIndex(m_task->findData(int(m_taskType)));
    m_labelOrder->setCurrentIndex(std::max(0, m_labelOrder->findData(toQt(ds.label_order))));
    (ds.skip_invalid_rows ? m_skipBad : m_stopOnBad)->setChecked(true);
    m_trainFraction->setValue(ds.train_fraction);
    m_devFraction->setValue(ds.dev_fraction);
    m_testFraction->setValue(ds.test_fraction);
    m_seed->setValue(static_cast<int>(std::min<std::uint64_t>(config.training.seed, INT32_MAX)));
    m_devPath->setText(m_document->resolvedPath(ds.dev_path));
    m_testPath->setText(m_document->resolvedPath(ds.test_path));
    const bool files = !ds.dev_path.empty() || !ds.test_path.empty();
    (files ? m_splitFiles : m_splitRandom)->setChecked(true);
    for (QDoubleSpinBox* box : {m_trainFraction, m_devFraction, m_testFraction})
        box->setEnabled(!files);
    const double sum = ds.train_fraction + ds.dev_fraction + ds.test_fraction;
    const bool ok = files || std::abs(sum - 1.0) < 1e-6;
    m_splitWarning->setText(ok ? QString() : tr("Fractions must add up to 1 (now %1).").arg(sum));
    m_splitWarning->setVisible(!ok);
    fillColumnCombo(m_textColumn, toQt(ds.text_column));
    fillColumnCombo(m_labelColumn, toQt(ds.label_column));
    m_preview->setHighlightedColumns({toQt(ds.text_column), toQt(ds.label_column)});
    m_preview->setLabelColumn(toQt(ds.label_column));
    updateTaskNote();
    m_syncing = false;

    if (!m_folder.isEmpty())
        return;
    const QString readKey = m_document->resolvedPath(ds.path) + QLatin1Char('|') + currentFormat() +
                            QLatin1Char('|') + QString::number(int(m_taskType));
    if (readKey != m_readKey)
        scheduleScan(/*reread=*/true);
    else if (settingsKey() != m_settingsKey)
        scheduleScan(/*reread=*/false);
}

QString DataPage::settingsKey() const {
    // Everything of the experiment a scan depends on (edits and page-only options rescan
    // directly).
    const auto& c = m_document->config();
    const auto& ds = c.dataset;
    return QStringList{toQt(ds.path),
                       toQt(ds.format),
                       toQt(ds.text_column),
                       toQt(ds.label_column),
                       toQt(ds.label_order),
                       QString::number(ds.train_fraction),
                       QString::number(ds.dev_fraction),
                       QString::number(ds.test_fraction),
                       toQt(ds.dev_path),
                       toQt(ds.test_path),
                       QString::number(c.training.seed),
                       toQt(c.model.path),
                       QString::number(c.model.lowercase),
                       QString::number(c.model.max_length),
                       toQt(c.base_dir)}
        .join(QChar(0x1f));
}

void DataPage::fillColumnCombo(QComboBox* combo, const QString& wanted) {
    QSignalBlocker block(combo);
    combo->clear();
    if (m_table)
        for (const auto& c : m_table->columns)
            combo->addItem(toQt(c), toQt(c));
    int index = combo->findData(wanted);
    if (index < 0 && !wanted.isEmpty()) {
        // Keep the configured name visible so the user sees what is missing.
        combo->insertItem(0, m_table ? tr("%1 (not in file)").arg(wanted) : wanted, wanted);
        index = 0;
    }
    combo->setCurrentIndex(index);
    combo->setEnabled(m_table != nullptr);
}

void DataPage::writeToDocument() {
    if (m_syncing)
        return;
    const QString format = currentFormat();
    const QString text = m_textColumn->currentData().toString();
    const QString label = m_labelColumn->currentData().toString();
    const QString order = m_labelOrder->currentData().toString();
    const bool files = m_splitFiles->isChecked();
    const QString dev = m_devPath->text().trimmed();
    const QString test = m_testPath->text().trimmed();
    m_document->update([&](tb::io::ExperimentConfig& c) {
        // The experiment file describes table formats only; token files are previewed here
        // until the experiment can describe (and the Trainer train) token classification.
        if (!isTokenFormat(format.toStdString()) && m_taskType == TaskType::TextClassification)
            c.dataset.format = format.toStdString();
        if (!text.isEmpty())
            c.dataset.text_column = text.toStdString();
        if (!label.isEmpty())
            c.dataset.label_column = label.toStdString();
        c.dataset.label_order = order.toStdString();
        c.dataset.skip_invalid_rows = m_skipBad->isChecked();
        c.dataset.train_fraction = m_trainFraction->value();
        c.dataset.dev_fraction = m_devFraction->value();
        c.dataset.test_fraction = m_testFraction->value();
        c.dataset.dev_path = files && !dev.isEmpty() ? m_document->storablePath(dev) : "";
        c.dataset.test_path = files && !test.isEmpty() ? m_document->storablePath(test) : "";
        c.training.seed = static_cast<std::uint64_t>(m_seed->value());
    });
}

void DataPage::updateTaskNote() {
    QString note;
    switch (m_taskType) {
        case TaskType::TextClassification:
            note = tr("Text classification trains with the current pipeline.");
            break;
        case TaskType::TokenClassification:
            note =
                tr("Token classification: the file is imported, checked and split here, but "
                   "the token-classification head is still to come and the experiment file "
                   "cannot describe it yet — training uses text classification only.");
            break;
        case TaskType::SentencePair:
        case TaskType::MultiLabel:
            note =
                tr("The sentence-pair and multi-label importers and models are still to come; "
                   "today the Trainer trains single-label text classification.");
            break;
        case TaskType::Image:
            note =
                tr("Image classification (folders per class, IDX, HDF5 arrays) is still to "
                   "come: importer and image models.");
            break;
    }
    m_taskNote->setText(note);
    const bool token = m_taskType == TaskType::TokenClassification;
    m_textColumn->setVisible(!token);
    m_labelColumn->setVisible(!token);
    m_tagColumn->setEnabled(token);
    m_deidentify->setEnabled(!token);
    m_columnsNote->setText(token ? tr("Token files: tokens and tags are read from their columns "
                                      "(CoNLL) or arrays (JSON Lines).")
                                 : QString());
}

bool DataPage::isBusy() const {
    return m_scanTimer->isActive() || m_loader->isRunning();
}

void DataPage::scheduleScan(bool reread) {
    if (reread) {
        m_reread = true;
        m_readKey.clear();
    }
    m_settingsKey = settingsKey();
    m_scanTimer->start();
}

void DataPage::startScan() {
    const auto& config = m_document->config();
    const auto& ds = config.dataset;
    DatasetScanRequest request;
    request.path = m_document->resolvedPath(ds.path);
    if (request.path.isEmpty() || !m_folder.isEmpty()) {
        m_loader->cancel();
        m_table.reset();
        m_scan.reset();
        m_preview->clear();
        m_banner->clearMessage();
        m_previewCaption->setText(tr("No data file chosen."));
        showScan();
        emit scanEnded();
        return;
    }
    request.format = currentFormat().toStdString();
    request.task = m_taskType;
    request.textColumn = ds.text_column;
    request.labelColumn = ds.label_column;
    request.labelOrder = ds.label_order;
    request.conllTagColumn = m_tagColumn->value();
    request.deidentify = m_deidentify->isChecked();
    request.rareLabelMin = m_rareMin->value();
    request.modelPath = m_document->resolvedPath(config.model.path);
    request.lowercase = config.model.lowercase;
    request.maxLength = config.model.max_length;
    request.fractions = {ds.train_fraction, ds.dev_fraction, ds.test_fraction};
    request.seed = config.training.seed;
    request.devPath = m_document->resolvedPath(ds.dev_path);
    request.testPath = m_document->resolvedPath(ds.test_path);
    request.edits = m_editor->edits();
    const QString readKey = request.path + QLatin1Char('|') + currentFormat() + QLatin1Char('|') +
                            QString::number(int(m_taskType));
    if (!m_reread && readKey == m_readKey && m_table) {
        request.table = m_table;
        if (m_scan) {
            request.tokenCounts = m_scan->tokenCounts;
            request.tokenCountsKey = m_scan->tokenCountsKey;
        }
    } else {
        m_readKey = readKey;
        m_table.reset();
    }
    m_reread = false;
    m_loader->start(request);
}

}  // namespace tb::ui
