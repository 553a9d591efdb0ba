// TorchScript feature extractors: loading, output-size probe, shared parameters.
#include "model/vision/torchscript_backbone.h"

#include <algorithm>

#include "common/error.h"

namespace tb::model::vision {

const char* const kTorchScriptTrustWarning =
    "TorchScript files contain code that runs when the model is used: load only files from a "
    "source you trust";

namespace {

torch::Tensor pooled(const torch::IValue& output, const std::string& path) {
    if (!output.isTensor())
        throw Error(
            "the TorchScript module returns something other than a tensor; a backbone "
            "must return features [N, F] or a feature map [N, F, H, W]",
            SourceLocation{path, 0, 0, "forward"});
    torch::Tensor t = output.toTensor();
    if (t.dim() == 4)
        return torch::adaptive_avg_pool2d(t, {1, 1}).flatten(1);
    if (t.dim() == 2)
        return t;
    throw Error("the TorchScript module returns a tensor of rank " + std::to_string(t.dim()) +
                    "; a backbone must return [N, F] or [N, F, H, W]",
                SourceLocation{path, 0, 0, "forward"});
}

}  // namespace

TorchScriptBackbone::TorchScriptBackbone(const std::string& path,
                                         const std::vector<std::int64_t>& input_shape,
                                         std::int64_t num_classes,
                                         std::int64_t declared_feature_size)
    : path_(path), num_classes_(num_classes) {
    if (input_shape.size() != 3 ||
        std::any_of(input_shape.begin(), input_shape.end(), [](auto v) { return v < 1; }))
        throw Error("a TorchScript backbone needs its input shape as [channels, height, width]",
                    SourceLocation{path, 0, 0, "input_shape"});
    if (num_classes < 1)
        throw Error("the classification head needs at least one class",
                    SourceLocation{path, 0, 0, "num_classes"});
    try {
        script_ = torch::jit::load(path, torch::kCPU);
    } catch (const c10::Error& e) {
        throw Error("cannot load " + path +
                        " as a TorchScript module (save it with "
                        "torch.jit.save(torch.jit.script(model), path)): " +
                        e.msg().substr(0, 300),
                    SourceLocation{path, 0, 0, ""});
    }
    {
        torch::NoGradGuard no_grad;
        script_.eval();
        std::vector<std::int64_t> shape{1};
        shape.insert(shape.end(), input_shape.begin(), input_shape.end());
        try {
            feature_size_ = pooled(script_.forward({torch::zeros(shape)}), path).size(1);
        } catch (const c10::Error& e) {
            throw Error("the TorchScript module fails on an input of shape [1, " +
                            std::to_string(input_shape[0]) + ", " + std::to_string(input_shape[1]) +
                            ", " + std::to_string(input_shape[2]) +
                            "] (set input_shape): " + e.msg().substr(0, 300),
                        SourceLocation{path, 0, 0, "input_shape"});
        }
    }
    if (declared_feature_size > 0 && declared_feature_size != feature_size_)
        throw Error("the TorchScript module gives " + std::to_string(feature_size_) +
                        " features, not the declared " + std::to_string(declared_feature_size),
                    SourceLocation{path, 0, 0, "feature_size"});
    // The scripted tensors become this module's parameters (same storage), so optimizers,
    // freezing and parameter counts see them; dots are not allowed in registered names.
    for (const auto& p : script_.named_parameters(/*recurse=*/true)) {
        std::string name = "script_" + p.name;
        std::replace(name.begin(), name.end(), '.', '_');
        register_parameter(name, p.value, p.value.requires_grad());
    }
    fc_ = register_module("fc", torch::nn::Linear(feature_size_, num_classes_));
    script_.train(is_training());
}

torch::Tensor TorchScriptBackbone::features(const torch::Tensor& images) {
    return pooled(script_.forward({images}), path_);
}

torch::Tensor TorchScriptBackbone::forward(const torch::Tensor& images) {
    return fc_(features(images));
}

void TorchScriptBackbone::reset_head(std::int64_t num_classes) {
    if (num_classes < 1)
        throw Error("the classification head needs at least one class",
                    SourceLocation{path_, 0, 0, "num_classes"});
    num_classes_ = num_classes;
    fc_ = replace_module("fc", torch::nn::Linear(feature_size_, num_classes_));
}

void TorchScriptBackbone::train(bool on) {
    torch::nn::Module::train(on);
    // A frozen backbone (no scripted parameter requires gradients, model.freeze_backbone) stays
    // in eval mode as a whole: its batch norms keep their statistics (see docs/models.md).
    bool frozen = true;
    for (const auto& p : script_.parameters(/*recurse=*/true))
        frozen = frozen && !p.requires_grad();
    script_.train(on && !frozen);
}

}  // namespace tb::model::vision
