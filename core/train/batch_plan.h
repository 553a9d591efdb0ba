// Which training examples go into which batch, per epoch: a seeded shuffle, optionally grouped
// by length. Torch-free and deterministic, so a resumed run recomputes exactly the same plan
// from (seed, epoch) and skips the batches it already trained on.
#pragma once

#include <cstdint>
#include <vector>

namespace tb::train {

// Permutation of [0, n) for `epoch`, from a seeded mt19937_64 and our own Fisher-Yates, so the
// order is the same on every platform and can be recomputed on resume from (seed, epoch).
std::vector<std::size_t> epoch_order(std::size_t n, std::uint64_t seed, int epoch);

// The epoch's micro-batches (lists of indices into the split, each at most `batch_size`).
// Plain: consecutive slices of epoch_order. Grouped by length: the shuffled order is cut into
// windows of 50 batches, each window is sorted by length (longest first) and cut into batches,
// and the batches are shuffled again (seeded), so padding shrinks while every epoch still sees
// a different, reproducible order.
std::vector<std::vector<std::size_t>> epoch_batches(const std::vector<std::size_t>& lengths,
                                                    int batch_size, std::uint64_t seed, int epoch,
                                                    bool group_by_length);

}  // namespace tb::train
