// How special tokens frame one text or a pair (Hugging Face's post-processor, as a template).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace tb::text {

// One element of a template: a special token (sequence = -1) or the tokens of the first (0)
// or second (1) text, all with `type_id`.
struct TemplatePiece {
    int sequence = -1;
    std::int64_t id = -1;  // the special token's id; unused for sequences
    std::int64_t type_id = 0;
};

struct PostProcessor {
    std::vector<TemplatePiece> single;  // e.g. [CLS] $A [SEP]
    std::vector<TemplatePiece> pair;    // e.g. [CLS] $A [SEP] $B:1 [SEP]:1
    // Byte-level BPE (RobertaProcessing / ByteLevel trim_offsets): spans drop the leading and
    // trailing spaces their token encodes ("Ġ"); with add_prefix_space, the first token keeps
    // one (the one added in front of the text).
    bool trim_offsets = false;
    bool add_prefix_space = false;

    std::size_t added_tokens(bool is_pair) const {
        std::size_t n = 0;
        for (const auto& piece : is_pair ? pair : single) {
            n += piece.sequence < 0 ? 1 : 0;
        }
        return n;
    }

    // BERT: [CLS] $A [SEP] / [CLS] $A [SEP] $B:1 [SEP]:1.
    static PostProcessor bert(std::int64_t cls, std::int64_t sep) {
        PostProcessor p;
        p.single = {{-1, cls, 0}, {0, -1, 0}, {-1, sep, 0}};
        p.pair = {{-1, cls, 0}, {0, -1, 0}, {-1, sep, 0}, {1, -1, 1}, {-1, sep, 1}};
        return p;
    }
    // RoBERTa: <s> $A </s> / <s> $A </s> </s> $B </s>, all type 0.
    static PostProcessor roberta(std::int64_t cls, std::int64_t sep) {
        PostProcessor p;
        p.single = {{-1, cls, 0}, {0, -1, 0}, {-1, sep, 0}};
        p.pair = {{-1, cls, 0}, {0, -1, 0}, {-1, sep, 0}, {-1, sep, 0}, {1, -1, 0}, {-1, sep, 0}};
        return p;
    }
    // No framing (GPT-2): $A / $A $B:1.
    static PostProcessor none() {
        PostProcessor p;
        p.single = {{0, -1, 0}};
        p.pair = {{0, -1, 0}, {1, -1, 1}};
        return p;
    }
};

// Reads a tokenizer.json "post_processor" (RobertaProcessing, BertProcessing,
// TemplateProcessing, ByteLevel or a Sequence of them) into `post`, which keeps what the
// document does not set. `tokens` (id -> token) checks template ids. Throws tb::Error naming
// `path` and the key for other types and malformed entries.
void read_post_processor_json(const nlohmann::json& processor,
                              const std::vector<std::string>& tokens, const std::string& path,
                              PostProcessor& post);

}  // namespace tb::text
