// BERT's basic tokenizer, following Hugging Face's BasicTokenizer / BertNormalizer +
// BertPreTokenizer step by step, keeping for every output character the byte span of the input
// character it came from (Hugging Face's alignments), so that tokens get offsets.
#include "text/basic_tokenizer.h"

#include <algorithm>
#include <numeric>

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
// Every character carries the span of the input character it came from. Holds its buffers so
// that a whole text reuses them.
class WordFinisher {
public:
    WordFinisher(const BasicTokenizerOptions& options, const BasicWordEmit& emit)
        : lowercase_(options.lowercase), strip_(should_strip_accents(options)), emit_(emit) {}

    void finish(const std::u32string& word, const std::vector<TokenSpan>& spans) {
        bool ascii = true;
        for (char32_t cp : word) {
            ascii = ascii && cp < 0x80;
        }
        const std::u32string* current = &word;
        const std::vector<TokenSpan>* current_spans = &spans;
        if (!ascii && lowercase_) {
            lowered_.clear();
            lowered_spans_.clear();
            for (std::size_t i = 0; i < word.size(); ++i) {
                append_lowercase(lowered_, word[i]);
                lowered_spans_.resize(lowered_.size(), spans[i]);
            }
            current = &lowered_;
            current_spans = &lowered_spans_;
        }
        if (!ascii && strip_) {
            strip(*current, *current_spans);
            current = &stripped_;
            current_spans = &stripped_spans_;
        }
        piece_.clear();
        piece_spans_.clear();
        for (std::size_t i = 0; i < current->size(); ++i) {
            const char32_t cp = (*current)[i];
            if (is_bert_punctuation(cp)) {
                flush_piece();
                append_utf8(piece_, cp);
                piece_spans_.push_back((*current_spans)[i]);
                flush_piece();
            } else if (ascii) {  // ASCII needs no accent stripping and lowercases by itself
                piece_.push_back(
                    static_cast<char>(lowercase_ && cp >= U'A' && cp <= U'Z' ? cp + 32 : cp));
                piece_spans_.push_back((*current_spans)[i]);
            } else {
                append_utf8(piece_, cp);
                piece_spans_.push_back((*current_spans)[i]);
            }
        }
        flush_piece();
    }

private:
    // NFD (with canonical reordering), then drop nonspacing marks; decomposed characters keep
    // the span of the character they came from.
    void strip(const std::u32string& word, const std::vector<TokenSpan>& spans) {
        decomposed_.clear();
        decomposed_spans_.clear();
        for (std::size_t i = 0; i < word.size(); ++i) {
            append_canonical_decomposition(decomposed_, word[i]);
            decomposed_spans_.resize(decomposed_.size(), spans[i]);
        }
        // Canonical Ordering Algorithm: stable sort of each run of non-starters by class.
        std::size_t i = 0;
        while (i < decomposed_.size()) {
            if (combining_class(decomposed_[i]) == 0) {
                ++i;
                continue;
            }
            std::size_t end = i;
            while (end < decomposed_.size() && combining_class(decomposed_[end]) != 0) {
                ++end;
            }
            order_.resize(end - i);
            std::iota(order_.begin(), order_.end(), i);
            std::stable_sort(order_.begin(), order_.end(), [&](std::size_t a, std::size_t b) {
                return combining_class(decomposed_[a]) < combining_class(decomposed_[b]);
            });
            run_.clear();
            run_spans_.clear();
            for (std::size_t k : order_) {
                run_.push_back(decomposed_[k]);
                run_spans_.push_back(decomposed_spans_[k]);
            }
            std::copy(run_.begin(), run_.end(), decomposed_.begin() + i);
            std::copy(run_spans_.begin(), run_spans_.end(), decomposed_spans_.begin() + i);
            i = end;
        }
        stripped_.clear();
        stripped_spans_.clear();
        for (std::size_t k = 0; k < decomposed_.size(); ++k) {
            if (!is_nonspacing_mark(decomposed_[k])) {
                stripped_.push_back(decomposed_[k]);
                stripped_spans_.push_back(decomposed_spans_[k]);
            }
        }
    }

    void flush_piece() {
        if (!piece_.empty()) {
            emit_(piece_, piece_spans_);
            piece_.clear();
            piece_spans_.clear();
        }
    }

    const bool lowercase_;
    const bool strip_;
    const BasicWordEmit& emit_;
    std::u32string lowered_, decomposed_, stripped_, run_;
    std::vector<TokenSpan> lowered_spans_, decomposed_spans_, stripped_spans_, run_spans_;
    std::vector<std::size_t> order_;
    std::string piece_;
    std::vector<TokenSpan> piece_spans_;
};

}  // namespace

void for_each_basic_word(std::string_view text, std::size_t begin, std::size_t end,
                         const BasicTokenizerOptions& options, const BasicWordEmit& emit) {
    WordFinisher finisher(options, emit);
    std::u32string word;
    std::vector<TokenSpan> spans;
    auto flush = [&]() {
        if (!word.empty()) {
            finisher.finish(word, spans);
            word.clear();
            spans.clear();
        }
    };
    // _clean_text, _tokenize_chinese_chars and whitespace splitting fused into one pass:
    // deleted characters join their neighbours (as in HF), separators and CJK ideographs end
    // the current word, and each ideograph is a word of its own.
    const std::string_view view = text.substr(0, end);
    std::size_t pos = begin;
    while (pos < end) {
        const std::size_t start = pos;
        const char32_t cp = decode_next(view, pos);
        if (cp == 0 || cp == 0xFFFD || is_bert_control(cp)) {
            continue;
        }
        if (is_bert_whitespace(cp)) {
            flush();
            continue;
        }
        const TokenSpan span{static_cast<std::int64_t>(start), static_cast<std::int64_t>(pos)};
        if (options.tokenize_chinese_chars && is_cjk_ideograph(cp)) {
            flush();
            word.push_back(cp);
            spans.push_back(span);
            flush();
            continue;
        }
        word.push_back(cp);
        spans.push_back(span);
    }
    flush();
}

void for_each_basic_token(const std::string& text, const BasicTokenizerOptions& options,
                          const std::function<void(const std::string&)>& emit) {
    const BasicWordEmit adapter = [&](const std::string& word, const std::vector<TokenSpan>&) {
        emit(word);
    };
    for_each_basic_word(text, 0, text.size(), options, adapter);
}

std::vector<std::string> basic_tokenize(const std::string& text,
                                        const BasicTokenizerOptions& options) {
    std::vector<std::string> out;
    for_each_basic_token(text, options, [&](const std::string& token) { out.push_back(token); });
    return out;
}

}  // namespace tb::text
