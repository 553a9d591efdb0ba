// What the Data page's import wizard reads and checks, and what it gets back: a plain value
// snapshot of the dataset settings in, parsed data + validation + split counts out.
#include "dataset/dataset_scan.h"

#include <QCoreApplication>
#include <QStringList>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>

#include "common/error.h"
#include "data/dataset_checks.h"
#include "data/file_bytes.h"
#include "data/iterative_split.h"
#include "data/label_map.h"
#include "data/regression_rows.h"
#include "data/text_encoding.h"
#include "data/token_readers.h"
#include "dataset/image_scan.h"
#include "dataset/streaming_scan.h"
#include "dataset/token_streaming_scan.h"
#include "text/bert_tokenizer.h"
#include "util/format.h"

namespace tb::ui {

namespace {

constexpr std::size_t kReadChunk = std::size_t(4) << 20;
constexpr std::size_t kTokenizeChunk = 256;

void checkCancel(const ScanControl& control) {
    if (control.cancel.load())
        throw ScanCancelled{};
}

void setStage(ScanControl& control, int stage, int permille) {
    control.stage = stage;
    control.permille = permille;
}

// The whole file, read in chunks so that progress moves and a cancel is seen between chunks.
// Reading 0..400 permille.
std::string readWithProgress(const std::string& path, ScanControl& control) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        // read_file_bytes words folder / permission / missing-file errors for users.
        return tb::data::read_file_bytes(path);
    }
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    in.seekg(0, std::ios::beg);
    std::string content;
    if (size > 0)
        content.reserve(static_cast<std::size_t>(size));
    std::vector<char> buffer(kReadChunk);
    while (in) {
        checkCancel(control);
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        content.append(buffer.data(), static_cast<std::size_t>(in.gcount()));
        if (size > 0)
            control.permille = static_cast<int>(400.0 * double(content.size()) / double(size));
    }
    if (in.bad())
        throw tb::Error(std::string("cannot read the file: ") + std::strerror(errno),
                        tb::SourceLocation{path, 0, 0, ""});
    return tb::data::utf16_as_utf8(std::move(content), path);  // UTF-16 (with BOM) as UTF-8
}

}  // namespace

tb::data::Table applyDatasetEdits(const tb::data::Table& table, const DatasetEdits& edits,
                                  std::size_t labelIndex) {
    tb::data::Table out;
    out.source = table.source;
    out.columns = table.columns;
    out.format = table.format;
    out.rows.reserve(table.rows.size());
    out.row_lines.reserve(table.rows.size());
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
        if (edits.excluded.count(int(i)))
            continue;
        out.rows.push_back(table.rows[i]);
        out.row_lines.push_back(i < table.row_lines.size() ? table.row_lines[i] : 0);
        const auto relabel = edits.relabelled.find(int(i));
        if (relabel != edits.relabelled.end() && labelIndex < out.rows.back().size())
            out.rows.back()[labelIndex] = relabel->second;
    }
    return out;
}

std::optional<tb::text::BertTokenizer> loadScanTokenizer(const DatasetScanRequest& request,
                                                         QString* error) {
    if (request.modelPath.isEmpty())
        return std::nullopt;
    try {
        auto tokenizer = tb::text::BertTokenizer::from_model_dir(request.modelPath.toStdString());
        if (request.lowercase >= 0) {
            auto options = tokenizer.options();
            options.lowercase = request.lowercase == 1;
            tokenizer = tokenizer.with_options(options);
        }
        return tokenizer;
    } catch (const std::exception& e) {
        *error = QString::fromStdString(e.what());
        return std::nullopt;
    }
}

