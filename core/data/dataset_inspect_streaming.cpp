// Streaming `inspect` for text and multi-label tables: build_row_index, then summarize_rows,
// turned into the JSON of the whole-file path (dataset_inspect.cpp).
#include "data/dataset_inspect_streaming.h"

#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "data/data_summary.h"
#include "data/file_bytes.h"
#include "data/row_index.h"
#include "data/streaming_summary.h"

namespace tb::data {

using Json = nlohmann::json;

bool inspect_streams(const InspectRequest& request, const std::string& task) {
    if (task != "text_classification" && task != "multi_label")
        return false;
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(request.path, ec);
    // UTF-16 is converted to UTF-8 in memory: the row index reads UTF-8 only.
    return !ec && size > request.stream_above_bytes && !is_utf16_file(request.path);
}

Json inspect_table_streaming(const InspectRequest& r, const std::string& task,
                             std::size_t max_listed) {
    const RowIndex index = build_row_index(r.path, table_format_from_name(r.format));
    Json out;
    out["file"] = r.path;
    out["format"] = table_format_name(index.format);
    out["rows"] = index.rows();
    // JSONL has no header: its columns are the keys of the first rows (a whole-file read lists
    // the keys of every row).
    out["columns"] =
        index.format == TableFormat::Jsonl ? read_rows(index, 0, 4096).columns : index.columns;
    out["problems"] = Json::array();
    out["ok"] = true;

    const bool multi = task == "multi_label";
    const bool columns_given = multi || !r.text_column.empty() || !r.label_column.empty();
    StreamingSummary s;
    if (columns_given) {
        StreamingSummaryOptions options;
        options.columns.text = r.text_column.empty() ? "text" : r.text_column;
        options.columns.label = r.label_column.empty() ? "label" : r.label_column;
        options.columns.text_pair = multi ? std::string() : r.text_pair_column;
        options.multi_label = multi;
        options.separator = r.label_separator.empty() ? "|" : r.label_separator;
        options.label_columns = r.label_columns;
        options.split_column = multi ? std::string() : r.split_column;
        options.deidentify = r.deidentify;
        options.find_duplicates = !multi;
        options.rare_min = static_cast<std::size_t>(std::max(0, r.min_examples_per_label));
        options.max_listed_problems = max_listed;
        s = summarize_rows(index, options);
        out["task"] = task;
        out["text_column"] = options.columns.text;
        if (multi) {
            out["label_columns"] = r.label_columns.empty()
                                       ? std::vector<std::string>{options.columns.label}
                                       : r.label_columns;
            out["label_separator"] = r.label_columns.empty() ? options.separator : std::string();
        } else {
            out["label_column"] = options.columns.label;
            if (!r.text_pair_column.empty())
                out["text_pair_column"] = r.text_pair_column;
        }
        out["labels"] = named_counts_json(s.labels, s.class_counts);
        out["num_labels"] = s.labels.size();
        out["examples"] = s.examples;
        // The split column's unknown values are listed last, as the whole-file path lists them.
        add_problems_json(out, s.problems, "problems");
        out["warnings"] = Json::array();
        add_problems_json(out, s.warnings, "warnings");
        out["ok"] = s.problem_count == 0;
        if (!r.split_column.empty() && !multi) {
            std::size_t counts[3] = {0, 0, 0};
            for (std::uint8_t code : s.example_split)
                if (code < 3)
                    ++counts[code];
            out["split"] = {{"train", counts[0]}, {"dev", counts[1]}, {"test", counts[2]}};
        }
    } else {
        out["task"] = task;
        out["warnings"] = Json::array();
    }
    if (index.rows() == 0) {
        out["problems"].push_back(problem_to_json(
            DataProblem{"no_rows", r.path, 1, 0, "the file has a header but no data rows"}));
        out["ok"] = false;
    }
    if (r.deidentify)
        out["deidentified"] = deidentify_counts_json(s.masked);
    // As for token files: the bound this pass held, and the count of all problems when not all
    // of them are listed.
    const std::size_t index_bytes = (index.offsets.capacity() + index.lines.capacity()) * 8;
    out["memory_bytes"] = index_bytes + s.memory_bytes();
    if (s.problem_count > s.problems.size())
        out["problems_total"] = s.problem_count;
    return out;
}

}  // namespace tb::data
