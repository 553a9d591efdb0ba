#include "train/data_sharding.h"

#include <string>

#include "common/error.h"

namespace tb::train {
namespace {

void check(int rank, int world_size) {
    if (world_size < 1)
        throw Error("world size must be at least 1, got " + std::to_string(world_size),
                    SourceLocation{"", 0, 0, "WORLD_SIZE"});
    if (rank < 0 || rank >= world_size)
        throw Error(
            "rank " + std::to_string(rank) + " is outside 0.." + std::to_string(world_size - 1),
            SourceLocation{"", 0, 0, "RANK"});
}

}  // namespace

ShardRange contiguous_shard(std::size_t count, int rank, int world_size) {
    check(rank, world_size);
    const auto world = static_cast<std::size_t>(world_size);
    const auto r = static_cast<std::size_t>(rank);
    // The first `extra` ranks take one more item than the rest.
    const std::size_t base = count / world, extra = count % world;
    ShardRange range;
    range.begin = r * base + (r < extra ? r : extra);
    range.end = range.begin + base + (r < extra ? 1 : 0);
    return range;
}

std::vector<std::size_t> shard_batch(const std::vector<std::size_t>& batch, int rank,
                                     int world_size, ShardMode mode) {
    check(rank, world_size);
    std::vector<std::size_t> out;
    if (mode == ShardMode::Contiguous) {
        const auto range = contiguous_shard(batch.size(), rank, world_size);
        out.assign(batch.begin() + static_cast<std::ptrdiff_t>(range.begin),
                   batch.begin() + static_cast<std::ptrdiff_t>(range.end));
        return out;
    }
    for (std::size_t i = static_cast<std::size_t>(rank); i < batch.size();
         i += static_cast<std::size_t>(world_size))
        out.push_back(batch[i]);
    return out;
}

std::vector<std::size_t> eval_shard(std::size_t count, int rank, int world_size) {
    check(rank, world_size);
    std::vector<std::size_t> out;
    out.reserve(count / static_cast<std::size_t>(world_size) + 1);
    for (std::size_t i = static_cast<std::size_t>(rank); i < count;
         i += static_cast<std::size_t>(world_size))
        out.push_back(i);
    return out;
}

}  // namespace tb::train
