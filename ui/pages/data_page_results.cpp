// Data page: showing scan results (preview, problems, split, summary) and the row edits that
// are saved as a new dataset version.
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFileInfo>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QListWidget>
#include <QRadioButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>

#include <algorithm>
#include <numeric>

#include "common/error.h"
#include "data/table_writer.h"
#include "dataset/dataset_editor.h"
#include "document/experiment_document.h"
#include "pages/data_page.h"
#include "pages/table_preview_model.h"
#include "util/format.h"
#include "views/image_grid_view.h"
#include "views/token_length_histogram.h"
#include "views/token_sentence_view.h"
#include "widgets/error_banner.h"
#include "widgets/label_bar_chart.h"

namespace tb::ui {

namespace {

constexpr int kProblemLineRole = Qt::UserRole;
constexpr int kMaxChartBars = 40;  // POS tag sets can have hundreds of tags

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

QString percent(std::size_t part, std::size_t whole) {
    if (whole == 0)
        return QStringLiteral("0%");
    return QStringLiteral("%1%").arg(100.0 * double(part) / double(whole), 0, 'f', 1);
}

}  // namespace

void DataPage::onScanFinished(std::shared_ptr<const DatasetScan> scan) {
    m_scan = scan;
    m_banner->clearMessage();
    if (scan->table && scan->table != m_table) {
        m_table = scan->table;
        m_preview->setTable(m_table);
        m_preview->setEdits(m_editor->edits());
        const auto& ds = m_document->config().dataset;
        m_preview->setLabelColumn(toQt(ds.label_column));
        m_previewView->resizeColumnsToContents();
        for (int c = 0; c < m_preview->columnCount(); ++c)
            m_previewView->setColumnWidth(c, std::min(m_previewView->columnWidth(c), 420));
    }
    if (!scan->table) {
        m_table.reset();
        m_preview->clear();
    }
    if (!scan->columnError.isEmpty() && m_guessColumns && m_table) {
        // A newly chosen file: use columns that exist in it.
        m_guessColumns = false;
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
        return;  // the document change schedules the next scan
    }
    m_guessColumns = false;
    m_syncing = true;
    const auto& ds = m_document->config().dataset;
    fillColumnCombo(m_textColumn, toQt(ds.text_column));
    fillColumnCombo(m_labelColumn, toQt(ds.label_column));
    fillPairColumnCombo();
    fillColumnCombo(m_splitColumnCombo, toQt(ds.split_column));
    fillLabelColumns();
    m_syncing = false;
    if (!scan->columnError.isEmpty())
        m_banner->showMessage(tr("The columns do not fit this file."), scan->columnError);
    else if (scan->text && scan->classNames.size() < 2)
        m_banner->showMessage(tr("Classification needs at least two labels."),
                              tr("Found %1 in column \"%2\".")
                                  .arg(scan->classNames.size())
                                  .arg(toQt(ds.label_column)));
    showScan();
    emit scanEnded();
}

void DataPage::onScanFailed(const QString& detail) {
    m_scan.reset();
    m_table.reset();
    m_preview->clear();
    m_banner->showMessage(tr("The data file could not be read."), detail);
    m_previewCaption->setText(tr("No preview: the file has errors (see above)."));
    showScan();
    emit scanEnded();
}

void DataPage::onScanCancelled() {
    m_previewCaption->setText(
        tr("Reading was cancelled. Press Reload on the File step to read the file again."));
    m_readKey.clear();
    emit scanEnded();
}

void DataPage::showScan() {
    const DatasetScan* scan = m_scan.get();
    const bool token = scan && scan->tokens;
    const bool image = scan && !scan->thumbnails.isEmpty();
    m_previewStack->setCurrentIndex(image ? 2 : token ? 1 : 0);
    if (image) {
        m_images->setClasses(scan->thumbnails);
        m_previewCaption->setText(tr("Preview: %1 images in %2 classes (the first of each)")
                                      .arg(scan->rows)
                                      .arg(scan->classNames.size()));
    } else {
        m_images->clearClasses();
    }
    if (image) {
    } else if (token) {
        m_sentences->setDataset(*scan->tokens);
        m_previewCaption->setText(
            scan->streamed
                ? tr("Preview: first %1 of %2 sentences (large file: sentences are read on "
                     "demand)")
                      .arg(m_sentences->sentencesShown())
                      .arg(scan->rows)
                : tr("Preview: first %1 of %2 sentences")
                      .arg(m_sentences->sentencesShown())
                      .arg(scan->rows));
    } else {
        m_sentences->clearDataset();
        if (m_table && scan && scan->streamed) {
            const long firstLine =
                m_preview->rowCount() ? m_preview->headerData(0, Qt::Vertical).toLongLong() : 0;
            m_previewCaption->setText(
                tr("Preview: %1 rows from line %2 of %3 rows, %4 columns (large file: rows are "
                   "read on demand)")
                    .arg(m_preview->rowCount())
                    .arg(firstLine)
                    .arg(scan->rows)
                    .arg(m_preview->columnCount()));
        } else if (m_table) {
            const int first = m_preview->firstShownRow();
            m_previewCaption->setText(tr("Preview: rows %1–%2 of %3, %4 columns")
                                          .arg(m_preview->rowCount() ? first + 1 : 0)
                                          .arg(first + m_preview->rowCount())
                                          .arg(m_preview->totalRows())
                                          .arg(m_preview->columnCount()));
        }
    }
    if (scan) {
        const QString format = toQt(scan->format);
        m_detected->setText(
            currentFormat() == QLatin1String("auto")
                ? tr("Read as %1 (detected; choose another to override)").arg(format.toUpper())
                : tr("Read as %1").arg(format.toUpper()));
    } else {
        m_detected->clear();
    }
    if (scan && m_deidentify->isChecked()) {
        const auto& m = scan->masked;
        m_masked->setText(tr("Masked when the data is read: %1 e-mail, %2 URL, %3 IP, %4 phone, "
                             "%5 ID (%6 in all). The file itself is never changed.")
                              .arg(m.email)
                              .arg(m.url)
                              .arg(m.ip)
                              .arg(m.phone)
                              .arg(m.id)
                              .arg(m.total()));
    } else {
        m_masked->clear();
    }
    showStreamingState();
    showProblems();
    showSplit();
    showSummary();
    updateEditActions();
}

void DataPage::showProblems() {
    m_problems->clear();
    const DatasetScan* scan = m_scan.get();
    if (!scan) {
        m_problemsCaption->setText(tr("Problems"));
        return;
    }
    auto add = [this](const tb::data::DataProblem& p, const QString& mark) {
        // The file name keeps the list readable; the tooltip has the whole path.
        const std::string name = QFileInfo(toQt(p.file)).fileName().toStdString();
        const QString where = formatLocation(name, p.line, p.column);
        auto* item = new QListWidgetItem(
            mark + QLatin1Char(' ') +
                (where.isEmpty() ? toQt(p.message)
                                 : where + QStringLiteral(": ") + toQt(p.message)),
            m_problems);
        item->setData(kProblemLineRole, qlonglong(p.line));
        item->setToolTip(formatLocation(p.file, p.line, p.column) + QStringLiteral("\n") +
                         toQt(p.kind));
    };
    for (const auto& p : scan->problems)
        add(p, QStringLiteral("✖"));
    for (const auto& p : scan->warnings)
        add(p, QStringLiteral("⚠"));
    const std::size_t bad = scan->streamed ? scan->problemCount : scan->problems.size();
    QString caption;
    if (bad == 0)
        caption = tr("No bad rows");
    else if (m_skipBad->isChecked())
        caption = tr("%1 bad rows will be skipped").arg(bad);
    else
        caption = tr("%1 bad rows: training will stop (\"skip bad rows\" is off)").arg(bad);
    if (scan->streamed && bad > scan->problems.size())
        caption += tr(" (the first %1 are listed)").arg(scan->problems.size());
    if (!scan->warnings.empty() && scan->regression)
        caption += tr("; %1 duplicate warnings").arg(scan->duplicates);
    else if (!scan->warnings.empty())
        caption += tr("; %1 warnings (%2 duplicates, %3 rare labels)")
                       .arg(scan->warnings.size())
                       .arg(scan->duplicates)
                       .arg(scan->rareLabels.size());
    m_problemsCaption->setText(caption);
}

void DataPage::showSplit() {
    m_splitTable->clear();
    const DatasetScan* scan = m_scan.get();
    const int classes = scan ? static_cast<int>(scan->classNames.size()) : 0;
    m_splitTable->setColumnCount(4);
    m_splitTable->setHorizontalHeaderLabels({tr("Train"), tr("Dev"), tr("Test"), tr("Total")});
    m_splitTable->setRowCount(classes > 0 ? classes + 1 : 0);
    if (!scan || classes == 0)
        return;
    QStringList names;
    SplitCounts totals{0, 0, 0};
    auto put = [this](int row, int column, std::size_t value) {
        auto* item = new QTableWidgetItem(QString::number(value));
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_splitTable->setItem(row, column, item);
    };
    for (int c = 0; c < classes; ++c) {
        names << toQt(scan->classNames[std::size_t(c)]);
        const SplitCounts counts = c < int(scan->splitCounts.size())
                                       ? scan->splitCounts[std::size_t(c)]
                                       : SplitCounts{0, 0, 0};
        for (int s = 0; s < 3; ++s) {
            put(c, s, counts[std::size_t(s)]);
            totals[std::size_t(s)] += counts[std::size_t(s)];
        }
        put(c, 3, counts[0] + counts[1] + counts[2]);
    }
    names << tr("All");
    for (int s = 0; s < 3; ++s)
        put(classes, s, totals[std::size_t(s)]);
    put(classes, 3, totals[0] + totals[1] + totals[2]);
    QFont bold = font();
    bold.setBold(true);
    for (int s = 0; s < 4; ++s)
        m_splitTable->item(classes, s)->setFont(bold);
    m_splitTable->setVerticalHeaderLabels(names);
    m_splitTable->resizeColumnsToContents();
    if (!scan->splitError.isEmpty()) {
        m_splitWarning->setText(scan->splitError);
        m_splitWarning->setVisible(true);
    }
}

void DataPage::setSummary(const QString& name, const QString& value) {
    const int row = m_summary->rowCount();
    m_summary->insertRow(row);
    auto* key = new QTableWidgetItem(name);
    key->setForeground(QColor(0x5f, 0x63, 0x68));
    m_summary->setItem(row, 0, key);
    m_summary->setItem(row, 1, new QTableWidgetItem(value));
}

QString DataPage::summaryValue(const QString& name) const {
    for (int r = 0; r < m_summary->rowCount(); ++r)
        if (m_summary->item(r, 0)->text() == name)
            return m_summary->item(r, 1)->text();
    return {};
}

void DataPage::showSummary() {
    m_summary->setRowCount(0);
    m_labelChart->clear();
    m_lengths->clear();
    const DatasetScan* scan = m_scan.get();
    if (auto* caption = findChild<QLabel*>(QStringLiteral("chartCaption")))
        caption->setText(scan && scan->regression
                             ? tr("<b>Target values</b> (histogram, rows per range)")
                             : tr("<b>Class distribution</b>"));
    m_splitRandom->setText(m_taskType == TaskType::Regression
                               ? tr("Random (seeded; not stratified: the target is a number)")
                               : tr("Random, stratified by label"));
    if (!scan) {
        m_lengthsCaption->setText(tr("<b>Length in tokens</b>"));
        return;
    }
    const bool token = scan->tokens.has_value();
    const bool image = !scan->thumbnails.isEmpty() || m_taskType == TaskType::Image;
    std::size_t valid = 0;
    if (token)
        valid = scan->streamed ? scan->validExamples : scan->tokens->sentences.size();
    else if (scan->text)
        valid = scan->text->examples.size();
    else if (scan->multi)
        valid = scan->multi->examples.size();
    else if (scan->regression)
        valid = scan->targets.size();
    else if (scan->streamed)
        valid = scan->validExamples;
    else
        valid = std::accumulate(scan->classCounts.begin(), scan->classCounts.end(), std::size_t(0));
    setSummary(tr("Task"), m_task->currentText());
    setSummary(tr("Format"), toQt(scan->format).toUpper());
    setSummary(token   ? tr("Sentences")
               : image ? tr("Images")
                       : tr("Rows"),
               QString::number(scan->rows));
    if (!scan->imageSize.isEmpty())
        setSummary(tr("Image size"), scan->imageSize);
    if (token) {
        setSummary(tr("Tokens"), QString::number(scan->streamed ? scan->tokenCount
                                                                : scan->tokens->token_count()));
        setSummary(tr("Tag scheme"),
                   toQt(tb::data::tag_scheme_name(scan->tokens->scheme)).toUpper() +
                       (scan->tokens->converted_to_bio ? tr(" (converted to BIO)") : QString()));
    }
    setSummary(token ? tr("Valid sentences") : tr("Valid examples"), QString::number(valid));
    if (scan->regression) {
        setSummary(tr("Target count"), QString::number(scan->targets.size()));
        setSummary(tr("Target min"), QString::number(scan->targetMin, 'g', 6));
        setSummary(tr("Target max"), QString::number(scan->targetMax, 'g', 6));
        setSummary(tr("Target mean"), QString::number(scan->targetMean, 'g', 6));
        setSummary(tr("Target std"), QString::number(scan->targetStd, 'g', 6));
    } else {
        setSummary(token ? tr("Tags") : tr("Classes"), QString::number(scan->classNames.size()));
    }
    setSummary(tr("Bad rows"),
               QString::number(scan->streamed ? scan->problemCount : scan->problems.size()));
    if (!token && !image) {
        setSummary(tr("Empty text"), QString::number(scan->emptyText));
        setSummary(tr("Missing label"), QString::number(scan->missingLabel));
        setSummary(tr("Duplicates"), QString::number(scan->duplicates));
    }
    if (!scan->regression)
        setSummary(
            tr("Rare labels"),
            scan->rareLabels.empty()
                ? tr("none (< %1)").arg(m_rareMin->value())
                : QStringLiteral("%1 (< %2)").arg(scan->rareLabels.size()).arg(m_rareMin->value()));
    const int maxLength = m_document->config().model.max_length;
    if (!scan->lengths.empty())
        setSummary(tr("Truncated"), tr("%1 of %2 (%3)")
                                        .arg(scan->truncated)
                                        .arg(scan->lengths.size())
                                        .arg(percent(scan->truncated, scan->lengths.size())));
    if (scan->streamed && token) {
        setSummary(tr("Sentence length"), tr("%1–%2 words, mean %3")
                                              .arg(scan->minChars)
                                              .arg(scan->maxChars)
                                              .arg(scan->meanChars, 0, 'f', 1));
        setSummary(
            tr("Reading"),
            tr("streaming, ~%1 MiB").arg(double(scan->memoryBytes) / double(1 << 20), 0, 'f', 0));
    } else if (scan->streamed) {
        setSummary(tr("Characters"), tr("%1–%2, mean %3")
                                         .arg(scan->minChars)
                                         .arg(scan->maxChars)
                                         .arg(scan->meanChars, 0, 'f', 0));
        setSummary(
            tr("Reading"),
            tr("streaming, ~%1 MiB").arg(double(scan->memoryBytes) / double(1 << 20), 0, 'f', 0));
    }
    if (m_deidentify->isChecked())
        setSummary(tr("Masked"), QString::number(scan->masked.total()));
    // Every task trains: say what the head is, so the user sees what the data will become.
    QString head;
    switch (m_taskType) {
        case TaskType::TextClassification:
            head = tr("sequence classification (softmax over %n classes)", nullptr,
                      int(scan->classNames.size()));
            break;
        case TaskType::SentencePair:
            head = tr("sentence-pair classification (softmax over %n classes)", nullptr,
                      int(scan->classNames.size()));
            break;
        case TaskType::MultiLabel:
            head = tr("multi-label (a sigmoid per label, %n labels)", nullptr,
                      int(scan->classNames.size()));
            break;
        case TaskType::Regression:
            head = tr("regression (one output, mean squared error)");
            break;
        case TaskType::TokenClassification:
            head = tr("token classification (a tag per word)");
            break;
        case TaskType::Image:
            head = tr("image classification (softmax over %n classes)", nullptr,
                      int(scan->classNames.size()));
            break;
    }
    setSummary(tr("Trains as"), head);
    m_summary->resizeColumnToContents(0);

    if (scan->regression) {
        // Target histogram in place of the class chart (bars labelled with their bin's range).
        QStringList bins;
        QVector<qint64> binCounts;
        for (std::size_t b = 0; b < scan->targetBinCounts.size(); ++b) {
            bins << QStringLiteral("%1–%2")
                        .arg(scan->targetBinEdges[b], 0, 'g', 3)
                        .arg(scan->targetBinEdges[b + 1], 0, 'g', 3);
            binCounts << qint64(scan->targetBinCounts[b]);
        }
        m_labelChart->setCounts(bins, binCounts);
    }
    // Class chart: the largest classes when there are many.
    std::vector<std::size_t> order(scan->classNames.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    if (order.size() > std::size_t(kMaxChartBars)) {
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return scan->classCounts[a] > scan->classCounts[b];
        });
        order.resize(kMaxChartBars);
    }
    QStringList labels;
    QVector<qint64> counts;
    for (std::size_t c : order) {
        labels << toQt(scan->classNames[c]);
        counts << qint64(c < scan->classCounts.size() ? scan->classCounts[c] : 0);
    }
    if (!scan->regression)
        m_labelChart->setCounts(labels, counts);

