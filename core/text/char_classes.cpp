// Character classes and per-character transforms of BERT's basic tokenizer (Hugging Face rules).
#include "text/char_classes.h"

#include <utf8proc.h>

#include <algorithm>

namespace tb::text {

namespace {

utf8proc_category_t category(char32_t cp) {
    return utf8proc_category(static_cast<utf8proc_int32_t>(cp));
}

}  // namespace

int combining_class(char32_t cp) {
    return cp < 0x300 ? 0
                      : utf8proc_get_property(static_cast<utf8proc_int32_t>(cp))->combining_class;
}

bool is_nonspacing_mark(char32_t cp) {
    return cp >= 0x300 && category(cp) == UTF8PROC_CATEGORY_MN;
}

bool is_unicode_whitespace(char32_t cp) {
    if (cp < 0x80) {
        return cp == U' ' || (cp >= 0x09 && cp <= 0x0D);
    }
    return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
           cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

bool is_letter(char32_t cp) {
    if (cp < 0x80) {
        return (cp >= U'a' && cp <= U'z') || (cp >= U'A' && cp <= U'Z');
    }
    const auto cat = category(cp);
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

bool is_number(char32_t cp) {
    if (cp < 0x80) {
        return cp >= U'0' && cp <= U'9';
    }
    const auto cat = category(cp);
    return cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO;
}

void append_canonical_decomposition(std::u32string& out, char32_t cp) {
    if (cp < 0xC0) {  // nothing below U+00C0 decomposes canonically
        out.push_back(cp);
        return;
    }
    utf8proc_int32_t buffer[32];  // the longest canonical decomposition is 4 code points
    const auto n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(cp), buffer, 32,
                                           UTF8PROC_DECOMPOSE, nullptr);
    if (n <= 0 || n > 32) {
        out.push_back(cp);
        return;
    }
    for (utf8proc_ssize_t k = 0; k < n; ++k) {
        out.push_back(static_cast<char32_t>(buffer[k]));
    }
}

namespace {

// Canonical Ordering Algorithm: stable sort of each run of non-starters by combining class.
void canonical_reorder(std::u32string& cps) {
    std::size_t i = 0;
    while (i < cps.size()) {
        if (combining_class(cps[i]) == 0) {
            ++i;
            continue;
        }
        std::size_t end = i;
        while (end < cps.size() && combining_class(cps[end]) != 0) {
            ++end;
        }
        std::stable_sort(cps.begin() + i, cps.begin() + end, [](char32_t a, char32_t b) {
            return combining_class(a) < combining_class(b);
        });
        i = end;
    }
}

}  // namespace

bool is_bert_control(char32_t cp) {
    if (cp < 0x80) {  // ASCII fast path: C0 controls and DEL, minus \t \n \r
        return (cp < 0x20 && cp != U'\t' && cp != U'\n' && cp != U'\r') || cp == 0x7F;
    }
    switch (category(cp)) {
        case UTF8PROC_CATEGORY_CC:
        case UTF8PROC_CATEGORY_CF:
        case UTF8PROC_CATEGORY_CS:
        case UTF8PROC_CATEGORY_CO:
        case UTF8PROC_CATEGORY_CN:
            return true;
        default:
            return false;
    }
}

bool is_bert_whitespace(char32_t cp) {
    if (cp == U' ' || cp == U'\t' || cp == U'\n' || cp == U'\r') {
        return true;
    }
    if (cp < 0x80) {
        return false;
    }
    const auto cat = category(cp);
    return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
           cat == UTF8PROC_CATEGORY_ZP;
}

bool is_bert_punctuation(char32_t cp) {
    if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) ||
        (cp >= 123 && cp <= 126)) {
        return true;
    }
    if (cp < 0x80) {
        return false;
    }
    const auto cat = category(cp);
    return cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO;
}

bool is_cjk_ideograph(char32_t cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F) ||
           (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
}

void append_lowercase(std::u32string& out, char32_t cp) {
    if (cp < 0x80) {
        out.push_back(cp >= U'A' && cp <= U'Z' ? cp + 32 : cp);
        return;
    }
    if (cp == 0x0130) {
        out.push_back(U'i');
        out.push_back(0x0307);
        return;
    }
    out.push_back(static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(cp))));
}

std::u32string strip_accents(const std::u32string& word) {
    // Below U+00C0 nothing decomposes canonically and below U+0300 nothing is a mark: such
    // words (all of ASCII and Latin-1 symbols) come out unchanged.
    if (std::all_of(word.begin(), word.end(), [](char32_t cp) { return cp < 0xC0; })) {
        return word;
    }
    std::u32string decomposed;
    decomposed.reserve(word.size() + 4);
    utf8proc_int32_t buffer[32];  // the longest canonical decomposition is 4 code points
    for (char32_t cp : word) {
        if (cp < 0xC0) {  // nothing below U+00C0 decomposes canonically
            decomposed.push_back(cp);
            continue;
        }
        const auto n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(cp), buffer, 32,
                                               UTF8PROC_DECOMPOSE, nullptr);
        if (n <= 0 || n > 32) {
            decomposed.push_back(cp);
            continue;
        }
        for (utf8proc_ssize_t k = 0; k < n; ++k) {
            decomposed.push_back(static_cast<char32_t>(buffer[k]));
        }
    }
    canonical_reorder(decomposed);
    std::u32string out;
    out.reserve(decomposed.size());
    for (char32_t cp : decomposed) {
        if (category(cp) != UTF8PROC_CATEGORY_MN) {
            out.push_back(cp);
        }
    }
    return out;
}

}  // namespace tb::text
