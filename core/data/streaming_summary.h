// Validation summary of a large text-classification file in one streaming pass over a RowIndex:
// what the import wizard's report needs, without holding the rows.
//
// Memory bound (stated contract), for R data rows and E valid examples (E <= R):
//   the RowIndex itself                     16 B/row  (see row_index.h; its vectors grow by
//                                                      doubling, so up to 32 B/row as allocated)
//   example_rows (file row of each example)  4 B/row
//   example labels (single-label)            4 B/row  (multi-label: 4 B/row offsets
//                                                          + 4 B per label of each example)
//   lengths (characters, or tokens)          4 B/row
//   text hashes for duplicates (single-label) 12 B/row (hash and example number), sorted in
//                                            place after the pass, then freed
//   split column (when set)                  1 B/row
//   1 + read_ahead chunks of `chunk_rows` rows as parsed cells (4096 rows: a few MB for
//   typical rows)
//   listed problems, capped at `max_listed_problems` (the totals count all of them)
// i.e. about 16 + 24 = 40 B/row at the peak (the summary's arrays are reserved for every row up
// front, so they never double), independent of how long the rows are. Use
// streaming_memory_estimate() for the figure the UI shows.
//
// The results equal the in-memory path (read_table + build_text_dataset / build_multilabel_*,
// find_duplicates, find_rare_labels): same counts, same problems at the same file lines, in the
// same order. Two differences, both stated: duplicates are found by a 64-bit hash of the trimmed
// text (and pair text), so two different texts are reported as duplicates only if their hashes
// collide (probability about R^2 / 2^65: ~3e-6 for 10 million rows); and for JSON Lines the
// chosen columns must appear among the keys of the first chunk's rows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "data/deidentify.h"
#include "data/label_map.h"
#include "data/row_index.h"
#include "data/text_dataset.h"

namespace tb::data {

struct StreamingSummaryOptions {
    TextColumns columns;  // text, optional pair text, and the label column (single-label)
    bool multi_label = false;
    std::string separator = "|";             // multi-label labels in `columns.label`
    std::vector<std::string> label_columns;  // multi-label 0/1 columns (used when not empty)
    LabelOrder order = LabelOrder::FirstSeen;
    // Given (dev/test files): labels not in it are "unknown_label" problems, as in
    // build_text_dataset. Single-label only.
    const LabelMap* known_labels = nullptr;
    std::string split_column;     // "" = none; else train/dev/test per example (see example_split)
    bool deidentify = false;      // mask e-mails, phones, ... in the text columns before checking
    bool find_duplicates = true;  // single-label only (the in-memory multi-label path has none)
    std::size_t rare_min = 5;     // labels with fewer examples are listed as "rare_label"
    std::size_t chunk_rows = 4096;
    // Chunks read and parsed ahead on worker threads while the current one is checked; each
    // holds one more chunk of parsed rows. 0 (all on the calling thread) until measured faster
    // on an idle machine: `bench_import --summary-only --file F --read-ahead N` compares.
    std::size_t read_ahead = 0;
    std::size_t max_listed_problems = 10000;  // per list (problems, warnings)
    // Token counts of a batch of texts (e.g. a tokenizer's encode_batch; the pair text is
    // appended as " [SEP] pair"). Empty: `lengths` are lengths in characters.
    std::function<std::vector<int>(const std::vector<std::string>&)> count_tokens;
};

// Called after every chunk with the rows done and the rows in the index; return false to
// cancel (the summary is then partial and `cancelled` is set). Runs on the summarising thread.
using SummaryProgress = std::function<bool(std::size_t rows_done, std::size_t rows_total)>;

struct StreamingSummary {
    std::string source;
    std::size_t rows = 0;                   // data rows read
    std::size_t examples = 0;               // valid examples
    LabelMap labels;                        // in the requested order (or known_labels)
    std::vector<std::size_t> class_counts;  // valid examples per label
    std::vector<long> first_lines;          // first line of each label
    // Rows not usable (empty text, missing label, unknown label, bad 0/1 value, unknown split),
    // in file order (unknown_split last, like the in-memory path); at most max_listed_problems
    // of each are listed, problem_count counts all (empty_text + missing_label + other_invalid
    // + unknown_split).
    std::vector<DataProblem> problems;
    std::size_t problem_count = 0;
    std::size_t empty_text = 0, missing_label = 0, other_invalid = 0;
    // Duplicates and rare labels (kept, but listed), by line; capped like `problems`.
    std::vector<DataProblem> warnings;
    std::size_t duplicates = 0;  // "duplicate" + "conflicting_duplicate"
    std::vector<std::string> rare_labels;
    // Per valid example, in file order.
    std::vector<std::uint32_t> example_rows;   // data row (index into RowIndex) of the example
    std::vector<int> example_labels;           // single-label: class id
    std::vector<std::uint32_t> label_offsets;  // multi-label: labels of example i are
    std::vector<int> label_ids;                //   label_ids[label_offsets[i] .. [i + 1])
    std::vector<std::uint8_t> example_split;   // split column: 0 train, 1 dev, 2 test, 3 none
    std::vector<int> lengths;                  // tokens (count_tokens given) or characters
    bool lengths_in_tokens = false;
    std::size_t min_chars = 0, max_chars = 0;
    double mean_chars = 0.0;
    DeidentifyCounts masked;
    bool cancelled = false;

    // The label ids of example i (one for single-label).
    std::vector<int> labels_of(std::size_t i) const;
    // Bytes held by the per-example arrays now (the figure the contract above bounds).
    std::size_t memory_bytes() const;
};

// One pass over every row of `index`, read `chunk_rows` at a time with read_rows() (ahead, on
// worker threads; options.count_tokens and `progress` run on the calling thread). Throws
// tb::Error for unknown columns (before reading past the first chunk) and for rows that cannot
// be parsed (with their file line), like the in-memory readers.
StreamingSummary summarize_rows(const RowIndex& index, const StreamingSummaryOptions& options,
                                const SummaryProgress& progress = {});

// Upper estimate of the memory the index plus a streaming summary of it hold: the index's
// vectors as allocated (16 B/row, more while they hold spare capacity), 24 B per row for the
// summary, plus 1 + read_ahead chunks (the average row size x chunk_rows x 3 for parsed cells).
std::uint64_t streaming_memory_estimate(const RowIndex& index, std::size_t chunk_rows = 4096,
                                        std::size_t read_ahead = 0);

}  // namespace tb::data
