// Data page: choose the data file, its format and columns; preview rows, label balance, problems.
#include "pages/data_page.h"

#include <QApplication>
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
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <cmath>
#include <exception>

#include "common/error.h"
#include "data/text_dataset.h"
#include "document/experiment_document.h"
#include "pages/table_preview_model.h"
#include "util/format.h"
#include "widgets/error_banner.h"
#include "widgets/label_bar_chart.h"

namespace tb::ui {

namespace {

// Picks a likely column when the configured one is not in the file.
QString guessColumn(const QStringList& columns, const QStringList& preferred, bool last) {
    for (const QString& name : preferred)
        for (const QString& c : columns)
            if (c.compare(name, Qt::CaseInsensitive) == 0)
                return c;
    if (columns.isEmpty())
        return {};
    return last ? columns.last() : columns.first();
}

const QStringList kTextNames = {"text",    "sentence", "review",  "content",  "body",
                                "message", "document", "comment", "utterance"};
const QStringList kLabelNames = {"label",  "labels",    "class",  "category",
                                 "target", "sentiment", "intent", "y"};

QDoubleSpinBox* fractionBox(QWidget* parent) {
    auto* box = new QDoubleSpinBox(parent);
    box->setRange(0.0, 1.0);
    box->setDecimals(2);
    box->setSingleStep(0.05);
    box->setKeyboardTracking(false);
    return box;
}

}  // namespace

DataPage::DataPage(ExperimentDocument* document, QWidget* parent)
    : QWidget(parent),
      m_document(document),
      m_banner(new ErrorBanner(this)),
      m_path(new QLineEdit(this)),
      m_format(new QComboBox(this)),
      m_textColumn(new QComboBox(this)),
      m_labelColumn(new QComboBox(this)),
      m_labelOrder(new QComboBox(this)),
      m_skipInvalid(new QCheckBox(tr("Skip invalid rows (they are listed below)"), this)),
      m_trainFraction(fractionBox(this)),
      m_devFraction(fractionBox(this)),
      m_testFraction(fractionBox(this)),
      m_splitWarning(new QLabel(this)),
      m_previewCaption(new QLabel(this)),
      m_previewView(new QTableView(this)),
      m_preview(new TablePreviewModel(this)),
      m_labelChart(new LabelBarChart(this)),
      m_labelsCaption(new QLabel(this)),
      m_problems(new QListWidget(this)),
      m_problemsCaption(new QLabel(this)) {
    // File row.
    m_path->setPlaceholderText(tr("CSV, TSV or JSONL file with a text and a label column"));
    auto* choose = new QPushButton(tr("Choose file…"), this);
    m_format->addItem(tr("Auto-detect"), QStringLiteral("auto"));
    m_format->addItem(QStringLiteral("CSV"), QStringLiteral("csv"));
    m_format->addItem(QStringLiteral("TSV"), QStringLiteral("tsv"));
    m_format->addItem(QStringLiteral("JSON Lines"), QStringLiteral("jsonl"));
    auto* fileRow = new QHBoxLayout;
    fileRow->addWidget(new QLabel(tr("Data file:"), this));
    fileRow->addWidget(m_path, 1);
    fileRow->addWidget(choose);
    fileRow->addSpacing(12);
    fileRow->addWidget(new QLabel(tr("Format:"), this));
    fileRow->addWidget(m_format);

    // Columns and split.
    m_labelOrder->addItem(tr("First seen"), QStringLiteral("first_seen"));
    m_labelOrder->addItem(tr("Sorted"), QStringLiteral("sorted"));
    m_textColumn->setMinimumContentsLength(12);
    m_labelColumn->setMinimumContentsLength(12);
    auto* columnsBox = new QGroupBox(tr("Columns"), this);
    auto* columnsForm = new QFormLayout(columnsBox);
    columnsForm->addRow(tr("Text column:"), m_textColumn);
    columnsForm->addRow(tr("Label column:"), m_labelColumn);
    columnsForm->addRow(tr("Label order:"), m_labelOrder);
    columnsForm->addRow(m_skipInvalid);

    auto* splitBox = new QGroupBox(tr("Split (stratified, seeded)"), this);
    auto* splitForm = new QFormLayout(splitBox);
    splitForm->addRow(tr("Train:"), m_trainFraction);
    splitForm->addRow(tr("Dev:"), m_devFraction);
    splitForm->addRow(tr("Test:"), m_testFraction);
    m_splitWarning->setStyleSheet(QStringLiteral("color: #a50e0e;"));
    m_splitWarning->setWordWrap(true);
    splitForm->addRow(m_splitWarning);

    auto* settingsRow = new QHBoxLayout;
    settingsRow->addWidget(columnsBox, 2);
    settingsRow->addWidget(splitBox, 1);

    // Preview (left) | labels + problems (right).
    m_previewView->setModel(m_preview);
    m_previewView->setAlternatingRowColors(true);
    m_previewView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_previewView->setWordWrap(false);
    m_previewView->horizontalHeader()->setStretchLastSection(true);
    m_previewView->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    auto* previewPane = new QWidget(this);
    auto* previewLayout = new QVBoxLayout(previewPane);
    previewLayout->setContentsMargins(0, 0, 0, 0);
    previewLayout->addWidget(m_previewCaption);
    previewLayout->addWidget(m_previewView, 1);

    auto* sidePane = new QWidget(this);
    auto* sideLayout = new QVBoxLayout(sidePane);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    sideLayout->addWidget(m_labelsCaption);
    sideLayout->addWidget(m_labelChart);
    sideLayout->addWidget(m_problemsCaption);
    sideLayout->addWidget(m_problems, 1);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(previewPane);
    splitter->addWidget(sidePane);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({720, 320});

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(fileRow);
    layout->addLayout(settingsRow);
    layout->addWidget(splitter, 1);

    connect(choose, &QPushButton::clicked, this, &DataPage::chooseFile);
    connect(m_path, &QLineEdit::editingFinished, this, [this] {
        if (!m_syncing)
            setDataFile(m_path->text().trimmed());
    });
    for (QComboBox* combo : {m_format, m_textColumn, m_labelColumn, m_labelOrder})
        connect(combo, qOverload<int>(&QComboBox::activated), this, &DataPage::writeToDocument);
    connect(m_skipInvalid, &QCheckBox::toggled, this, &DataPage::writeToDocument);
    for (QDoubleSpinBox* box : {m_trainFraction, m_devFraction, m_testFraction})
        connect(box, qOverload<double>(&QDoubleSpinBox::valueChanged), this,
                &DataPage::writeToDocument);
    connect(m_problems, &QListWidget::currentRowChanged, this, &DataPage::showProblemRow);
    connect(m_document, &ExperimentDocument::changed, this, &DataPage::syncFromDocument);
    connect(m_document, &ExperimentDocument::loaded, this, [this] {
        m_loadedKey.clear();  // re-read even if the same path: the file may have changed
    });

    syncFromDocument();
}

void DataPage::chooseFile() {
    QString start = m_document->resolvedPath(m_document->config().dataset.path);
    if (start.isEmpty())
        start = QString::fromStdString(m_document->config().base_dir);
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Choose data file"), start,
        tr("Data files (*.csv *.tsv *.tab *.jsonl *.txt);;All files (*)"));
    if (!path.isEmpty())
        setDataFile(path);
}

