// Data page: what streaming mode (large files) shows — the note with the memory bound on the
// File step, and preview windows read from the file on demand when jumping to a problem.
#include <QFileInfo>
#include <QLabel>
#include <QTableView>

#include <algorithm>

#include "common/error.h"
#include "data/row_index.h"
#include "dataset/token_streaming_scan.h"
#include "document/experiment_document.h"
#include "pages/data_page.h"
#include "pages/table_preview_model.h"
#include "util/format.h"
#include "views/token_sentence_view.h"
#include "widgets/error_banner.h"

namespace tb::ui {

namespace {

QString mib(double bytes) {
    return QString::number(bytes / double(1 << 20), 'f', bytes < double(10 << 20) ? 1 : 0);
}

}  // namespace

void DataPage::showStreamingState() {
    const DatasetScan* scan = m_scan.get();
    if (scan && scan->streamed && scan->sentenceIndex) {
        const auto& index = *scan->sentenceIndex;
        m_streamingNote->setText(
            tr("<b>Large file</b> (%1 MiB, %2 sentences): sentences are read on demand; about "
               "%3 MiB in memory (sentence index and summary, 28 bytes per sentence, plus one "
               "chunk of %4 sentences). Sentences are split into train/dev/test with a second "
               "pass over the file.")
                .arg(mib(double(index.file_size)))
                .arg(index.sentences())
                .arg(mib(double(scan->memoryBytes)))
                .arg(4096));
        m_streamingNote->setVisible(true);
        return;
    }
    if (!scan || !scan->streamed || !scan->rowIndex) {
        m_streamingNote->clear();
        m_streamingNote->setVisible(false);
        return;
    }
    const auto& index = *scan->rowIndex;
    m_streamingNote->setText(
        tr("<b>Large file</b> (%1 MiB, %2 rows): rows are read on demand; about %3 MiB in "
           "memory (row index and summary, 40 bytes per row, plus one chunk of %4 rows). "
           "Row edits are offered for files under %5 MiB.")
            .arg(mib(double(index.file_size)))
            .arg(index.rows())
            .arg(mib(double(scan->memoryBytes)))
            .arg(4096)
            .arg(mib(double(m_streamingThreshold))));
    m_streamingNote->setVisible(true);
}

bool DataPage::showStreamingRegion(long line) {
    if (!m_scan || !m_scan->rowIndex)
        return false;
    const auto& index = *m_scan->rowIndex;
    const auto it = std::lower_bound(index.lines.begin(), index.lines.end(),
                                     static_cast<std::uint64_t>(std::max(0L, line)));
    if (it == index.lines.end() || long(*it) != line)
        return false;
    const std::size_t row = std::size_t(it - index.lines.begin());
    const std::size_t window = std::size_t(TablePreviewModel::kDefaultMaxRows);
    const std::size_t first = row > window / 2 ? row - window / 2 : 0;
    try {
        auto table =
            std::make_shared<const tb::data::Table>(tb::data::read_rows(index, first, window));
        m_preview->setTable(table);
        m_preview->setLabelColumn(toQt(m_document->config().dataset.label_column));
    } catch (const tb::Error& e) {
        m_banner->showMessage(tr("These rows could not be read."), formatError(e));
        return false;
    }
    return true;
}

bool DataPage::showStreamingSentences(long line) {
    if (!m_scan || !m_scan->sentenceIndex)
        return false;
    try {
        const auto sentences =
            readStreamingSentences(*m_scan, line, 60, m_document->config().dataset.tag_column);
        if (!sentences)
            return false;
        m_sentences->setDataset(*sentences);
        const auto& index = *m_scan->sentenceIndex;
        const std::size_t at = index.sentence_at_line(line);
        if (at < index.sentences())
            m_sentences->scrollToAnchor(QString::number(index.lines[at]));
        const long first = sentences->sentences.empty() ? line : sentences->sentences.front().line;
        m_previewCaption->setText(tr("Preview: %1 sentences from line %2 of %3 sentences (large "
                                     "file: sentences are read on demand)")
                                      .arg(m_sentences->sentencesShown())
                                      .arg(first)
                                      .arg(m_scan->rows));
    } catch (const tb::Error& e) {
        m_banner->showMessage(tr("These sentences could not be read."), formatError(e));
        return false;
    }
    return true;
}

}  // namespace tb::ui
