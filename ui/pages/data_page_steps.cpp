// Data page: the widgets of the five import steps and of the preview, and their wiring.
#include "pages/data_page.h"

#include <QAction>
#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QEventLoop>
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
#include <QThread>
#include <QTimer>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>

#include <limits>

#include "dataset/dataset_editor.h"
#include "dataset/dataset_loader.h"
#include "document/experiment_document.h"
#include "pages/image_preprocessing_panel.h"
#include "pages/table_preview_model.h"
#include "util/format.h"
#include "views/image_grid_view.h"
#include "views/token_length_histogram.h"
#include "views/token_sentence_view.h"
#include "widgets/error_banner.h"
#include "widgets/label_bar_chart.h"
#include "widgets/label_columns_list.h"

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

QWidget* DataPage::buildFileStep() {
    auto* page = new QWidget(this);
    m_path = new QLineEdit(page);
    m_path->setPlaceholderText(
        tr("A CSV, TSV or JSONL table, a CoNLL or tagged-text token file, an IDX images file, "
           "or a folder of images"));
    auto* chooseFile = new QPushButton(tr("Choose file…"), page);
    auto* chooseFolder = new QPushButton(tr("Choose folder…"), page);
    chooseFolder->setToolTip(tr("A folder of images with one sub-folder per class"));
    auto* reload = new QPushButton(tr("Reload"), page);
    reload->setToolTip(tr("Read the file again (after it changed on disk)"));
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(chooseFile);
    pathRow->addWidget(chooseFolder);
    pathRow->addWidget(reload);
    if (!fashionMnistFolder().isEmpty()) {
        auto* fashion = new QPushButton(tr("Fashion-MNIST"), page);
        fashion->setToolTip(
            tr("Use the Fashion-MNIST images installed in %1").arg(fashionMnistFolder()));
        pathRow->addWidget(fashion);
        connect(fashion, &QPushButton::clicked, this, &DataPage::useFashionMnist);
    }

    m_task = new QComboBox(page);
    m_task->setObjectName(QStringLiteral("taskType"));
    m_task->addItem(tr("Text classification"), int(TaskType::TextClassification));
    m_task->addItem(tr("Sentence-pair classification"), int(TaskType::SentencePair));
    m_task->addItem(tr("Multi-label classification"), int(TaskType::MultiLabel));
    m_task->addItem(tr("Regression (numeric target)"), int(TaskType::Regression));
    m_task->addItem(tr("Token classification (NER, POS)"), int(TaskType::TokenClassification));
    m_task->addItem(tr("Image classification"), int(TaskType::Image));
    m_task->setSizeAdjustPolicy(QComboBox::AdjustToContents);

    m_format = new QComboBox(page);
    m_format->setObjectName(QStringLiteral("dataFormat"));
    m_format->addItem(tr("Auto-detect"), QStringLiteral("auto"));
    m_format->addItem(QStringLiteral("CSV"), QStringLiteral("csv"));
    m_format->addItem(QStringLiteral("TSV"), QStringLiteral("tsv"));
    m_format->addItem(tr("JSON Lines (one object per line)"), QStringLiteral("jsonl"));
    m_format->addItem(tr("label<TAB>text lines, no header"), QStringLiteral("label_text"));
    m_format->addItem(tr("CoNLL columns (token per line)"), QStringLiteral("conll"));
    m_format->addItem(tr("JSON Lines with tokens/tags arrays"), QStringLiteral("token_jsonl"));
    m_format->addItem(tr("Tagged text (word/TAG …)"), QStringLiteral("tagged"));
    m_format->addItem(tr("Image folder (one sub-folder per class)"),
                      QStringLiteral("image_folder"));
    m_format->addItem(tr("IDX images (MNIST, Fashion-MNIST)"), QStringLiteral("idx"));
    m_format->addItem(tr("HDF5 arrays (X features, y labels)"), QStringLiteral("hdf5"));
    m_format->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_detected = noteLabel(page);
    auto* formatRow = new QHBoxLayout;
    formatRow->addWidget(m_format);
    formatRow->addWidget(m_detected, 1);

    m_labelsPath = new QLineEdit(page);
    m_labelsPath->setPlaceholderText(tr("the labels file, e.g. train-labels-idx1-ubyte.gz"));
    auto* browseLabels = new QPushButton(tr("Choose…"), page);
    m_labelsRow = new QWidget(page);
    auto* labelsLayout = new QHBoxLayout(m_labelsRow);
    labelsLayout->setContentsMargins(0, 0, 0, 0);
    labelsLayout->addWidget(new QLabel(tr("Labels file:"), m_labelsRow));
    labelsLayout->addWidget(m_labelsPath, 1);
    labelsLayout->addWidget(browseLabels);

    m_deidentify = new QCheckBox(
        tr("De-identify: mask e-mail addresses, URLs, IP addresses, phone numbers and long "
           "digit runs in the text"),
        page);
    m_deidentify->setToolTip(
        tr("Applied in memory when the data is read for training (dataset.deidentify); your "
           "file is never changed."));
    m_masked = noteLabel(page);
    m_streamingNote = noteLabel(page);
    m_streamingNote->setObjectName(QStringLiteral("streamingNote"));
    m_streamingNote->setVisible(false);
    m_taskNote = noteLabel(page);

    auto* form = new QFormLayout(page);
    form->addRow(tr("Data:"), pathRow);
    form->addRow(tr("Task:"), m_task);
    form->addRow(tr("Format:"), formatRow);
    form->addRow(QString(), m_streamingNote);
    form->addRow(QString(), m_labelsRow);
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
    connect(browseLabels, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Choose the IDX labels file"),
                                                          QFileInfo(m_path->text()).absolutePath());
        if (path.isEmpty())
            return;
        m_labelsPath->setText(path);
        writeToDocument();
    });
    connect(m_labelsPath, &QLineEdit::editingFinished, this, [this] {
        if (!m_syncing)
            writeToDocument();
    });
    connect(m_task, qOverload<int>(&QComboBox::activated), this,
            [this] { setTaskType(TaskType(m_task->currentData().toInt())); });
    connect(m_format, qOverload<int>(&QComboBox::activated), this, [this] {
        const std::string format = currentFormat().toStdString();
        TaskType task = m_taskType;
        if (isTokenFormat(format))
            task = TaskType::TokenClassification;
        else if (isImageFormat(format))
            task = TaskType::Image;
        else if (format != "auto" &&
                 (task == TaskType::TokenClassification || task == TaskType::Image))
            task = TaskType::TextClassification;
        m_taskType = task;
        m_task->setCurrentIndex(m_task->findData(int(m_taskType)));
        writeToDocument();
        updateTaskNote();
        scheduleScan(/*reread=*/true);
    });
    connect(m_deidentify, &QCheckBox::toggled, this, &DataPage::writeToDocument);
    return page;
}

