// Task detection and per-task summaries for `inspect`, built from the readers of this folder.
#include "data/dataset_inspect.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <optional>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "data/data_summary.h"
#include "data/dataset_checks.h"
#include "data/dataset_inspect_streaming.h"
#include "data/deidentify.h"
#include "data/file_bytes.h"
#include "data/hdf5_arrays.h"
#include "data/idx_reader.h"
#include "data/image_dataset.h"
#include "data/multilabel_dataset.h"
#include "data/regression_rows.h"
#include "data/sentence_index.h"
#include "data/table.h"
#include "data/text_dataset.h"
#include "data/token_dataset.h"
#include "data/token_summary.h"

namespace tb::data {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

std::string lower(std::string s) {
    for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_hdf5_path(const std::string& path) {
    const std::string ext = lower(fs::path(path).extension().string());
    return ext == ".h5" || ext == ".hdf5";
}

bool is_idx_path(const std::string& path) {
    const std::string p = lower(path);
    return p.find("-ubyte") != std::string::npos || ends_with(p, ".idx") || ends_with(p, ".idx.gz");
}

std::string detect_task(const InspectRequest& r) {
    if (r.task != "auto")
        return r.task;
    std::error_code ec;
    if (r.format == "image_folder" || r.format == "idx" || r.format == "hdf5" ||
        fs::is_directory(r.path, ec) || is_idx_path(r.path) || is_hdf5_path(r.path))
        return "image_classification";
    const std::string ext = lower(fs::path(r.path).extension().string());
    if (r.format == "conll" || r.format == "tagged" || ext == ".conll" || ext == ".conllu" ||
        ext == ".bio" || ext == ".iob" || ext == ".iobes")
        return "token_classification";
    if (!r.label_separator.empty() || !r.label_columns.empty())
        return "multi_label";
    // Tagged text (word/TAG lines, e.g. the Brown corpus) usually comes as .txt or without
    // extension: look at the content.
    if (r.format == "auto" && (ext.empty() || ext == ".txt") &&
        detect_token_format(read_text_file(r.path, 64 * 1024), r.path) == TokenFormat::Tagged)
        return "token_classification";
    return "text_classification";
}

Json split_json(const SplitIndices& s) {
    return {{"train", s.train.size()}, {"dev", s.dev.size()}, {"test", s.test.size()}};
}

// Token files are read a chunk of sentences at a time through a sentence index (see
// token_summary.h): the same counts and problems as read_token_file + build_token_dataset, in
// memory bounded by the sentence count, not the file size.
// UTF-16 token files (converted to UTF-8 in memory; the sentence index reads UTF-8 only): read
// whole, with the same JSON.
Json inspect_utf16_token(const InspectRequest& r, TokenFormat format) {
    ConllOptions conll;
    conll.token_column = r.token_column;
    conll.tag_column = r.tag_column;
    TokenDatasetOptions options;
    options.scheme = tag_scheme_from_name(r.tag_scheme);
    options.convert_to_bio = r.convert_to_bio;
    const TokenDataset d = build_token_dataset(read_token_file(r.path, format, conll), options);
    Json out{{"file", r.path},
             {"task", "token_classification"},
             {"format", token_format_name(d.format)},
             {"sentences", d.sentences.size()},
             {"tokens", d.token_count()},
             {"scheme", tag_scheme_name(d.scheme)},
             {"converted_to_bio", d.converted_to_bio},
             {"tags", named_counts_json(d.tags, d.tag_counts())},
             {"num_tags", d.tags.size()}};
    add_problems_json(out, d.problems, "problems");
    out["warnings"] = Json::array();
    out["ok"] = d.problems.empty();
    return out;
}

Json inspect_token(const InspectRequest& r) {
    const TokenFormat format =
        r.format == "auto" ? TokenFormat::Auto : token_format_from_name(r.format);
    if (is_utf16_file(r.path))
        return inspect_utf16_token(r, format);
    TokenSummaryOptions options;
    options.conll.token_column = r.token_column;
    options.conll.tag_column = r.tag_column;
    options.dataset.scheme = tag_scheme_from_name(r.tag_scheme);
    options.dataset.convert_to_bio = r.convert_to_bio;
    const SentenceIndex index = build_sentence_index(r.path, format);
    if (index.format == TokenFormat::Conll)
        parse_conll(std::string(), 0, options.conll, r.path);  // rejects bad column options
    const TokenSummary d = summarize_sentences(index, options);
    Json out{{"file", r.path},
             {"task", "token_classification"},
             {"format", token_format_name(d.format)},
             {"sentences", d.sentences},
             {"tokens", d.tokens},
             {"scheme", tag_scheme_name(d.scheme)},
             {"converted_to_bio", d.converted_to_bio},
             {"tags", named_counts_json(d.tags, d.tag_counts)},
             {"num_tags", d.tags.size()}};
    add_problems_json(out, d.problems, "problems");
    if (d.problem_count > d.problems.size())
        out["problems_total"] = d.problem_count;
    out["warnings"] = Json::array();
    out["ok"] = d.problem_count == 0;
    out["memory_bytes"] = token_memory_estimate(index, options.chunk_sentences);
    return out;
}

Json inspect_image(const InspectRequest& r) {
    std::error_code ec;
    if (r.format == "hdf5" || (r.format == "auto" && is_hdf5_path(r.path))) {
        // X's values are not needed for the counts: a multi-GB X stays on disk.
        const ArrayDataset d = read_hdf5_labels(r.path, r.x_dataset, r.y_dataset);
        std::vector<std::size_t> counts(static_cast<std::size_t>(d.classes.size()), 0);
        for (int l : d.labels)
            ++counts[static_cast<std::size_t>(l)];
        return Json{{"file", r.path},
                    {"task", "image_classification"},
                    {"format", "hdf5"},
                    {"x_dataset", d.x_name},
                    {"y_dataset", d.y_name},
                    {"examples", d.count},
                    {"feature_shape", d.feature_shape},
                    {"labels", named_counts_json(d.classes, counts)},
                    {"num_labels", d.classes.size()},
                    {"problems", Json::array()},
                    {"warnings", Json::array()},
                    {"ok", true}};
    }
    if (r.format == "idx" || (r.format == "auto" && is_idx_path(r.path))) {
        std::string labels = r.labels_path;
        if (labels.empty()) {
            labels = r.path;
            const std::size_t at = labels.find("images-idx3");
            if (at == std::string::npos) {
                throw Error(
                    "give the labels file (--labels / dataset.labels_path) for this IDX "
                    "images file",
                    SourceLocation{r.path, 0, 0, {}});
            }
            labels.replace(at, 11, "labels-idx1");
        }
        // Fashion-MNIST's files are named like MNIST's: recognise them by the folder name.
        const bool fashion = lower(r.path).find("fashion") != std::string::npos;
        const ImageArrayDataset d = read_idx_dataset(
            r.path, labels, fashion ? fashion_mnist_class_names() : std::vector<std::string>{});
        std::vector<std::size_t> counts(static_cast<std::size_t>(d.classes.size()), 0);
        for (int l : d.labels)
            ++counts[static_cast<std::size_t>(l)];
        return Json{{"file", r.path},
                    {"task", "image_classification"},
                    {"format", "idx"},
                    {"labels_file", labels},
                    {"examples", d.count},
                    {"height", d.height},
                    {"width", d.width},
                    {"channels", d.channels},
                    {"labels", named_counts_json(d.classes, counts)},
                    {"num_labels", d.classes.size()},
                    {"problems", Json::array()},
                    {"warnings", Json::array()},
                    {"ok", true}};
    }
    const bool folder = fs::is_directory(r.path, ec);
    const ImageDataset d =
        folder ? scan_image_folder(r.path)
               : read_image_table(r.path, r.image_column,
                                  r.label_column.empty() ? "label" : r.label_column);
    Json out{{"file", r.path},
             {"task", "image_classification"},
             {"format", folder ? "image_folder" : "table"},
             {"examples", d.examples.size()},
             {"labels", named_counts_json(d.labels, d.label_counts())},
             {"num_labels", d.labels.size()}};
    add_problems_json(out, d.problems, "problems");
    out["warnings"] = Json::array();
    out["ok"] = d.problems.empty();
    return out;
}

// Regression: the trainer's row rules, target statistics, duplicate (pair) texts as warnings.
Json inspect_regression(const InspectRequest& r, const Table& table) {
    const std::string text = r.text_column.empty() ? "text" : r.text_column;
    const std::string label = r.label_column.empty() ? "label" : r.label_column;
    const RegressionRows rows = read_regression_rows(table, text, r.text_pair_column, label);
    std::vector<double> values;
    for (const RegressionExample& e : rows.examples)
        values.push_back(e.value);
    const TargetStats stats = target_stats(values);
    Json out = summarize(table, nullptr);
    out["task"] = "regression";
    out["text_column"] = text;
    if (!r.text_pair_column.empty())
        out["text_pair_column"] = r.text_pair_column;
    out["label_column"] = label;
    out["examples"] = rows.examples.size();
    out["targets"] = {{"count", stats.count},
                      {"min", stats.min},
                      {"max", stats.max},
                      {"mean", stats.mean},
                      {"std", stats.std}};
    add_problems_json(out, rows.problems, "problems");
    out["warnings"] = Json::array();
    add_problems_json(out, find_duplicates(rows), "warnings");
    out["ok"] = rows.problems.empty();
    return out;
}

Json inspect_table(const InspectRequest& r, const std::string& task) {
    Table table = read_table(r.path, table_format_from_name(r.format));
    std::optional<DeidentifyCounts> deid;
    if (r.deidentify) {
        std::vector<std::size_t> columns;
        for (const std::string& c : {r.text_column, r.text_pair_column}) {
            if (!c.empty())
                columns.push_back(table.column_index(c));
        }
        deid = deidentify_rows(table.rows, columns);
    }
    Json out;
    if (task == "regression") {
        out = inspect_regression(r, table);
    } else if (task == "multi_label") {
        const std::string text = r.text_column.empty() ? "text" : r.text_column;
        const MultiLabelDataset d =
            r.label_columns.empty()
                ? build_multilabel_dataset(
                      table, text, r.label_column.empty() ? "label" : r.label_column,
                      r.label_separator.empty() ? "|" : r.label_separator, LabelOrder::FirstSeen)
                : build_multilabel_from_columns(table, text, r.label_columns);
        out = summarize(table, nullptr);
        out["task"] = "multi_label";
        out["text_column"] = text;
        out["label_columns"] = d.label_columns;
        out["label_separator"] = d.separator;
        out["examples"] = d.examples.size();
        out["labels"] = named_counts_json(d.labels, d.label_counts());
        out["num_labels"] = d.labels.size();
        add_problems_json(out, d.problems, "problems");
        std::vector<long> first(static_cast<std::size_t>(d.labels.size()), 0);
        for (const MultiLabelExample& e : d.examples) {
            for (int l : e.labels) {
                if (first[static_cast<std::size_t>(l)] == 0)
                    first[static_cast<std::size_t>(l)] = e.line;
            }
        }
        out["warnings"] = Json::array();
        if (r.min_examples_per_label > 0) {
            add_problems_json(
                out,
                find_rare_labels(d.labels, d.label_counts(), first,
                                 static_cast<std::size_t>(r.min_examples_per_label), d.source),
                "warnings");
        }
        out["ok"] = d.problems.empty();
    } else {
        const bool columns_given = !r.text_column.empty() || !r.label_column.empty();
        std::optional<TextDataset> d;
        if (columns_given) {
            d = build_text_dataset(
                table,
                TextColumns{r.text_column.empty() ? "text" : r.text_column, r.text_pair_column,
                            r.label_column.empty() ? "label" : r.label_column},
                LabelOrder::FirstSeen);
        }
        out = summarize(table, d ? &*d : nullptr);
        out["task"] = "text_classification";
        out["warnings"] = Json::array();
        if (d) {
            if (!r.text_pair_column.empty())
                out["text_pair_column"] = r.text_pair_column;
            // Duplicates and rare labels by line, duplicates first on the same line: the order
            // of the streaming pass.
            std::vector<DataProblem> warnings = find_duplicates(*d);
            if (r.min_examples_per_label > 0) {
                for (DataProblem& p :
                     find_rare_labels(*d, static_cast<std::size_t>(r.min_examples_per_label)))
                    warnings.push_back(std::move(p));
            }
            std::stable_sort(
                warnings.begin(), warnings.end(),
                [](const DataProblem& a, const DataProblem& b) { return a.line < b.line; });
            add_problems_json(out, warnings, "warnings");
            if (!r.split_column.empty()) {
                std::vector<DataProblem> problems;
                out["split"] = split_json(split_from_column(table, r.split_column, *d, &problems));
                add_problems_json(out, problems, "problems");
                if (!problems.empty())
                    out["ok"] = false;
            }
        }
    }
    if (table.rows.empty()) {
        // A header without rows parses, but there is nothing to train on: say so.
        out["problems"].push_back(problem_to_json(
            DataProblem{"no_rows", table.source, 1, 0, "the file has a header but no data rows"}));
        out["ok"] = false;
    }
    if (deid)
        out["deidentified"] = deidentify_counts_json(*deid);
    return out;
}

}  // namespace

Json inspect_dataset(const InspectRequest& request) {
    try {
        const std::string task = detect_task(request);
        if (task == "token_classification")
            return inspect_token(request);
        if (task == "image_classification")
            return inspect_image(request);
        if (inspect_streams(request, task))
            return inspect_table_streaming(request, task);
        if (task == "text_classification" || task == "multi_label" || task == "regression")
            return inspect_table(request, task);
        throw Error("unknown task '" + task +
                    "'; expected text_classification, multi_label, regression, "
                    "token_classification or image_classification");
    } catch (const Error& e) {
        return Json{{"file", request.path}, {"ok", false}, {"problems", {error_to_json(e)}}};
    }
}

}  // namespace tb::data
