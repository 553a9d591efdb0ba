// Data page: the import wizard (layout, wiring, experiment sync and background scans).
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
#include <QSet>
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

#include <cmath>

#include "dataset/dataset_editor.h"
#include "dataset/dataset_loader.h"
#include "document/experiment_document.h"
#include "model/image_model_config.h"
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
        m_scanClock.start();
        progressBox->setVisible(true);
    });
    connect(m_loader, &DatasetLoader::progressChanged, this,
            [this](int permille, const QString& stage) {
                m_progress->setValue(permille);
                QString text = stage + QStringLiteral("…");
                // A rough ETA once there is something to extrapolate from.
                const qint64 ms = m_scanClock.elapsed();
                if (permille >= 20 && permille < 1000 && ms > 1500)
                    text += tr(" about %1 left")
                                .arg(formatDuration(double(ms) / 1000.0 * (1000 - permille) /
                                                    permille));
                m_progressLabel->setText(text);
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
        m_taskType = TaskType::TextClassification;
        m_savedNote.clear();
        m_editor->reset();
    });
    syncFromDocument();
}

DataPage::~DataPage() = default;

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
    m_taskType = TaskType::Image;
    m_task->setCurrentIndex(m_task->findData(int(TaskType::Image)));
    m_format->setCurrentIndex(m_format->findData(QStringLiteral("image_folder")));
    setDataFile(path);
}

QString DataPage::fashionMnistFolder() {
    const QString folder = QStringLiteral("/usr/share/datasets/fashion-mnist");
    return QFileInfo::exists(folder + QStringLiteral("/train-images-idx3-ubyte.gz")) ? folder
                                                                                     : QString();
}

void DataPage::useFashionMnist() {
    const QString folder = fashionMnistFolder();
    if (folder.isEmpty())
        return;
    m_taskType = TaskType::Image;
    m_editor->reset();
    m_readKey.clear();
    m_document->update([&](tb::io::ExperimentConfig& c) {
        auto& d = c.dataset;
        d.path = (folder + QStringLiteral("/train-images-idx3-ubyte.gz")).toStdString();
        d.labels_path = (folder + QStringLiteral("/train-labels-idx1-ubyte.gz")).toStdString();
        d.task = "image_classification";
        d.format = "idx";
        d.image_width = 28;
        d.image_height = 28;
        d.image_channels = 1;
        d.image_resize = "stretch";
        d.normalize_mean = {0.5};
        d.normalize_std = {0.5};
        d.text_pair_column.clear();
        d.label_separator.clear();
        d.label_columns.clear();
        d.split_column.clear();
        // The seed experiment's model: an MLP from scratch, unless an image model is chosen.
        auto& m = c.model;
        if (m.architecture.empty() && !tb::model::is_image_model_folder(c.resolve(m.path))) {
            m.architecture = "mlp";
            m.path.clear();
        }
    });
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
    if (m_taskType == TaskType::Image && !QFileInfo(path).isDir() &&
        currentFormat() == QLatin1String("image_folder"))
        setTaskType(TaskType::TextClassification);
    const std::string stored = path.isEmpty()
                                   ? std::string()
                                   : m_document->storablePath(QFileInfo(path).absoluteFilePath());
    m_editor->reset();
    m_readKey.clear();
    m_guessColumns = true;
    writeToDocument();
    m_document->update([&](tb::io::ExperimentConfig& c) { c.dataset.path = stored; });
    scheduleScan(/*reread=*/true);
}

TaskType DataPage::taskFromConfig() const {
    const auto& ds = m_document->config().dataset;
    if (ds.task == "token_classification")
        return TaskType::TokenClassification;
    if (ds.task == "image_classification")
        return TaskType::Image;
    if (ds.task == "multi_label")
        return TaskType::MultiLabel;
    if (ds.task == "regression")
        return TaskType::Regression;
    return ds.text_pair_column.empty() ? TaskType::TextClassification : TaskType::SentencePair;
}

std::string DataPage::configFormat() const {
    const std::string format = currentFormat().toStdString();
    return format == "token_jsonl" ? std::string("jsonl") : format;
}

