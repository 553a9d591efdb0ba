// Batch encoding on several threads and padding, shared by every tokenizer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "text/encoding.h"

namespace tb::text {

// Pads `enc` to `length` tokens: pad_id, attention 0, type 0, span (0, 0), word/sequence -1.
void pad_encoding(Encoding& enc, std::size_t length, std::int64_t pad_id);

// Padding::ToLongest: pads every encoding to the longest; otherwise does nothing.
void pad_batch(std::vector<Encoding>& out, const EncodeOptions& options, std::int64_t pad_id);

// Runs encode_one(i) for i in [0, n) on up to `num_threads` threads (0: min(hardware threads,
// one per 64 items)) in contiguous chunks, so results never depend on scheduling; the first
// failure in input order is rethrown after all threads joined.
void run_batch(std::size_t n, std::size_t num_threads,
               const std::function<void(std::size_t)>& encode_one);

}  // namespace tb::text
