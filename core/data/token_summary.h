// Validation summary of a large token-classification file, read a chunk of sentences at a time
// through a SentenceIndex: what `inspect` and the import wizard report, without holding the
// sentences.
//
// Memory bound (stated contract), for S indexed sentences and V valid ones (V <= S):
//   the SentenceIndex itself                 16 B/sentence (see sentence_index.h; up to 32 B as
//                                            allocated while its vectors hold spare capacity)
//   sentence_rows (index entry of each valid) 4 B/sentence
//   lengths (tokens per valid sentence)       4 B/sentence
//   split groups (stratum of each valid)      4 B/sentence
//   counted_lengths (only with count_tokens)  4 B/sentence
//   one chunk of `chunk_sentences` sentences: its bytes, and its tokens parsed and checked by
//   the in-memory code (build_token_dataset), about 40x the chunk's bytes (a few MB for 4096
//   sentences of typical length)
//   listed problems, capped at `max_listed_problems` (problem_count counts all of them), and
//   one entry per distinct tag and split group
// i.e. about 16 + 12 = 28 B per sentence at the peak (the summary's arrays are reserved for
// every indexed sentence up front, so they never double), independent of sentence length. Use
// token_memory_estimate() for the figure the UI shows.
//
// The results equal the in-memory path (read_token_file + build_token_dataset, split_sentences):
// each chunk is parsed and checked by that same code, so the counts, tags, scheme and problems
// (same kind, file, line, column and message, in the same order) are the same. With tag_scheme
// auto, the scheme is detected over all sentences as detect_tag_scheme does; while reading,
// transitions are checked against the scheme the sentences so far imply, and when a later
// sentence changes it (e.g. the first E-/S- tag deep in the file) the pass starts again with the
// new scheme (`passes` says how many; at most a few, as the evidence only grows).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "data/sentence_index.h"
#include "data/token_dataset.h"

namespace tb::data {

struct TokenSummaryOptions {
    ConllOptions conll;
    TokenDatasetOptions dataset;           // scheme (Auto: detected) and convert_to_bio
    const LabelMap* known_tags = nullptr;  // dev/test files: tags outside it are "unknown_tag"
    std::size_t chunk_sentences = 4096;
    std::size_t max_listed_problems = 10000;
    // Parse the next chunk on a worker thread while the current one is checked (one more chunk
    // in memory). Same results either way.
    bool read_ahead = false;
    // Token counts of a batch of sentences (tokens joined by single spaces), e.g. a tokenizer's
    // encode_batch; fills counted_lengths. Runs on the summarising thread.
    std::function<std::vector<int>(const std::vector<std::string>&)> count_tokens;
};

// Called after every chunk with the sentences done and the sentences in the index; return false
// to cancel (the summary is then partial and `cancelled` is set).
using TokenSummaryProgress = std::function<bool(std::size_t done, std::size_t total)>;

struct TokenSummary {
    std::string source;
    TokenFormat format = TokenFormat::Auto;
    std::size_t indexed = 0;    // index entries read
    std::size_t sentences = 0;  // valid sentences (TokenDataset::sentences.size())
    std::size_t tokens = 0;     // tokens in them (TokenDataset::token_count())
    TagScheme scheme = TagScheme::Auto;
    bool converted_to_bio = false;
    LabelMap tags;                        // as build_token_dataset makes it
    std::vector<std::size_t> tag_counts;  // tokens per tag id (TokenDataset::tag_counts())
    std::vector<long> tag_first_lines;    // first line of the first sentence with each tag
    std::vector<DataProblem> problems;    // the first max_listed_problems, in file order
    std::size_t problem_count = 0;        // all of them
    // Per valid sentence, in file order.
    std::vector<std::uint32_t> sentence_rows;    // index entry of the sentence
    std::vector<std::uint32_t> lengths;          // tokens (words)
    std::vector<int> counted_lengths;            // count_tokens' counts (when given)
    std::vector<int> split_groups;               // stratum (into split_group_names)
    std::vector<std::string> split_group_names;  // most frequent chunk type; "" = none
    std::size_t min_length = 0, max_length = 0;  // tokens per valid sentence
    double mean_length = 0.0;
    std::size_t passes = 0;  // times the file was read (see the header comment)
    bool cancelled = false;

    // Bytes held by the per-sentence arrays now (the figure the contract above bounds).
    std::size_t memory_bytes() const;
};

// Reads every sentence of `index`, `chunk_sentences` at a time. Throws tb::Error as
// build_token_dataset does for a file with no sentence and no problem, and for a read error.
TokenSummary summarize_sentences(const SentenceIndex& index,
                                 const TokenSummaryOptions& options = {},
                                 const TokenSummaryProgress& progress = {});

// The sentence split of split_sentences from the summary's groups (the same split the
// in-memory dataset gives for the same fractions and seed); indices are valid sentences.
SplitIndices split_summary_sentences(const TokenSummary& summary, const SplitFractions& fractions,
                                     std::uint64_t seed);

// Tokens per tag in train, dev and test (indexed like summary.tags) for `split` of the
// summary's valid sentences: a second pass over the file (the tags are not kept), with the
// summary's scheme. Partial (and false returned through `progress`) when cancelled.
std::vector<std::array<std::size_t, 3>> count_split_tags(const SentenceIndex& index,
                                                         const TokenSummary& summary,
                                                         const SplitIndices& split,
                                                         const TokenSummaryOptions& options = {},
                                                         const TokenSummaryProgress& progress = {});

// Upper estimate of what the index plus a summary of it hold (the contract above): the index's
// vectors as allocated, 12 B per sentence (16 with a token counter) and one chunk.
std::uint64_t token_memory_estimate(const SentenceIndex& index, std::size_t chunk_sentences = 4096,
                                    bool count_tokens = false);

}  // namespace tb::data
