// The import wizard's scan of large text files: index rows, preview the first ones, summarise
// all of them in one streaming pass, split from per-example labels.
#include "dataset/streaming_scan.h"

#include <QFileInfo>

#include <algorithm>

#include "common/error.h"
#include "data/file_bytes.h"
#include "data/iterative_split.h"
#include "data/row_index.h"
#include "data/streaming_summary.h"
#include "util/format.h"

namespace tb::ui {

namespace {

constexpr std::size_t kTokenizeChunk = 256;

void checkCancel(const ScanControl& control) {
    if (control.cancel.load())
        throw ScanCancelled{};
}

bool isTableFormat(const std::string& format) {
    return format == "auto" || format == "csv" || format == "tsv" || format == "jsonl" ||
           format == "label_text";
}

// Columns of the file (from the preview rows) that the request names; tb::Error if one is
// missing. Returns "" or the error for the page.
QString checkColumns(const DatasetScanRequest& request, const tb::data::Table& preview) {
    try {
        preview.column_index(request.textColumn);
        if (request.task == TaskType::MultiLabel && !request.labelColumns.empty()) {
            for (const auto& c : request.labelColumns)
                preview.column_index(c);
        } else {
            preview.column_index(request.labelColumn);
        }
        if (request.task == TaskType::SentencePair)
            preview.column_index(request.textPairColumn);
    } catch (const tb::Error& e) {
        return formatError(e);
    }
    return {};
}

tb::data::StreamingSummaryOptions summaryOptions(const DatasetScanRequest& request) {
    tb::data::StreamingSummaryOptions options;
    options.columns.text = request.textColumn;
    options.columns.label = request.labelColumn;
    if (request.task == TaskType::SentencePair)
        options.columns.text_pair = request.textPairColumn;
    options.multi_label = request.task == TaskType::MultiLabel;
    options.separator = request.multiLabelSeparator;
    if (options.multi_label)
        options.label_columns = request.labelColumns;
    options.order = tb::data::label_order_from_name(request.labelOrder);
    options.deidentify = request.deidentify;
    options.find_duplicates = !options.multi_label;
    options.rare_min = std::size_t(std::max(0, request.rareLabelMin));
    return options;
}

// Dev/test files given by the user: summarised the same way, with the training labels.
void splitFromFiles(const DatasetScanRequest& request, const tb::data::StreamingSummary& train,
                    tb::data::TableFormat format, DatasetScan& scan, ScanControl& control) {
    scan.splitSource = QStringLiteral("files");
    for (std::size_t c = 0; c < train.class_counts.size(); ++c)
        scan.splitCounts[c][0] = train.class_counts[c];
    const QString files[2] = {request.devPath, request.testPath};
    for (int s = 0; s < 2; ++s) {
        if (files[s].isEmpty())
            continue;
        const auto index = tb::data::build_row_index(files[s].toStdString(), format);
        auto options = summaryOptions(request);
        options.known_labels = &train.labels;
        options.find_duplicates = false;
        options.rare_min = 0;
        const auto other = tb::data::summarize_rows(
            index, options, [&](std::size_t, std::size_t) { return !control.cancel.load(); });
        checkCancel(control);
        for (std::size_t c = 0; c < other.class_counts.size() && c < scan.splitCounts.size(); ++c)
            scan.splitCounts[c][std::size_t(s) + 1] = other.class_counts[c];
        scan.problems.insert(scan.problems.end(), other.problems.begin(), other.problems.end());
        scan.problemCount += other.problem_count;
    }
}

void addSplit(const DatasetScanRequest& request, const tb::data::StreamingSummary& summary,
              tb::data::TableFormat format, DatasetScan& scan, ScanControl& control) {
    scan.splitCounts.assign(scan.classNames.size(), SplitCounts{0, 0, 0});
    auto count = [&](std::size_t example, std::size_t part) {
        for (int label : summary.labels_of(example))
            ++scan.splitCounts[std::size_t(label)][part];
    };
    try {
        if (!summary.example_split.empty()) {
            scan.splitSource = QStringLiteral("column");
            for (std::size_t i = 0; i < summary.examples; ++i)
                if (summary.example_split[i] < 3)
                    count(i, summary.example_split[i]);
        } else if (request.splitColumn.empty() &&
                   (!request.devPath.isEmpty() || !request.testPath.isEmpty())) {
            splitFromFiles(request, summary, format, scan, control);
        } else if (request.splitColumn.empty()) {
            scan.splitSource = QStringLiteral("fractions");
            tb::data::SplitIndices split;
            if (request.task == TaskType::MultiLabel) {
                std::vector<std::vector<int>> sets(summary.examples);
                for (std::size_t i = 0; i < summary.examples; ++i)
                    sets[i] = summary.labels_of(i);
                split = tb::data::iterative_stratified_split(sets, int(scan.classNames.size()),
                                                             request.fractions, request.seed);
            } else {
                split = tb::data::stratified_split(summary.example_labels, request.fractions,
                                                   request.seed);
            }
            const std::vector<std::size_t>* parts[3] = {&split.train, &split.dev, &split.test};
            for (std::size_t p = 0; p < 3; ++p)
                for (std::size_t i : *parts[p])
                    count(i, p);
        }
    } catch (const tb::Error& e) {
        scan.splitError = formatError(e);
    }
}

}  // namespace

std::function<std::vector<int>(const std::vector<std::string>&)> streamingTokenCounter(
    const tb::text::BertTokenizer& tokenizer) {
    return [&tokenizer](const std::vector<std::string>& texts) {
        const std::size_t kNoLimit = std::size_t(1) << 30;
        std::vector<int> counts;
        counts.reserve(texts.size());
        for (std::size_t start = 0; start < texts.size(); start += kTokenizeChunk) {
            const std::size_t end = std::min(texts.size(), start + kTokenizeChunk);
            const std::vector<std::string> chunk(texts.begin() + long(start),
                                                 texts.begin() + long(end));
            for (const auto& encoding : tokenizer.encode_batch(chunk, kNoLimit))
                counts.push_back(int(encoding.input_ids.size()));
        }
        return counts;
    };
}

bool usesStreamingScan(const DatasetScanRequest& request) {
    if (request.table)
        return false;
    // Regression reads in memory at any size: its target statistics need every value.
    if (request.task != TaskType::TextClassification && request.task != TaskType::SentencePair &&
        request.task != TaskType::MultiLabel)
        return false;
    if (!isTableFormat(request.format))
        return false;
    if (request.rowIndex)
        return true;
    // UTF-16 is converted to UTF-8 in memory: the row index reads UTF-8 only.
    const QFileInfo info(request.path);
    return info.isFile() && std::uint64_t(info.size()) > request.streamingThreshold &&
           !tb::data::is_utf16_file(request.path.toStdString());
}

void scanTextStreaming(const DatasetScanRequest& request, DatasetScan& scan, ScanControl& control) {
    const std::string path = request.path.toStdString();
    std::shared_ptr<const tb::data::RowIndex> index = request.rowIndex;
    if (!index) {
        control.stage = 5;
        control.permille = 0;
        auto built = tb::data::build_row_index(
            path, tb::data::table_format_from_name(request.format),
            [&](std::uint64_t done, std::uint64_t total) {
                if (total > 0)
                    control.permille = int(400.0 * double(done) / double(total));
                return !control.cancel.load();
            });
        if (built.cancelled)
            throw ScanCancelled{};
        index = std::make_shared<const tb::data::RowIndex>(std::move(built));
    }
    checkCancel(control);
    scan.rowIndex = index;
    scan.streamed = true;
    scan.memoryBytes = tb::data::streaming_memory_estimate(*index);
    scan.table = std::make_shared<const tb::data::Table>(
        tb::data::read_rows(*index, 0, kStreamingPreviewRows));
    scan.format = tb::data::table_format_name(index->format);
    scan.rows = index->rows();
    scan.columnError = checkColumns(request, *scan.table);
    if (!scan.columnError.isEmpty())
        return;
    std::string splitColumn = request.splitColumn;
    if (!splitColumn.empty()) {
        try {
            scan.table->column_index(splitColumn);
        } catch (const tb::Error& e) {
            scan.splitError = formatError(e);
            splitColumn.clear();
        }
    }

    control.stage = 6;
    control.permille = 400;
    auto options = summaryOptions(request);
    options.split_column = splitColumn;
    const auto tokenizer = loadScanTokenizer(request, &scan.tokenizerError);
    if (tokenizer) {
        options.count_tokens = streamingTokenCounter(*tokenizer);
    }
    tb::data::StreamingSummary summary =
        tb::data::summarize_rows(*index, options, [&](std::size_t done, std::size_t total) {
            if (total > 0)
                control.permille = 400 + int(500.0 * double(done) / double(total));
            return !control.cancel.load();
        });
    checkCancel(control);
    if (summary.cancelled)
        throw ScanCancelled{};

    scan.validExamples = summary.examples;
    scan.problemCount = summary.problem_count;
    scan.problems = std::move(summary.problems);
    scan.warnings = std::move(summary.warnings);
    scan.emptyText = summary.empty_text;
    scan.missingLabel = summary.missing_label;
    scan.otherInvalid = summary.other_invalid;
    scan.duplicates = summary.duplicates;
    scan.classNames = summary.labels.names();
    scan.classCounts = summary.class_counts;
    scan.rareLabels = summary.rare_labels;
    scan.masked = summary.masked;
    scan.minChars = summary.min_chars;
    scan.maxChars = summary.max_chars;
    scan.meanChars = summary.mean_chars;
    if (summary.lengths_in_tokens) {
        scan.lengths = std::move(summary.lengths);
        for (int n : scan.lengths)
            if (n > request.maxLength)
                ++scan.truncated;
    }
    std::vector<int>().swap(summary.lengths);
    std::vector<std::uint32_t>().swap(summary.example_rows);

    control.stage = 4;
    control.permille = 900;
    addSplit(request, summary, index->format, scan, control);
}

}  // namespace tb::ui
