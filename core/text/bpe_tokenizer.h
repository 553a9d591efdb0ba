// Byte-level BPE tokenizer (GPT-2, RoBERTa): GPT-2 pre-tokenization, bytes mapped to printable
// characters, merges applied by rank, RoBERTa's <s> A </s></s> B </s> framing.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "text/tokenizer.h"

namespace tb::text {

// Everything a byte-level BPE tokenizer is made of, as read from a model folder.
struct BpeSpec {
    std::vector<std::string> tokens;  // id -> token (vocabulary and added tokens), no gaps
    std::vector<std::pair<std::string, std::string>> merges;  // rank order
    std::string merges_source;                                // file named in errors about merges
    bool add_prefix_space = false;
    bool use_regex = true;       // false: each text is one piece (no GPT-2 pattern)
    bool ignore_merges = false;  // a piece that is a vocabulary entry is taken whole
    std::string unk;             // empty: bytes missing from the vocabulary are dropped
    bool fuse_unk = false;
    std::vector<AddedToken> added_tokens;
    PostProcessor post;  // ids filled in
    std::int64_t model_max_length = 0;
    std::string pad, cls, sep, mask;  // token strings; empty when the model has none
};

class BpeTokenizer : public Tokenizer {
public:
    // Throws tb::Error (naming spec.merges_source) for a merge whose parts or result are not
    // in the vocabulary.
    explicit BpeTokenizer(BpeSpec spec);

    // vocab.json + merges.txt (+ tokenizer_config.json, special_tokens_map.json) as
    // transformers' RobertaTokenizer / GPT2Tokenizer read them.
    static BpeTokenizer from_vocab_merges(const std::string& model_dir);
    // A tokenizer.json with model BPE and a ByteLevel pre-tokenizer.
    static BpeTokenizer from_tokenizer_json(const std::string& path);

    std::string kind() const override { return "BPE"; }
    std::int64_t vocab_size() const override { return static_cast<std::int64_t>(tokens_.size()); }
    std::int64_t token_to_id(std::string_view token) const override;
    std::string id_to_token(std::int64_t id) const override;
    bool add_prefix_space() const { return add_prefix_space_; }

protected:
    void encode_segment(std::string_view text, std::size_t begin, std::size_t end, TokenBuffer& out,
                        std::int64_t& next_word) const override;

private:
    // Appends (id, byte length) for the BPE of one piece's bytes.
    void bpe(std::string_view piece, std::vector<std::pair<std::int32_t, std::int32_t>>& out) const;

    std::vector<std::string> tokens_;
    std::unordered_map<std::string, std::int64_t> ids_;
    std::array<std::int32_t, 256> byte_ids_{};  // the token of each single byte, -1 if none
    // (left id << 32 | right id) -> (rank, merged id)
    std::unordered_map<std::uint64_t, std::pair<std::int32_t, std::int32_t>> merges_;
    bool add_prefix_space_ = false;
    bool use_regex_ = true;
    bool ignore_merges_ = false;
    bool fuse_unk_ = false;
    std::uint64_t serial_ = 0;  // identifies this instance's entries in the thread caches
};

}  // namespace tb::text
