// Byte-level BPE building blocks (GPT-2 / RoBERTa): the byte <-> printable character map and
// the GPT-2 pre-tokenization pattern, implemented without a regex engine.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace tb::text {

// GPT-2's bytes_to_unicode: printable Latin-1 bytes ('!'..'~', '¡'..'¬', '®'..'ÿ') stand for
// themselves, the other 68 bytes for U+0100.. in byte order (space -> 'Ġ', '\n' -> 'Ċ').
// Entry b is the UTF-8 spelling of byte b's character.
const std::array<std::string, 256>& byte_level_alphabet();

// Calls emit(begin, end) for each match, in order, of the GPT-2 pattern
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// over text[begin, end) (byte offsets into `text`). The matches cover the range without gaps.
// \s is Unicode White_Space, as in the Oniguruma engine Hugging Face uses. Invalid UTF-8 bytes
// count as U+FFFD (a symbol).
template <class Emit>
void for_each_gpt2_piece(std::string_view text, std::size_t begin, std::size_t end, Emit&& emit);

}  // namespace tb::text

#include "text/byte_level_impl.h"
