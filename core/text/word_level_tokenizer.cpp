#include "text/word_level_tokenizer.h"

#include <algorithm>
#include <stdexcept>

#include "common/error.h"

namespace tb::text {

VocabLevel vocab_level_from_name(const std::string& name) {
    if (name == "word")
        return VocabLevel::Word;
    if (name == "char")
        return VocabLevel::Char;
    throw Error("vocab_level must be word or char, found " + name,
                SourceLocation{{}, 0, 0, "model.vocab_level"});
}

WordLevelTokenizer::WordLevelTokenizer(VocabLevel level, bool lowercase) : level_(level) {
    options_.lowercase = lowercase;
    post_ = PostProcessor::none();
    pad_id_ = 0;
    unk_id_ = 1;
    tokens_ = {"[PAD]", "[UNK]"};
    ids_ = {{"[PAD]", 0}, {"[UNK]", 1}};
}

WordLevelTokenizer::WordLevelTokenizer(std::vector<std::string> tokens, VocabLevel level,
                                       bool lowercase)
    : WordLevelTokenizer(level, lowercase) {
    if (tokens.size() < 2 || tokens[0] != "[PAD]" || tokens[1] != "[UNK]")
        throw Error("a word-level vocabulary must start with [PAD] and [UNK]",
                    SourceLocation{{}, 0, 0, "tokenizer/vocab"});
    ids_.clear();
    for (std::size_t i = 0; i < tokens.size(); ++i)
        ids_.emplace(tokens[i], static_cast<std::int64_t>(i));
    tokens_ = std::move(tokens);
}

std::unique_ptr<WordLevelTokenizer> WordLevelTokenizer::growing(VocabLevel level, bool lowercase) {
    std::unique_ptr<WordLevelTokenizer> t(new WordLevelTokenizer(level, lowercase));
    t->growing_ = true;
    return t;
}

std::int64_t WordLevelTokenizer::vocab_size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return static_cast<std::int64_t>(tokens_.size());
}

std::int64_t WordLevelTokenizer::token_to_id(std::string_view token) const {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = ids_.find(std::string(token));
    return it == ids_.end() ? -1 : it->second;
}

std::string WordLevelTokenizer::id_to_token(std::int64_t id) const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (id < 0 || id >= static_cast<std::int64_t>(tokens_.size()))
        throw std::out_of_range("token id " + std::to_string(id) + " outside the vocabulary");
    return tokens_[static_cast<std::size_t>(id)];
}

std::int64_t WordLevelTokenizer::lookup(const std::string& unit) const {
    if (!growing_) {  // fixed after construction: no lock needed
        const auto it = ids_.find(unit);
        return it == ids_.end() ? unk_id_ : it->second;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    const auto [it, added] = ids_.emplace(unit, static_cast<std::int64_t>(tokens_.size()));
    if (added)
        tokens_.push_back(unit);
    return it->second;
}

void WordLevelTokenizer::encode_segment(std::string_view text, std::size_t begin, std::size_t end,
                                        TokenBuffer& out, std::int64_t& next_word) const {
    const BasicWordEmit emit = [&](const std::string& word, const std::vector<TokenSpan>& spans) {
        if (level_ == VocabLevel::Word) {
            out.ids.push_back(lookup(word));
            out.spans.push_back({spans.front().begin, spans.back().end});
            out.word_ids.push_back(next_word);
        } else {
            // One unit per code point; spans has one entry per code point of `word`.
            std::size_t pos = 0;
            for (const auto& span : spans) {
                std::size_t len = 1;
                const auto lead = static_cast<unsigned char>(word[pos]);
                if (lead >= 0xF0)
                    len = 4;
                else if (lead >= 0xE0)
                    len = 3;
                else if (lead >= 0xC0)
                    len = 2;
                len = std::min(len, word.size() - pos);
                out.ids.push_back(lookup(word.substr(pos, len)));
                out.spans.push_back(span);
                out.word_ids.push_back(next_word);
                pos += len;
                if (pos >= word.size())
                    break;
            }
        }
        ++next_word;
    };
    for_each_basic_word(text, begin, end, options_, emit);
}

std::vector<std::string> build_word_vocabulary(
    const std::unordered_map<std::string, std::int64_t>& counts, std::int64_t min_frequency,
    std::int64_t max_size) {
    std::vector<std::pair<std::string, std::int64_t>> kept;
    for (const auto& [unit, n] : counts)
        if (n >= std::max<std::int64_t>(1, min_frequency) && unit != "[PAD]" && unit != "[UNK]")
            kept.emplace_back(unit, n);
    std::sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    std::vector<std::string> tokens{"[PAD]", "[UNK]"};
    for (const auto& [unit, n] : kept) {
        if (max_size > 0 && static_cast<std::int64_t>(tokens.size()) >= max_size)
            break;
        tokens.push_back(unit);
    }
    return tokens;
}

}  // namespace tb::text
