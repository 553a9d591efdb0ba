// A data-parallel process group on LibTorch's c10d (TCPStore rendezvous; Gloo on CPU, NCCL on
// CUDA where compiled in) and the few collectives training needs: bucketed gradient all-reduce,
// parameter broadcast from rank 0, scalar sums and a barrier. A default-constructed context is a
// single process: every operation is then a no-op, so callers need no special case.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include "train/distributed_env.h"

namespace tb::train {

struct DistributedOptions {
    // How long rendezvous and each collective may wait for the slowest peer before failing
    // (a dead or hung peer then fails the run instead of hanging it).
    std::chrono::milliseconds timeout = std::chrono::minutes(30);
    // Gradients are flattened into buckets of about this size: one collective per bucket
    // instead of one per tensor.
    std::size_t bucket_bytes = 25u << 20;
    // "auto" (NCCL for CUDA devices, Gloo otherwise), "gloo" or "nccl".
    std::string backend = "auto";
};

enum class ReduceMode { Sum, Mean };

class DistributedContext {
public:
    DistributedContext();  // single process
    ~DistributedContext();
    DistributedContext(DistributedContext&&) noexcept;
    DistributedContext& operator=(DistributedContext&&) noexcept;

    // Joins the job described by `env` (every rank must call it): rank 0 serves the TCPStore on
    // MASTER_ADDR:MASTER_PORT, the others connect to it, then the process group forms.
    // A single-process env returns a single-process context without touching the network.
    // Throws tb::Error when the rendezvous times out, the port is taken or the backend is
    // unavailable for `device`.
    static DistributedContext connect(const DistributedEnv& env, const c10::Device& device,
                                      const DistributedOptions& options = {});

    int rank() const;
    int world_size() const;
    int local_rank() const;
    bool is_distributed() const { return world_size() > 1; }
    bool is_primary() const { return rank() == 0; }  // rank 0 writes files and logs
    std::string backend() const;                     // "none", "gloo" or "nccl"

    // In-place all-reduce of `tensors` (any mix of shapes, dtypes and devices) through buckets.
    // Mean divides by the world size and needs floating-point tensors.
    void all_reduce(const std::vector<at::Tensor>& tensors, ReduceMode mode = ReduceMode::Sum);

    // All-reduces the .grad of every parameter that requires a gradient. A rank whose shard
    // left a gradient undefined (e.g. an empty slice of a small last batch) contributes zeros;
    // a gradient undefined on every rank stays undefined, as in a single process.
    void all_reduce_gradients(const std::vector<at::Tensor>& parameters,
                              ReduceMode mode = ReduceMode::Sum);

    // Copies rank `root`'s values of `tensors` into every rank's tensors (in place, no grad).
    void broadcast(const std::vector<at::Tensor>& tensors, int root = 0);

    // Element-wise sums over ranks, returned on every rank (loss sums, example and
    // confusion counts). Exact for integers; doubles are summed in float64.
    std::vector<double> all_reduce_sum(const std::vector<double>& values);
    std::vector<std::int64_t> all_reduce_sum(const std::vector<std::int64_t>& values);
    double all_reduce_sum(double value);
    std::int64_t all_reduce_sum(std::int64_t value);

    void barrier();

    // Backends this build of LibTorch offers, e.g. {"gloo"} or {"gloo", "nccl"}.
    static std::vector<std::string> available_backends();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace tb::train
