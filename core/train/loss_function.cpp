#include "train/loss_function.h"

#include "common/error.h"

namespace tb::train {

std::vector<double> class_weights(const io::TrainingConfig& training,
                                  const std::vector<int>& train_labels, std::size_t num_labels) {
    if (training.class_weights == "list") {
        if (training.class_weight_values.size() != num_labels)
            throw Error("training.class_weights lists " +
                            std::to_string(training.class_weight_values.size()) +
                            " weights but the data has " + std::to_string(num_labels) +
                            " labels; give one weight per label, in label order",
                        SourceLocation{{}, 0, 0, "training.class_weights"});
        return training.class_weight_values;
    }
    if (training.class_weights != "balanced")
        return {};
    std::vector<double> counts(num_labels, 0.0);
    for (int label : train_labels)
        counts[static_cast<std::size_t>(label)] += 1.0;
    std::vector<double> weights(num_labels, 1.0);
    const double n = static_cast<double>(train_labels.size());
    for (std::size_t c = 0; c < num_labels; ++c)
        if (counts[c] > 0)
            weights[c] = n / (static_cast<double>(num_labels) * counts[c]);
    return weights;
}

LossFunction::LossFunction(std::vector<double> weights, double label_smoothing,
                           const torch::Device& device)
    : label_smoothing_(label_smoothing) {
    if (!weights.empty())
        weights_ = torch::tensor(weights, torch::kFloat32).to(device);
}

torch::Tensor LossFunction::sum(const torch::Tensor& logits, const torch::Tensor& labels) const {
    auto options = torch::nn::functional::CrossEntropyFuncOptions()
                       .reduction(torch::kSum)
                       .label_smoothing(label_smoothing_);
    if (weights_.defined())
        options.weight(weights_);
    // Losses are summed in float32 even under autocast, as torch.autocast does for cross_entropy.
    return torch::nn::functional::cross_entropy(logits.to(torch::kFloat32), labels, options);
}

}  // namespace tb::train
