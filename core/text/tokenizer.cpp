// The shared half of every tokenizer: added-token extraction, offset trimming, truncation,
// template framing, offset units and padding (batches: tokenizer_batch.cpp).
#include "text/tokenizer.h"

#include <algorithm>

#include "common/error.h"
#include "text/char_classes.h"
#include "text/tokenizer_batch.h"
#include "text/utf8.h"

namespace tb::text {

namespace {

// Byte offset -> offset in `unit`, for spans that start and end on character boundaries
// (all of ours do). ASCII text needs no table.
class OffsetConverter {
public:
    OffsetConverter(std::string_view text, OffsetUnit unit) {
        if (unit == OffsetUnit::Bytes || std::all_of(text.begin(), text.end(), [](char c) {
                return static_cast<unsigned char>(c) < 0x80;
            })) {
            return;
        }
        identity_ = false;
        table_.assign(text.size() + 1, 0);
        std::size_t pos = 0;
        std::int64_t units = 0;
        while (pos < text.size()) {
            const std::size_t start = pos;
            const char32_t cp = decode_next(text, pos);
            for (std::size_t b = start; b < pos; ++b) {
                table_[b] = units;
            }
            units += unit == OffsetUnit::Utf16 && cp >= 0x10000 ? 2 : 1;
        }
        table_[text.size()] = units;
    }