void DataPage::setDataFile(const QString& path) {
    const std::string stored = path.isEmpty()
                                   ? std::string()
                                   : m_document->storablePath(QFileInfo(path).absoluteFilePath());
    m_document->update([&](tb::io::ExperimentConfig& c) { c.dataset.path = stored; });
    // Pick columns that exist in the new file when the configured ones do not.
    if (!m_table)
        return;
    QStringList columns;
    for (const auto& c : m_table->columns)
        columns << toQt(c);
    const auto& ds = m_document->config().dataset;
    QString text = toQt(ds.text_column);
    QString label = toQt(ds.label_column);
    if (!columns.contains(text))
        text = guessColumn(columns, kTextNames, /*last=*/false);
    if (!columns.contains(label))
        label = guessColumn(columns, kLabelNames, /*last=*/true);
    m_document->update([&](tb::io::ExperimentConfig& c) {
        c.dataset.text_column = text.toStdString();
        c.dataset.label_column = label.toStdString();
    });
}

void DataPage::syncFromDocument() {
    m_syncing = true;
    const auto& ds = m_document->config().dataset;
    m_path->setText(toQt(ds.path));
    m_format->setCurrentIndex(std::max(0, m_format->findData(toQt(ds.format))));
    m_labelOrder->setCurrentIndex(std::max(0, m_labelOrder->findData(toQt(ds.label_order))));
    m_skipInvalid->setChecked(ds.skip_invalid_rows);
    m_trainFraction->setValue(ds.train_fraction);
    m_devFraction->setValue(ds.dev_fraction);
    m_testFraction->setValue(ds.test_fraction);
    updateSplitWarning();

    const QString key = m_document->resolvedPath(ds.path) + QLatin1Char('|') + toQt(ds.format);
    if (key != m_loadedKey) {
        m_loadedKey = key;
        reloadTable();
    }
    fillColumnCombo(m_textColumn, toQt(ds.text_column));
    fillColumnCombo(m_labelColumn, toQt(ds.label_column));
    m_preview->setHighlightedColumns({toQt(ds.text_column), toQt(ds.label_column)});
    rebuildDataset();
    m_syncing = false;
}

