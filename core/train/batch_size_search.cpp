#include "train/batch_size_search.h"

#include <algorithm>
#include <exception>

#include "common/error.h"

namespace tb::train {

BatchSizeSearch search_largest_batch(const std::function<bool(std::int64_t)>& fits,
                                     std::int64_t start, std::int64_t limit,
                                     std::int64_t precision) {
    if (start < 1 || limit < start || precision < 1)
        throw Error("batch size search needs 1 <= start <= limit and precision >= 1 (got start " +
                        std::to_string(start) + ", limit " + std::to_string(limit) +
                        ", precision " + std::to_string(precision) + ")",
                    SourceLocation{{}, 0, 0, "training.batch_size"});
    BatchSizeSearch search;
    auto trial = [&](std::int64_t n) {
        BatchSizeTrial t{n, false, {}};
        try {
            t.fits = fits(n);
            if (!t.fits)
                t.note = "does not fit";
        } catch (const std::exception& e) {
            t.note = e.what();
        }
        search.trials.push_back(t);
        return t.fits;
    };

    std::int64_t good = 0;  // largest size known to fit
    std::int64_t bad = 0;   // smallest size known not to fit (0: none yet)
    for (std::int64_t n = start;; n = std::min(limit, n * 2)) {
        if (!trial(n)) {
            bad = n;
            break;
        }
        good = n;
        if (n == limit) {
            search.hit_limit = true;
            break;
        }
    }
    // Bisect (good, bad): every size at or below `good` fits, none at or above `bad` does.
    while (bad != 0 && bad - good > precision) {
        const std::int64_t mid = good + (bad - good) / 2;
        if (trial(mid))
            good = mid;
        else
            bad = mid;
    }
    search.largest = good;
    return search;
}

}  // namespace tb::train