namespace {

// Token counts for `texts` (tokenized in chunks; 600..900 permille).
std::vector<int> countTokens(const tb::text::BertTokenizer& tokenizer,
                             const std::vector<std::string>& texts, ScanControl& control) {
    std::vector<int> counts(texts.size(), 0);
    const std::size_t kNoLimit = std::size_t(1) << 30;
    for (std::size_t start = 0; start < texts.size(); start += kTokenizeChunk) {
        checkCancel(control);
        const std::size_t end = std::min(texts.size(), start + kTokenizeChunk);
        std::vector<std::string> chunk(texts.begin() + long(start), texts.begin() + long(end));
        const auto encodings = tokenizer.encode_batch(chunk, kNoLimit);
        for (std::size_t i = 0; i < encodings.size(); ++i)
            counts[start + i] = static_cast<int>(encodings[i].input_ids.size());
        control.permille = 600 + static_cast<int>(300.0 * double(end) / double(texts.size()));
    }
    return counts;
}

void countProblemKinds(DatasetScan& scan) {
    for (const auto& p : scan.problems) {
        if (p.kind == "empty_text")
            ++scan.emptyText;
        else if (p.kind == "missing_label")
            ++scan.missingLabel;
        else
            ++scan.otherInvalid;
    }
}

// Rare labels (core check) as warnings, and their names for the summary.
void addRareLabels(DatasetScan& scan, const tb::data::LabelMap& labels,
                   const std::vector<long>& firstLines, int minCount, const std::string& source) {
    const std::size_t min = std::size_t(std::max(0, minCount));
    for (auto& p : tb::data::find_rare_labels(labels, scan.classCounts, firstLines, min, source))
        scan.warnings.push_back(std::move(p));
    for (std::size_t c = 0; c < scan.classCounts.size(); ++c)
        if (scan.classCounts[c] > 0 && scan.classCounts[c] < min)
            scan.rareLabels.push_back(scan.classNames[c]);
}

// Per-class counts of each split; `labelsOf(i)` = the classes of example i.
template <typename LabelsOf>
void addSplitCounts(DatasetScan& scan, const tb::data::SplitIndices& split, LabelsOf labelsOf) {
    scan.splitCounts.assign(scan.classNames.size(), SplitCounts{0, 0, 0});
    const std::vector<std::size_t>* parts[3] = {&split.train, &split.dev, &split.test};
    for (std::size_t s = 0; s < 3; ++s)
        for (std::size_t i : *parts[s])
            for (int label : labelsOf(i))
                if (label >= 0 && std::size_t(label) < scan.splitCounts.size())
                    ++scan.splitCounts[std::size_t(label)][s];
}

// Multi-label: labels in one column split at the separator; iterative stratification.
void scanMultiLabel(const DatasetScanRequest& request, const tb::data::Table& edited,
                    tb::data::LabelOrder order, DatasetScan& scan, ScanControl& control) {
    scan.multi =
        request.labelColumns.empty()
            ? tb::data::build_multilabel_dataset(edited, request.textColumn, request.labelColumn,
                                                 request.multiLabelSeparator, order)
            : tb::data::build_multilabel_from_columns(edited, request.textColumn,
                                                      request.labelColumns);
    const auto& ds = *scan.multi;
    scan.problems = ds.problems;
    countProblemKinds(scan);
    scan.classNames = ds.labels.names();
    scan.classCounts = ds.label_counts();
    std::vector<long> firstLines(scan.classNames.size(), 0);
    for (const auto& ex : ds.examples)
        for (int l : ex.labels)
            if (firstLines[std::size_t(l)] == 0)
                firstLines[std::size_t(l)] = ex.line;
    addRareLabels(scan, ds.labels, firstLines, request.rareLabelMin, ds.source);
    checkCancel(control);
    setStage(control, 4, 900);
    scan.splitSource = QStringLiteral("fractions");
    scan.splitCounts.assign(scan.classNames.size(), SplitCounts{0, 0, 0});
    try {
        const auto sets = ds.label_sets();
        const auto split = tb::data::iterative_stratified_split(
            sets, static_cast<int>(scan.classNames.size()), request.fractions, request.seed);
        addSplitCounts(scan, split, [&](std::size_t i) { return sets[i]; });
    } catch (const tb::Error& e) {
        scan.splitError = QString::fromStdString(e.what());
    }
}

// Token counts per valid example ([CLS] text [SEP] (pair [SEP])), reusing an earlier count of
// the same table, columns and tokenizer. `examples` (text or regression examples, in file order)
// map back to rows of `table` (as read) by their line. `pairColumn` may be empty.
template <typename Examples>
void scanLengths(const DatasetScanRequest& request, const tb::data::Table& table,
                 const std::string& textColumn, const std::string& pairColumn,
                 const Examples& examples, DatasetScan& scan, ScanControl& control) {
    auto tokenizer = loadScanTokenizer(request, &scan.tokenizerError);
    if (!tokenizer)
        return;
    const QString key = QStringList{request.path,
                                    QString::fromStdString(textColumn),
                                    QString::fromStdString(pairColumn),
                                    request.modelPath,
                                    QString::number(request.lowercase),
                                    QString::number(request.deidentify)}
                            .join(QLatin1Char('|'));
    if (request.tokenCounts && request.tokenCountsKey == key && request.table) {
        scan.tokenCounts = request.tokenCounts;
    } else {
        const std::size_t textIndex = table.column_index(textColumn);
        const std::size_t pairIndex =
            pairColumn.empty() ? table.columns.size() : table.column_index(pairColumn);
        std::vector<std::string> texts;
        texts.reserve(table.rows.size());
        for (const auto& row : table.rows) {
            std::string text = textIndex < row.size() ? row[textIndex] : std::string();
            if (pairIndex < row.size())
                text += " [SEP] " + row[pairIndex];  // a special token: one piece
            if (request.deidentify)
                text = tb::data::deidentify(text);
            texts.push_back(std::move(text));
        }
        scan.tokenCounts =
            std::make_shared<const std::vector<int>>(countTokens(*tokenizer, texts, control));
    }
    scan.tokenCountsKey = key;
    // Examples map back to table rows by line (rows are in line order).
    const auto& counts = *scan.tokenCounts;
    for (const auto& ex : examples) {
        const auto it = std::lower_bound(table.row_lines.begin(), table.row_lines.end(), ex.line);
        if (it == table.row_lines.end() || *it != ex.line)
            continue;
        const int n = counts[std::size_t(it - table.row_lines.begin())];
        scan.lengths.push_back(n);
        if (n > request.maxLength)
            ++scan.truncated;
    }
}

void scanTextSplit(const DatasetScanRequest& request, const tb::data::Table& edited,
                   const tb::data::TextDataset& ds, tb::data::LabelOrder order, DatasetScan& scan) {
    const auto labelsOf = [&](std::size_t i) { return std::vector<int>{ds.examples[i].label}; };
    scan.splitCounts.assign(scan.classNames.size(), SplitCounts{0, 0, 0});
    try {
        if (!request.splitColumn.empty()) {
            scan.splitSource = QStringLiteral("column");
            std::vector<tb::data::DataProblem> unknown;
            const auto split =
                tb::data::split_from_column(edited, request.splitColumn, ds, &unknown);
            addSplitCounts(scan, split, labelsOf);
            scan.problems.insert(scan.problems.end(), unknown.begin(), unknown.end());
        } else if (!request.devPath.isEmpty() || !request.testPath.isEmpty()) {
            scan.splitSource = QStringLiteral("files");
            for (const auto& ex : ds.examples)
                ++scan.splitCounts[std::size_t(ex.label)][0];
            const QString files[2] = {request.devPath, request.testPath};
            for (int s = 0; s < 2; ++s) {
                if (files[s].isEmpty())
                    continue;
                const auto t = tb::data::read_table(files[s].toStdString(), edited.format);
                const auto other = tb::data::build_text_dataset(
                    t, tb::data::TextColumns{ds.text_column, ds.text_pair_column, ds.label_column},
                    order, &ds.labels);
                for (const auto& ex : other.examples)
                    ++scan.splitCounts[std::size_t(ex.label)][std::size_t(s) + 1];
                scan.problems.insert(scan.problems.end(), other.problems.begin(),
                                     other.problems.end());
            }
        } else {
            scan.splitSource = QStringLiteral("fractions");
            addSplitCounts(
                scan, tb::data::stratified_split(ds.label_ids(), request.fractions, request.seed),
                labelsOf);
        }
    } catch (const tb::Error& e) {
        scan.splitError = formatError(e);
    }
}

// Regression: the trainer's row rules (tb::data::read_regression_rows), target statistics and the
// trainer's split (one stratum: a seeded random split with exact counts). The split table has one
// row named after the label column.
void scanRegression(const DatasetScanRequest& request, const tb::data::Table& table,
                    const tb::data::Table& edited, DatasetScan& scan, ScanControl& control) {
    scan.regression = true;
    // The pair column is optional for regression (sentence-pair regression, STS-B style).
    const auto rows = tb::data::read_regression_rows(edited, request.textColumn,
                                                     request.textPairColumn, request.labelColumn);
    scan.problems = rows.problems;
    countProblemKinds(scan);
    // Duplicates (same text or text pair) are kept, but listed, as for classification.
    for (auto& p : tb::data::find_duplicates(rows)) {
        ++scan.duplicates;
        scan.warnings.push_back(std::move(p));
    }
    scan.targets.reserve(rows.examples.size());
    for (const auto& ex : rows.examples)
        scan.targets.push_back(ex.value);
    const auto& t = scan.targets;
    if (!t.empty()) {
        const auto stats = tb::data::target_stats(t);
        scan.targetMin = stats.min;
        scan.targetMax = stats.max;
        scan.targetMean = stats.mean;
        scan.targetStd = stats.std;
        // 10 bins (fewer for tiny files); one bin when all targets are equal.
        const std::size_t bins =
            scan.targetMax > scan.targetMin ? std::min<std::size_t>(10, t.size()) : 1;
        const double width = (scan.targetMax - scan.targetMin) / double(bins);
        for (std::size_t b = 0; b <= bins; ++b)
            scan.targetBinEdges.push_back(b == bins ? scan.targetMax
                                                    : scan.targetMin + width * double(b));
        scan.targetBinCounts.assign(bins, 0);
        for (double v : t) {
            std::size_t b = width > 0.0 ? std::size_t((v - scan.targetMin) / width) : 0;
            b = std::min(b, bins - 1);
            // Guard rounding at the edges so counts agree with numpy's half-open bins.
            while (b > 0 && v < scan.targetBinEdges[b])
                --b;
            while (b + 1 < bins && v >= scan.targetBinEdges[b + 1])
                ++b;
            ++scan.targetBinCounts[b];
        }
    }
    scan.classNames = {request.labelColumn};
    scan.classCounts = {t.size()};
    checkCancel(control);
    setStage(control, 3, 600);
    scanLengths(request, table, request.textColumn, request.textPairColumn, rows.examples, scan,
                control);
    checkCancel(control);
    setStage(control, 4, 900);
    scan.splitCounts.assign(1, SplitCounts{0, 0, 0});
    try {
        if (!request.devPath.isEmpty() || !request.testPath.isEmpty()) {
            scan.splitSource = QStringLiteral("files");
            scan.splitCounts[0][0] = t.size();
            const QString files[2] = {request.devPath, request.testPath};
            for (int s = 0; s < 2; ++s) {
                if (files[s].isEmpty())
                    continue;
                const auto other = tb::data::read_regression_rows(
                    tb::data::read_table(files[s].toStdString(), edited.format), request.textColumn,
                    request.textPairColumn, request.labelColumn);
                scan.splitCounts[0][std::size_t(s) + 1] = other.examples.size();
                scan.problems.insert(scan.problems.end(), other.problems.begin(),
                                     other.problems.end());
            }
        } else {
            scan.splitSource = QStringLiteral("fractions");
            const auto split = tb::data::stratified_split(std::vector<int>(t.size(), 0),
                                                          request.fractions, request.seed);
            scan.splitCounts[0] = {split.train.size(), split.dev.size(), split.test.size()};
        }
    } catch (const tb::Error& e) {
        scan.splitError = formatError(e);
    }
}

// Sentence-pair classification needs the second text column; regression may have one.
bool usesPairColumn(const DatasetScanRequest& request) {
    return request.task == TaskType::SentencePair ||
           (request.task == TaskType::Regression && !request.textPairColumn.empty());
}

void scanText(const DatasetScanRequest& request, DatasetScan& scan, ScanControl& control) {
    const std::string path = request.path.toStdString();
    if (request.table) {
        scan.table = request.table;
    } else {
        setStage(control, 0, 0);
        const std::string content = readWithProgress(path, control);
        checkCancel(control);
        setStage(control, 1, 400);
        scan.table = std::make_shared<const tb::data::Table>(
            tb::data::parse_table(content, tb::data::table_format_from_name(request.format), path));
    }
    checkCancel(control);
    setStage(control, 2, 500);
    const tb::data::Table& table = *scan.table;
    scan.format = tb::data::table_format_name(table.format);
    scan.rows = table.rows.size();

    std::size_t labelIndex = 0, textIndex = 0;
    try {
        textIndex = table.column_index(request.textColumn);
        if (request.task == TaskType::MultiLabel && !request.labelColumns.empty()) {
            for (const auto& column : request.labelColumns)
                table.column_index(column);
            labelIndex = table.columns.size();  // 0/1 columns: no relabelling of one cell
        } else {
            labelIndex = table.column_index(request.labelColumn);
        }
        if (usesPairColumn(request))
            table.column_index(request.textPairColumn);
    } catch (const tb::Error& e) {
        scan.columnError = formatError(e);
        return;
    }
    tb::data::Table edited = applyDatasetEdits(table, request.edits, labelIndex);
    if (request.deidentify) {
        std::vector<std::size_t> columns{textIndex};
        if (usesPairColumn(request))
            columns.push_back(table.column_index(request.textPairColumn));
        scan.masked = tb::data::deidentify_rows(edited.rows, columns);
    }
    if (request.task == TaskType::Regression) {
        scanRegression(request, table, edited, scan, control);
        return;
    }
    const auto order = tb::data::label_order_from_name(request.labelOrder);
    if (request.task == TaskType::MultiLabel) {
        scanMultiLabel(request, edited, order, scan, control);
        return;
    }
    tb::data::TextColumns columns{request.textColumn, "", request.labelColumn};
    if (request.task == TaskType::SentencePair)
        columns.text_pair = request.textPairColumn;
    scan.text = tb::data::build_text_dataset(edited, columns, order);
    const tb::data::TextDataset& ds = *scan.text;
    scan.problems = ds.problems;
    countProblemKinds(scan);
    scan.classNames = ds.labels.names();
    scan.classCounts.assign(scan.classNames.size(), 0);
    std::vector<long> firstLines(scan.classNames.size(), 0);
    for (const auto& ex : ds.examples) {
        if (ex.label < 0 || std::size_t(ex.label) >= scan.classCounts.size())
            continue;
        if (scan.classCounts[std::size_t(ex.label)]++ == 0)
            firstLines[std::size_t(ex.label)] = ex.line;
    }
    // Duplicates and rare labels are kept, but listed.
    for (auto& p : tb::data::find_duplicates(ds)) {
        ++scan.duplicates;
        scan.warnings.push_back(std::move(p));
    }
    addRareLabels(scan, ds.labels, firstLines, request.rareLabelMin, ds.source);
    std::stable_sort(scan.warnings.begin(), scan.warnings.end(),
                     [](const auto& a, const auto& b) { return a.line < b.line; });

    checkCancel(control);
    setStage(control, 3, 600);
    scanLengths(request, table, ds.text_column, ds.text_pair_column, ds.examples, scan, control);

    checkCancel(control);
    setStage(control, 4, 900);
    scanTextSplit(request, edited, ds, order, scan);
}

void scanTokens(const DatasetScanRequest& request, DatasetScan& scan, ScanControl& control) {
    const std::string path = request.path.toStdString();
    setStage(control, 0, 0);
    const std::string content = readWithProgress(path, control);
    checkCancel(control);
    setStage(control, 1, 400);
    tb::data::ConllOptions conll;
    conll.tag_column = request.conllTagColumn;
    const tb::data::TokenFile file =
        tb::data::parse_token_file(content, tokenFormat(request.format), path, conll);
    checkCancel(control);
    setStage(control, 2, 500);
    scan.format = tb::data::token_format_name(file.format);
    scan.tokens = tb::data::build_token_dataset(file);
    const tb::data::TokenDataset& ds = *scan.tokens;
    scan.rows = ds.sentences.size();
    scan.problems = ds.problems;
    scan.otherInvalid = ds.problems.size();
    scan.classNames = ds.tags.names();
    scan.classCounts = ds.tag_counts();
    std::vector<long> firstLines(scan.classNames.size(), 0);
    for (const auto& s : ds.sentences)
        for (int tag : s.tags)
            if (tag >= 0 && std::size_t(tag) < firstLines.size() &&
                firstLines[std::size_t(tag)] == 0)
                firstLines[std::size_t(tag)] = s.line;
    addRareLabels(scan, ds.tags, firstLines, request.rareLabelMin, ds.source);

    checkCancel(control);
    setStage(control, 3, 600);
    if (auto tokenizer = loadScanTokenizer(request, &scan.tokenizerError)) {
        std::vector<std::string> texts;
        for (const auto& s : ds.sentences) {
            std::string joined;
            for (const auto& t : s.tokens)
                joined += (joined.empty() ? "" : " ") + t;
            texts.push_back(std::move(joined));
        }
        scan.lengths = countTokens(*tokenizer, texts, control);
        for (int n : scan.lengths)
            if (n > request.maxLength)
                ++scan.truncated;
    }

    checkCancel(control);
    setStage(control, 4, 900);
    scan.splitSource = QStringLiteral("fractions");
    scan.splitCounts.assign(scan.classNames.size(), SplitCounts{0, 0, 0});
    try {
        const auto split = tb::data::split_sentences(ds, request.fractions, request.seed);
        addSplitCounts(scan, split, [&](std::size_t i) { return ds.sentences[i].tags; });
    } catch (const tb::Error& e) {
        scan.splitError = formatError(e);
    }
}

}  // namespace

