// fastText feature extraction; mirrors Dictionary::getLine of fastText 0.9 (format version 12).
#include "model/fasttext_features.h"

namespace tb::model::fasttext {

namespace {

const std::string kEos = "</s>";
const std::string kLabelPrefix = "__label__";

// Maps a bucket id to its input row, or -1 when the bucket was pruned away (.ftz) or the
// model keeps no n-gram rows.
int32_t bucket_row(const Model& model, int64_t id) {
    const Dictionary& d = model.dict;
    if (d.prune_index_size == 0 || id < 0)
        return -1;
    if (d.prune_index_size > 0) {
        const auto it = d.prune_index.find(static_cast<int32_t>(id));
        if (it == d.prune_index.end())
            return -1;
        id = it->second;
    }
    const int64_t row = d.nwords + id;
    return row < model.input.rows ? static_cast<int32_t>(row) : -1;
}

void push_bucket(const Model& model, int64_t id, std::vector<int32_t>& out) {
    const int32_t row = bucket_row(model, id);
    if (row >= 0)
        out.push_back(row);
}

bool is_delimiter(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f' || c == '\0';
}

}  // namespace

uint32_t fasttext_hash(const std::string& s) {
    uint32_t h = 2166136261u;
    for (char c : s) {
        h = h ^ static_cast<uint32_t>(static_cast<int8_t>(c));
        h = h * 16777619u;
    }
    return h;
}

std::vector<std::string> tokenize_line(const std::string& line) {
    std::vector<std::string> tokens;
    std::string cur;
    for (char c : line) {
        if (is_delimiter(c)) {
            if (!cur.empty())
                tokens.push_back(cur);
            cur.clear();
        } else {
            cur.push_back(c);
        }
    }
    if (!cur.empty())
        tokens.push_back(cur);
    tokens.push_back(kEos);
    return tokens;
}

std::vector<int32_t> char_ngram_rows(const Model& model, const std::string& token) {
    std::vector<int32_t> out;
    const Args& a = model.args;
    if (a.maxn <= 0 || a.bucket <= 0)
        return out;
    const std::string word = "<" + token + ">";
    const size_t len = word.size();
    for (size_t i = 0; i < len; ++i) {
        if ((word[i] & 0xC0) == 0x80)
            continue;  // not the first byte of a UTF-8 character
        std::string ngram;
        size_t j = i;
        for (int32_t n = 1; j < len && n <= a.maxn; ++n) {
            ngram.push_back(word[j++]);
            while (j < len && (word[j] & 0xC0) == 0x80)
                ngram.push_back(word[j++]);
            // Single characters at the word's boundaries ("<", ">") are not n-grams.
            if (n >= a.minn && !(n == 1 && (i == 0 || j == len)))
                push_bucket(model, fasttext_hash(ngram) % static_cast<uint32_t>(a.bucket), out);
        }
    }
    return out;
}

std::vector<int32_t> line_features(const Model& model, const std::string& line) {
    const Dictionary& d = model.dict;
    std::vector<int32_t> rows;
    std::vector<int32_t> word_hashes;  // int32 on purpose: fastText sign-extends them below
    for (const std::string& token : tokenize_line(line)) {
        const uint32_t h = fasttext_hash(token);
        const auto it = d.ids.find(token);
        const int32_t wid = it == d.ids.end() ? -1 : it->second;
        const bool is_label = wid >= 0 ? d.entries[wid].is_label
                                       : token.compare(0, kLabelPrefix.size(), kLabelPrefix) == 0;
        if (is_label)
            continue;
        if (wid < 0) {
            if (token != kEos) {
                const auto ngrams = char_ngram_rows(model, token);
                rows.insert(rows.end(), ngrams.begin(), ngrams.end());
            }
        } else {
            rows.push_back(wid);
            if (token != kEos) {  // fastText gives the EOS entry no character n-grams
                const auto ngrams = char_ngram_rows(model, token);
                rows.insert(rows.end(), ngrams.begin(), ngrams.end());
            }
        }
        word_hashes.push_back(static_cast<int32_t>(h));
    }
    const int32_t n = model.args.bucket > 0 ? model.args.word_ngrams : 1;
    for (size_t i = 0; i < word_hashes.size(); ++i) {
        uint64_t h = static_cast<uint64_t>(static_cast<int64_t>(word_hashes[i]));
        for (size_t j = i + 1; j < word_hashes.size() && j < i + n; ++j) {
            h = h * 116049371ull + static_cast<uint64_t>(static_cast<int64_t>(word_hashes[j]));
            push_bucket(model, static_cast<int64_t>(h % static_cast<uint64_t>(model.args.bucket)),
                        rows);
        }
    }
    return rows;
}

}  // namespace tb::model::fasttext
