// FGM perturbation and exact restore of the word embeddings.
#include "model/fgm.h"

#include <cmath>

#include "common/error.h"

namespace tb::model {

Fgm::Fgm(torch::Tensor embedding_weight, double epsilon)
    : weight_(std::move(embedding_weight)), epsilon_(epsilon) {
    if (!weight_.defined())
        throw Error("FGM needs the word-embedding matrix", SourceLocation{{}, 0, 0, "fgm"});
    if (!(epsilon > 0.0) || !std::isfinite(epsilon))
        throw Error("the FGM epsilon must be a positive number",
                    SourceLocation{{}, 0, 0, "training.fgm_epsilon"});
}

bool Fgm::attack() {
    if (backup_.defined())
        throw Error("FGM attack() called twice without restore()", SourceLocation{{}, 0, 0, "fgm"});
    const auto& grad = weight_.grad();
    if (!grad.defined())
        return false;
    torch::NoGradGuard no_grad;
    const double norm = grad.to(torch::kDouble).norm().item<double>();
    if (!(norm > 0.0) || !std::isfinite(norm))
        return false;
    backup_ = weight_.detach().clone();
    weight_.add_(grad * (epsilon_ / norm));
    return true;
}

void Fgm::restore() {
    if (!backup_.defined())
        return;
    torch::NoGradGuard no_grad;
    weight_.copy_(backup_);
    backup_ = torch::Tensor();
}

torch::Tensor find_word_embeddings(const torch::nn::Module& model) {
    const std::string suffix = "word_embeddings.weight";
    for (const auto& item : model.named_parameters(/*recurse=*/true)) {
        const auto& name = item.key();
        if (name.size() >= suffix.size() &&
            name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
            return item.value();
    }
    throw Error(
        "the model has no parameter named '*word_embeddings.weight' to perturb; FGM "
        "works on Hugging Face style text encoders",
        SourceLocation{{}, 0, 0, "fgm"});
}

}  // namespace tb::model
