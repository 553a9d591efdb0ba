// Text-classification examples built from a Table: chosen text and label columns, a label map,
// and every problem found (empty text, missing label) reported with its line, never dropped
// silently.
#pragma once

#include <string>
#include <vector>

#include "data/label_map.h"
#include "data/table.h"

namespace tb::data {

struct DataProblem {
    std::string kind;  // "empty_text" | "missing_label" | "unknown_label" | ...
    std::string file;
    long line = 0;
    long column = 0;  // 1-based column (field index) of the offending cell
    std::string message;
};

struct TextExample {
    std::string text;
    int label = -1;
    long line = 0;          // source line, for messages and jumping to the row
    std::string text_pair;  // second text of a sentence-pair task; empty otherwise
    std::size_t row = 0;    // index into Table::rows (split column, duplicates)
};

// Which columns a text-classification dataset is built from.
struct TextColumns {
    std::string text = "text";
    std::string text_pair;  // second text column (sentence-pair tasks: NLI, paraphrase); "" = none
    std::string label = "label";
};

struct TextDataset {
    std::string source;
    std::string text_column;  // the columns the examples were built from
    std::string label_column;
    std::string text_pair_column;       // "" unless a sentence-pair dataset
    std::vector<TextExample> examples;  // valid rows only
    LabelMap labels;
    std::vector<DataProblem> problems;  // rows not in `examples`, and why
    std::vector<int> label_ids() const;
};

// With `labels` empty a map is built from the data in `order`; with a given map (dev/test files),
// labels not in it are reported as "unknown_label" problems. Throws tb::Error for unknown columns.
TextDataset build_text_dataset(const Table& table, const std::string& text_column,
                               const std::string& label_column, LabelOrder order,
                               const LabelMap* labels = nullptr);
// Same with a second text column: an empty pair text is an "empty_text" problem too.
TextDataset build_text_dataset(const Table& table, const TextColumns& columns, LabelOrder order,
                               const LabelMap* labels = nullptr);

}  // namespace tb::data