    if (!scan->lengths.empty()) {
        m_lengths->setLengths(scan->lengths, maxLength);
        m_lengthsCaption->setText(tr("<b>Length in tokens</b> (model tokenizer): %1 of %2 "
                                     "longer than max_length %3")
                                      .arg(scan->truncated)
                                      .arg(scan->lengths.size())
                                      .arg(maxLength));
    } else if (!scan->tokenizerError.isEmpty()) {
        m_lengthsCaption->setText(tr("<b>Length in tokens</b>: no tokenizer (%1)")
                                      .arg(scan->tokenizerError.toHtmlEscaped()));
    } else {
        m_lengthsCaption->setText(
            tr("<b>Length in tokens</b>: choose a model folder on the Model page to see how "
               "many examples would be truncated."));
    }
    m_lengthsCaption->setWordWrap(true);
}

void DataPage::jumpToProblem(int problemIndex) {
    QListWidgetItem* item = m_problems->item(problemIndex);
    if (!item)
        return;
    const long line = static_cast<long>(item->data(kProblemLineRole).toLongLong());
    if (m_scan && m_scan->tokens) {
        if (m_scan->streamed)
            showStreamingSentences(line);  // reads the sentences around the line from the file
        m_sentences->scrollToAnchor(QString::number(line));
        return;
    }
    if (m_scan && m_scan->streamed && m_preview->rowForLine(line) < 0)
        showStreamingRegion(line);  // reads the rows around the line from the file
    const int row = m_preview->showRegionAround(line);
    showScan();  // caption shows the new window
    if (row < 0)
        return;
    m_previewView->selectRow(row);
    m_previewView->scrollTo(m_preview->index(row, 0), QAbstractItemView::PositionAtCenter);
}

