#include "train/checkpoint_writer.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include <ATen/CPUGeneratorImpl.h>

#include "model/weight_loading.h"

namespace fs = std::filesystem;

namespace tb::train {

std::string write_checkpoint(const std::string& dir, const std::string& stem,
                             model::BertForSequenceClassification& model,
                             torch::optim::AdamW& optimizer,
                             const std::vector<NamedParameter>& parameters,
                             const CheckpointContent& content) {
    io::Checkpoint ckpt;
    ckpt.config_yaml = content.config_yaml;
    for (const auto& p : model->named_parameters())
        ckpt.model.push_back(model::from_torch(p.key(), p.value()));
    for (const auto& b : model->named_buffers())
        ckpt.model.push_back(model::from_torch(b.key(), b.value()));
    ckpt.optimizer = export_adamw_state(optimizer, parameters);
    ckpt.trainer = content.trainer;
    ckpt.rng.push_back(
        model::from_torch("torch_cpu", at::detail::getDefaultCPUGenerator().get_state()));
    ckpt.labels = content.labels;
    ckpt.vocab = content.vocab;
    ckpt.metrics = content.metrics;
    ckpt.tunebench_version = TUNEBENCH_VERSION;
    const std::string path = dir + "/" + stem + ".h5";
    io::save_checkpoint(ckpt, path);
    return path;
}

void prune_epoch_checkpoints(const std::string& dir, int keep, const std::string& protect) {
    if (keep <= 0)
        return;
    // Sorted by epoch number, not by name: "epoch-1000" must come after "epoch-999".
    std::vector<std::pair<long, fs::path>> epochs;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const auto name = entry.path().filename().string();
        if (name.rfind("epoch-", 0) == 0 && entry.path().extension() == ".h5")
            epochs.emplace_back(std::strtol(name.c_str() + 6, nullptr, 10), entry.path());
    }
    std::sort(epochs.begin(), epochs.end());
    for (std::size_t i = 0; i + static_cast<std::size_t>(keep) < epochs.size(); ++i)
        if (protect.empty() || !fs::equivalent(epochs[i].second, protect, ec))
            fs::remove(epochs[i].second, ec);
}

}  // namespace tb::train
