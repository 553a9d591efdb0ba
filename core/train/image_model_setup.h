// Builds an image run's model from the experiment: an architecture from scratch, an image model
// folder or a TorchScript backbone, with a head for the dataset's classes and an optionally
// frozen backbone. Shared by the Trainer and InferenceSession so both build the same module.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/experiment_config.h"
#include "model/vision/image_model.h"

namespace tb::train {

struct ImageModelSetup {
    std::shared_ptr<model::vision::ImageModel> model;
    std::vector<std::string> notes;  // for the run's log: source, weights, warnings, freezing
};

// model.architecture: a fresh network from the seeded global Torch generator, sized for
// dataset.image_channels x image_height x image_width (small_cnn, mlp). model.path: a folder
// (config.json with "architecture", see docs/models.md) whose weights are loaded, or a
// TorchScript .pt file (its output feeds a new head; a note warns that it contains code). The
// head always gets `num_classes` outputs; a folder's stored head of another size is replaced.
// model.freeze_backbone: every parameter outside the head stops requiring gradients. Stays on
// the CPU in train mode. Throws tb::Error naming the key or file.
ImageModelSetup build_image_model(const io::ExperimentConfig& config, std::int64_t num_classes);

}  // namespace tb::train
