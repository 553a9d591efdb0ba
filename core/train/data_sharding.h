// Splits work between the ranks of a data-parallel job: each global training batch into
// per-rank slices, and an evaluation split into per-rank index sets. Torch-free and
// deterministic: every rank computes the same answer without talking to the others.
#pragma once

#include <cstddef>
#include <vector>

namespace tb::train {

enum class ShardMode {
    Contiguous,  // rank r takes one consecutive block; block sizes differ by at most one
    Strided,     // rank r takes positions r, r + world, r + 2*world, ...
};

// The part of `batch` (example indices of one global batch, in batch order) that `rank`
// processes. The union over ranks is `batch` with every entry exactly once; a batch smaller
// than the world leaves some ranks with an empty slice (they still join the all-reduce).
// Throws tb::Error for world_size < 1 or a rank outside [0, world_size).
std::vector<std::size_t> shard_batch(const std::vector<std::size_t>& batch, int rank,
                                     int world_size, ShardMode mode = ShardMode::Contiguous);

// [begin, end) of `rank`'s contiguous block of `count` items.
struct ShardRange {
    std::size_t begin = 0;
    std::size_t end = 0;
    std::size_t size() const { return end - begin; }
};
ShardRange contiguous_shard(std::size_t count, int rank, int world_size);

// Distributed evaluation sampler: the positions of an `count`-example split that `rank`
// evaluates, strided (r, r + world, ...) so that, over a length-sorted order, every rank gets
// a similar mix of lengths. Unlike PyTorch's DistributedSampler it never pads or repeats
// examples: each example is evaluated exactly once across ranks, so summed counts are exact.
std::vector<std::size_t> eval_shard(std::size_t count, int rank, int world_size);

}  // namespace tb::train
