// Dynamic-padding collation of tokenized examples into tensors.
#pragma once

#include <cstdint>
#include <vector>

#include <torch/torch.h>

#include "train/batch_plan.h"
#include "train/prepared_data.h"

namespace tb::train {

struct Batch {
    torch::Tensor input_ids;       // int64 [batch, longest]
    torch::Tensor attention_mask;  // int64 [batch, longest], 1 = token
    torch::Tensor token_type_ids;  // int64; 0/1 for sentence pairs, else zeros
    // image_classification: float [batch, channels, height, width], normalised (the three
    // token tensors above are then undefined).
    torch::Tensor images;
    // int64 [batch] class ids; multi-label: float 0/1 [batch, labels]; token classification:
    // int64 [batch, longest] with -100 where no label applies; regression: float64 [batch].
    torch::Tensor labels;
    std::int64_t size() const { return labels.size(0); }
};

// Pads to the longest sequence among `indices` (not to max_length): less wasted compute.
// Image splits are decoded and preprocessed here; a training split (EncodedSplit::augment)
// collated with `epoch` >= 0 gets its augmentation, drawn from (seed, epoch, example) only.
Batch collate(const EncodedSplit& split, const std::vector<std::size_t>& indices,
              std::int64_t pad_id, const torch::Device& device, std::int64_t epoch = -1);

// Every defined tensor of `batch` moved to `device`.
Batch to_device(const Batch& batch, const torch::Device& device);

}  // namespace tb::train
