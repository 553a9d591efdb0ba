// Seeded, stratified train/dev/test split.
#pragma once

#include <cstddef>
#include <cstdint>
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
SplitIndices stratified_split(const std::vector<int>& labels, const SplitFractions& fractions,
                              std::uint64_t seed);

}  // namespace tb::data
