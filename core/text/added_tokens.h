// Added tokens (special tokens such as [CLS] or <mask>, and user-added words): matched in the
// raw text before any normalization, as Hugging Face's AddedVocabulary does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tb::text {

struct AddedToken {
    std::string content;
    std::int64_t id = -1;
    bool special = false;
    bool lstrip = false;       // the match also takes the whitespace on its left
    bool rstrip = false;       // ... and on its right
    bool single_word = false;  // only where no letter, digit or '_' touches it
};

// A piece of the text: [begin, end) in bytes; token >= 0 for an added token's id.
struct TextSegment {
    std::size_t begin = 0;
    std::size_t end = 0;
    std::int64_t token = -1;
};

class AddedTokens {
public:
    AddedTokens() = default;
    explicit AddedTokens(std::vector<AddedToken> tokens);

    // Adds or replaces (same content) a token.
    void add(const AddedToken& token);
    const std::vector<AddedToken>& tokens() const { return tokens_; }
    bool empty() const { return tokens_.empty(); }

    // Splits `text` into added-token matches and the text between them: leftmost match first,
    // the longest token at one position. Segments cover the text in order (stripped
    // whitespace belongs to the token's segment); `out` is cleared first.
    void split(std::string_view text, std::vector<TextSegment>& out) const;

private:
    std::vector<AddedToken> tokens_;  // longest content first
    bool first_byte_[256] = {};       // bytes that start some token: a quick skip
};

}  // namespace tb::text
