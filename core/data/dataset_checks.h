// Dataset-level checks that are not about one row: rare labels, duplicate examples, and the
// train/dev/test assignment read from a split column.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "data/regression_rows.h"
#include "data/split.h"
#include "data/text_dataset.h"

namespace tb::data {

// One "rare_label" problem per label with fewer than `min_count` examples (and at least one),
// located at the first example of that label; such labels cannot be stratified into every split
// and are hard to learn. `counts[i]` is the number of examples of label i.
std::vector<DataProblem> find_rare_labels(const LabelMap& labels,
                                          const std::vector<std::size_t>& counts,
                                          const std::vector<long>& first_lines,
                                          std::size_t min_count, const std::string& source);
// Convenience for text datasets.
std::vector<DataProblem> find_rare_labels(const TextDataset& dataset, std::size_t min_count);

// Examples whose text (and pair text) repeat an earlier one, compared after trimming: kind
// "duplicate" (same label) or "conflicting_duplicate" (different label), at the later line, the
// message naming the first line. Reported, not removed: the user decides.
std::vector<DataProblem> find_duplicates(const TextDataset& dataset);
// The same for regression rows: "duplicate" when the numeric targets are equal,
// "conflicting_duplicate" when they differ (the message gives both values).
std::vector<DataProblem> find_duplicates(const RegressionRows& rows);

// What duplicates are compared by: the trimmed text, and with a pair column (`paired`) the
// trimmed pair text after a separator. Shared by the in-memory and the streaming checks.
std::string duplicate_key(const std::string& text, const std::string& pair, bool paired);

// What a duplicate repeats besides its text: a class label or a numeric target.
enum class DuplicateTarget { Label, Number };
// The warning for the example at `line` whose duplicate_key equals the one at `first_line`:
// "duplicate" when `value == first_value`, else "conflicting_duplicate". Values are as shown to
// users: a label's name, or a number as format_target_value writes it.
DataProblem duplicate_problem(const std::string& source, long line, long first_line, bool paired,
                              DuplicateTarget target, const std::string& value,
                              const std::string& first_value);
// The shortest text that reads back as `value` ("2.5", "3", "1e-07"); equal numbers give equal
// text, so two targets are compared by it.
std::string format_target_value(double value);

// Train/dev/test from a column of `table`: values train; dev, validation, valid, val; test
// (trimmed, case-insensitive) — for each example of `dataset` (built from `table`). Any other
// value is an "unknown_split" problem (the example is in no split). Throws tb::Error for an
// unknown column.
SplitIndices split_from_column(const Table& table, const std::string& column,
                               const TextDataset& dataset, std::vector<DataProblem>* problems);
// The same for examples of any task given by their file lines (each the line of one row of
// `table`, e.g. multi-label or regression examples); `source` names the file in problems.
SplitIndices split_from_column(const Table& table, const std::string& column,
                               const std::vector<long>& example_lines, const std::string& source,
                               std::vector<DataProblem>* problems);

}  // namespace tb::data