    TokenSpan operator()(TokenSpan span) const {
        if (identity_) {
            return span;
        }
        return {table_[static_cast<std::size_t>(span.begin)],
                table_[static_cast<std::size_t>(span.end)]};
    }

private:
    bool identity_ = true;
    std::vector<std::int64_t> table_;
};

// RobertaProcessing / ByteLevel process_offsets: drop encoded spaces from the span, except the
// one space add_prefix_space put in front of the first token.
void trim_offsets(TokenBuffer& buffer, bool add_prefix_space, bool bytes) {
    for (std::size_t i = 0; i < buffer.size(); ++i) {
        const std::uint32_t packed = buffer.trims[i];
        std::int64_t lead = bytes ? (packed >> 16) & 0xFF : packed & 0xFF;
        const std::int64_t trail = bytes ? (packed >> 24) & 0xFF : (packed >> 8) & 0xFF;
        TokenSpan& span = buffer.spans[i];
        if (lead > 0) {
            const bool first = i == 0 || span.begin == 0;
            if (first && add_prefix_space && (packed & 0xFF) == 1) {
                lead = 0;
            }
            span.begin = std::min(span.begin + lead, span.end);
        }
        if (trail > 0 && span.end >= trail) {
            span.end = std::max(span.end - trail, span.begin);
        }
    }
}

void truncate(TokenBuffer& buffer, std::size_t n) {
    if (buffer.size() > n) {
        buffer.ids.resize(n);
        buffer.spans.resize(n);
        buffer.word_ids.resize(n);
        if (!buffer.trims.empty()) {
            buffer.trims.resize(n);
        }
    }
}

// The length Hugging Face compares when it shares max_length between a pair: it stops
// tokenizing a text after the word in which the token count reaches the full max_length
// (framing included), so a longer text counts as that many tokens. Observed with tokenizers
// 0.23 and reproduced so that ties go the same way.
std::size_t compared_length(const TokenBuffer& buffer, std::size_t full_max_length) {
    if (buffer.size() <= full_max_length || full_max_length == 0) {
        return buffer.size();
    }
    std::size_t end = full_max_length;
    const std::int64_t word = buffer.word_ids[full_max_length - 1];
    while (end < buffer.size() && buffer.word_ids[end] == word) {
        ++end;
    }
    return end;
}

// Hugging Face's truncate_encodings, step for step (same lengths in every case). max_length
// excludes the framing tokens, full_max_length includes them.
void truncate_sequences(TokenBuffer& a, TokenBuffer* b, std::size_t max_length,
                        std::size_t full_max_length, TruncationStrategy strategy) {
    if (max_length == 0) {  // room for the special tokens only
        truncate(a, 0);
        if (b != nullptr) {
            truncate(*b, 0);
        }
        return;
    }
    const std::size_t total = a.size() + (b != nullptr ? b->size() : 0);
    if (total <= max_length) {
        return;
    }
    const std::size_t to_remove = total - max_length;
    if (strategy == TruncationStrategy::LongestFirst) {
        if (b == nullptr) {
            truncate(a, max_length);
            return;
        }
        std::size_t n1 = compared_length(a, full_max_length);
        std::size_t n2 = compared_length(*b, full_max_length);
        const bool swap = n1 > n2;
        if (swap) {
            std::swap(n1, n2);
        }
        n2 = n1 > max_length ? n1 : std::max(n1, max_length - n1);
        if (n1 + n2 > max_length) {
            n1 = max_length / 2;
            n2 = n1 + max_length % 2;
        }
        if (swap) {
            std::swap(n1, n2);
        }
        truncate(a, n1);
        truncate(*b, n2);
        return;
    }
    TokenBuffer* target = strategy == TruncationStrategy::OnlyFirst ? &a : b;
    if (target == nullptr) {
        throw Error("truncation only_second needs a second text");
    }
    if (target->size() <= to_remove) {
        throw Error("cannot truncate to max_length " + std::to_string(max_length) + ": the " +
                    (target == &a ? "first" : "second") +
                    " text is too short for its truncation strategy; raise max_length or use "
                    "longest_first");
    }
    truncate(*target, target->size() - to_remove);
}

// Thread-local scratch buffers so that encoding a text allocates only its result.
struct Scratch {
    TokenBuffer a, b, word;
};

Scratch& scratch() {
    thread_local Scratch s;
    return s;
}

}  // namespace

std::uint32_t Tokenizer::pack_trim(std::size_t lead_chars, std::size_t trail_chars,
                                   std::size_t lead_bytes, std::size_t trail_bytes) {
    auto clamp = [](std::size_t v) {
        return static_cast<std::uint32_t>(std::min<std::size_t>(v, 255));
    };
    return clamp(lead_chars) | clamp(trail_chars) << 8 | clamp(lead_bytes) << 16 |
           clamp(trail_bytes) << 24;
}

void Tokenizer::encode_text(std::string_view text, TokenBuffer& out) const {
    out.clear();
    std::int64_t next_word = 0;
    if (added_.empty()) {
        if (!text.empty()) {
            encode_segment(text, 0, text.size(), out, next_word);
        }
        return;
    }
    // Used only here, and encode_segment never re-enters encode_text.
    thread_local std::vector<TextSegment> segments;
    added_.split(text, segments);
    for (const auto& segment : segments) {
        if (segment.token < 0) {
            encode_segment(text, segment.begin, segment.end, out, next_word);
            continue;
        }
        out.ids.push_back(segment.token);
        out.spans.push_back(
            {static_cast<std::int64_t>(segment.begin), static_cast<std::int64_t>(segment.end)});
        out.word_ids.push_back(next_word++);
        if (post_.trim_offsets) {
            // The matched text may carry whitespace taken by lstrip / rstrip.
            std::size_t lead_chars = 0, lead_bytes = 0, trail_chars = 0, trail_bytes = 0;
            std::size_t pos = segment.begin;
            while (pos < segment.end) {
                const std::size_t start = pos;
                if (!is_unicode_whitespace(decode_next(text, pos))) {
                    break;
                }
                ++lead_chars, lead_bytes += pos - start;
            }
            std::size_t end = segment.end;
            while (end > segment.begin + lead_bytes) {
                std::size_t start = end - 1;
                while (start > segment.begin &&
                       (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) {
                    --start;
                }
                std::size_t p = start;
                if (!is_unicode_whitespace(decode_next(text, p))) {
                    break;
                }
                ++trail_chars, trail_bytes += end - start;
                end = start;
            }
            out.trims.push_back(pack_trim(lead_chars, trail_chars, lead_bytes, trail_bytes));
        }
    }
}

Encoding Tokenizer::finish(std::string_view first, TokenBuffer& a, std::string_view second,
                           TokenBuffer* b, const EncodeOptions& options,
                           bool spans_converted) const {
    const bool is_pair = b != nullptr;
    const std::size_t specials = options.add_special_tokens ? post_.added_tokens(is_pair) : 0;
    if (options.max_length > 0) {
        if (options.max_length < specials) {
            throw Error("max_length " + std::to_string(options.max_length) +
                        " is shorter than the " + std::to_string(specials) +
                        " special tokens that frame the text; use a larger max_length");
        }
        truncate_sequences(a, b, options.max_length - specials, options.max_length,
                           options.truncation);
    }
    // Offsets in the requested unit, then trimmed in that unit (Hugging Face trims after
    // converting to characters).
    const bool bytes = options.offset_unit == OffsetUnit::Bytes;
    for (TokenBuffer* buffer : {&a, b}) {
        if (buffer == nullptr) {
            continue;
        }
        if (!spans_converted) {
            const OffsetConverter convert(buffer == &a ? first : second, options.offset_unit);
            for (auto& span : buffer->spans) {
                span = convert(span);
            }
        }
        if (post_.trim_offsets && buffer->trims.size() == buffer->size()) {
            trim_offsets(*buffer, post_.add_prefix_space, bytes);
        }
    }

    Encoding enc;
    const std::size_t n = a.size() + (is_pair ? b->size() : 0) + specials;
    enc.input_ids.reserve(n);
    enc.token_type_ids.reserve(n);
    enc.offsets.reserve(n);
    enc.word_ids.reserve(n);
    enc.sequence_ids.reserve(n);
    auto append_sequence = [&](const TokenBuffer& buffer, int sequence, std::int64_t type_id) {
        enc.input_ids.insert(enc.input_ids.end(), buffer.ids.begin(), buffer.ids.end());
        enc.token_type_ids.insert(enc.token_type_ids.end(), buffer.size(), type_id);
        enc.offsets.insert(enc.offsets.end(), buffer.spans.begin(), buffer.spans.end());
        enc.word_ids.insert(enc.word_ids.end(), buffer.word_ids.begin(), buffer.word_ids.end());
        enc.sequence_ids.insert(enc.sequence_ids.end(), buffer.size(), sequence);
    };
    if (!options.add_special_tokens) {
        append_sequence(a, 0, 0);
        if (is_pair) {
            append_sequence(*b, 1, 1);
        }
    } else {
        for (const auto& piece : is_pair ? post_.pair : post_.single) {
            if (piece.sequence < 0) {
                enc.input_ids.push_back(piece.id);
                enc.token_type_ids.push_back(piece.type_id);
                enc.offsets.push_back({});
                enc.word_ids.push_back(-1);
                enc.sequence_ids.push_back(-1);
            } else if (piece.sequence == 0) {
                append_sequence(a, 0, piece.type_id);
            } else if (is_pair) {
                append_sequence(*b, 1, piece.type_id);
            }
        }
    }
    enc.attention_mask.assign(enc.input_ids.size(), 1);
    if (options.padding == Padding::ToMaxLength && options.max_length > 0) {
        pad_encoding(enc, options.max_length, pad_id_ >= 0 ? pad_id_ : 0);
    }
    return enc;
}

Encoding Tokenizer::encode(std::string_view text, const EncodeOptions& options) const {
    Scratch& s = scratch();
    encode_text(text, s.a);
    return finish(text, s.a, {}, nullptr, options, /*spans_converted=*/false);
}

Encoding Tokenizer::encode_pair(std::string_view first, std::string_view second,
                                const EncodeOptions& options) const {
    Scratch& s = scratch();
    encode_text(first, s.a);
    encode_text(second, s.b);
    return finish(first, s.a, second, &s.b, options, /*spans_converted=*/false);
}

Encoding Tokenizer::encode_words(const std::vector<std::string>& words,
                                 const EncodeOptions& options) const {
    // Each word is its own text: offsets relative to the word, in the requested unit, and
    // trimmed as a sequence (so the first token of every word counts as a sequence start).
    Scratch& s = scratch();
    s.a.clear();
    const bool trims = post_.trim_offsets;
    for (std::size_t w = 0; w < words.size(); ++w) {
        encode_text(words[w], s.word);
        const OffsetConverter convert(words[w], options.offset_unit);
        for (std::size_t i = 0; i < s.word.size(); ++i) {
            s.a.ids.push_back(s.word.ids[i]);
            s.a.spans.push_back(convert(s.word.spans[i]));
            s.a.word_ids.push_back(static_cast<std::int64_t>(w));
            if (trims) {
                s.a.trims.push_back(s.word.trims.size() > i ? s.word.trims[i] : 0);
            }
        }
    }
    return finish({}, s.a, {}, nullptr, options, /*spans_converted=*/true);
}

std::vector<std::string> Tokenizer::tokenize(std::string_view text) const {
    TokenBuffer buffer;
    encode_text(text, buffer);
    std::vector<std::string> out;
    out.reserve(buffer.size());
    for (std::int64_t id : buffer.ids) {
        out.push_back(id_to_token(id));
    }
    return out;
}

}  // namespace tb::text
