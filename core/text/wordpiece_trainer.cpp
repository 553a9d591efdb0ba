// WordPiece vocabulary training: Hugging Face's BPE-with-"##" merge loop, made deterministic.
#include "text/wordpiece_trainer.h"

#include <algorithm>
#include <map>
#include <queue>
#include <unordered_set>

#include "common/error.h"
#include "text/utf8.h"

namespace tb::text {

namespace {

using Pair = std::pair<std::uint32_t, std::uint32_t>;

struct PairHash {
    std::size_t operator()(const Pair& p) const {
        return std::hash<std::uint64_t>()((static_cast<std::uint64_t>(p.first) << 32) | p.second);
    }
};

// A candidate merge in the priority queue; its count may be stale (checked when popped).
struct Merge {
    Pair pair;
    std::int64_t count;
    std::vector<std::size_t> words;  // the words in which the pair may occur
};

// Highest count first; equal counts: the smaller pair (by ids) first, as the reference orders.
struct MergeOrder {
    bool operator()(const Merge& a, const Merge& b) const {
        if (a.count != b.count) {
            return a.count < b.count;
        }
        return a.pair > b.pair;
    }
};

struct Change {
    Pair pair;
    int delta;
};

// Replaces every non-overlapping (a, b), left to right, by `merged` and lists how the counts of
// the neighbouring pairs change (the reference's Word::merge).
void merge_word(std::vector<std::uint32_t>& symbols, const Pair& pair, std::uint32_t merged,
                std::vector<Change>& changes) {
    std::size_t i = 0;
    while (i < symbols.size()) {
        if (symbols[i] == pair.first && i + 1 < symbols.size() && symbols[i + 1] == pair.second) {
            if (i > 0) {
                changes.push_back({{symbols[i - 1], pair.first}, -1});
                changes.push_back({{symbols[i - 1], merged}, 1});
            }
            symbols[i] = merged;
            symbols.erase(symbols.begin() + static_cast<std::ptrdiff_t>(i) + 1);
            if (i + 1 < symbols.size()) {
                changes.push_back({{pair.second, symbols[i + 1]}, -1});
                changes.push_back({{merged, symbols[i + 1]}, 1});
            }
        }
        ++i;
    }
}

}  // namespace

WordPieceTrainer::WordPieceTrainer(WordPieceTrainerOptions options)
    : options_(std::move(options)) {}

void WordPieceTrainer::feed(const std::string& text) {
    for_each_basic_token(text, options_.normalizer,
                         [&](const std::string& word) { add_word(word, 1); });
}

void WordPieceTrainer::add_word(const std::string& word, std::uint64_t count) {
    if (word.empty() || count == 0) {
        return;
    }
    const auto [it, inserted] = index_.emplace(word, words_.size());
    if (inserted) {
        words_.emplace_back(word, count);
    } else {
        words_[it->second].second += count;
    }
}

Vocab WordPieceTrainer::train() const {
    if (options_.vocab_size < options_.special_tokens.size()) {
        throw Error("the vocabulary size (" + std::to_string(options_.vocab_size) +
                        ") is smaller than the number of special tokens (" +
                        std::to_string(options_.special_tokens.size()) + ")",
                    SourceLocation{"", 0, 0, "vocab_size"});
    }
    std::vector<std::string> id_to_token;
    std::unordered_map<std::string, std::uint32_t> token_to_id;
    auto add_token = [&](const std::string& token) {
        const auto [it, inserted] =
            token_to_id.emplace(token, static_cast<std::uint32_t>(id_to_token.size()));
        if (inserted) {
            id_to_token.push_back(token);
        }
        return it->second;
    };
    for (const auto& special : options_.special_tokens) {
        add_token(special);
    }

    // Alphabet: every character with its total count; with a limit, the rarest are dropped.
    std::vector<std::u32string> decoded;
    decoded.reserve(words_.size());
    std::map<char32_t, std::uint64_t> alphabet;
    for (const auto& [word, count] : words_) {
        decoded.push_back(decode_utf8(word));
        for (char32_t cp : decoded.back()) {
            alphabet[cp] += count;
        }
    }
    std::vector<std::pair<char32_t, std::uint64_t>> kept(alphabet.begin(), alphabet.end());
    if (options_.limit_alphabet > 0 && kept.size() > options_.limit_alphabet) {
        std::stable_sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) {
            return a.second != b.second ? a.second > b.second : a.first < b.first;
        });
        kept.resize(options_.limit_alphabet);
        std::sort(kept.begin(), kept.end());
    }
    for (const auto& [cp, count] : kept) {
        std::string s;
        append_utf8(s, cp);
        add_token(s);
    }

    // The "##" pieces get their ids before the words are split. The reference numbers them as
    // it meets words in (random) hash order, so a piece found in many words tends to come
    // early; ordering by the number of distinct words holding the character at a non-initial
    // position (then by first appearance) approximates that order's most likely outcome, and
    // deterministic.
    {
        std::unordered_map<char32_t, std::size_t> word_counts;
        std::vector<char32_t> first_seen;  // in the order the corpus's words show them
        std::unordered_set<char32_t> seen;
        for (const auto& cps : decoded) {
            seen.clear();
            for (std::size_t i = 1; i < cps.size(); ++i) {
                if (seen.insert(cps[i]).second) {
                    if (word_counts[cps[i]]++ == 0) {
                        first_seen.push_back(cps[i]);
                    }
                }
            }
        }
        std::stable_sort(first_seen.begin(), first_seen.end(),
                         [&](char32_t a, char32_t b) { return word_counts[a] > word_counts[b]; });
        for (char32_t cp : first_seen) {
            std::string s;
            append_utf8(s, cp);
            if (token_to_id.count(s) != 0) {
                add_token(options_.continuing_subword_prefix + s);
            }
        }
    }

    // Words as symbol ids: the first character plain, the others "##"-prefixed.
    std::vector<std::vector<std::uint32_t>> words(words_.size());
    std::vector<std::int64_t> counts(words_.size());
    for (std::size_t w = 0; w < words_.size(); ++w) {
        counts[w] = static_cast<std::int64_t>(words_[w].second);
        bool first = true;
        for (char32_t cp : decoded[w]) {
            std::string s;
            append_utf8(s, cp);
            if (token_to_id.count(s) == 0) {
                continue;  // dropped from the alphabet
            }
            if (!first) {
                s = options_.continuing_subword_prefix + s;
            }
            words[w].push_back(add_token(s));
            first = false;
        }
    }

    std::unordered_map<Pair, std::int64_t, PairHash> pair_counts;
    std::unordered_map<Pair, std::vector<std::size_t>, PairHash> where;
    for (std::size_t w = 0; w < words.size(); ++w) {
        for (std::size_t i = 0; i + 1 < words[w].size(); ++i) {
            const Pair pair{words[w][i], words[w][i + 1]};
            pair_counts[pair] += counts[w];
            auto& list = where[pair];
            if (list.empty() || list.back() != w) {
                list.push_back(w);
            }
        }
    }
    std::priority_queue<Merge, std::vector<Merge>, MergeOrder> queue;
    for (auto& [pair, list] : where) {
        if (pair_counts[pair] > 0) {
            queue.push(Merge{pair, pair_counts[pair], std::move(list)});
        }
    }
    where.clear();

    const auto& prefix = options_.continuing_subword_prefix;
    std::vector<Change> changes;
    while (token_to_id.size() < options_.vocab_size && !queue.empty()) {
        Merge top = queue.top();
        queue.pop();
        const std::int64_t current = pair_counts[top.pair];
        if (top.count != current) {
            top.count = current;
            queue.push(std::move(top));
            continue;
        }
        if (top.count < 1 || static_cast<std::int64_t>(options_.min_frequency) > top.count) {
            break;
        }
        std::string right = id_to_token[top.pair.second];
        if (!prefix.empty() && right.compare(0, prefix.size(), prefix) == 0) {
            right.erase(0, prefix.size());
        }
        const std::uint32_t merged = add_token(id_to_token[top.pair.first] + right);

        std::unordered_map<Pair, std::unordered_set<std::size_t>, PairHash> created;
        for (std::size_t w : top.words) {
            changes.clear();
            merge_word(words[w], top.pair, merged, changes);
            for (const auto& change : changes) {
                pair_counts[change.pair] += change.delta * counts[w];
                if (change.delta > 0) {
                    created[change.pair].insert(w);
                }
            }
        }
        for (auto& [pair, set] : created) {
            const std::int64_t count = pair_counts[pair];
            if (count > 0) {
                std::vector<std::size_t> list(set.begin(), set.end());
                std::sort(list.begin(), list.end());
                queue.push(Merge{pair, count, std::move(list)});
            }
        }
    }
    return Vocab(std::move(id_to_token));
}

}  // namespace tb::text
