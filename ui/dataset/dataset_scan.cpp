// What the Data page's import wizard reads and checks, and what it gets back: a plain value
// snapshot of the dataset settings in, parsed data + validation + split counts out.
#include "dataset/dataset_scan.h"

#include <QCoreApplication>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <unordered_map>

#include "common/error.h"
#include "data/file_bytes.h"
#include "data/label_map.h"
#include "data/text_encoding.h"
#include "data/token_readers.h"
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
    return content;
}

tb::data::TokenFormat tokenFormat(const std::string& name) {
    if (name == "conll")
        return tb::data::TokenFormat::Conll;
    if (name == "token_jsonl")
        return tb::data::TokenFormat::Jsonl;
    if (name == "tagged")
        return tb::data::TokenFormat::Tagged;
    return tb::data::TokenFormat::Auto;
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

namespace {

std::optional<tb::text::BertTokenizer> loadTokenizer(const DatasetScanRequest& request,
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

void addRareLabels(DatasetScan& scan, int minCount, const std::vector<long>& firstLines,
                   const std::string& source) {
    for (std::size_t c = 0; c < scan.classCounts.size(); ++c) {
        if (scan.classCounts[c] == 0 || scan.classCounts[c] >= std::size_t(std::max(minCount, 0)))
            continue;
        scan.rareLabels.push_back(scan.classNames[c]);
        tb::data::DataProblem p;
        p.kind = "rare_label";
        p.file = source;
        p.line = c < firstLines.size() ? firstLines[c] : 0;
        p.message = "label '" + scan.classNames[c] + "' has only " +
                    std::to_string(scan.classCounts[c]) + " example(s) (fewer than " +
                    std::to_string(minCount) + ")";
        scan.warnings.push_back(p);
    }
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
        labelIndex = table.column_index(request.labelColumn);
    } catch (const tb::Error& e) {
        scan.columnError = formatError(e);
        return;
    }
    tb::data::Table edited = applyDatasetEdits(table, request.edits, labelIndex);
    if (request.deidentify)
        scan.masked = tb::data::deidentify_rows(edited.rows, {textIndex});
    const auto order = tb::data::label_order_from_name(request.labelOrder);
    scan.text =
        tb::data::build_text_dataset(edited, request.textColumn, request.labelColumn, order);
    const tb::data::TextDataset& ds = *scan.text;
    scan.problems = ds.problems;
    for (const auto& p : ds.problems) {
        if (p.kind == "empty_text")
            ++scan.emptyText;
        else if (p.kind == "missing_label")
            ++scan.missingLabel;
        else
            ++scan.otherInvalid;
    }
    scan.classNames = ds.labels.names();
    scan.classCounts.assign(scan.classNames.size(), 0);
    std::vector<long> firstLines(scan.classNames.size(), 0);
    for (const auto& ex : ds.examples) {
        if (ex.label < 0 || std::size_t(ex.label) >= scan.classCounts.size())
            continue;
        if (scan.classCounts[ex.label]++ == 0)
            firstLines[ex.label] = ex.line;
    }
    // Duplicates: the same (trimmed) text again; reported, never removed.
    std::unordered_map<std::string, std::pair<long, int>> seen;
    for (const auto& ex : ds.examples) {
        const auto [it, inserted] =
            seen.emplace(tb::data::trim_blank(ex.text), std::make_pair(ex.line, ex.label));
        if (inserted)
            continue;
        ++scan.duplicates;
        tb::data::DataProblem p;
        p.kind = it->second.second == ex.label ? "duplicate" : "conflicting_duplicate";
        p.file = ds.source;
        p.line = ex.line;
        p.message = "same text as line " + std::to_string(it->second.first) +
                    (p.kind == "duplicate" ? "" : " but a different label");
        scan.warnings.push_back(p);
    }
    addRareLabels(scan, request.rareLabelMin, firstLines, ds.source);
    std::stable_sort(scan.warnings.begin(), scan.warnings.end(),
                     [](const auto& a, const auto& b) { return a.line < b.line; });

    // Token lengths per valid example.
    checkCancel(control);
    setStage(control, 3, 600);
    if (auto tokenizer = loadTokenizer(request, &scan.tokenizerError)) {
        const QString key =
            QStringLiteral("%1|%2|%3|%4|%5")
                .arg(request.path, QString::fromStdString(request.textColumn), request.modelPath)
                .arg(request.lowercase)
                .arg(request.deidentify);
        if (request.tokenCounts && request.tokenCountsKey == key && request.table) {
            scan.tokenCounts = request.tokenCounts;
        } else {
            std::vector<std::string> texts;
            texts.reserve(table.rows.size());
            for (const auto& row : table.rows)
                texts.push_back(textIndex < row.size() ? row[textIndex] : std::string());
            if (request.deidentify)
                for (auto& t : texts)
                    t = tb::data::deidentify(t);
            scan.tokenCounts =
                std::make_shared<const std::vector<int>>(countTokens(*tokenizer, texts, control));
        }
        scan.tokenCountsKey = key;
        // Map valid examples back to table rows by line (rows are in line order).
        const auto& counts = *scan.tokenCounts;
        for (const auto& ex : ds.examples) {
            const auto it =
                std::lower_bound(table.row_lines.begin(), table.row_lines.end(), ex.line);
            if (it == table.row_lines.end() || *it != ex.line)
                continue;
            const int n = counts[std::size_t(it - table.row_lines.begin())];
            scan.lengths.push_back(n);
            if (n > request.maxLength)
                ++scan.truncated;
        }
    }

    // Split.
    checkCancel(control);
    setStage(control, 4, 900);
    scan.splitCounts.assign(scan.classNames.size(), SplitCounts{0, 0, 0});
    try {
        if (!request.devPath.isEmpty() || !request.testPath.isEmpty()) {
            scan.splitSource = QStringLiteral("files");
            for (const auto& ex : ds.examples)
                ++scan.splitCounts[ex.label][0];
            const QString files[2] = {request.devPath, request.testPath};
            for (int s = 0; s < 2; ++s) {
                if (files[s].isEmpty())
                    continue;
                const auto t = tb::data::read_table(files[s].toStdString(), table.format);
                const auto other = tb::data::build_text_dataset(
                    t, request.textColumn, request.labelColumn, order, &ds.labels);
                for (const auto& ex : other.examples)
                    ++scan.splitCounts[ex.label][s + 1];
                for (const auto& p : other.problems)
                    scan.problems.push_back(p);
            }
        } else {
            scan.splitSource = QStringLiteral("fractions");
            const auto split =
                tb::data::stratified_split(ds.label_ids(), request.fractions, request.seed);
            const std::vector<std::size_t>* parts[3] = {&split.train, &split.dev, &split.test};
            for (int s = 0; s < 3; ++s)
                for (std::size_t i : *parts[s])
                    ++scan.splitCounts[ds.examples[i].label][s];
        }
    } catch (const tb::Error& e) {
        scan.splitError = QString::fromStdString(e.what());
    }
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
    scan.format =
        request.format == "auto" ? tb::data::token_format_name(file.format) : request.format;
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
            if (tag >= 0 && std::size_t(tag) < firstLines.size() && firstLines[tag] == 0)
                firstLines[tag] = s.line;
    addRareLabels(scan, request.rareLabelMin, firstLines, ds.source);

    checkCancel(control);
    setStage(control, 3, 600);
    if (auto tokenizer = loadTokenizer(request, &scan.tokenizerError)) {
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
        const std::vector<std::size_t>* parts[3] = {&split.train, &split.dev, &split.test};
        for (int s = 0; s < 3; ++s)
            for (std::size_t i : *parts[s])
                for (int tag : ds.sentences[i].tags)
                    ++scan.splitCounts[std::size_t(tag)][s];
    } catch (const tb::Error& e) {
        scan.splitError = QString::fromStdString(e.what());
    }
}

}  // namespace

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
        default:
            return QCoreApplication::translate("DatasetScan", "Splitting");
    }
}

DatasetScan runDatasetScan(const DatasetScanRequest& request, ScanControl& control) {
    DatasetScan scan;
    if (request.task == TaskType::TokenClassification || isTokenFormat(request.format))
        scanTokens(request, scan, control);
    else
        scanText(request, scan, control);
    control.permille = 1000;
    return scan;
}

}  // namespace tb::ui
