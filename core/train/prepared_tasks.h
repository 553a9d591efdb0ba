// Data preparation for the tasks beyond single-label text classification: multi-label texts and
// token classification (NER, POS). prepare_data() dispatches here on dataset.task. Torch-free.
#pragma once

#include "train/prepared_data.h"

namespace tb::train {

// dataset.task multi_label: labels from dataset.label_separator (one column) or
// dataset.label_columns (one 0/1 column per label); EncodedSplit::targets holds the 0/1 rows.
// Without split files the split is iterative stratification (Sechidis et al.), seeded.
PreparedData prepare_multilabel_data(const io::ExperimentConfig& config,
                                     const text::Tokenizer& tokenizer, const LogFn& log);

// dataset.task token_classification: CoNLL / JSONL / word/TAG files, tags converted to BIO
// (dataset.convert_to_bio); each sentence's words are encoded with encode_words and labelled
// on their first sub-token (-100 elsewhere). EncodedSplit::token_labels, word_ids and
// word_tags are filled; `labels` of PreparedData are the tags ("O" first).
PreparedData prepare_token_data(const io::ExperimentConfig& config,
                                const text::Tokenizer& tokenizer, const LogFn& log);

// dataset.task regression: text (and text_pair_column) plus a numeric label_column per row;
// EncodedSplit::values holds the numbers. A value that is not a finite decimal number is an
// "invalid_number" problem with the file, line and column of the cell (skipped and reported
// with dataset.skip_invalid_rows, else the error). `labels` of PreparedData is the one output,
// named after label_column. Without split files the split is seeded and random.
PreparedData prepare_regression_data(const io::ExperimentConfig& config,
                                     const text::Tokenizer& tokenizer, const LogFn& log);
// A regression file read and encoded as in training (InferenceSession::evaluate_file).
EncodedSplit encode_regression_file(const io::ExperimentConfig& config, const std::string& path,
                                    const text::Tokenizer& tokenizer,
                                    std::vector<data::DataProblem>& problems);

// A labelled file scored against a trained run (InferenceSession::evaluate_file) for the
// multi_label, token_classification and regression tasks: read with the experiment's dataset
// settings (the given columns override text_column / label_column when not empty), labels or tags
// mapped through `labels` (unknown ones are problems), encoded as in training. Problems (skipped
// rows or sentences) are appended to `problems`.
EncodedSplit encode_labelled_file(const io::ExperimentConfig& config, const std::string& path,
                                  const data::LabelMap& labels, const text::Tokenizer& tokenizer,
                                  std::vector<data::DataProblem>& problems);

}  // namespace tb::train
