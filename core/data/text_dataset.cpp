// Builds text-classification examples from a Table, reporting every row it cannot use.
#include "data/text_dataset.h"

#include <algorithm>

#include "common/error.h"
#include "data/text_encoding.h"

namespace tb::data {
namespace {

// Known labels listed in an "unknown_label" message before the list is cut short.
constexpr std::size_t kMaxListedLabels = 10;

std::string label_list(const LabelMap& labels) {
    std::string out;
    const std::size_t shown = std::min(labels.names().size(), kMaxListedLabels);
    for (std::size_t i = 0; i < shown; ++i) {
        if (i > 0)
            out += ", ";
        out += "'" + labels.names()[i] + "'";
    }
    if (labels.names().size() > shown) {
        out += ", ... (" + std::to_string(labels.names().size() - shown) + " more)";
    }
    return out;
}

}  // namespace

std::vector<int> TextDataset::label_ids() const {
    std::vector<int> ids;
    ids.reserve(examples.size());
    for (const TextExample& example : examples)
        ids.push_back(example.label);
    return ids;
}

TextDataset build_text_dataset(const Table& table, const std::string& text_column,
                               const std::string& label_column, LabelOrder order,
                               const LabelMap* labels) {
    return build_text_dataset(table, TextColumns{text_column, "", label_column}, order, labels);
}

TextDataset build_text_dataset(const Table& table, const TextColumns& columns, LabelOrder order,
                               const LabelMap* labels) {
    const std::string& text_column = columns.text;
    const std::string& label_column = columns.label;
    const std::size_t text_index = table.column_index(text_column);
    const std::size_t label_index = table.column_index(label_column);
    if (text_index == label_index) {
        throw Error("the text column and the label column are both '" + text_column +
                        "'; choose two different columns",
                    SourceLocation{table.source, 0, 0, {}});
    }
    const bool pair = !columns.text_pair.empty();
    const std::size_t pair_index = pair ? table.column_index(columns.text_pair) : 0;
    if (pair && (pair_index == text_index || pair_index == label_index)) {
        throw Error("the text pair column '" + columns.text_pair +
                        "' must differ from the text and the label column",
                    SourceLocation{table.source, 0, 0, {}});
    }

    TextDataset dataset;
    dataset.source = table.source;
    dataset.text_column = text_column;
    dataset.label_column = label_column;
    dataset.text_pair_column = columns.text_pair;

    // Labels are compared without surrounding whitespace: "pos" and "pos " (a stray space after
    // a separator) are the same class to every user.
    std::vector<std::string> row_labels(table.rows.size());
    std::vector<bool> usable(table.rows.size(), false);
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const std::vector<std::string>& row = table.rows[r];
        const long line = r < table.row_lines.size() ? table.row_lines[r] : 0;
        if (text_index >= row.size() || label_index >= row.size()) {
            throw Error("row has " + std::to_string(row.size()) + " fields but the table has " +
                            std::to_string(table.columns.size()) + " columns",
                        SourceLocation{table.source, line, 0, {}});
        }
        bool ok = true;
        if (is_blank(row[text_index])) {
            dataset.problems.push_back(DataProblem{
                "empty_text", table.source, line, static_cast<long>(text_index) + 1,
                "the text in column '" + text_column + "' is empty; the row is skipped"});
            ok = false;
        }
        if (pair && pair_index < row.size() && is_blank(row[pair_index])) {
            dataset.problems.push_back(DataProblem{
                "empty_text", table.source, line, static_cast<long>(pair_index) + 1,
                "the text in column '" + columns.text_pair + "' is empty; the row is skipped"});
            ok = false;
        }
        row_labels[r] = trim_blank(row[label_index]);
        if (row_labels[r].empty()) {
            dataset.problems.push_back(DataProblem{
                "missing_label", table.source, line, static_cast<long>(label_index) + 1,
                "the label in column '" + label_column + "' is empty; the row is skipped"});
            ok = false;
        }
        usable[r] = ok;
    }

    if (labels != nullptr && labels->size() > 0) {
        dataset.labels = *labels;
    } else {
        std::vector<std::string> values;
        for (std::size_t r = 0; r < table.rows.size(); ++r) {
            if (usable[r])
                values.push_back(row_labels[r]);
        }
        dataset.labels = LabelMap::from_values(values, order);
    }

    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        if (!usable[r])
            continue;
        const long line = r < table.row_lines.size() ? table.row_lines[r] : 0;
        const int label = dataset.labels.index_of(row_labels[r]);
        if (label < 0) {
            dataset.problems.push_back(
                DataProblem{"unknown_label", table.source, line, static_cast<long>(label_index) + 1,
                            "the label '" + row_labels[r] + "' is not one of the " +
                                std::to_string(dataset.labels.size()) + " known labels (" +
                                label_list(dataset.labels) + "); the row is skipped"});
            continue;
        }
        dataset.examples.push_back(TextExample{table.rows[r][text_index], label, line,
                                               pair ? table.rows[r][pair_index] : std::string(),
                                               r});
    }
    // Problems were found in two passes; report them in file order.
    std::stable_sort(dataset.problems.begin(), dataset.problems.end(),
                     [](const DataProblem& a, const DataProblem& b) {
                         return a.line != b.line ? a.line < b.line : a.column < b.column;
                     });
    return dataset;
}

}  // namespace tb::data
