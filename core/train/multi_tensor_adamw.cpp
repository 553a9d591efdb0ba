#include "train/multi_tensor_adamw.h"

#include <cmath>
#include <map>
#include <memory>
#include <utility>

#include "train/optimizer_state_key.h"

namespace tb::train {

MultiTensorAdamW::MultiTensorAdamW(std::vector<torch::optim::OptimizerParamGroup> groups,
                                   torch::optim::AdamWOptions defaults)
    : torch::optim::AdamW(std::move(groups), std::move(defaults)) {}

namespace {

// The tensors of the parameters that share one step count (one bias correction).
struct Bucket {
    std::vector<torch::Tensor> params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs;
};

}  // namespace

torch::Tensor MultiTensorAdamW::step(LossClosure closure) {
    torch::NoGradGuard no_grad;
    torch::Tensor loss;
    if (closure != nullptr) {
        at::AutoGradMode enable_grad(true);
        loss = closure();
    }
    auto& states = state();
    for (auto& group : param_groups()) {
        const auto& options = static_cast<const torch::optim::AdamWOptions&>(group.options());
        const double lr = options.lr();
        const double beta1 = std::get<0>(options.betas());
        const double beta2 = std::get<1>(options.betas());
        // Parameters without a gradient keep their step count, so counts can differ.
        std::map<std::int64_t, Bucket> buckets;
        for (auto& p : group.params()) {
            if (!p.grad().defined())
                continue;
            TORCH_CHECK(!p.grad().is_sparse(), "AdamW does not support sparse gradients");
            auto key = state_key(states, p);
            auto found = states.find(key);
            if (found == states.end()) {
                auto fresh = std::make_unique<torch::optim::AdamWParamState>();
                fresh->step(0);
                fresh->exp_avg(torch::zeros_like(p, torch::MemoryFormat::Preserve));
                fresh->exp_avg_sq(torch::zeros_like(p, torch::MemoryFormat::Preserve));
                if (options.amsgrad())
                    fresh->max_exp_avg_sq(torch::zeros_like(p, torch::MemoryFormat::Preserve));
                found = states.emplace(key, std::move(fresh)).first;
            }
            auto& s = static_cast<torch::optim::AdamWParamState&>(*found->second);
            s.step(s.step() + 1);
            auto& bucket = buckets[s.step()];
            bucket.params.push_back(p);
            bucket.grads.push_back(p.grad());
            bucket.exp_avgs.push_back(s.exp_avg());
            bucket.exp_avg_sqs.push_back(s.exp_avg_sq());
            if (options.amsgrad())
                bucket.max_exp_avg_sqs.push_back(s.max_exp_avg_sq());
        }
        for (auto& [step, b] : buckets) {
            if (options.weight_decay() != 0)
                torch::_foreach_mul_(b.params, 1 - lr * options.weight_decay());
            const double bias_correction1 = 1 - std::pow(beta1, static_cast<double>(step));
            const double bias_correction2 = 1 - std::pow(beta2, static_cast<double>(step));
            torch::_foreach_mul_(b.exp_avgs, beta1);
            torch::_foreach_add_(b.exp_avgs, b.grads, 1 - beta1);
            torch::_foreach_mul_(b.exp_avg_sqs, beta2);
            torch::_foreach_addcmul_(b.exp_avg_sqs, b.grads, b.grads, 1 - beta2);
            std::vector<torch::Tensor> denom;
            if (options.amsgrad()) {
                torch::_foreach_maximum_(b.max_exp_avg_sqs, b.exp_avg_sqs);
                denom = torch::_foreach_sqrt(b.max_exp_avg_sqs);
            } else {
                denom = torch::_foreach_sqrt(b.exp_avg_sqs);
            }
            torch::_foreach_div_(denom, std::sqrt(bias_correction2));
            torch::_foreach_add_(denom, options.eps());
            torch::_foreach_addcdiv_(b.params, b.exp_avgs, denom, -lr / bias_correction1);
        }
    }
    return loss;
}

}  // namespace tb::train
