// BERT-style token selection and replacement for masked-language-model pretraining.
#include "pretrain/mlm_masking.h"

#include <algorithm>
#include <cmath>

#include "data/split.h"

namespace tb::pretrain {

namespace {

bool flag(const std::vector<bool>& flags, std::int64_t id) {
    return id >= 0 && static_cast<std::size_t>(id) < flags.size() &&
           flags[static_cast<std::size_t>(id)];
}

double uniform01(std::mt19937_64& engine) {
    return static_cast<double>(engine() >> 11) * (1.0 / 9007199254740992.0);  // 53 bits
}

}  // namespace

MaskedSequence mask_sequence(const std::vector<std::int64_t>& ids, const MaskingVocab& vocab,
                             const MaskingOptions& options, std::mt19937_64& engine) {
    MaskedSequence out{ids, std::vector<std::int64_t>(ids.size(), kIgnoreLabel)};
    std::vector<bool> selected(ids.size(), false);
    if (!options.whole_word) {
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (!flag(vocab.is_special, ids[i]) && uniform01(engine) < options.mask_probability) {
                selected[i] = true;
            }
        }
    } else {
        // Words: a token plus the "##" pieces that follow it.
        std::vector<std::vector<std::size_t>> words;
        std::size_t candidates = 0;
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (flag(vocab.is_special, ids[i])) {
                continue;
            }
            if (words.empty() || !flag(vocab.is_continuation, ids[i]) ||
                words.back().back() + 1 != i) {
                words.emplace_back();
            }
            words.back().push_back(i);
            ++candidates;
        }
        const auto budget = std::max<std::size_t>(
            1, static_cast<std::size_t>(
                   std::lround(static_cast<double>(candidates) * options.mask_probability)));
        std::vector<std::size_t> order(words.size());
        for (std::size_t i = 0; i < order.size(); ++i) {
            order[i] = i;
        }
        data::seeded_shuffle(order, engine);
        std::size_t taken = 0;
        for (std::size_t w : order) {
            if (taken >= budget) {
                break;
            }
            if (taken + words[w].size() > budget) {
                continue;
            }
            for (std::size_t i : words[w]) {
                selected[i] = true;
            }
            taken += words[w].size();
        }
    }
    const double random_given_kept =
        options.mask_token_share < 1.0
            ? options.random_token_share / (1.0 - options.mask_token_share)
            : 0.0;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (!selected[i]) {
            continue;
        }
        out.labels[i] = ids[i];
        if (uniform01(engine) < options.mask_token_share) {
            out.input_ids[i] = vocab.mask_id;
        } else if (uniform01(engine) < random_given_kept) {
            out.input_ids[i] = static_cast<std::int64_t>(
                data::uniform_below(engine, static_cast<std::uint64_t>(vocab.vocab_size)));
        }
    }
    return out;
}

}  // namespace tb::pretrain
