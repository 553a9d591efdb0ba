// Multi-label examples from a separator column or from 0/1 columns; every unusable row reported.
#include "data/multilabel_dataset.h"

#include <algorithm>
#include <cctype>

#include "common/error.h"
#include "data/text_encoding.h"

namespace tb::data {
namespace {

std::vector<std::string> split_labels(const std::string& cell, const std::string& separator) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos <= cell.size()) {
        std::size_t next = separator.empty() ? std::string::npos : cell.find(separator, pos);
        if (next == std::string::npos)
            next = cell.size();
        const std::string part = trim_blank(cell.substr(pos, next - pos));
        if (!part.empty() && std::find(out.begin(), out.end(), part) == out.end())
            out.push_back(part);
        pos = next + separator.size();
        if (separator.empty())
            break;
    }
    return out;
}

// 1 / 0 for the usual spellings of a boolean cell, -1 otherwise.
int parse_flag(const std::string& cell) {
    std::string v = trim_blank(cell);
    for (char& c : v)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (v == "1" || v == "1.0" || v == "true" || v == "yes")
        return 1;
    if (v == "0" || v == "0.0" || v == "false" || v == "no")
        return 0;
    return -1;
}

}  // namespace

std::vector<float> MultiLabelDataset::multi_hot(std::size_t i) const {
    std::vector<float> out(static_cast<std::size_t>(labels.size()), 0.0f);
    for (int l : examples[i].labels)
        out[static_cast<std::size_t>(l)] = 1.0f;
    return out;
}

std::vector<std::size_t> MultiLabelDataset::label_counts() const {
    std::vector<std::size_t> counts(static_cast<std::size_t>(labels.size()), 0);
    for (const MultiLabelExample& e : examples) {
        for (int l : e.labels)
            ++counts[static_cast<std::size_t>(l)];
    }
    return counts;
}

std::vector<std::vector<int>> MultiLabelDataset::label_sets() const {
    std::vector<std::vector<int>> out;
    out.reserve(examples.size());
    for (const MultiLabelExample& e : examples)
        out.push_back(e.labels);
    return out;
}

MultiLabelDataset build_multilabel_dataset(const Table& table, const std::string& text_column,
                                           const std::string& label_column,
                                           const std::string& separator, LabelOrder order,
                                           const LabelMap* labels, bool empty_is_problem) {
    if (separator.empty()) {
        throw Error("the label separator is empty; use e.g. '|' or ';'",
                    SourceLocation{table.source, 0, 0, "label_separator"});
    }
    const std::size_t text_index = table.column_index(text_column);
    const std::size_t label_index = table.column_index(label_column);
    MultiLabelDataset dataset;
    dataset.source = table.source;
    dataset.text_column = text_column;
    dataset.label_columns = {label_column};
    dataset.separator = separator;

    std::vector<std::vector<std::string>> parts(table.rows.size());
    std::vector<bool> usable(table.rows.size(), true);
    std::vector<std::string> all;
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const long line = table.row_lines[r];
        if (is_blank(table.rows[r][text_index])) {
            dataset.problems.push_back(DataProblem{
                "empty_text", table.source, line, static_cast<long>(text_index) + 1,
                "the text in column '" + text_column + "' is empty; the row is skipped"});
            usable[r] = false;
        }
        parts[r] = split_labels(table.rows[r][label_index], separator);
        if (parts[r].empty() && empty_is_problem) {
            dataset.problems.push_back(DataProblem{
                "missing_label", table.source, line, static_cast<long>(label_index) + 1,
                "the label in column '" + label_column + "' is empty; the row is skipped"});
            usable[r] = false;
        }
        if (usable[r])
            all.insert(all.end(), parts[r].begin(), parts[r].end());
    }
    dataset.labels =
        labels != nullptr && labels->size() > 0 ? *labels : LabelMap::from_values(all, order);
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        if (!usable[r])
            continue;
        MultiLabelExample e{table.rows[r][text_index], {}, table.row_lines[r], r};
        bool ok = true;
        for (const std::string& name : parts[r]) {
            const int id = dataset.labels.index_of(name);
            if (id < 0) {
                dataset.problems.push_back(DataProblem{
                    "unknown_label", table.source, e.line, static_cast<long>(label_index) + 1,
                    "the label '" + name + "' is not one of the " +
                        std::to_string(dataset.labels.size()) +
                        " labels of the training data; the row is skipped"});
                ok = false;
                break;
            }
            e.labels.push_back(id);
        }
        if (!ok)
            continue;
        std::sort(e.labels.begin(), e.labels.end());
        dataset.examples.push_back(std::move(e));
    }
    std::stable_sort(dataset.problems.begin(), dataset.problems.end(),
                     [](const DataProblem& a, const DataProblem& b) {
                         return a.line != b.line ? a.line < b.line : a.column < b.column;
                     });
    return dataset;
}

MultiLabelDataset build_multilabel_from_columns(const Table& table, const std::string& text_column,
                                                const std::vector<std::string>& label_columns) {
    if (label_columns.empty()) {
        throw Error("no label columns given; list the 0/1 columns, one per label",
                    SourceLocation{table.source, 0, 0, "label_columns"});
    }
    const std::size_t text_index = table.column_index(text_column);
    std::vector<std::size_t> indices;
    for (const std::string& name : label_columns) {
        indices.push_back(table.column_index(name));
        if (indices.back() == text_index) {
            throw Error("the text column '" + text_column + "' is also listed as a label column",
                        SourceLocation{table.source, 0, 0, "label_columns"});
        }
    }
    MultiLabelDataset dataset;
    dataset.source = table.source;
    dataset.text_column = text_column;
    dataset.label_columns = label_columns;
    dataset.labels = LabelMap(label_columns);  // duplicates throw
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const long line = table.row_lines[r];
        const auto& row = table.rows[r];
        if (is_blank(row[text_index])) {
            dataset.problems.push_back(DataProblem{
                "empty_text", table.source, line, static_cast<long>(text_index) + 1,
                "the text in column '" + text_column + "' is empty; the row is skipped"});
            continue;
        }
        MultiLabelExample e{row[text_index], {}, line, r};
        bool ok = true;
        for (std::size_t k = 0; k < indices.size(); ++k) {
            const int flag = parse_flag(row[indices[k]]);
            if (flag < 0) {
                dataset.problems.push_back(
                    DataProblem{"bad_value", table.source, line, static_cast<long>(indices[k]) + 1,
                                "the label column '" + label_columns[k] + "' holds '" +
                                    row[indices[k]] + "'; expected 0 or 1; the row is skipped"});
                ok = false;
                break;
            }
            if (flag == 1)
                e.labels.push_back(static_cast<int>(k));
        }
        if (ok)
            dataset.examples.push_back(std::move(e));
    }
    return dataset;
}

}  // namespace tb::data
