// Turns the experiment's data section into tokenized train/dev/test splits, reporting every
// skipped row. Torch-free: token ids stay plain vectors until a batch is collated.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "data/split.h"
#include "data/text_dataset.h"
#include "io/experiment_config.h"
#include "text/tokenizer.h"

namespace tb::train {

struct ImageSource;
struct TextRowSource;

struct EncodedSplit {
    std::vector<std::vector<std::int64_t>> input_ids;  // [CLS] ... [SEP], unpadded
    // Per example, parallel to input_ids; only for sentence pairs (empty otherwise: all 0).
    std::vector<std::vector<std::int64_t>> token_type_ids;
    std::vector<int> labels;  // class per example (single-label tasks; 0 for the others)
    std::vector<long> lines;  // source line per example
    // multi_label: a 0/1 row per example, one entry per label.
    std::vector<std::vector<float>> targets;
    // regression: the numeric label per example (not normalised).
    std::vector<double> values;
    // token_classification, parallel to input_ids: the label of each token (-100 = ignored:
    // specials and non-first sub-tokens), the word each token came from (-1 for specials), and
    // the gold tag of every word (words cut off by max_length included).
    std::vector<std::vector<std::int64_t>> token_labels;
    std::vector<std::vector<int>> word_ids;
    std::vector<std::vector<int>> word_tags;
    // image_classification (input_ids stay empty): the pixels' source, shared by the splits,
    // and each example's id in it; collate decodes, resizes and normalises them per batch.
    // `augment`: this is the training split (augmented when collated with an epoch).
    std::shared_ptr<const ImageSource> images;
    std::vector<std::size_t> image_ids;
    bool augment = false;
    // Streamed text classification (input_ids, token_type_ids and lines stay empty): the file's
    // row index and tokenizer, shared by the splits, and per example its data row in it and its
    // token count (after truncation to max_length); collate reads the batch's rows by offset and
    // tokenizes them (see text_row_source.h for the memory bound).
    std::shared_ptr<const TextRowSource> text_rows;
    std::vector<std::uint32_t> row_ids;
    std::vector<std::uint16_t> lengths;
    std::size_t size() const { return labels.size(); }
    // Tokens of example i, [CLS] and [SEP] included: input_ids[i].size() or lengths[i]; 0 for
    // images.
    std::size_t token_count(std::size_t i) const {
        return text_rows ? lengths[i] : (i < input_ids.size() ? input_ids[i].size() : 0);
    }
};

struct PreparedData {
    data::LabelMap labels;
    EncodedSplit train, dev, test;
    std::vector<data::DataProblem> problems;  // skipped rows across all files
    data::SplitIndices split;                 // indices into the main file's valid examples
    std::string data_hash;                    // FNV-1a of texts + labels, hex; identifies the data
    std::int64_t truncated = 0;               // examples longer than max_length
};

using LogFn = std::function<void(const std::string&)>;

// Skipped rows: with `skip` logs them and appends them to `all`, else throws tb::Error for the
// first (with its file, line and column).
void check_problems(const std::vector<data::DataProblem>& problems, const std::string& source,
                    bool skip, const LogFn& log, std::vector<data::DataProblem>& all);

// dataset.deidentify applied to the text (and text pair) column of a table read for training,
// as the Data page shows it; the counts are logged. Nothing happens when the key is off.
void deidentify_training_table(const io::ExperimentConfig& config, data::Table& table,
                               const std::string& path, const LogFn& log);

// The split of dataset.split_column for examples given by their file lines (logged), its
// unknown values appended to `unknown` for the caller's check_problems, after the file's own.
data::SplitIndices training_split_from_column(const io::ExperimentConfig& config,
                                              const data::Table& table,
                                              const std::vector<long>& example_lines,
                                              const std::string& path, const LogFn& log,
                                              std::vector<data::DataProblem>& unknown);

// 64-bit FNV-1a over bytes, the data hash's building block (also for the task-specific data).
void fnv1a(std::uint64_t& hash, const void* bytes, std::size_t n);
std::string hash_hex(std::uint64_t hash);

// Throws tb::Error for unreadable data, unknown columns, problems when skipping is off, or a
// split that leaves the training set empty. With dataset.text_pair_column, each example is the
// pair (text, text pair) encoded as the tokenizer's pair template (BERT: [CLS] a [SEP] b [SEP]
// with token types 0/1), truncated longest-first.
//
// Text classification with a training file larger than dataset.stream_threshold_mb (0: always)
// is streamed (see streamed_text_data.h): same labels, split, problems, data hash and batches,
// but the splits hold row numbers instead of token ids, and `tokenizer` must outlive the result
// (collate tokenizes with it). `allow_streaming` false (a tokenizer that is not thread-safe, or
// a caller that needs every token id up front) always reads the files into memory.
PreparedData prepare_data(const io::ExperimentConfig& config, const text::Tokenizer& tokenizer,
                          const LogFn& log, bool allow_streaming = true);

// Encodes texts (pairs when `pairs` is not empty: pairs[i] is the second text of texts[i]) as
// prepare_data does, appending to out.input_ids (and out.token_type_ids for pairs); returns
// how many encodings reach max_length.
std::int64_t encode_texts(EncodedSplit& out, const std::vector<std::string>& texts,
                          const std::vector<std::string>& pairs, const text::Tokenizer& tokenizer,
                          std::size_t max_length);

}  // namespace tb::train