int DataPage::selectedTableRow() const {
    const QModelIndexList rows = m_previewView->selectionModel()
                                     ? m_previewView->selectionModel()->selectedRows()
                                     : QModelIndexList();
    return rows.isEmpty() ? -1 : m_preview->tableRow(rows.first().row());
}

void DataPage::updateEditActions() {
    const bool editable = m_scan && m_scan->text && m_table;
    const int row = selectedTableRow();
    m_relabelAction->setEnabled(editable && row >= 0);
    m_excludeAction->setEnabled(editable && row >= 0);
    m_excludeAction->setText(row >= 0 && m_editor->edits().excluded.count(row) ? tr("Include row")
                                                                               : tr("Exclude row"));
    const auto& edits = m_editor->edits();
    m_saveVersionAction->setEnabled(editable && !edits.isEmpty());
    if (edits.isEmpty())
        m_editsCaption->setText(m_savedNote);
    else
        m_editsCaption->setText(tr("%1 relabelled, %2 excluded (not saved yet)")
                                    .arg(edits.relabelled.size())
                                    .arg(edits.excluded.size()));
}

void DataPage::relabelSelected() {
    const int row = selectedTableRow();
    if (row < 0 || !m_scan || !m_scan->text)
        return;
    QStringList labels;
    for (const auto& name : m_scan->classNames)
        labels << toQt(name);
    const QString labelColumn = toQt(m_scan->text->label_column);
    const auto it = m_editor->edits().relabelled.find(row);
    const QString current = it != m_editor->edits().relabelled.end()
                                ? toQt(it->second)
                                : m_preview->cell(row, labelColumn);
    bool ok = false;
    const QString label = QInputDialog::getItem(
        this, tr("Relabel row"), tr("New label for line %1:").arg(m_table->row_lines[row]), labels,
        std::max(0, int(labels.indexOf(current))), /*editable=*/true, &ok);
    if (ok && !label.trimmed().isEmpty())
        relabelRow(row, label.trimmed());
}

