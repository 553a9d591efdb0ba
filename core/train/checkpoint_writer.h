// Assembles an io::Checkpoint from the live model, optimizer and trainer state, saves it
// atomically, and prunes old epoch checkpoints beyond keep-last-k.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "io/checkpoint.h"
#include "model/bert_model.h"
#include "train/optimizer_setup.h"

namespace tb::train {

struct CheckpointContent {
    std::string config_yaml;
    std::vector<std::string> labels;
    std::vector<std::string> vocab;
    io::TrainerState trainer;
    std::map<std::string, std::vector<double>> metrics;
};

// Returns the path written: <dir>/<stem>.h5.
std::string write_checkpoint(const std::string& dir, const std::string& stem,
                             model::BertForSequenceClassification& model,
                             torch::optim::AdamW& optimizer,
                             const std::vector<NamedParameter>& parameters,
                             const CheckpointContent& content);

// Deletes the oldest "epoch-*.h5" files in `dir` so that at most `keep` remain (keep <= 0 keeps
// all), never `protect` (the best checkpoint), which may therefore remain as an extra file.
void prune_epoch_checkpoints(const std::string& dir, int keep, const std::string& protect = "");

}  // namespace tb::train