void DataPage::syncFromDocument() {
    m_syncing = true;
    const auto& config = m_document->config();
    const auto& ds = config.dataset;
    const TaskType fromConfig = taskFromConfig();
    // A sentence-pair task chosen on the page stays chosen until its second column is picked.
    if (!(m_taskType == TaskType::SentencePair && fromConfig == TaskType::TextClassification))
        m_taskType = fromConfig;
    m_path->setText(m_document->resolvedPath(ds.path));
    QString format = toQt(ds.format);
    if (m_taskType == TaskType::TokenClassification && format == QLatin1String("jsonl"))
        format = QStringLiteral("token_jsonl");
    m_format->setCurrentIndex(std::max(0, m_format->findData(format)));
    m_task->setCurrentIndex(m_task->findData(int(m_taskType)));
    m_labelsPath->setText(m_document->resolvedPath(ds.labels_path));
    m_deidentify->setChecked(ds.deidentify);
    m_rareMin->setValue(ds.min_examples_per_label);
    m_tagColumn->setValue(ds.tag_column);
    m_separator->setText(toQt(ds.label_separator.empty() ? std::string("|") : ds.label_separator));
    m_labelOrder->setCurrentIndex(std::max(0, m_labelOrder->findData(toQt(ds.label_order))));
    (ds.skip_invalid_rows ? m_skipBad : m_stopOnBad)->setChecked(true);
    m_trainFraction->setValue(ds.train_fraction);
    m_devFraction->setValue(ds.dev_fraction);
    m_testFraction->setValue(ds.test_fraction);
    m_seed->setValue(static_cast<int>(std::min<std::uint64_t>(config.training.seed, INT32_MAX)));
    m_devPath->setText(m_document->resolvedPath(ds.dev_path));
    m_testPath->setText(m_document->resolvedPath(ds.test_path));
    const bool files = !ds.dev_path.empty() || !ds.test_path.empty();
    const bool column = !ds.split_column.empty();
    (column ? m_splitColumn : files ? m_splitFiles : m_splitRandom)->setChecked(true);
    for (QDoubleSpinBox* box : {m_trainFraction, m_devFraction, m_testFraction})
        box->setEnabled(!files && !column);
    const double sum = ds.train_fraction + ds.dev_fraction + ds.test_fraction;
    const bool ok = files || column || std::abs(sum - 1.0) < 1e-6;
    m_splitWarning->setText(ok ? QString() : tr("Fractions must add up to 1 (now %1).").arg(sum));
    m_splitWarning->setVisible(!ok);
    fillColumnCombo(m_textColumn, toQt(ds.text_column));
    fillColumnCombo(m_labelColumn, toQt(ds.label_column));
    fillPairColumnCombo();
    fillColumnCombo(m_splitColumnCombo, toQt(ds.split_column));
    fillLabelColumns();
    m_preview->setHighlightedColumns(
        {toQt(ds.text_column), toQt(ds.label_column), toQt(ds.text_pair_column)});
    m_preview->setLabelColumn(toQt(ds.label_column));
    updateTaskNote();
    m_syncing = false;

    const QString readKey = m_document->resolvedPath(ds.path) + QLatin1Char('|') + currentFormat() +
                            QLatin1Char('|') + QString::number(int(m_taskType));
    if (readKey != m_readKey)
        scheduleScan(/*reread=*/true);
    else if (settingsKey() != m_settingsKey)
        scheduleScan(/*reread=*/false);
}

QString DataPage::settingsKey() const {
    // Everything of the experiment a scan depends on: the dataset and model sections and the
    // seed (the epochs or the learning rate do not change the data).
    const auto& c = m_document->config();
    tb::io::ExperimentConfig key;
    key.dataset = c.dataset;
    key.model = c.model;
    key.training.seed = c.training.seed;
    return toQt(tb::io::to_yaml(key)) + toQt(c.base_dir) + QString::number(int(m_taskType));
}

void DataPage::fillColumnCombo(QComboBox* combo, const QString& wanted, bool optional) {
    QSignalBlocker block(combo);
    combo->clear();
    if (optional)
        combo->addItem(tr("(none)"), QString());
    if (m_table)
        for (const auto& c : m_table->columns)
            combo->addItem(toQt(c), toQt(c));
    int index = optional && wanted.isEmpty() ? 0 : combo->findData(wanted);
    if (index < 0 && !wanted.isEmpty()) {
        // Keep the configured name visible so the user sees what is missing.
        combo->insertItem(0, m_table ? tr("%1 (not in file)").arg(wanted) : wanted, wanted);
        index = 0;
    }
    combo->setCurrentIndex(index);
    combo->setEnabled(m_table != nullptr);
}

void DataPage::fillPairColumnCombo() {
    fillColumnCombo(m_pairColumn, toQt(m_document->config().dataset.text_pair_column),
                    /*optional=*/m_taskType == TaskType::Regression);
}