bool isImageFormat(const std::string& format) {
    return format == "image_folder" || format == "idx" || format == "hdf5";
}

bool isTokenFormat(const std::string& format) {
    return format == "conll" || format == "token_jsonl" || format == "tagged";
}

QString scanStageName(int stage) {
    switch (stage) {
        case 0:
            return QCoreApplication::translate("DatasetScan", "Reading the file");
        case 1:
            return QCoreApplication::translate("DatasetScan", "Parsing");
        case 2:
            return QCoreApplication::translate("DatasetScan", "Checking rows");
        case 3:
            return QCoreApplication::translate("DatasetScan", "Counting tokens");
        case 5:
            return QCoreApplication::translate("DatasetScan", "Indexing rows (large file)");
        case 6:
            return QCoreApplication::translate("DatasetScan", "Checking rows (large file)");
        case 7:
            return QCoreApplication::translate("DatasetScan", "Indexing sentences (large file)");
        case 8:
            return QCoreApplication::translate("DatasetScan", "Checking sentences (large file)");
        default:
            return QCoreApplication::translate("DatasetScan", "Splitting");
    }
}

DatasetScan runDatasetScan(const DatasetScanRequest& request, ScanControl& control) {
    DatasetScan scan;
    if (request.task == TaskType::Image || isImageFormat(request.format))
        scanImages(request, scan, control);
    else if ((request.task == TaskType::TokenClassification || isTokenFormat(request.format)) &&
             usesTokenStreamingScan(request))
        scanTokensStreaming(request, scan, control);
    else if (request.task == TaskType::TokenClassification || isTokenFormat(request.format))
        scanTokens(request, scan, control);
    else if (usesStreamingScan(request))  // never for regression: see usesStreamingScan
        scanTextStreaming(request, scan, control);
    else
        scanText(request, scan, control);
    control.permille = 1000;
    return scan;
}

}  // namespace tb::ui
