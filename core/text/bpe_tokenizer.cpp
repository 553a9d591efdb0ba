// Byte-level BPE: pieces from the GPT-2 pattern, merges by rank (as Hugging Face's BPE model:
// always the lowest-ranked adjacent pair, leftmost first), spans mapped back to the input.
#include "text/bpe_tokenizer.h"

#include <atomic>
#include <limits>

#include "common/error.h"
#include "text/byte_level.h"
#include "text/utf8.h"

namespace tb::text {

namespace {

std::atomic<std::uint64_t> next_serial{1};

using Symbols = std::vector<std::pair<std::int32_t, std::int32_t>>;  // (id, bytes)

// Per-thread cache of piece -> symbols for one tokenizer at a time; pieces repeat a lot
// (words), so most pieces skip the merge loop.
struct PieceCache {
    std::uint64_t owner = 0;
    std::unordered_map<std::string, Symbols> entries;
};
constexpr std::size_t kCacheEntries = 1 << 16;
constexpr std::size_t kCachedPieceBytes = 64;

std::uint64_t pair_key(std::int64_t a, std::int64_t b) {
    return static_cast<std::uint64_t>(a) << 32 | static_cast<std::uint32_t>(b);
}

}  // namespace

BpeTokenizer::BpeTokenizer(BpeSpec spec)
    : tokens_(std::move(spec.tokens)),
      add_prefix_space_(spec.add_prefix_space),
      use_regex_(spec.use_regex),
      ignore_merges_(spec.ignore_merges),
      fuse_unk_(spec.fuse_unk),
      serial_(next_serial++) {
    if (tokens_.size() >= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
        throw Error("the vocabulary is too large (" + std::to_string(tokens_.size()) + " tokens)");
    }
    ids_.reserve(tokens_.size());
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
        ids_.emplace(tokens_[i], static_cast<std::int64_t>(i));  // first id wins
    }
    const auto& alphabet = byte_level_alphabet();
    for (int b = 0; b < 256; ++b) {
        const auto it = ids_.find(alphabet[b]);
        byte_ids_[b] = it == ids_.end() ? -1 : static_cast<std::int32_t>(it->second);
    }
    merges_.reserve(spec.merges.size());
    for (std::size_t rank = 0; rank < spec.merges.size(); ++rank) {
        const auto& [left, right] = spec.merges[rank];
        const auto a = ids_.find(left);
        const auto b = ids_.find(right);
        const auto merged = ids_.find(left + right);
        if (a == ids_.end() || b == ids_.end() || merged == ids_.end()) {
            SourceLocation where;
            where.file = spec.merges_source;
            where.line = static_cast<long>(rank + 1);
            where.key = "merges";
            throw Error("merge \"" + left + " " + right + "\" (rank " + std::to_string(rank) +
                            ") uses a token missing from the vocabulary (\"" +
                            (a == ids_.end()   ? left
                             : b == ids_.end() ? right
                                               : left + right) +
                            "\"); vocab.json and merges.txt must come from the same model",
                        where);
        }
        // A pair listed twice keeps its first (lowest) rank, as Hugging Face does.
        merges_.emplace(pair_key(a->second, b->second),
                        std::make_pair(static_cast<std::int32_t>(rank),
                                       static_cast<std::int32_t>(merged->second)));
    }
    for (auto& token : spec.added_tokens) {
        if (token.id < 0 || token.id >= vocab_size()) {
            throw Error("added token \"" + token.content + "\" has id " + std::to_string(token.id) +
                        ", outside the vocabulary of " + std::to_string(vocab_size()) + " tokens");
        }
        added_.add(token);
    }
    post_ = spec.post;
    model_max_length_ = spec.model_max_length;
    pad_id_ = spec.pad.empty() ? -1 : token_to_id(spec.pad);
    cls_id_ = spec.cls.empty() ? -1 : token_to_id(spec.cls);
    sep_id_ = spec.sep.empty() ? -1 : token_to_id(spec.sep);
    mask_id_ = spec.mask.empty() ? -1 : token_to_id(spec.mask);
    unk_id_ = spec.unk.empty() ? -1 : token_to_id(spec.unk);
}

std::int64_t BpeTokenizer::token_to_id(std::string_view token) const {
    const auto it = ids_.find(std::string(token));
    return it == ids_.end() ? -1 : it->second;
}

std::string BpeTokenizer::id_to_token(std::int64_t id) const {
    if (id < 0 || id >= vocab_size()) {
        throw std::out_of_range("token id " + std::to_string(id) +
                                " is outside the vocabulary (size " + std::to_string(vocab_size()) +
                                ")");
    }
    return tokens_[static_cast<std::size_t>(id)];
}

