// BertTokenizer: special-token extraction, basic tokenizer + WordPiece, [CLS]/[SEP] framing,
// truncation and padding.
#include "text/bert_tokenizer.h"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <system_error>
#include <thread>

#include "common/error.h"
#include "text/tokenizer_config.h"
#include "text/tokenizer_json.h"
#include "text/wordpiece.h"

namespace tb::text {

namespace {

// A batch is worth a thread per this many texts (thread start-up costs ~tens of microseconds,
// one short text costs a few).
constexpr std::size_t kTextsPerThread = 64;

std::int64_t required_id(const Vocab& vocab, const std::string& token, const char* role) {
    const std::int64_t id = vocab.id(token);
    if (id < 0) {
        throw Error(std::string("the vocabulary has no ") + role + " token \"" + token +
                    "\"; a BERT vocabulary needs its [PAD], [UNK], [CLS] and [SEP] tokens");
    }
    return id;
}

// Calls emit(segment, is_special) for the pieces of `text` between and including occurrences
// of `specials` (leftmost match first; at one position the longest token wins), as Hugging
// Face's added-token extraction does before normalization.
template <class Emit>
void for_each_segment(const std::string& text, const std::vector<std::string>& specials,
                      Emit&& emit) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t best_at = std::string::npos;
        const std::string* best = nullptr;
        for (const auto& token : specials) {  // longest first, so `<` keeps the longest tie
            const std::size_t at = text.find(token, pos);
            if (at != std::string::npos && (best_at == std::string::npos || at < best_at)) {
                best_at = at;
                best = &token;
            }
        }
        if (best == nullptr) {
            break;
        }
        if (best_at > pos) {
            emit(text.substr(pos, best_at - pos), false);
        }
        emit(*best, true);
        pos = best_at + best->size();
    }
    if (pos == 0) {
        emit(text, false);  // no special token: no copy
    } else if (pos < text.size()) {
        emit(text.substr(pos), false);
    }
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
    for (const auto* token : {&special_tokens_.unk, &special_tokens_.cls, &special_tokens_.sep,
                              &special_tokens_.pad, &special_tokens_.mask}) {
        if (!token->empty() && vocab_.contains(*token) &&
            std::find(split_tokens_.begin(), split_tokens_.end(), *token) == split_tokens_.end()) {
            split_tokens_.push_back(*token);
        }
    }
    std::stable_sort(
        split_tokens_.begin(), split_tokens_.end(),
        [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

BertTokenizer BertTokenizer::from_model_dir(const std::string& dir) {
    namespace fs = std::filesystem;
    const fs::path folder(dir);
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) {
        SourceLocation where;
        where.file = dir;
        throw Error("model folder not found; point to a folder holding the model's vocab.txt",
                    where);
    }
    // vocab.txt (+ tokenizer_config.json) is what Python's BertTokenizer reads; tokenizer.json
    // is the fallback for folders that ship only that. tokenizer_config.json overrides either.
    const fs::path vocab_path = folder / "vocab.txt";
    const fs::path json_path = folder / "tokenizer.json";
    Vocab vocab;
    TokenizerConfig config;
    std::string source;  // the file the vocabulary came from, for errors
    if (fs::exists(vocab_path, ec)) {
        source = vocab_path.string();
        vocab = Vocab::load(source);
    } else if (fs::exists(json_path, ec)) {
        source = json_path.string();
        TokenizerJson parsed = read_tokenizer_json(source);
        vocab = std::move(parsed.vocab);
        config = std::move(parsed.config);
    } else {
        SourceLocation where;
        where.file = vocab_path.string();
        throw Error(
            "vocab.txt not found in the model folder; put the model's vocab.txt there (one "
            "WordPiece token per line, the file that comes with a BERT model on Hugging Face), "
            "or its tokenizer.json",
            where);
    }
    const fs::path config_path = folder / "tokenizer_config.json";
    if (fs::exists(config_path, ec)) {
        config = read_tokenizer_config(config_path.string(), std::move(config));
    }
    try {
        BertTokenizer tokenizer(std::move(vocab), config.options, config.special_tokens);
        tokenizer.model_max_length_ = config.model_max_length;
        return tokenizer;
    } catch (const Error& e) {  // a special token missing: say which file lacks it
        SourceLocation where;
        where.file = source;
        throw Error(e.message(), where);
    }
}

BertTokenizer BertTokenizer::with_options(const BasicTokenizerOptions& options) const {
    BertTokenizer copy = *this;
    copy.options_ = options;
    return copy;
}

std::vector<std::string> BertTokenizer::tokenize(const std::string& text) const {
    std::vector<std::string> pieces;
    for_each_segment(text, split_tokens_, [&](const std::string& segment, bool special) {
        if (special) {
            pieces.push_back(segment);
            return;
        }
        for (const auto& word : basic_tokenize(segment, options_)) {
            for (auto& piece : wordpiece_split(word, vocab_, special_tokens_.unk)) {
                pieces.push_back(std::move(piece));
            }
        }
    });
    return pieces;
}

void BertTokenizer::append_ids(const std::string& text, std::vector<std::int64_t>& ids) const {
    for_each_segment(text, split_tokens_, [&](const std::string& segment, bool special) {
        if (special) {
            ids.push_back(vocab_.id(segment));
            return;
        }
        for_each_basic_token(segment, options_, [&](const std::string& word) {
            wordpiece_ids(word, vocab_, unk_id_, ids);
        });
    });
}

Encoding BertTokenizer::encode(const std::string& text, std::size_t max_length,
                               bool pad_to_max) const {
    if (max_length < 2) {
        throw Error("max_length must be at least 2, room for [CLS] and [SEP] (got " +
                    std::to_string(max_length) + ")");
    }
    Encoding enc;
    enc.input_ids.push_back(cls_id_);
    append_ids(text, enc.input_ids);
    if (enc.input_ids.size() > max_length - 1) {
        enc.input_ids.resize(max_length - 1);
    }
    enc.input_ids.push_back(sep_id_);
    enc.attention_mask.assign(enc.input_ids.size(), 1);
    if (pad_to_max && enc.input_ids.size() < max_length) {
        enc.input_ids.resize(max_length, pad_id_);
        enc.attention_mask.resize(max_length, 0);
    }
    enc.token_type_ids.assign(enc.input_ids.size(), 0);
    return enc;
}

std::vector<Encoding> BertTokenizer::encode_batch(const std::vector<std::string>& texts,
                                                  std::size_t max_length, bool pad_to_max,
                                                  std::size_t num_threads) const {
    std::vector<Encoding> out(texts.size());
    std::size_t threads = num_threads;
    if (threads == 0) {
        const std::size_t hardware = std::max(1u, std::thread::hardware_concurrency());
        threads = std::min(hardware, (texts.size() + kTextsPerThread - 1) / kTextsPerThread);
    }
    threads = std::min(threads, texts.size());
    if (threads <= 1) {
        for (std::size_t i = 0; i < texts.size(); ++i) {
            out[i] = encode(texts[i], max_length, pad_to_max);
        }
        return out;
    }

    // Contiguous chunks, each writing only its own slots of `out`: the result does not depend
    // on scheduling. The calling thread encodes the last chunk (and any chunk whose thread
    // could not be started). The first failure in input order is rethrown after all joined.
    std::vector<std::exception_ptr> errors(threads);
    const std::size_t chunk = (texts.size() + threads - 1) / threads;
    auto run_chunk = [&](std::size_t t) {
        const std::size_t begin = std::min(texts.size(), t * chunk);
        const std::size_t end = std::min(texts.size(), begin + chunk);
        try {
            for (std::size_t i = begin; i < end; ++i) {
                out[i] = encode(texts[i], max_length, pad_to_max);
            }
        } catch (...) {
            errors[t] = std::current_exception();
        }
    };
    std::vector<std::thread> workers;
    workers.reserve(threads - 1);
    for (std::size_t t = 0; t + 1 < threads; ++t) {
        try {
            workers.emplace_back(run_chunk, t);
        } catch (const std::system_error&) {
            run_chunk(t);
        }
    }
    run_chunk(threads - 1);
    for (auto& worker : workers) {
        worker.join();
    }
    for (const auto& error : errors) {
        if (error) {
            std::rethrow_exception(error);
        }
    }
    return out;
}

}  // namespace tb::text