void DataPage::setTaskType(TaskType task) {
    m_taskType = task;
    m_task->setCurrentIndex(m_task->findData(int(task)));
    const std::string format = currentFormat().toStdString();
    // Keep the format only where it suits the task.
    const bool fits =
        format == "auto" ||
        (task == TaskType::TokenClassification ? isTokenFormat(format)
         : task == TaskType::Image
             ? isImageFormat(format) || format == "csv" || format == "tsv" || format == "jsonl"
             : !isTokenFormat(format) && !isImageFormat(format));
    if (!fits)
        m_format->setCurrentIndex(0);
    if (task == TaskType::SentencePair && m_pairColumn->currentData().toString().isEmpty() &&
        m_table) {
        // A likely second text column: the first that is neither the text nor the label.
        const auto& ds = m_document->config().dataset;
        for (const auto& c : m_table->columns)
            if (c != ds.text_column && c != ds.label_column) {
                QSignalBlocker block(m_pairColumn);
                m_pairColumn->setCurrentIndex(m_pairColumn->findData(toQt(c)));
                break;
            }
    }
    writeToDocument();
    updateTaskNote();
    scheduleScan(/*reread=*/true);
}

QWidget* DataPage::buildColumnsStep() {
    auto* page = new QWidget(this);
    m_textColumn = new QComboBox(page);
    m_pairColumn = new QComboBox(page);
    m_labelColumn = new QComboBox(page);
    m_separator = new QLineEdit(page);
    m_labelColumns = new LabelColumnsList(page);
    m_labelOrder = new QComboBox(page);
    m_tagColumn = new QSpinBox(page);
    m_columnsNote = noteLabel(page);
    for (QComboBox* combo : {m_textColumn, m_pairColumn, m_labelColumn})
        combo->setMinimumContentsLength(16);
    m_separator->setMaximumWidth(80);
    m_separator->setToolTip(tr("Multi-label: the labels of a row are separated by this text"));
    m_labelOrder->addItem(tr("First seen"), QStringLiteral("first_seen"));
    m_labelOrder->addItem(tr("Sorted"), QStringLiteral("sorted"));
    m_tagColumn->setRange(0, 20);
    m_tagColumn->setSpecialValueText(tr("last column"));
    m_tagColumn->setToolTip(tr("CoNLL: the 1-based column holding the tag"));
    auto* form = new QFormLayout(page);
    form->addRow(tr("Text column:"), m_textColumn);
    form->addRow(tr("Second text column:"), m_pairColumn);
    form->addRow(tr("Label column:"), m_labelColumn);
    form->addRow(tr("Label separator:"), m_separator);
    form->addRow(tr("Or 0/1 label columns:"), m_labelColumns);
    form->addRow(tr("Label order:"), m_labelOrder);
    form->addRow(tr("Tag column (CoNLL):"), m_tagColumn);
    form->addRow(m_columnsNote);
    m_imagePreprocessing = new ImagePreprocessingPanel(m_document, page);
    form->addRow(m_imagePreprocessing);
    for (QComboBox* combo : {m_textColumn, m_pairColumn, m_labelColumn, m_labelOrder})
        connect(combo, qOverload<int>(&QComboBox::activated), this, &DataPage::writeToDocument);
    connect(m_labelColumns, &LabelColumnsList::checkedChanged, this, &DataPage::writeToDocument);
    connect(m_separator, &QLineEdit::editingFinished, this, [this] {
        if (!m_syncing)
            writeToDocument();
    });
    connect(m_tagColumn, qOverload<int>(&QSpinBox::valueChanged), this, [this] {
        if (!m_syncing)
            writeToDocument();
    });
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
    // Hidden for regression (no classes); see updateTaskNote.
    auto* rareWidget = new QWidget(page);
    rareWidget->setObjectName(QStringLiteral("rareLabelRow"));
    auto* rareRow = new QHBoxLayout(rareWidget);
    rareRow->setContentsMargins(0, 0, 0, 0);
    rareRow->addWidget(new QLabel(tr("Warn about labels with fewer than"), rareWidget));
    rareRow->addWidget(m_rareMin);
    rareRow->addWidget(new QLabel(tr("examples"), rareWidget));
    rareRow->addStretch(1);
    left->addWidget(rareWidget);
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
    connect(m_rareMin, qOverload<int>(&QSpinBox::valueChanged), this, &DataPage::writeToDocument);
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
    m_splitColumn = new QRadioButton(tr("A split column in the file:"), page);
    m_splitColumn->setToolTip(
        tr("Each row's value says its split: train; dev, validation, valid or val; test"));
    m_splitColumnCombo = new QComboBox(page);
    m_splitColumnCombo->setMinimumContentsLength(14);
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
    auto* columnRow = new QHBoxLayout;
    columnRow->addWidget(m_splitColumn);
    columnRow->addWidget(m_splitColumnCombo);
    columnRow->addStretch(1);
    left->addLayout(columnRow);
    left->addWidget(m_splitWarning);
    left->addStretch(1);

    m_splitTable = new QTableWidget(page);
    m_splitTable->setObjectName(QStringLiteral("splitCounts"));
    m_splitTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_splitTable->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    auto* layout = new QHBoxLayout(page);
    layout->addLayout(left, 1);
    layout->addWidget(m_splitTable, 1);

    for (QRadioButton* b : {m_splitRandom, m_splitFiles, m_splitColumn})
        connect(b, &QRadioButton::toggled, this, [this](bool on) {
            if (!m_syncing && on)
                writeToDocument();
        });
    connect(m_splitColumnCombo, qOverload<int>(&QComboBox::activated), this, [this] {
        m_splitColumn->setChecked(true);
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
    auto* chartCaption = new QLabel(tr("<b>Class distribution</b>"), page);
    chartCaption->setObjectName(QStringLiteral("chartCaption"));
    labels->addWidget(chartCaption);
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
    m_images = new ImageGridView(pane);
    m_previewStack->addWidget(m_images);

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

}  // namespace tb::ui