void DataPage::toggleExcludeSelected() {
    const int row = selectedTableRow();
    if (row >= 0)
        setRowExcluded(row, m_editor->edits().excluded.count(row) == 0);
}

void DataPage::relabelRow(int tableRow, const QString& label) {
    // Streaming mode: m_table is only the preview and edits are not applied; not offered.
    if (!m_table || (m_scan && m_scan->streamed) || tableRow < 0 ||
        tableRow >= int(m_table->rows.size()))
        return;
    m_editor->relabel(tableRow, label.toStdString());
}

void DataPage::setRowExcluded(int tableRow, bool excluded) {
    // Streaming mode: m_table is only the preview and edits are not applied; not offered.
    if (!m_table || (m_scan && m_scan->streamed) || tableRow < 0 ||
        tableRow >= int(m_table->rows.size()))
        return;
    m_editor->setExcluded(tableRow, excluded);
}

QString DataPage::saveNewVersion() {
    if (!m_table || !m_scan || !m_scan->text)
        return {};
    const auto& ds = m_document->config().dataset;
    const QString original = m_document->resolvedPath(ds.path);
    QString path;
    QApplication::setOverrideCursor(Qt::WaitCursor);
    try {
        const std::size_t labelIndex = m_table->column_index(ds.label_column);
        tb::data::Table edited = applyDatasetEdits(*m_table, m_editor->edits(), labelIndex);
        path = toQt(tb::data::next_version_path(original.toStdString()));
        tb::data::write_new_table_file(edited, path.toStdString(), m_table->format);
    } catch (const tb::Error& e) {
        QApplication::restoreOverrideCursor();
        m_banner->showMessage(tr("The new dataset version could not be saved."), formatError(e));
        return {};
    } catch (const std::exception& e) {
        QApplication::restoreOverrideCursor();
        m_banner->showMessage(tr("The new dataset version could not be saved."), toQt(e.what()));
        return {};
    }
    QApplication::restoreOverrideCursor();
    const QString summary = tr("%1 relabelled, %2 excluded")
                                .arg(m_editor->edits().relabelled.size())
                                .arg(m_editor->edits().excluded.size());
    m_savedNote =
        tr("Saved %1 (%2); the experiment now uses it.").arg(QFileInfo(path).fileName(), summary);
    setDataFile(path);
    updateEditActions();
    return path;
}

}  // namespace tb::ui
