// Stratified split: per-class seeded Fisher-Yates shuffle and largest-remainder cuts. The
// shuffle draws its integers itself (not std::shuffle / std::uniform_int_distribution, whose
// algorithms differ between standard libraries) so a seed gives the same split everywhere.
#include "data/split.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <random>

#include "common/error.h"

namespace tb::data {
namespace {

// SplitMix64 finaliser: spreads (seed, label) into independent engine seeds, so one class's
// shuffle does not depend on which other classes exist.
std::uint64_t mix(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

// Splits `n` items by `fractions` (summing to 1): floors first, then the leftover items go to
// the largest fractional parts (ties: train, dev, test), never to a split with fraction 0.
std::array<std::size_t, 3> cut_counts(std::size_t n, const std::array<double, 3>& fractions) {
    std::array<std::size_t, 3> counts{};
    std::array<double, 3> remainders{};
    std::size_t assigned = 0;
    for (std::size_t k = 0; k < 3; ++k) {
        const double exact = static_cast<double>(n) * fractions[k];
        counts[k] = std::min(n, static_cast<std::size_t>(std::floor(exact)));
        remainders[k] = exact - std::floor(exact);
        assigned += counts[k];
    }
    while (assigned > n) {  // only possible through rounding noise: take from the largest
        const auto largest = std::max_element(counts.begin(), counts.end());
        --*largest;
        --assigned;
    }
    while (assigned < n) {
        std::size_t best = 3;
        for (std::size_t k = 0; k < 3; ++k) {
            if (fractions[k] <= 0.0)
                continue;
            if (best == 3 || remainders[k] > remainders[best])
                best = k;
        }
        ++counts[best];
        remainders[best] = -1.0;  // each split gets at most one leftover item per round
        ++assigned;
        if (std::all_of(remainders.begin(), remainders.end(), [](double r) { return r < 0; })) {
            remainders = {0.0, 0.0, 0.0};
        }
    }
    return counts;
}

}  // namespace

void check_split_fractions(const SplitFractions& f) {
    const std::array<std::pair<const char*, double>, 3> named{
        {{"train", f.train}, {"dev", f.dev}, {"test", f.test}}};
    for (const auto& [name, value] : named) {
        if (!std::isfinite(value) || value < 0.0) {
            throw Error(std::string("split fraction '") + name + "' is " + std::to_string(value) +
                        "; fractions must be between 0 and 1");
        }
    }
    const double sum = f.train + f.dev + f.test;
    if (std::fabs(sum - 1.0) > 1e-6) {
        throw Error("split fractions train " + std::to_string(f.train) + " + dev " +
                    std::to_string(f.dev) + " + test " + std::to_string(f.test) + " sum to " +
                    std::to_string(sum) + "; they must sum to 1");
    }
}

// Uniform integer in [0, bound) by rejection: accept draws at or above 2^64 mod bound, which
// leaves a multiple of `bound` equally likely values. std::mt19937_64's output sequence is fixed
// by the standard, so this is reproducible across platforms.
std::uint64_t uniform_below(std::mt19937_64& engine, std::uint64_t bound) {
    const std::uint64_t threshold = (0 - bound) % bound;
    for (;;) {
        const std::uint64_t draw = engine();
        if (draw >= threshold)
            return draw % bound;
    }
}

void seeded_shuffle(std::vector<std::size_t>& items, std::mt19937_64& engine) {
    for (std::size_t i = items.size(); i > 1; --i) {
        const std::size_t j = static_cast<std::size_t>(uniform_below(engine, i));
        std::swap(items[i - 1], items[j]);
    }
}

SplitIndices stratified_split(const std::vector<int>& labels, const SplitFractions& fractions,
                              std::uint64_t seed) {
    check_split_fractions(fractions);
    const std::array<double, 3> f{fractions.train, fractions.dev, fractions.test};

    // Ordered by label so the result does not depend on hash-map iteration order.
    std::map<int, std::vector<std::size_t>> by_class;
    for (std::size_t i = 0; i < labels.size(); ++i)
        by_class[labels[i]].push_back(i);

    SplitIndices out;
    std::array<std::vector<std::size_t>*, 3> parts{&out.train, &out.dev, &out.test};
    for (auto& [label, indices] : by_class) {
        std::mt19937_64 engine(
            mix(seed ^ mix(static_cast<std::uint64_t>(static_cast<std::int64_t>(label)))));
        seeded_shuffle(indices, engine);
        const std::array<std::size_t, 3> counts = cut_counts(indices.size(), f);
        std::size_t next = 0;
        for (std::size_t k = 0; k < 3; ++k) {
            parts[k]->insert(parts[k]->end(), indices.begin() + static_cast<long>(next),
                             indices.begin() + static_cast<long>(next + counts[k]));
            next += counts[k];
        }
    }
    for (auto* part : parts)
        std::sort(part->begin(), part->end());
    return out;
}

}  // namespace tb::data
