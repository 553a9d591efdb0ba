// "Largest batch that fits": the search over batch sizes, independent of what a trial runs.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace tb::train {

struct BatchSizeTrial {
    std::int64_t batch_size = 0;
    bool fits = false;
    std::string note;  // why it did not fit (the out-of-memory message), empty when it fits
};

struct BatchSizeSearch {
    std::int64_t largest = 0;  // largest batch size that fit; 0 when even the smallest did not
    bool hit_limit = false;    // `limit` itself fit: the true largest may be higher
    std::vector<BatchSizeTrial> trials;  // in the order they ran
};

// Tries `start`, 2*start, 4*start, ... until a size does not fit or `limit` is reached (the
// last doubling is capped at `limit`), then bisects between the largest size that fit and the
// smallest that did not, to within `precision` (default: exact). `fits(n)` runs one trial; it
// returns false or throws to say "does not fit" (a thrown exception's message becomes the
// trial's note). Memory use grows with batch size, so a size above one that failed is never
// tried. Throws tb::Error for start < 1, limit < start or precision < 1.
BatchSizeSearch search_largest_batch(const std::function<bool(std::int64_t)>& fits,
                                     std::int64_t start, std::int64_t limit,
                                     std::int64_t precision = 1);

}  // namespace tb::train
