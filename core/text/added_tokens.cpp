// Added-token matching (leftmost-longest, with lstrip / rstrip / single_word).
#include "text/added_tokens.h"

#include <algorithm>

#include "text/char_classes.h"
#include "text/utf8.h"

namespace tb::text {

namespace {

// The character that ends at byte `end` (exclusive) of `text`: its start, and the code point in
// `cp`. The longest well-formed sequence that ends exactly there wins; otherwise the last byte
// alone (invalid UTF-8 becomes U+FFFD). Never reaches before byte 0.
std::size_t char_start_before(std::string_view text, std::size_t end, char32_t& cp) {
    for (std::size_t length = 4; length >= 2; --length) {
        if (length > end) {
            continue;
        }
        std::size_t pos = end - length;
        const char32_t c = decode_next(text, pos);
        if (pos == end) {  // a sequence of two or more bytes decoded exactly up to `end`
            cp = c;
            return end - length;
        }
    }
    std::size_t pos = end - 1;
    cp = decode_next(text, pos);
    return end - 1;
}

char32_t code_point_before(std::string_view text, std::size_t end) {
    char32_t cp = 0;
    char_start_before(text, end, cp);
    return cp;
}

bool is_word_char(char32_t cp) {
    return cp == U'_' || is_letter_or_number(cp);
}

}  // namespace

AddedTokens::AddedTokens(std::vector<AddedToken> tokens) {
    for (const auto& token : tokens) {
        add(token);
    }
}

void AddedTokens::add(const AddedToken& token) {
    if (token.content.empty()) {
        return;
    }
    const auto same = std::find_if(tokens_.begin(), tokens_.end(),
                                   [&](const AddedToken& t) { return t.content == token.content; });
    if (same != tokens_.end()) {
        *same = token;
    } else {
        tokens_.push_back(token);
    }
    std::stable_sort(tokens_.begin(), tokens_.end(), [](const AddedToken& a, const AddedToken& b) {
        return a.content.size() > b.content.size();
    });
    first_byte_[static_cast<unsigned char>(token.content[0])] = true;
}

void AddedTokens::split(std::string_view text, std::vector<TextSegment>& out) const {
    out.clear();
    std::size_t done = 0;  // end of the last segment emitted
    std::size_t pos = 0;
    while (pos < text.size()) {
        if (!first_byte_[static_cast<unsigned char>(text[pos])]) {
            ++pos;
            continue;
        }
        const AddedToken* match = nullptr;
        for (const auto& token : tokens_) {  // longest first
            if (text.compare(pos, token.content.size(), token.content) != 0) {
                continue;
            }
            const std::size_t stop = pos + token.content.size();
            if (token.single_word && ((pos > 0 && is_word_char(code_point_before(text, pos))) ||
                                      (stop < text.size() && [&] {
                                          std::size_t p = stop;
                                          return is_word_char(decode_next(text, p));
                                      }()))) {
                continue;
            }
            match = &token;
            break;
        }
        if (match == nullptr) {
            ++pos;
            continue;
        }
        std::size_t begin = pos;
        std::size_t end = pos + match->content.size();
        if (match->lstrip) {
            while (begin > done) {
                char32_t cp = 0;
                const std::size_t start = char_start_before(text, begin, cp);
                if (start < done || !is_unicode_whitespace(cp)) {
                    break;
                }
                begin = start;
            }
        }
        if (match->rstrip) {
            while (end < text.size()) {
                std::size_t p = end;
                const char32_t cp = decode_next(text, p);
                if (!is_unicode_whitespace(cp)) {
                    break;
                }
                end = p;
            }
        }
        if (begin > done) {
            out.push_back({done, begin, -1});
        }
        out.push_back({begin, end, match->id});
        done = end;
        pos = end;
    }
    if (done < text.size()) {
        out.push_back({done, text.size(), -1});
    }
}

}  // namespace tb::text
