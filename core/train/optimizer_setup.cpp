#include "train/optimizer_setup.h"

#include "model/weight_loading.h"

namespace tb::train {

bool excluded_from_weight_decay(const std::string& name) {
    const bool is_bias = name.size() >= 4 && name.compare(name.size() - 4, 4, "bias") == 0;
    return is_bias || name.find("LayerNorm") != std::string::npos;
}

std::unique_ptr<torch::optim::AdamW> make_adamw(const std::vector<NamedParameter>& parameters,
                                                double lr, double weight_decay) {
    std::vector<torch::Tensor> decay, no_decay;
    for (const auto& p : parameters) {
        if (!p.tensor.requires_grad())
            continue;
        (excluded_from_weight_decay(p.name) ? no_decay : decay).push_back(p.tensor);
    }
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(decay, std::make_unique<torch::optim::AdamWOptions>(
                                   torch::optim::AdamWOptions(lr).weight_decay(weight_decay)));
    groups.emplace_back(no_decay, std::make_unique<torch::optim::AdamWOptions>(
                                      torch::optim::AdamWOptions(lr).weight_decay(0.0)));
    return std::make_unique<torch::optim::AdamW>(
        std::move(groups), torch::optim::AdamWOptions(lr).weight_decay(weight_decay));
}

void set_learning_rate(torch::optim::Optimizer& optimizer, double lr) {
    for (auto& group : optimizer.param_groups())
        static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
}

std::vector<TensorBlob> export_adamw_state(torch::optim::AdamW& optimizer,
                                           const std::vector<NamedParameter>& parameters) {
    std::vector<TensorBlob> out;
    auto& state = optimizer.state();
    for (const auto& p : parameters) {
        // LibTorch keys optimizer state by the parameter's TensorImpl address.
        auto it = state.find(c10::guts::to_string(p.tensor.unsafeGetTensorImpl()));
        if (it == state.end())
            continue;
        auto& s = static_cast<torch::optim::AdamWParamState&>(*it->second);
        out.push_back(model::from_torch(p.name + "/exp_avg", s.exp_avg()));
        out.push_back(model::from_torch(p.name + "/exp_avg_sq", s.exp_avg_sq()));
        out.push_back(model::from_torch(p.name + "/step", torch::tensor(s.step(), torch::kInt64)));
    }
    return out;
}

}  // namespace tb::train
