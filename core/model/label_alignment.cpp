// First-sub-token labelling and its inverse, following Hugging Face's token-classification recipe.
#include "model/label_alignment.h"

#include <string>

#include "common/error.h"

namespace tb::model {
namespace {

void check_word_id(int word_id, std::size_t num_words, std::size_t token) {
    if (word_id < -1 || (word_id >= 0 && static_cast<std::size_t>(word_id) >= num_words))
        throw Error("token " + std::to_string(token) + " has word id " + std::to_string(word_id) +
                        " but the sequence has " + std::to_string(num_words) +
                        " words; word ids must be -1 (special token) or a word index",
                    SourceLocation{{}, 0, 0, "word_ids"});
}

}  // namespace

std::vector<std::int64_t> align_word_labels(const std::vector<int>& word_ids,
                                            const std::vector<std::int64_t>& word_labels,
                                            bool label_all_tokens) {
    std::vector<std::int64_t> out;
    out.reserve(word_ids.size());
    int previous = -1;
    for (std::size_t i = 0; i < word_ids.size(); ++i) {
        const int word = word_ids[i];
        check_word_id(word, word_labels.size(), i);
        if (word < 0)
            out.push_back(kIgnoreIndex);
        else if (word != previous || label_all_tokens)
            out.push_back(word_labels[static_cast<std::size_t>(word)]);
        else
            out.push_back(kIgnoreIndex);
        previous = word;
    }
    return out;
}

std::vector<std::int64_t> word_predictions(const std::vector<int>& word_ids,
                                           const std::vector<std::int64_t>& token_predictions,
                                           std::size_t num_words, std::int64_t missing) {
    if (token_predictions.size() != word_ids.size())
        throw Error("there are " + std::to_string(token_predictions.size()) +
                        " token predictions for " + std::to_string(word_ids.size()) + " tokens",
                    SourceLocation{{}, 0, 0, "word_ids"});
    std::vector<std::int64_t> out(num_words, missing);
    std::vector<bool> seen(num_words, false);
    for (std::size_t i = 0; i < word_ids.size(); ++i) {
        const int word = word_ids[i];
        check_word_id(word, num_words, i);
        if (word < 0 || seen[static_cast<std::size_t>(word)])
            continue;
        seen[static_cast<std::size_t>(word)] = true;
        out[static_cast<std::size_t>(word)] = token_predictions[i];
    }
    return out;
}

}  // namespace tb::model
