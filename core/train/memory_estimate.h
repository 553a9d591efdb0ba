// Rough training-memory estimate for a BERT-style encoder, shown by `--dry-run` and the GUI
// before a run starts so an out-of-memory surprise becomes a warning instead.
#pragma once

#include <cstdint>

namespace tb::train {

struct MemoryEstimateInput {
    std::int64_t parameters = 0;            // all parameters (frozen included)
    std::int64_t trainable_parameters = 0;  // those that get gradients and optimizer state
    int optimizer_slots = 2;                // floats of state per trainable parameter (AdamW: 2)
    std::int64_t batch_size = 0;            // per optimizer micro-batch on one device
    std::int64_t sequence_length = 0;       // max_length (dynamic padding usually needs less)
    std::int64_t hidden_size = 0;
    std::int64_t layers = 0;
    std::int64_t attention_heads = 0;
    int bytes_per_activation = 4;  // 4 for fp32, 2 under bf16/fp16 autocast
};

struct MemoryEstimate {
    std::int64_t weights_bytes = 0;
    std::int64_t gradients_bytes = 0;
    std::int64_t optimizer_bytes = 0;
    std::int64_t activations_bytes = 0;
    std::int64_t total_bytes() const {
        return weights_bytes + gradients_bytes + optimizer_bytes + activations_bytes;
    }
};

// Weights, gradients and optimizer state are exact for fp32 master weights. Activations kept for
// backward use the per-layer count of Korthikanti et al. 2022 ("Reducing Activation
// Recomputation in Large Transformer Models", s*b*h*(34 + 5*a*s/h) bytes at 2 bytes per value),
// scaled to bytes_per_activation: an upper estimate at full max_length, without allocator slack.
MemoryEstimate estimate_training_memory(const MemoryEstimateInput& in);

}  // namespace tb::train
