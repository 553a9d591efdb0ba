// Builds a deterministic WordPiece vocabulary from raw texts (for models trained from scratch).
#include <algorithm>
#include <map>
#include <unordered_set>
#include <utility>

#include "common/error.h"
#include "text/bert_tokenizer.h"
#include "text/utf8.h"

namespace tb::text {

namespace {

// Most frequent first; equal counts in bytewise string order, so the result never depends on
// hash order or on the order of the texts.
std::vector<std::string> by_frequency(const std::map<std::string, std::size_t>& counts,
                                      std::size_t min_count) {
    std::vector<std::pair<std::string, std::size_t>> items;
    for (const auto& [token, count] : counts) {
        if (count >= min_count) {
            items.emplace_back(token, count);
        }
    }
    std::stable_sort(items.begin(), items.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    std::vector<std::string> out;
    out.reserve(items.size());
    for (auto& item : items) {
        out.push_back(std::move(item.first));
    }
    return out;
}

}  // namespace

Vocab build_vocab(const std::vector<std::string>& texts, const BasicTokenizerOptions& options,
                  std::size_t max_size, std::size_t min_frequency) {
    const std::vector<std::string> specials = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
    if (max_size < specials.size()) {
        throw Error(
            "the vocabulary size must be at least 5 (room for [PAD] [UNK] [CLS] [SEP] "
            "[MASK]); got " +
            std::to_string(max_size));
    }

    // std::map keeps keys sorted: the stable sort by count then yields string order on ties.
    std::map<std::string, std::size_t> char_counts;
    std::map<std::string, std::size_t> word_counts;
    for (const auto& text : texts) {
        for (const auto& word : basic_tokenize(text, options)) {
            ++word_counts[word];
            for (char32_t cp : decode_utf8(word)) {
                std::string ch;
                append_utf8(ch, cp);
                ++char_counts[ch];
            }
        }
    }

    std::vector<std::string> tokens = specials;
    std::unordered_set<std::string> present(specials.begin(), specials.end());
    auto add = [&](const std::string& token) {
        if (tokens.size() < max_size && present.insert(token).second) {
            tokens.push_back(token);
        }
    };
    for (const auto& ch : by_frequency(char_counts, 1)) {
        add(ch);
        add("##" + ch);
    }
    for (const auto& word : by_frequency(word_counts, std::max<std::size_t>(min_frequency, 1))) {
        if (count_code_points(word) > 1) {
            add(word);
        }
    }
    return Vocab(std::move(tokens));
}

}  // namespace tb::text
