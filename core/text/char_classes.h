// Character classes and per-character transforms of BERT's basic tokenizer (Hugging Face rules).
#pragma once

#include <string>

namespace tb::text {

// Control characters that BERT deletes: category C* (Cc, Cf, Cs, Co, Cn), except \t \n \r,
// which count as whitespace. U+0000 and U+FFFD are deleted as well (see basic_tokenizer.cpp).
bool is_bert_control(char32_t cp);

// Word separators: \t \n \r and categories Zs, Zl, Zp. Checked after is_bert_control, this is
// the set Python's BertTokenizer ends up splitting on (its str.split()) and equals Rust's
// char::is_whitespace once control characters are gone.
bool is_bert_whitespace(char32_t cp);

// ASCII 33-47, 58-64, 91-96, 123-126 (symbols such as $ + ^ ` count too) or category P*.
bool is_bert_punctuation(char32_t cp);

// The CJK Unified Ideograph blocks that Python's BertTokenizer surrounds with spaces. Kana,
// Hangul and other scripts written with spaces are not in these ranges.
bool is_cjk_ideograph(char32_t cp);

// Unicode White_Space (\t..\r, space, U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028,
// U+2029, U+202F, U+205F, U+3000): Rust's char::is_whitespace and the regex class \s that
// the GPT-2 pre-tokenization pattern uses.
bool is_unicode_whitespace(char32_t cp);

// General categories L* and N* (\p{L}, \p{N}).
bool is_letter(char32_t cp);
bool is_number(char32_t cp);
inline bool is_letter_or_number(char32_t cp) {
    return is_letter(cp) || is_number(cp);
}

// Canonical combining class (0 for starters) and category Mn.
int combining_class(char32_t cp);
bool is_nonspacing_mark(char32_t cp);

// Appends the canonical decomposition (NFD, without reordering) of one code point.
void append_canonical_decomposition(std::u32string& out, char32_t cp);

// Appends the lowercase of `cp` (per code point). Simple Unicode lowercase mapping, except
// U+0130 (capital I with dot above) -> "i" U+0307, the one unconditional full mapping, as both
// Python's str.lower() and Rust's char::to_lowercase() do. Known difference from Python:
// str.lower() applies the context-dependent Final_Sigma rule (word-final capital sigma ->
// U+03C2); like the Rust tokenizer (transformers' fast BertTokenizer), we always map to U+03C3.
void append_lowercase(std::u32string& out, char32_t cp);

// Canonical decomposition (NFD, including canonical reordering) of `word`, then removal of
// nonspacing marks (category Mn): Python's BertTokenizer._run_strip_accents.
std::u32string strip_accents(const std::u32string& word);

}  // namespace tb::text
