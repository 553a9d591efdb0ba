// BERT's basic tokenizer, following Hugging Face's BasicTokenizer step by step.
#include "text/basic_tokenizer.h"

#include "text/char_classes.h"
#include "text/utf8.h"

namespace tb::text {

namespace {

bool should_strip_accents(const BasicTokenizerOptions& options) {
    if (options.strip_accents < 0) {
        return options.lowercase;
    }
    return options.strip_accents != 0;
}

// One whitespace-separated word: lowercase, strip accents, then split on punctuation
// (_run_split_on_punc: every punctuation character becomes a token of its own).
void finish_word(const std::u32string& word, const BasicTokenizerOptions& options, bool strip,
                 std::vector<std::string>& out) {
    std::u32string lowered;
    const std::u32string* current = &word;
    if (options.lowercase) {
        lowered.reserve(word.size());
        for (char32_t cp : word) {
            append_lowercase(lowered, cp);
        }
        current = &lowered;
    }
    std::u32string stripped;
    if (strip) {
        stripped = strip_accents(*current);
        current = &stripped;
    }
    std::string piece;
    for (char32_t cp : *current) {
        if (is_bert_punctuation(cp)) {
            if (!piece.empty()) {
                out.push_back(std::move(piece));
                piece.clear();
            }
            std::string punct;
            append_utf8(punct, cp);
            out.push_back(std::move(punct));
        } else {
            append_utf8(piece, cp);
        }
    }
    if (!piece.empty()) {
        out.push_back(std::move(piece));
    }
}

}  // namespace

std::vector<std::string> basic_tokenize(const std::string& text,
                                        const BasicTokenizerOptions& options) {
    const bool strip = should_strip_accents(options);
    const std::u32string cps = decode_utf8(text);
    std::vector<std::string> out;
    std::u32string word;
    auto flush = [&]() {
        if (!word.empty()) {
            finish_word(word, options, strip, out);
            word.clear();
        }
    };
    // _clean_text, _tokenize_chinese_chars and whitespace splitting fused into one pass:
    // deleted characters join their neighbours (as in HF), separators and CJK ideographs end
    // the current word, and each ideograph is a word of its own.
    for (char32_t cp : cps) {
        if (cp == 0 || cp == 0xFFFD || is_bert_control(cp)) {
            continue;
        }
        if (is_bert_whitespace(cp)) {
            flush();
            continue;
        }
        if (options.tokenize_chinese_chars && is_cjk_ideograph(cp)) {
            flush();
            word.push_back(cp);
            flush();
            continue;
        }
        word.push_back(cp);
    }
    flush();
    return out;
}

}  // namespace tb::text
