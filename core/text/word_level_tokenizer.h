// A word- or character-level tokenizer over a vocabulary built from training data, for models
// trained from scratch (the BiLSTM): [PAD] = 0, [UNK] = 1, no [CLS]/[SEP].
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "text/basic_tokenizer.h"
#include "text/tokenizer.h"

namespace tb::text {

enum class VocabLevel { Word, Char };
VocabLevel vocab_level_from_name(const std::string& name);  // "word" | "char"; throws tb::Error

// Units: BERT's basic tokenizer words (lowercased when asked, punctuation and CJK ideographs
// split off); at VocabLevel::Char every code point of those words is a unit, so Chinese text
// becomes one unit per character. Unknown units map to [UNK].
class WordLevelTokenizer : public Tokenizer {
public:
    // tokens[0] must be "[PAD]" and tokens[1] "[UNK]" (what build_word_vocabulary returns);
    // throws tb::Error otherwise.
    WordLevelTokenizer(std::vector<std::string> tokens, VocabLevel level, bool lowercase);

    // A tokenizer that gives every new unit the next free id as it meets it (thread-safe, ids
    // depend on encoding order): the first pass over the data, whose units are then counted by
    // their strings (unit()) to build the real vocabulary.
    static std::unique_ptr<WordLevelTokenizer> growing(VocabLevel level, bool lowercase);

    std::string kind() const override { return "WordLevel"; }
    std::int64_t vocab_size() const override;
    std::int64_t token_to_id(std::string_view token) const override;
    std::string id_to_token(std::int64_t id) const override;
    VocabLevel level() const { return level_; }
    bool lowercase() const { return options_.lowercase; }

protected:
    void encode_segment(std::string_view text, std::size_t begin, std::size_t end, TokenBuffer& out,
                        std::int64_t& next_word) const override;

private:
    WordLevelTokenizer(VocabLevel level, bool lowercase);
    std::int64_t lookup(const std::string& unit) const;

    VocabLevel level_;
    BasicTokenizerOptions options_;
    bool growing_ = false;
    mutable std::mutex mutex_;  // guards tokens_ / ids_ while growing
    mutable std::vector<std::string> tokens_;
    mutable std::unordered_map<std::string, std::int64_t> ids_;
};

// The vocabulary from unit counts: "[PAD]", "[UNK]", then units seen at least min_frequency
// times, most frequent first (ties by byte order), at most max_size entries in all (0 = no
// limit). Deterministic for the same counts.
std::vector<std::string> build_word_vocabulary(
    const std::unordered_map<std::string, std::int64_t>& counts, std::int64_t min_frequency,
    std::int64_t max_size);

}  // namespace tb::text
