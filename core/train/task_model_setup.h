// Builds the run's task model from the experiment: encoder of the model folder's family, the
// head the dataset task needs, LoRA adapters and frozen parts. Shared by the Trainer, the dry
// run and InferenceSession so all three build exactly the same module.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/experiment_config.h"
#include "model/model_folder.h"
#include "model/task_catalog.h"
#include "model/task_model.h"

namespace tb::train {

// The head for dataset.task: text_classification (also sentence pairs) -> sequence
// classification, multi_label -> multi-label, token_classification -> token classification,
// regression -> regression. Throws tb::Error for tasks without a text head (images).
model::HeadKind head_kind_for(const io::ExperimentConfig& config);

struct TaskModelSetup {
    model::TaskModel model{nullptr};
    std::vector<std::string> notes;  // for the run's log: weights, pooling, LoRA, freezing
    std::int64_t weights_loaded = 0;
    std::vector<std::string> weights_unused;  // "name [shape]" of file tensors not used
};

// Builds encoder + head (HF-style random init from the global Torch RNG, encoder first), then
// with load_pretrained reads the encoder's weights from the folder's safetensors files (a run
// resumed from a checkpoint or an inference session restores all tensors instead), then
// applies LoRA (model.lora: true; freezes the encoder's base weights) and
// model.freeze_embeddings / freeze_layers. Stays on the CPU in train mode.
// Throws tb::Error for model.max_length beyond the model's positions, freeze_layers beyond its
// layer count, pooling: pooler on a checkpoint without a pooler, unknown LoRA targets, and
// anything the weight loading refuses.
TaskModelSetup build_task_model(const io::ExperimentConfig& config,
                                const model::ModelFolderInfo& folder, std::int64_t num_outputs,
                                bool load_pretrained);

}  // namespace tb::train
