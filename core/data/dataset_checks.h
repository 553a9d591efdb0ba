// Dataset-level checks that are not about one row: rare labels, duplicate examples, and the
// train/dev/test assignment read from a split column.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

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

// Train/dev/test from a column of `table`: values train; dev, validation, valid, val; test
// (trimmed, case-insensitive) — for each example of `dataset` (built from `table`). Any other
// value is an "unknown_split" problem (the example is in no split). Throws tb::Error for an
// unknown column.
SplitIndices split_from_column(const Table& table, const std::string& column,
                               const TextDataset& dataset, std::vector<DataProblem>* problems);

}  // namespace tb::data
