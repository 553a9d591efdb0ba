// Added-token matching (leftmost-longest, with lstrip / rstrip / single_word).
#include "text/added_tokens.h"

#include <algorithm>

#include "text/char_classes.h"
#include "text/utf8.h"

namespace tb::text {

namespace {

// The code point that ends at byte `end` (exclusive) of `text`.
char32_t code_point_before(std::string_view text, std::size_t end) {
    std::size_t begin = end;
    while (begin > 0 && (static_cast<unsigned char>(text[begin - 1]) & 0xC0) == 0x80) {
        --begin;
    }
    if (begin > 0) {
        --begin;
    }
    std::size_t pos = begin;
    return decode_next(text, pos);
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
                const char32_t cp = code_point_before(text, begin);
                if (!is_unicode_whitespace(cp)) {
                    break;
                }
                begin -= utf8_length(cp);
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