void DataPage::reloadTable() {
    m_table.reset();
    m_datasetKey.clear();
    m_preview->clear();
    m_banner->clearMessage();
    const auto& ds = m_document->config().dataset;
    const QString path = m_document->resolvedPath(ds.path);
    if (path.isEmpty()) {
        m_previewCaption->setText(tr("No data file chosen."));
        return;
    }
    QApplication::setOverrideCursor(Qt::WaitCursor);
    try {
        const auto format = tb::data::table_format_from_name(ds.format);
        m_table = tb::data::read_table(path.toStdString(), format);
    } catch (const tb::Error& e) {
        m_banner->showMessage(tr("The data file could not be read."), formatError(e));
    } catch (const std::exception& e) {
        m_banner->showMessage(tr("The data file could not be read."), toQt(e.what()));
    }
    QApplication::restoreOverrideCursor();
    if (!m_table) {
        m_previewCaption->setText(tr("No preview: the file has errors."));
        return;
    }
    m_preview->setTable(*m_table);
    m_previewCaption->setText(tr("Preview: first %1 of %2 rows, %3 columns")
                                  .arg(m_preview->rowCount())
                                  .arg(m_preview->totalRows())
                                  .arg(m_preview->columnCount()));
    m_previewView->resizeColumnsToContents();
    for (int c = 0; c < m_preview->columnCount(); ++c)
        m_previewView->setColumnWidth(c, std::min(m_previewView->columnWidth(c), 360));
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
    combo->setEnabled(m_table.has_value());
}

void DataPage::rebuildDataset() {
    const auto& ds = m_document->config().dataset;
    const QString key = toQt(ds.text_column + "|" + ds.label_column + "|" + ds.label_order);
    if (m_table && key == m_datasetKey)
        return;
    m_datasetKey = key;
    m_labelChart->clear();
    m_problems->clear();
    m_problemLines.clear();
    m_labelsCaption->setText(tr("Labels"));
    m_problemsCaption->setText(tr("Problems"));
    if (!m_table)
        return;
    m_banner->clearMessage();
    try {
        const auto order = tb::data::label_order_from_name(ds.label_order);
        const tb::data::TextDataset dataset =
            tb::data::build_text_dataset(*m_table, ds.text_column, ds.label_column, order);
        QStringList labels;
        QVector<qint64> counts(dataset.labels.size(), 0);
        for (const auto& name : dataset.labels.names())
            labels << toQt(name);
        for (const auto& example : dataset.examples)
            if (example.label >= 0 && example.label < counts.size())
                ++counts[example.label];
        m_labelChart->setCounts(labels, counts);
        m_labelsCaption->setText(tr("Labels: %1 classes, %2 valid examples")
                                     .arg(labels.size())
                                     .arg(dataset.examples.size()));
        for (const auto& problem : dataset.problems) {
            const QString where = formatLocation(problem.file, problem.line, problem.column);
            m_problems->addItem(where.isEmpty()
                                    ? toQt(problem.message)
                                    : where + QStringLiteral(": ") + toQt(problem.message));
            m_problemLines << problem.line;
        }
        m_problemsCaption->setText(
            dataset.problems.empty()
                ? tr("Problems: none")
                : tr("Problems: %1 rows will be skipped").arg(dataset.problems.size()));
        if (!dataset.problems.empty() && !ds.skip_invalid_rows)
            m_problemsCaption->setText(
                tr("Problems: %1 rows (training will stop: \"skip invalid rows\" is off)")
                    .arg(dataset.problems.size()));
        if (labels.size() < 2)
            m_banner->showMessage(
                tr("Classification needs at least two labels."),
                tr("Found %1 in column \"%2\".").arg(labels.size()).arg(toQt(ds.label_column)));
    } catch (const tb::Error& e) {
        m_banner->showMessage(tr("The columns do not fit this file."), formatError(e));
    } catch (const std::exception& e) {
        m_banner->showMessage(tr("The columns do not fit this file."), toQt(e.what()));
    }
}

void DataPage::writeToDocument() {
    if (m_syncing)
        return;
    const QString format = m_format->currentData().toString();
    const QString text = m_textColumn->currentData().toString();
    const QString label = m_labelColumn->currentData().toString();
    const QString order = m_labelOrder->currentData().toString();
    m_document->update([&](tb::io::ExperimentConfig& c) {
        c.dataset.format = format.toStdString();
        if (!text.isEmpty())
            c.dataset.text_column = text.toStdString();
        if (!label.isEmpty())
            c.dataset.label_column = label.toStdString();
        c.dataset.label_order = order.toStdString();
        c.dataset.skip_invalid_rows = m_skipInvalid->isChecked();
        c.dataset.train_fraction = m_trainFraction->value();
        c.dataset.dev_fraction = m_devFraction->value();
        c.dataset.test_fraction = m_testFraction->value();
    });
}

void DataPage::updateSplitWarning() {
    const double sum = m_trainFraction->value() + m_devFraction->value() + m_testFraction->value();
    const bool ok = std::abs(sum - 1.0) < 1e-6;
    m_splitWarning->setText(ok ? QString() : tr("Fractions must add up to 1 (now %1).").arg(sum));
    m_splitWarning->setVisible(!ok);
}

void DataPage::showProblemRow(int problemIndex) {
    if (problemIndex < 0 || problemIndex >= m_problemLines.size())
        return;
    const int row = m_preview->rowForLine(m_problemLines[problemIndex]);
    if (row < 0)
        return;
    m_previewView->selectRow(row);
    m_previewView->scrollTo(m_preview->index(row, 0));
}

}  // namespace tb::ui
