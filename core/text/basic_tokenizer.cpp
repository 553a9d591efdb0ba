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

// Turns whitespace-separated words into basic tokens: lowercase, strip accents, then split on
// punctuation (_run_split_on_punc: each punctuation character becomes a token of its own).
// Holds its buffers so that a whole text reuses them.
class WordFinisher {
public:
    WordFinisher(const BasicTokenizerOptions& options,
                 const std::function<void(const std::string&)>& emit)
        : lowercase_(options.lowercase), strip_(should_strip_accents(options)), emit_(emit) {}

    void finish(const std::u32string& word) {
        bool ascii = true;
        for (char32_t cp : word) {
            ascii = ascii && cp < 0x80;
        }
        const std::u32string* current = &word;
        if (!ascii && lowercase_) {
            lowered_.clear();
            for (char32_t cp : word) {
                append_lowercase(lowered_, cp);
            }
            current = &lowered_;
        }
        if (!ascii && strip_) {
            stripped_ = strip_accents(*current);
            current = &stripped_;
        }
        piece_.clear();
        for (char32_t cp : *current) {
            if (is_bert_punctuation(cp)) {
                flush_piece();
                append_utf8(piece_, cp);
                flush_piece();
            } else if (ascii) {  // ASCII needs no accent stripping and lowercases by itself
                piece_.push_back(
                    static_cast<char>(lowercase_ && cp >= U'A' && cp <= U'Z' ? cp + 32 : cp));
            } else {
                append_utf8(piece_, cp);
            }
        }
        flush_piece();
    }

private:
    void flush_piece() {
        if (!piece_.empty()) {
            emit_(piece_);
            piece_.clear();
        }
    }

    const bool lowercase_;
    const bool strip_;
    const std::function<void(const std::string&)>& emit_;
    std::u32string lowered_, stripped_;
    std::string piece_;
};

}  // namespace

void for_each_basic_token(const std::string& text, const BasicTokenizerOptions& options,
                          const std::function<void(const std::string&)>& emit) {
    WordFinisher finisher(options, emit);
    const std::u32string cps = decode_utf8(text);
    std::u32string word;
    auto flush = [&]() {
        if (!word.empty()) {
            finisher.finish(word);
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
}

std::vector<std::string> basic_tokenize(const std::string& text,
                                        const BasicTokenizerOptions& options) {
    std::vector<std::string> out;
    for_each_basic_token(text, options, [&](const std::string& token) { out.push_back(token); });
    return out;
}

}  // namespace tb::text
