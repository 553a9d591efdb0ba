#include "train/batch_plan.h"

#include <algorithm>
#include <numeric>
#include <random>

namespace tb::train {
namespace {

// Uniform j in [0, bound) by rejection, avoiding std::uniform_int_distribution (not portable).
std::size_t uniform_below(std::mt19937_64& rng, std::size_t bound) {
    const std::uint64_t b = static_cast<std::uint64_t>(bound);
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % b;
    std::uint64_t r;
    do {
        r = rng();
    } while (r >= limit);
    return static_cast<std::size_t>(r % b);
}

template <typename T>
void shuffle(std::vector<T>& items, std::mt19937_64& rng) {
    for (std::size_t i = items.size(); i > 1; --i)
        std::swap(items[i - 1], items[uniform_below(rng, i)]);
}

}  // namespace

std::vector<std::size_t> epoch_order(std::size_t n, std::uint64_t seed, int epoch) {
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::mt19937_64 rng(seed ^ (0x9E3779B97F4A7C15ULL * static_cast<std::uint64_t>(epoch + 1)));
    shuffle(order, rng);
    return order;
}

std::vector<std::vector<std::size_t>> epoch_batches(const std::vector<std::size_t>& lengths,
                                                    int batch_size, std::uint64_t seed, int epoch,
                                                    bool group_by_length) {
    auto order = epoch_order(lengths.size(), seed, epoch);
    const std::size_t size = static_cast<std::size_t>(std::max(1, batch_size));
    if (group_by_length) {
        const std::size_t window = size * 50;
        for (std::size_t begin = 0; begin < order.size(); begin += window) {
            const auto first = order.begin() + static_cast<std::ptrdiff_t>(begin);
            const auto last =
                order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), begin + window));
            std::stable_sort(first, last,
                             [&](std::size_t a, std::size_t b) { return lengths[a] > lengths[b]; });
        }
    }
    std::vector<std::vector<std::size_t>> batches;
    for (std::size_t begin = 0; begin < order.size(); begin += size)
        batches.emplace_back(
            order.begin() + static_cast<std::ptrdiff_t>(begin),
            order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), begin + size)));
    if (group_by_length) {
        // A different stream from epoch_order's (another constant), same reproducibility.
        std::mt19937_64 rng(seed ^ (0xD1B54A32D192ED03ULL * static_cast<std::uint64_t>(epoch + 1)));
        shuffle(batches, rng);
    }
    return batches;
}

}  // namespace tb::train
