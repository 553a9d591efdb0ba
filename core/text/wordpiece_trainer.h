// Trains a WordPiece vocabulary from raw text with Hugging Face's WordPiece training algorithm.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "text/basic_tokenizer.h"
#include "text/vocab.h"

namespace tb::text {

struct WordPieceTrainerOptions {
    std::size_t vocab_size = 30000;  // merges stop once the vocabulary has this many tokens
    std::size_t min_frequency = 0;   // merges stop at the first pair seen fewer times
    // Characters kept in the alphabet, the most frequent ones (0: all). Words lose the
    // characters that are dropped, as in Hugging Face's trainer.
    std::size_t limit_alphabet = 0;
    std::vector<std::string> special_tokens = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
    std::string continuing_subword_prefix = "##";
    // The normaliser + pre-tokeniser (BertNormalizer + BertPreTokenizer) that splits text
    // into the words counted; CJK ideographs become words of their own.
    BasicTokenizerOptions normalizer;
};

// Hugging Face's WordPieceTrainer (a BPE trainer whose non-initial pieces carry "##"), step by
// step: ids are special tokens first (in the given order), then the alphabet in code point
// order, then each "##"-prefixed character as the words are first met, then one token per
// merge. Each merge joins the most frequent adjacent pair (ties: the pair of smaller ids), the
// right piece losing its prefix; pair counts are updated incrementally as in the reference.
//
// Deterministic, where Hugging Face is not: it numbers the "##" pieces as it meets words in
// (per-process random) hash-map order, so those ids, and with them the tie-breaks between
// equally frequent pairs, change from run to run (so do a few tokens and the vocabulary size).
// Here the "##" pieces are numbered by how many distinct words hold the character at a
// non-initial position (most first; ties by first appearance), that order's most likely
// outcome; limit_alphabet drops, among equally rare characters, the larger code points first.
// docs/pretraining.md has the details.
class WordPieceTrainer {
public:
    explicit WordPieceTrainer(WordPieceTrainerOptions options = {});

    // Normalises and pre-tokenises `text` and counts its words.
    void feed(const std::string& text);
    // Counts an already pre-tokenised word `count` more times.
    void add_word(const std::string& word, std::uint64_t count = 1);

    // Words counted so far, in order of first appearance.
    const std::vector<std::pair<std::string, std::uint64_t>>& word_counts() const { return words_; }

    // Throws tb::Error when vocab_size is smaller than the number of special tokens.
    Vocab train() const;

private:
    WordPieceTrainerOptions options_;
    std::vector<std::pair<std::string, std::uint64_t>> words_;
    std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace tb::text
