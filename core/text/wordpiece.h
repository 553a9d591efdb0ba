// Greedy longest-match-first WordPiece over one basic token.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "text/vocab.h"

namespace tb::text {

// Splits `word` into vocabulary pieces ("##" prefix for continuations). A word longer than
// `max_chars` code points, or with any position that has no match, becomes the single `unk`.
std::vector<std::string> wordpiece_split(const std::string& word, const Vocab& vocab,
                                         const std::string& unk = "[UNK]",
                                         std::size_t max_chars = 100);

// Same split, appending vocabulary ids to `out` (`unk_id` for an unknown word): the encoder's
// path, which avoids building piece strings.
void wordpiece_ids(const std::string& word, const Vocab& vocab, std::int64_t unk_id,
                   std::vector<std::int64_t>& out, std::size_t max_chars = 100);

// The same, also giving for each appended id the end of its piece in code points of `word`
// (`piece_ends` is cleared first; an unknown word is one piece ending at the word's end).
void wordpiece_ids(const std::string& word, const Vocab& vocab, std::int64_t unk_id,
                   std::vector<std::int64_t>& out, std::vector<std::size_t>& piece_ends,
                   std::size_t max_chars = 100);

}  // namespace tb::text