void BpeTokenizer::bpe(std::string_view piece, Symbols& out) const {
    thread_local PieceCache cache;
    if (cache.owner != serial_) {
        cache.owner = serial_;
        cache.entries.clear();
    }
    const bool cacheable = piece.size() <= kCachedPieceBytes;
    if (cacheable) {
        const auto hit = cache.entries.find(std::string(piece));
        if (hit != cache.entries.end()) {
            out.insert(out.end(), hit->second.begin(), hit->second.end());
            return;
        }
    }
    thread_local Symbols symbols;
    symbols.clear();
    bool whole = false;
    if (ignore_merges_) {
        std::string mapped;
        for (char c : piece) {
            mapped += byte_level_alphabet()[static_cast<unsigned char>(c)];
        }
        const auto it = ids_.find(mapped);
        if (it != ids_.end()) {
            symbols.emplace_back(static_cast<std::int32_t>(it->second),
                                 static_cast<std::int32_t>(piece.size()));
            whole = true;
        }
    }
    if (!whole) {
        for (char c : piece) {
            const std::int32_t id = byte_ids_[static_cast<unsigned char>(c)];
            if (id >= 0) {
                symbols.emplace_back(id, 1);
            } else if (unk_id_ >= 0) {  // a byte the vocabulary lacks: unk (or dropped)
                if (fuse_unk_ && !symbols.empty() && symbols.back().first == unk_id_) {
                    ++symbols.back().second;
                } else {
                    symbols.emplace_back(static_cast<std::int32_t>(unk_id_), 1);
                }
            }
        }
        // Lowest rank first, leftmost among equals: the order of Hugging Face's merge queue.
        while (symbols.size() > 1) {
            std::int32_t best_rank = std::numeric_limits<std::int32_t>::max();
            std::size_t best = symbols.size();
            std::int32_t best_id = -1;
            for (std::size_t i = 0; i + 1 < symbols.size(); ++i) {
                const auto it = merges_.find(pair_key(symbols[i].first, symbols[i + 1].first));
                if (it != merges_.end() && it->second.first < best_rank) {
                    best_rank = it->second.first;
                    best = i;
                    best_id = it->second.second;
                }
            }
            if (best == symbols.size()) {
                break;
            }
            symbols[best] = {best_id, symbols[best].second + symbols[best + 1].second};
            symbols.erase(symbols.begin() + static_cast<std::ptrdiff_t>(best) + 1);
        }
    }
    out.insert(out.end(), symbols.begin(), symbols.end());
    if (cacheable) {
        if (cache.entries.size() >= kCacheEntries) {
            cache.entries.clear();
        }
        cache.entries.emplace(std::string(piece), symbols);
    }
}

void BpeTokenizer::encode_segment(std::string_view text, std::size_t begin, std::size_t end,
                                  TokenBuffer& out, std::int64_t& next_word) const {
    // With add_prefix_space the segment is tokenized as " " + segment; that space stands for
    // the segment's first character in spans (Hugging Face's prepend alignment).
    thread_local std::string prefixed;
    std::string_view work = text;
    std::size_t work_begin = begin, work_end = end;
    const bool prefix = add_prefix_space_ && begin < end && text[begin] != ' ';
    if (prefix) {
        prefixed.assign(1, ' ');
        prefixed.append(text.data() + begin, end - begin);
        work = prefixed;
        work_begin = 0;
        work_end = prefixed.size();
    }
    // Work position -> byte of `text` it stands for.
    auto source = [&](std::size_t p) { return prefix ? (p == 0 ? begin : begin + p - 1) : p; };
    // Byte -> the character holding it, decoded as decode_next does (an invalid byte is a
    // character of its own), so spans always cover whole characters.
    thread_local std::vector<std::uint32_t> char_starts, char_stops;
    char_starts.resize(end - begin);
    char_stops.resize(end - begin);
    const std::string_view view = text.substr(0, end);
    for (std::size_t pos = begin; pos < end;) {
        const std::size_t start = pos;
        decode_next(view, pos);
        for (std::size_t b = start; b < pos; ++b) {
            char_starts[b - begin] = static_cast<std::uint32_t>(start - begin);
            char_stops[b - begin] = static_cast<std::uint32_t>(pos - begin);
        }
    }
    auto char_begin = [&](std::size_t b) { return begin + char_starts[b - begin]; };
    auto char_end = [&](std::size_t b) { return begin + char_stops[b - begin]; };
    thread_local Symbols symbols;
    const bool trims = post_.trim_offsets;
    auto emit_piece = [&](std::size_t piece_begin, std::size_t piece_end) {
        symbols.clear();
        bpe(work.substr(piece_begin, piece_end - piece_begin), symbols);
        std::size_t pos = piece_begin;
        for (const auto& [id, length] : symbols) {
            const std::size_t stop = pos + static_cast<std::size_t>(length);
            out.ids.push_back(id);
            out.spans.push_back({static_cast<std::int64_t>(char_begin(source(pos))),
                                 static_cast<std::int64_t>(char_end(source(stop - 1)))});
            out.word_ids.push_back(next_word);
            if (trims) {
                std::size_t lead = 0, trail = 0;
                while (pos + lead < stop && work[pos + lead] == ' ') {
                    ++lead;
                }
                while (trail < stop - pos && work[stop - 1 - trail] == ' ') {
                    ++trail;
                }
                out.trims.push_back(pack_trim(lead, trail, lead, trail));
            }
            pos = stop;
        }
        ++next_word;
    };
    if (use_regex_) {
        for_each_gpt2_piece(work, work_begin, work_end, emit_piece);
    } else if (work_begin < work_end) {
        emit_piece(work_begin, work_end);
    }
}

}  // namespace tb::text