void DataPage::writeToDocument() {
    if (m_syncing)
        return;
    const std::string format = configFormat();
    const QString text = m_textColumn->currentData().toString();
    const QString label = m_labelColumn->currentData().toString();
    const QString pair = m_pairColumn->currentData().toString();
    const QString order = m_labelOrder->currentData().toString();
    const bool files = m_splitFiles->isChecked();
    const bool column = m_splitColumn->isChecked();
    const QString dev = m_devPath->text().trimmed();
    const QString test = m_testPath->text().trimmed();
    const QString labels = m_labelsPath->text().trimmed();
    const QString separator =
        m_separator->text().isEmpty() ? QStringLiteral("|") : m_separator->text();
    // The picker knows the file's columns only once it was read; until then the experiment's
    // label_columns stay as they are.
    const bool pickerFilled = m_labelColumns->hasColumns();
    const QStringList ticked = m_labelColumns->checkedColumns();
    const TaskType task = m_taskType;
    m_document->update([&](tb::io::ExperimentConfig& c) {
        auto& d = c.dataset;
        switch (task) {
            case TaskType::TextClassification:
            case TaskType::SentencePair:
                d.task = "text_classification";
                break;
            case TaskType::MultiLabel:
                d.task = "multi_label";
                break;
            case TaskType::Regression:
                d.task = "regression";
                break;
            case TaskType::TokenClassification:
                d.task = "token_classification";
                break;
            case TaskType::Image:
                d.task = "image_classification";
                break;
        }
        d.format = format;
        if (!text.isEmpty())
            d.text_column = text.toStdString();
        if (!label.isEmpty())
            d.label_column = label.toStdString();
        // Sentence-pair classification needs the second text; regression may have one (STS-B).
        d.text_pair_column = task == TaskType::SentencePair || task == TaskType::Regression
                                 ? pair.toStdString()
                                 : std::string();
        if (task == TaskType::MultiLabel) {
            if (pickerFilled) {
                // Keep the experiment's order when the same columns are ticked.
                QStringList current;
                for (const auto& c : d.label_columns)
                    current << toQt(c);
                if (QSet<QString>(current.begin(), current.end()) !=
                    QSet<QString>(ticked.begin(), ticked.end())) {
                    d.label_columns.clear();
                    for (const QString& c : ticked)
                        d.label_columns.push_back(c.toStdString());
                }
            }
            if (d.label_columns.empty())
                d.label_separator = separator.toStdString();
            else
                d.label_separator.clear();
        } else {
            d.label_separator.clear();
            d.label_columns.clear();
        }
        d.labels_path =
            format == "idx" && !labels.isEmpty() ? m_document->storablePath(labels) : std::string();
        d.tag_column = m_tagColumn->value();
        d.deidentify = m_deidentify->isChecked();
        d.min_examples_per_label = m_rareMin->value();
        d.label_order = order.toStdString();
        d.skip_invalid_rows = m_skipBad->isChecked();
        d.train_fraction = m_trainFraction->value();
        d.dev_fraction = m_devFraction->value();
        d.test_fraction = m_testFraction->value();
        d.dev_path = files && !dev.isEmpty() ? m_document->storablePath(dev) : "";
        d.test_path = files && !test.isEmpty() ? m_document->storablePath(test) : "";
        d.split_column =
            column ? m_splitColumnCombo->currentData().toString().toStdString() : std::string();
        c.training.seed = static_cast<std::uint64_t>(m_seed->value());
    });
}

