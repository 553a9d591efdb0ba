#include "train/checkpoint_writer.h"

#include <map>

#include "common/error.h"
#include "model/task_head.h"
#include "model/weight_loading.h"
#include "train/rng_state.h"

namespace tb::train {

std::string write_checkpoint(const std::string& dir, const std::string& stem,
                             torch::nn::Module& model, torch::optim::Optimizer& optimizer,
                             const std::vector<NamedParameter>& parameters,
                             const CheckpointContent& content, const torch::Device& device) {
    io::Checkpoint ckpt;
    ckpt.config_yaml = content.config_yaml;
    for (const auto& p : model.named_parameters())
        ckpt.model.push_back(model::from_torch(p.key(), p.value()));
    for (const auto& b : model.named_buffers())
        ckpt.model.push_back(model::from_torch(b.key(), b.value()));
    ckpt.optimizer = export_optimizer_state(optimizer, parameters);
    ckpt.trainer = content.trainer;
    ckpt.rng = capture_rng_states(device);
    ckpt.labels = content.labels;
    ckpt.vocab = content.vocab;
    ckpt.metrics = content.metrics;
    ckpt.tunebench_version = TUNEBENCH_VERSION;
    const std::string path = dir + "/" + stem + ".h5";
    io::save_checkpoint(ckpt, path);
    return path;
}

void restore_model(torch::nn::Module& model, const io::Checkpoint& checkpoint) {
    std::map<std::string, const TensorBlob*> blobs;
    for (const auto& b : checkpoint.model)
        blobs[b.name] = &b;
    std::string problems;
    torch::NoGradGuard no_grad;
    auto restore = [&](const std::string& name, torch::Tensor target) {
        auto it = blobs.find(name);
        if (it == blobs.end()) {
            problems += "\n  missing: " + name;
            return;
        }
        torch::Tensor value = model::to_torch(*it->second);
        if (value.sizes() != target.sizes()) {
            problems += "\n  " + name + ": checkpoint " + shape_text(it->second->shape) +
                        " vs model " + shape_text(target.sizes().vec());
            return;
        }
        target.copy_(value.to(target.options()));
    };
    for (const auto& p : model.named_parameters())
        restore(p.key(), p.value());
    for (const auto& b : model.named_buffers()) {
        // Head state newer than the checkpoint keeps the value the head was built with.
        if (model::is_optional_head_buffer(b.key()) && blobs.count(b.key()) == 0)
            continue;
        restore(b.key(), b.value());
    }
    if (!problems.empty())
        throw Error("the checkpoint's model does not fit the experiment's model:" + problems,
                    SourceLocation{{}, 0, 0, "model"});
}

}  // namespace tb::train
