// Assembles an io::Checkpoint from the live model, optimizer, random-number and trainer state
// and saves it atomically.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "io/checkpoint.h"
#include "train/optimizer_setup.h"

namespace tb::train {

struct CheckpointContent {
    std::string config_yaml;
    std::vector<std::string> labels;
    std::vector<std::string> vocab;
    io::TrainerState trainer;
    std::map<std::string, std::vector<double>> metrics;
};

// Returns the path written: <dir>/<stem>.h5. `device` selects which generator states are
// stored besides the CPU's (the GPU's for a CUDA device).
std::string write_checkpoint(const std::string& dir, const std::string& stem,
                             torch::nn::Module& model, torch::optim::Optimizer& optimizer,
                             const std::vector<NamedParameter>& parameters,
                             const CheckpointContent& content, const torch::Device& device);

// Copies a checkpoint's /model tensors into `model` (same names, shapes; converted to each
// tensor's dtype and device). Throws tb::Error naming every missing or mis-shaped tensor.
void restore_model(torch::nn::Module& model, const io::Checkpoint& checkpoint);

}  // namespace tb::train
