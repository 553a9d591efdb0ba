// Inline implementation of for_each_gpt2_piece (a template, so the caller's lambda inlines).
#pragma once

#include "text/char_classes.h"
#include "text/utf8.h"

namespace tb::text {

namespace gpt2_detail {

enum class Class : unsigned char { Letter, Number, Space, Other };

inline Class classify(char32_t cp) {
    if (cp < 0x80) {
        if ((cp >= U'a' && cp <= U'z') || (cp >= U'A' && cp <= U'Z')) {
            return Class::Letter;
        }
        if (cp >= U'0' && cp <= U'9') {
            return Class::Number;
        }
        if (cp == U' ' || (cp >= 0x09 && cp <= 0x0D)) {
            return Class::Space;
        }
        return Class::Other;
    }
    if (is_unicode_whitespace(cp)) {
        return Class::Space;
    }
    if (is_letter(cp)) {
        return Class::Letter;
    }
    if (is_number(cp)) {
        return Class::Number;
    }
    return Class::Other;
}

// Length of the contraction ('s 't 're 've 'm 'll 'd, case-sensitive) at `pos`, or 0.
inline std::size_t contraction(std::string_view text, std::size_t pos, std::size_t end) {
    if (text[pos] != '\'' || pos + 1 >= end) {
        return 0;
    }
    const char c = text[pos + 1];
    if (c == 's' || c == 't' || c == 'm' || c == 'd') {
        return 2;
    }
    if (pos + 2 < end) {
        const char d = text[pos + 2];
        if ((c == 'r' && d == 'e') || (c == 'v' && d == 'e') || (c == 'l' && d == 'l')) {
            return 3;
        }
    }
    return 0;
}

}  // namespace gpt2_detail

template <class Emit>
void for_each_gpt2_piece(std::string_view text, std::size_t begin, std::size_t end, Emit&& emit) {
    using gpt2_detail::Class;
    const std::string_view view = text.substr(0, end);
    // Class of the code point at `pos` and the position after it.
    auto peek = [&](std::size_t pos, std::size_t& next) {
        next = pos;
        return gpt2_detail::classify(decode_next(view, next));
    };
    // End of the run of `cls` starting at `pos`.
    auto run_end = [&](std::size_t pos, Class cls) {
        while (pos < end) {
            std::size_t next = 0;
            if (peek(pos, next) != cls) {
                break;
            }
            pos = next;
        }
        return pos;
    };
    std::size_t pos = begin;
    while (pos < end) {
        if (const std::size_t n = gpt2_detail::contraction(view, pos, end)) {
            emit(pos, pos + n);
            pos += n;
            continue;
        }
        std::size_t next = 0;
        Class cls = peek(pos, next);
        // " ?X+": an optional single ASCII space before a letter, number or other run.
        std::size_t start = pos;
        if (view[pos] == ' ' && next < end) {
            std::size_t after = 0;
            const Class following = peek(next, after);
            if (following != Class::Space) {
                cls = following;
                pos = next;
                next = after;
            }
        }
        if (cls != Class::Space) {
            const std::size_t stop = run_end(next, cls);
            emit(start, stop);
            pos = stop;
            continue;
        }
        // Whitespace: \s+(?!\S) takes the run but leaves its last character to a following
        // non-space (which then matches " ?X+" or stands alone); \s+ takes a lone one.
        const std::size_t stop = run_end(pos, Class::Space);
        if (stop == end) {
            emit(pos, stop);
            pos = stop;
            continue;
        }
        std::size_t last = stop - 1;  // start of the run's last character
        while (last > pos && (static_cast<unsigned char>(view[last]) & 0xC0) == 0x80) {
            --last;
        }
        if (last > pos) {
            emit(pos, last);
            pos = last;
        } else {
            emit(pos, stop);
            pos = stop;
        }
    }
}

}  // namespace tb::text
