// fastText's text -> input row ids: whitespace tokens + EOS, word ids, character and word
// n-gram hashing into buckets, and the pruned-index remapping of quantized (.ftz) models.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/fasttext_format.h"

namespace tb::model::fasttext {

// fastText's 32-bit FNV-1a, including its quirk of sign-extending each (signed) char.
uint32_t fasttext_hash(const std::string& s);

// Splits one line on fastText's delimiters (space, \t, \n, \v, \f, \r, \0) and appends "</s>".
std::vector<std::string> tokenize_line(const std::string& line);

// Input-matrix row ids for one line, in fastText's order (per word: word id then its character
// n-grams; then word n-grams). Labels in the line (e.g. "__label__en") are skipped.
std::vector<int32_t> line_features(const Model& model, const std::string& line);

// Character n-gram rows of one word ("<word>" minn..maxn, UTF-8 aware), as fastText computes.
std::vector<int32_t> char_ngram_rows(const Model& model, const std::string& word);

}  // namespace tb::model::fasttext
