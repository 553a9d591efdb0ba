// Multi-label text datasets: each example has a set of labels, read either from one column
// with a separator ("sports|politics") or from one 0/1 column per label.
#pragma once

#include <string>
#include <vector>

#include "data/label_map.h"
#include "data/table.h"
#include "data/text_dataset.h"

namespace tb::data {

struct MultiLabelExample {
    std::string text;
    std::vector<int> labels;  // sorted label ids, no repeats; may be empty (no label applies)
    long line = 0;
    std::size_t row = 0;  // index into Table::rows
};

struct MultiLabelDataset {
    std::string source;
    std::string text_column;
    std::vector<std::string> label_columns;  // one separator column, or the 0/1 columns
    std::string separator;                   // "" for 0/1 columns
    std::vector<MultiLabelExample> examples;
    LabelMap labels;
    std::vector<DataProblem> problems;

    // 0/1 vector of length labels.size() for example i (what a sigmoid/BCE head trains on).
    std::vector<float> multi_hot(std::size_t i) const;
    std::vector<std::size_t> label_counts() const;  // examples per label
    std::vector<std::vector<int>> label_sets() const;
};

// Labels from one column split at `separator` (e.g. "|" or ";"); parts are trimmed and empty
// parts ignored, so "a| b|" is {a, b}. An empty cell means "no label" and is kept (a valid
// multi-label example); set `empty_is_problem` to report it as "missing_label" instead. With
// `labels` given, an unknown label is an "unknown_label" problem and the row is skipped.
MultiLabelDataset build_multilabel_dataset(const Table& table, const std::string& text_column,
                                           const std::string& label_column,
                                           const std::string& separator, LabelOrder order,
                                           const LabelMap* labels = nullptr,
                                           bool empty_is_problem = false);

// Labels from 0/1 columns, one per label, named by `label_columns` (label names = column names,
// in that order). Cells must be 0 or 1 (also "true"/"false", "yes"/"no", "0.0"/"1.0"); anything
// else is a "bad_value" problem at that cell and the row is skipped.
MultiLabelDataset build_multilabel_from_columns(const Table& table, const std::string& text_column,
                                                const std::vector<std::string>& label_columns);

}  // namespace tb::data
