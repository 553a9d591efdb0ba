// Seeded, stratified train/dev/test split.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

namespace tb::data {

struct SplitFractions {
    double train = 0.8;
    double dev = 0.1;
    double test = 0.1;
};

struct SplitIndices {
    std::vector<std::size_t> train, dev,
        test;  // indices into the label vector, each sorted ascending
};

// Per class, shuffles that class's indices with a seeded std::mt19937_64 and cuts them by the
// fractions (largest-remainder rounding so counts sum exactly), so each split keeps the class
// proportions. Same labels + seed => same split on every platform. Fractions must be >= 0 and
// sum to 1 (+-1e-6), else tb::Error.
// The pieces stratified_split is made of, for other seeded splits: a uniform integer in
// [0, bound) by rejection sampling, and a Fisher-Yates shuffle drawing from it. Both depend only
// on std::mt19937_64's output, which the standard fixes, so they match on every platform.
// Throws tb::Error unless every fraction is in [0, 1] and they sum to 1 (+-1e-6).
void check_split_fractions(const SplitFractions& fractions);
std::uint64_t uniform_below(std::mt19937_64& engine, std::uint64_t bound);
void seeded_shuffle(std::vector<std::size_t>& items, std::mt19937_64& engine);

SplitIndices stratified_split(const std::vector<int>& labels, const SplitFractions& fractions,
                              std::uint64_t seed);

}  // namespace tb::data
