#include "train/optimizer_setup.h"

#include <map>
#include <sstream>
#include <type_traits>

#include "common/error.h"
#include "model/parameter_groups.h"
#include "model/weight_loading.h"
#include "train/multi_tensor_adamw.h"
#include "train/optimizer_state_key.h"

namespace tb::train {
namespace {

template <typename State>
State* find_state(torch::optim::Optimizer& optimizer, const torch::Tensor& tensor) {
    auto& state = optimizer.state();
    auto it = state.find(state_key(state, tensor));
    return it == state.end() ? nullptr : static_cast<State*>(it->second.get());
}

// Discriminative learning rates (training.head_learning_rate_multiplier, layer_lr_decay): one
// group per (lr multiplier, weight decay), group lr = lr x multiplier.
template <typename Options>
std::vector<torch::optim::OptimizerParamGroup> grouped_by_rate(
    const std::vector<NamedParameter>& parameters, const Options& base, const io::TrainingConfig& t,
    std::vector<double>& multipliers) {
    std::vector<std::string> names;
    std::map<std::string, torch::Tensor> by_name;
    for (const auto& p : parameters) {
        if (!p.tensor.requires_grad())
            continue;
        names.push_back(p.name);
        by_name[p.name] = p.tensor;
    }
    model::ParameterGroupOptions options;
    options.weight_decay = t.weight_decay;
    options.head_lr_multiplier = t.head_learning_rate_multiplier;
    options.layer_decay = t.layer_lr_decay;
    std::vector<torch::optim::OptimizerParamGroup> groups;
    multipliers.clear();
    for (const auto& g : model::make_parameter_groups(names, options)) {
        std::vector<torch::Tensor> tensors;
        for (const auto& n : g.names)
            tensors.push_back(by_name.at(n));
        Options o = base;
        o.lr(base.lr() * g.lr_multiplier);
        o.weight_decay(g.weight_decay);
        groups.emplace_back(tensors, std::make_unique<Options>(o));
        multipliers.push_back(g.lr_multiplier);
    }
    return groups;
}

template <typename Options>
std::vector<torch::optim::OptimizerParamGroup> grouped(
    const std::vector<NamedParameter>& parameters, const Options& decay_options) {
    std::vector<torch::Tensor> decay, no_decay;
    for (const auto& p : parameters) {
        if (!p.tensor.requires_grad())
            continue;
        (excluded_from_weight_decay(p.name) ? no_decay : decay).push_back(p.tensor);
    }
    Options plain = decay_options;
    plain.weight_decay(0.0);
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(decay, std::make_unique<Options>(decay_options));
    groups.emplace_back(no_decay, std::make_unique<Options>(plain));
    return groups;
}

std::int64_t step_value(const torch::Tensor& t) {
    return t.to(torch::kInt64).item<std::int64_t>();
}

class SlotReader {
public:
    SlotReader(const std::vector<TensorBlob>& blobs) {
        for (const auto& b : blobs)
            by_name_[b.name] = &b;
    }
    bool has(const std::string& param) const {
        auto it = by_name_.lower_bound(param + "/");
        return it != by_name_.end() && it->first.compare(0, param.size() + 1, param + "/") == 0;
    }
    bool has_slot(const std::string& param, const std::string& slot) const {
        return by_name_.count(param + "/" + slot) != 0;
    }
    torch::Tensor tensor(const NamedParameter& p, const std::string& slot) const {
        auto it = by_name_.find(p.name + "/" + slot);
        if (it == by_name_.end())
            throw Error("the checkpoint's optimizer state has no '" + slot + "' for " + p.name +
                            " (saved by another optimizer?)",
                        SourceLocation{{}, 0, 0, "optimizer/" + p.name});
        torch::Tensor t = model::to_torch(*it->second);
        if (slot != "step" && t.sizes() != p.tensor.sizes())
            throw Error("optimizer state " + it->first + " has shape " +
                            shape_text(it->second->shape) + " but the parameter has " +
                            shape_text(p.tensor.sizes().vec()),
                        SourceLocation{{}, 0, 0, "optimizer/" + it->first});
        return slot == "step" ? t : t.to(p.tensor.options());
    }

private:
    std::map<std::string, const TensorBlob*> by_name_;
};

}  // namespace

bool excluded_from_weight_decay(const std::string& name) {
    const bool is_bias = name.size() >= 4 && name.compare(name.size() - 4, 4, "bias") == 0;
    return is_bias || name.find("LayerNorm") != std::string::npos;
}

std::unique_ptr<torch::optim::AdamW> make_adamw(const std::vector<NamedParameter>& parameters,
                                                double lr, double weight_decay) {
    const auto options = torch::optim::AdamWOptions(lr).weight_decay(weight_decay);
    return std::make_unique<MultiTensorAdamW>(grouped(parameters, options), options);
}

std::unique_ptr<torch::optim::Optimizer> make_optimizer(
    const io::TrainingConfig& t, const std::vector<NamedParameter>& parameters, double lr) {
    std::vector<double> multipliers;
    return make_optimizer(t, parameters, lr, multipliers);
}

std::unique_ptr<torch::optim::Optimizer> make_optimizer(
    const io::TrainingConfig& t, const std::vector<NamedParameter>& parameters, double lr,
    std::vector<double>& lr_multipliers) {
    const bool discriminative = t.head_learning_rate_multiplier != 1.0 || t.layer_lr_decay != 1.0;
    lr_multipliers.clear();
    // Without multipliers: the two classic groups (decay, no decay), both at the schedule's lr.
    auto groups = [&](const auto& options) {
        if (discriminative)
            return grouped_by_rate(parameters, options, t, lr_multipliers);
        lr_multipliers = {1.0, 1.0};
        return grouped(parameters, options);
    };
    if (t.optimizer == "adamw") {
        const auto options = torch::optim::AdamWOptions(lr)
                                 .betas(std::make_tuple(t.adam_beta1, t.adam_beta2))
                                 .eps(t.eps)
                                 .weight_decay(t.weight_decay);
        return std::make_unique<MultiTensorAdamW>(groups(options), options);
    }
    if (t.optimizer == "sgd") {
        const auto options = torch::optim::SGDOptions(lr)
                                 .momentum(t.momentum)
                                 .nesterov(t.nesterov)
                                 .weight_decay(t.weight_decay);
        return std::make_unique<torch::optim::SGD>(groups(options), options);
    }
    if (t.optimizer == "rmsprop") {
        const auto options = torch::optim::RMSpropOptions(lr)
                                 .alpha(t.rmsprop_alpha)
                                 .eps(t.eps)
                                 .momentum(t.momentum)
                                 .weight_decay(t.weight_decay);
        return std::make_unique<torch::optim::RMSprop>(groups(options), options);
    }
    throw Error("unknown optimizer '" + t.optimizer + "'; use adamw, sgd or rmsprop",
                SourceLocation{{}, 0, 0, "training.optimizer"});
}

void set_learning_rate(torch::optim::Optimizer& optimizer, double lr) {
    for (auto& group : optimizer.param_groups())
        group.options().set_lr(lr);
}

void set_learning_rate(torch::optim::Optimizer& optimizer, double lr,
                       const std::vector<double>& lr_multipliers) {
    auto& groups = optimizer.param_groups();
    for (std::size_t i = 0; i < groups.size(); ++i)
        groups[i].options().set_lr(lr * (i < lr_multipliers.size() ? lr_multipliers[i] : 1.0));
}

std::vector<TensorBlob> export_optimizer_state(torch::optim::Optimizer& optimizer,
                                               const std::vector<NamedParameter>& parameters) {
    std::vector<TensorBlob> out;
    auto step_blob = [](const std::string& name, std::int64_t step) {
        return model::from_torch(name, torch::tensor(step, torch::kInt64));
    };
    for (const auto& p : parameters) {
        if (dynamic_cast<torch::optim::AdamW*>(&optimizer)) {
            if (auto* s = find_state<torch::optim::AdamWParamState>(optimizer, p.tensor)) {
                out.push_back(model::from_torch(p.name + "/exp_avg", s->exp_avg()));
                out.push_back(model::from_torch(p.name + "/exp_avg_sq", s->exp_avg_sq()));
                out.push_back(step_blob(p.name + "/step", s->step()));
            }
        } else if (dynamic_cast<torch::optim::SGD*>(&optimizer)) {
            if (auto* s = find_state<torch::optim::SGDParamState>(optimizer, p.tensor))
                out.push_back(model::from_torch(p.name + "/momentum_buffer", s->momentum_buffer()));
        } else if (dynamic_cast<torch::optim::RMSprop*>(&optimizer)) {
            if (auto* s = find_state<torch::optim::RMSpropParamState>(optimizer, p.tensor)) {
                out.push_back(model::from_torch(p.name + "/square_avg", s->square_avg()));
                out.push_back(step_blob(p.name + "/step", s->step()));
                if (s->momentum_buffer().defined())
                    out.push_back(
                        model::from_torch(p.name + "/momentum_buffer", s->momentum_buffer()));
            }
        }
    }
    return out;
}

std::vector<TensorBlob> export_adamw_state(torch::optim::AdamW& optimizer,
                                           const std::vector<NamedParameter>& parameters) {
    return export_optimizer_state(optimizer, parameters);
}

void import_optimizer_state(torch::optim::Optimizer& optimizer, const std::string& kind,
                            const std::vector<NamedParameter>& parameters,
                            const std::vector<TensorBlob>& blobs) {
    const SlotReader slots(blobs);
    auto& state = optimizer.state();
    torch::NoGradGuard no_grad;
    for (const auto& p : parameters) {
        if (!p.tensor.requires_grad() || !slots.has(p.name))
            continue;  // no state yet for this parameter (as LibTorch itself would have)
        std::unique_ptr<torch::optim::OptimizerParamState> s;
        if (kind == "adamw") {
            auto a = std::make_unique<torch::optim::AdamWParamState>();
            a->exp_avg(slots.tensor(p, "exp_avg").clone());
            a->exp_avg_sq(slots.tensor(p, "exp_avg_sq").clone());
            a->step(step_value(slots.tensor(p, "step")));
            s = std::move(a);
        } else if (kind == "sgd") {
            auto g = std::make_unique<torch::optim::SGDParamState>();
            g->momentum_buffer(slots.tensor(p, "momentum_buffer").clone());
            s = std::move(g);
        } else if (kind == "rmsprop") {
            auto r = std::make_unique<torch::optim::RMSpropParamState>();
            r->square_avg(slots.tensor(p, "square_avg").clone());
            r->step(step_value(slots.tensor(p, "step")));
            if (slots.has_slot(p.name, "momentum_buffer"))
                r->momentum_buffer(slots.tensor(p, "momentum_buffer").clone());
            s = std::move(r);
        } else {
            throw Error("unknown optimizer '" + kind + "'",
                        SourceLocation{{}, 0, 0, "training.optimizer"});
        }
        state[state_key(state, p.tensor)] = std::move(s);
    }
}

}  // namespace tb::train
