// Token-classification (NER, POS) datasets: sentences of tokens with tag ids, the tag label map,
// the tag scheme found, and every problem with file, line and column.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/label_map.h"
#include "data/split.h"
#include "data/tag_scheme.h"
#include "data/token_readers.h"

namespace tb::data {

struct TokenSentence {
    std::vector<std::string> tokens;
    std::vector<int> tags;  // indices into TokenDataset::tags, one per token
    long line = 0;          // line of the first token
};

struct TokenDatasetOptions {
    TagScheme scheme = TagScheme::Auto;  // Auto: detect_tag_scheme over the whole file
    // Store tags as BIO (the scheme the token-classification head trains on). Invalid
    // transitions are then repaired the usual way (a chunk-initial I-X becomes B-X).
    bool convert_to_bio = true;
};

struct TokenDataset {
    std::string source;
    TokenFormat format = TokenFormat::Auto;
    TagScheme scheme = TagScheme::Auto;  // scheme of the file (detected or as configured)
    bool converted_to_bio = false;       // tags below are BIO rather than `scheme`
    std::vector<TokenSentence> sentences;
    // Tag names: "O" first when present, then the rest sorted (byte order), so that the same
    // tag set always gives the same ids.
    LabelMap tags;
    std::vector<DataProblem> problems;  // reader problems and tag problems, in file order
    std::size_t token_count() const;
    std::vector<std::size_t> tag_counts() const;  // tokens per tag id
};

// Checks and maps the sentences of `file`. Invalid transitions are "invalid_transition"
// problems at the tag's line and column; the sentence is kept (repaired when converting to
// BIO). With `tags` given (dev/test files), a tag outside it is an "unknown_tag" problem and its
// sentence is left out. Throws tb::Error when the file holds no sentence and no problem (an
// empty file).
TokenDataset build_token_dataset(const TokenFile& file, const TokenDatasetOptions& options = {},
                                 const LabelMap* tags = nullptr);

// Splits sentences (never tokens) train/dev/test, stratified by each sentence's most frequent
// chunk type (plain tags: its most frequent tag; sentences without chunks form their own group),
// with stratified_split's seeded, platform-independent shuffle.
SplitIndices split_sentences(const TokenDataset& dataset, const SplitFractions& fractions,
                             std::uint64_t seed);

// The pieces of the above, for the streaming summary (token_summary.h), which keeps only a group
// id per sentence: the group of one sentence (its most frequent chunk type, "" for none), and
// the split of sentences given their group ids into `group_names` (in any order: the strata are
// numbered by sorted name, so the split does not depend on the order groups were first seen).
std::string sentence_split_group(const TokenDataset& dataset, std::size_t sentence);
SplitIndices split_sentence_groups(const std::vector<int>& group_ids,
                                   const std::vector<std::string>& group_names,
                                   const SplitFractions& fractions, std::uint64_t seed);

// The tag map build_token_dataset makes from the tag names seen (duplicates allowed): "O"
// first when present, then the rest sorted.
LabelMap tag_map_from_names(std::vector<std::string> names);

}  // namespace tb::data
