// Greedy longest-match-first WordPiece, as in Hugging Face's WordpieceTokenizer.
#include "text/wordpiece.h"

#include "text/utf8.h"

namespace tb::text {

namespace {

bool is_continuation_byte(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// Appends the ids of `word`'s pieces to `out`. Returns false, leaving `out` unchanged, when
// the word must become the unknown token (too long, or some position matches nothing).
bool split_word(const std::string& word, const Vocab& vocab, std::size_t max_chars,
                std::vector<std::int64_t>& out, std::vector<std::size_t>* piece_ends) {
    // Byte offsets of code point boundaries, so that pieces never cut a character.
    std::vector<std::size_t> bounds;
    bounds.reserve(word.size() + 1);
    for (std::size_t i = 0; i < word.size(); ++i) {
        if (!is_continuation_byte(word[i])) {
            bounds.push_back(i);
        }
    }
    const std::size_t chars = bounds.size();
    bounds.push_back(word.size());
    if (chars > max_chars) {
        return false;
    }

    // No vocabulary entry is longer than this, so longer candidates need no lookup.
    const std::size_t longest = vocab.max_token_chars();
    const std::size_t first_piece = out.size();
    std::string candidate;
    std::size_t start = 0;
    while (start < chars) {
        std::size_t end = start + longest < chars ? start + longest : chars;
        std::int64_t id = -1;
        for (; end > start; --end) {
            candidate.clear();
            if (start > 0) {
                candidate += "##";
            }
            candidate.append(word, bounds[start], bounds[end] - bounds[start]);
            id = vocab.id(candidate);
            if (id >= 0) {
                break;
            }
        }
        if (id < 0) {
            out.resize(first_piece);
            if (piece_ends != nullptr) {
                piece_ends->clear();
            }
            return false;
        }
        out.push_back(id);
        if (piece_ends != nullptr) {
            piece_ends->push_back(end);
        }
        start = end;
    }
    return true;
}

}  // namespace

std::vector<std::string> wordpiece_split(const std::string& word, const Vocab& vocab,
                                         const std::string& unk, std::size_t max_chars) {
    std::vector<std::int64_t> ids;
    if (!split_word(word, vocab, max_chars, ids, nullptr)) {
        return {unk};
    }
    std::vector<std::string> pieces;
    pieces.reserve(ids.size());
    for (std::int64_t id : ids) {
        pieces.push_back(vocab.token(id));
    }
    return pieces;
}

void wordpiece_ids(const std::string& word, const Vocab& vocab, std::int64_t unk_id,
                   std::vector<std::int64_t>& out, std::size_t max_chars) {
    if (!split_word(word, vocab, max_chars, out, nullptr)) {
        out.push_back(unk_id);
    }
}

void wordpiece_ids(const std::string& word, const Vocab& vocab, std::int64_t unk_id,
                   std::vector<std::int64_t>& out, std::vector<std::size_t>& piece_ends,
                   std::size_t max_chars) {
    piece_ends.clear();
    if (!split_word(word, vocab, max_chars, out, &piece_ends)) {
        out.push_back(unk_id);
        piece_ends.push_back(count_code_points(word));
    }
}

}  // namespace tb::text
