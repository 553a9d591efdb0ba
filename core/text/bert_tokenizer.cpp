// BertTokenizer: basic tokenizer + WordPiece with offsets, [CLS]/[SEP] framing; loading from a
// model folder.
#include "text/bert_tokenizer.h"

#include <filesystem>

#include "common/error.h"
#include "text/tokenizer_config.h"
#include "text/tokenizer_json.h"
#include "text/utf8.h"
#include "text/wordpiece.h"

namespace tb::text {

namespace {

std::int64_t required_id(const Vocab& vocab, const std::string& token, const char* role) {
    const std::int64_t id = vocab.id(token);
    if (id < 0) {
        throw Error(std::string("the vocabulary has no ") + role + " token \"" + token +
                    "\"; a BERT vocabulary needs its [PAD], [UNK], [CLS] and [SEP] tokens");
    }
    return id;
}

}  // namespace

BertTokenizer::BertTokenizer(Vocab vocab, BasicTokenizerOptions options)
    : BertTokenizer(std::move(vocab), options, SpecialTokens{}) {}

BertTokenizer::BertTokenizer(Vocab vocab, BasicTokenizerOptions options,
                             SpecialTokens special_tokens)
    : vocab_(std::move(vocab)), options_(options), special_tokens_(std::move(special_tokens)) {
    unk_id_ = required_id(vocab_, special_tokens_.unk, "unknown");
    cls_id_ = required_id(vocab_, special_tokens_.cls, "classifier");
    sep_id_ = required_id(vocab_, special_tokens_.sep, "separator");
    pad_id_ = required_id(vocab_, special_tokens_.pad, "padding");
    mask_id_ = special_tokens_.mask.empty() ? -1 : vocab_.id(special_tokens_.mask);
    // The special tokens are added tokens: found in the raw text before normalization.
    for (const auto* token : {&special_tokens_.unk, &special_tokens_.cls, &special_tokens_.sep,
                              &special_tokens_.pad, &special_tokens_.mask}) {
        if (!token->empty() && vocab_.contains(*token)) {
            AddedToken added;
            added.content = *token;
            added.id = vocab_.id(*token);
            added.special = true;
            added_.add(added);
        }
    }
    post_ = PostProcessor::bert(cls_id_, sep_id_);
}

void BertTokenizer::add_tokens(const std::vector<AddedToken>& tokens) {
    for (const auto& token : tokens) {
        if (token.id < 0 || token.id >= vocab_.size()) {
            throw Error("added token \"" + token.content + "\" has id " + std::to_string(token.id) +
                        ", outside the vocabulary of " + std::to_string(vocab_.size()) + " tokens");
        }
        added_.add(token);
    }
}

namespace {

// tokenizer_config.json (when present) over `config`, then the tokenizer itself; errors about
// missing special tokens name `source`, the file the vocabulary came from.
BertTokenizer assemble(const std::filesystem::path& folder, Vocab vocab, TokenizerConfig config,
                       const std::vector<AddedToken>& added, const std::string& source) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path config_path = folder / "tokenizer_config.json";
    if (fs::exists(config_path, ec)) {
        config = read_tokenizer_config(config_path.string(), std::move(config));
    }
    try {
        BertTokenizer tokenizer(std::move(vocab), config.options, config.special_tokens);
        tokenizer.set_model_max_length(config.model_max_length);
        tokenizer.add_tokens(added);
        return tokenizer;
    } catch (const Error& e) {  // a special token missing: say which file lacks it
        SourceLocation where;
        where.file = source;
        throw Error(e.message(), where);
    }
}

void require_folder(const std::string& dir) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
        SourceLocation where;
        where.file = dir;
        throw Error("model folder not found; point to a folder holding the model's vocab.txt",
                    where);
    }
}

}  // namespace

BertTokenizer BertTokenizer::from_model_dir(const std::string& dir) {
    namespace fs = std::filesystem;
    require_folder(dir);
    // vocab.txt (+ tokenizer_config.json) is what Python's BertTokenizer reads; tokenizer.json
    // is the fallback for folders that ship only that. tokenizer_config.json overrides either.
    const fs::path vocab_path = fs::path(dir) / "vocab.txt";
    std::error_code ec;
    if (fs::exists(vocab_path, ec)) {
        return assemble(dir, Vocab::load(vocab_path.string()), TokenizerConfig{}, {},
                        vocab_path.string());
    }
    if (fs::exists(fs::path(dir) / "tokenizer.json", ec)) {
        return from_tokenizer_json(dir);
    }
    SourceLocation where;
    where.file = vocab_path.string();
    throw Error(
        "vocab.txt not found in the model folder; put the model's vocab.txt there (one "
        "WordPiece token per line, the file that comes with a BERT model on Hugging Face), "
        "or its tokenizer.json",
        where);
}

BertTokenizer BertTokenizer::from_tokenizer_json(const std::string& dir) {
    require_folder(dir);
    const std::string path = (std::filesystem::path(dir) / "tokenizer.json").string();
    TokenizerJson parsed = read_tokenizer_json(path);
    return assemble(dir, std::move(parsed.vocab), std::move(parsed.config), parsed.added_tokens,
                    path);
}

BertTokenizer BertTokenizer::with_options(const BasicTokenizerOptions& options) const {
    BertTokenizer copy = *this;
    copy.options_ = options;
    return copy;
}

void BertTokenizer::encode_segment(std::string_view text, std::size_t begin, std::size_t end,
                                   TokenBuffer& out, std::int64_t& next_word) const {
    thread_local std::vector<std::size_t> piece_ends;
    const BasicWordEmit emit = [&](const std::string& word, const std::vector<TokenSpan>& spans) {
        const std::size_t first = out.ids.size();
        wordpiece_ids(word, vocab_, unk_id_, out.ids, piece_ends);
        std::size_t start = 0;
        for (std::size_t k = 0; k < out.ids.size() - first; ++k) {
            const std::size_t stop = piece_ends[k];
            out.spans.push_back({spans[start].begin, spans[stop - 1].end});
            out.word_ids.push_back(next_word);
            start = stop;
        }
        ++next_word;
    };
    for_each_basic_word(text, begin, end, options_, emit);
}

Encoding BertTokenizer::encode(const std::string& text, std::size_t max_length,
                               bool pad_to_max) const {
    if (max_length < 2) {
        throw Error("max_length must be at least 2, room for [CLS] and [SEP] (got " +
                    std::to_string(max_length) + ")");
    }
    EncodeOptions options;
    options.max_length = max_length;
    options.padding = pad_to_max ? Padding::ToMaxLength : Padding::None;
    return encode(std::string_view(text), options);
}

std::vector<Encoding> BertTokenizer::encode_batch(const std::vector<std::string>& texts,
                                                  std::size_t max_length, bool pad_to_max,
                                                  std::size_t num_threads) const {
    if (max_length < 2) {
        throw Error("max_length must be at least 2, room for [CLS] and [SEP] (got " +
                    std::to_string(max_length) + ")");
    }
    EncodeOptions options;
    options.max_length = max_length;
    options.padding = pad_to_max ? Padding::ToMaxLength : Padding::None;
    return encode_batch(texts, options, num_threads);
}

}  // namespace tb::text