void DataPage::updateTaskNote() {
    QString note;
    switch (m_taskType) {
        case TaskType::TextClassification:
            note = tr("Text classification trains with the current pipeline.");
            break;
        case TaskType::SentencePair:
            note =
                tr("Sentence pairs are imported, checked and split here. Training: both texts "
                   "are encoded together as the model's pair template ([CLS] a [SEP] b [SEP]).");
            break;
        case TaskType::MultiLabel:
            note =
                tr("Multi-label data is imported, checked and split (iterative "
                   "stratification) here. Training: one sigmoid per label (binary cross "
                   "entropy); the report lists each label and the micro, macro, weighted and "
                   "samples averages.");
            break;
        case TaskType::Regression:
            note =
                tr("Regression: the label column holds a number per row (a value that is not a "
                   "number is a problem row); with a second text column, each row is a sentence "
                   "pair scored together ([CLS] a [SEP] b [SEP], as STS-B). Training: one output "
                   "on normalised targets (MSE); "
                   "scored with MSE, RMSE, MAE and R\u00b2. The split is a seeded random split "
                   "(no stratification: the target is continuous), as the trainer makes it.");
            break;
        case TaskType::TokenClassification:
            note =
                tr("Token files are imported, checked (tag scheme, transitions) and split by "
                   "sentence here. Training: a tag per word, learned on its first sub-token; "
                   "BIO tags are scored per entity (precision, recall, F1 per type).");
            break;
        case TaskType::Image:
            note =
                tr("Images are imported, checked and split here. Training: an image model (a "
                   "ResNet / MobileNetV2 folder, an imported TF.js model, a TorchScript file, or "
                   "a small CNN / MLP from scratch) with a new classification head; how images "
                   "are resized and normalized is set on the Columns step.");
            break;
    }
    m_taskNote->setText(note);
    const bool token = m_taskType == TaskType::TokenClassification;
    const bool image = m_taskType == TaskType::Image;
    auto* columns = qobject_cast<QFormLayout*>(m_textColumn->parentWidget()->layout());
    if (columns) {
        columns->setRowVisible(m_textColumn, !token && !image);
        const bool regression = m_taskType == TaskType::Regression;
        columns->setRowVisible(m_pairColumn, m_taskType == TaskType::SentencePair || regression);
        columns->setRowVisible(m_labelOrder, !regression);  // a number has no label order
        if (auto* pairLabel = qobject_cast<QLabel*>(columns->labelForField(m_pairColumn)))
            pairLabel->setText(regression ? tr("Second text (optional, sentence-pair regression):")
                                          : tr("Second text column:"));
        // 0/1 label columns replace the label column and the separator.
        const bool flagColumns = m_taskType == TaskType::MultiLabel &&
                                 !m_document->config().dataset.label_columns.empty();
        columns->setRowVisible(m_labelColumn,
                               !token && !flagColumns && currentFormat() != QLatin1String("idx") &&
                                   currentFormat() != QLatin1String("image_folder") &&
                                   currentFormat() != QLatin1String("hdf5"));
        columns->setRowVisible(m_separator, m_taskType == TaskType::MultiLabel && !flagColumns);
        columns->setRowVisible(m_labelColumns, m_taskType == TaskType::MultiLabel);
        columns->setRowVisible(m_tagColumn, token);
        columns->setRowVisible(m_imagePreprocessing, image);
    }
    auto* file = qobject_cast<QFormLayout*>(m_labelsRow->parentWidget()->layout());
    if (file) {
        file->setRowVisible(m_labelsRow, currentFormat() == QLatin1String("idx"));
        file->setRowVisible(m_deidentify, !token && !image);
        file->setRowVisible(m_masked, !token && !image);
    }
    if (auto* rare = findChild<QWidget*>(QStringLiteral("rareLabelRow")))
        rare->setVisible(m_taskType != TaskType::Regression);
    m_columnsNote->setText(
        token   ? tr("Token files: tokens and tags are read from their columns (CoNLL), arrays "
                       "(JSON Lines) or word/TAG pairs.")
        : image ? tr("Images: each sub-folder is a class; or a table with a path and a label "
                     "column (paths relative to the table).")
                : QString());
}

bool DataPage::isBusy() const {
    return m_scanTimer->isActive() || m_loader->isRunning();
}

bool DataPage::waitUntilIdle(int timeoutMs) {
    QElapsedTimer timer;
    timer.start();
    while (isBusy() && timer.elapsed() < timeoutMs) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        QThread::msleep(10);
    }
    return !isBusy();
}

bool DataPage::saveStepScreenshots(const QString& dir, QWidget* window) {
    waitUntilIdle();
    static const char* const names[] = {"file", "columns", "validation", "split", "summary"};
    const int previous = m_steps->currentIndex();
    bool ok = true;
    for (int i = 0; i < m_steps->count(); ++i) {
        m_steps->setCurrentIndex(i);
        QCoreApplication::processEvents();
        QCoreApplication::processEvents();
        const QString file =
            QDir(dir).filePath(QStringLiteral("data-%1-%2.png").arg(i + 1).arg(names[i % 5]));
        ok = window->grab().save(file) && ok;
    }
    m_steps->setCurrentIndex(previous);
    return ok;
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
    if (request.path.isEmpty()) {
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
    request.textPairColumn = ds.text_pair_column;
    request.multiLabelSeparator = ds.label_separator.empty() ? "|" : ds.label_separator;
    if (m_taskType == TaskType::MultiLabel)
        request.labelColumns = ds.label_columns;
    request.splitColumn = ds.split_column;
    request.labelsPath = m_document->resolvedPath(ds.labels_path);
    request.imageColumn = ds.image_column;
    request.xDataset = ds.x_dataset;
    request.yDataset = ds.y_dataset;
    request.conllTagColumn = ds.tag_column;
    request.deidentify = ds.deidentify;
    request.rareLabelMin = ds.min_examples_per_label;
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
    request.streamingThreshold = m_streamingThreshold;
    if (!m_reread && readKey == m_readKey && m_scan && m_scan->sentenceIndex &&
        m_scan->sentenceIndex->path == request.path.toStdString())
        request.sentenceIndex = m_scan->sentenceIndex;  // streamed token file: index it once
    if (!m_reread && readKey == m_readKey && m_scan && m_scan->rowIndex &&
        m_scan->rowIndex->path == request.path.toStdString()) {
        request.rowIndex = m_scan->rowIndex;  // streaming: m_table is only the preview
    } else if (!m_reread && readKey == m_readKey && m_table) {
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
