#include "train/run_model.h"

#include "model/fgm.h"

namespace tb::train {
namespace {

class TextRunModel : public RunModel {
public:
    explicit TextRunModel(model::TaskModel model) : model_(std::move(model)) {}
    torch::nn::Module& module() override { return *model_; }
    torch::Tensor forward(const Batch& batch) override {
        return model_->forward(batch.input_ids, batch.attention_mask, batch.token_type_ids);
    }
    model::HeadKind kind() const override { return model_->kind(); }
    torch::Tensor loss(const torch::Tensor& logits, const torch::Tensor& labels) override {
        return model_->head().loss(logits, labels);
    }
    torch::Tensor predict(const torch::Tensor& logits) override {
        return model_->head().predict(logits);
    }
    model::TaskModelImpl* text() override { return model_.get(); }
    torch::Tensor word_embeddings() override { return model::find_word_embeddings(*model_); }

private:
    model::TaskModel model_;
};

// A backbone is frozen when none of its parameters (everything outside the head) requires
// gradients, as model.freeze_backbone leaves it.
bool backbone_frozen(model::vision::ImageModel& model) {
    const std::string head = model.head_prefix();
    bool any = false;
    for (const auto& p : model.named_parameters()) {
        if (p.key().compare(0, head.size(), head) == 0)
            continue;
        if (p.value().requires_grad())
            return false;
        any = true;
    }
    return any;
}

class ImageRunModel : public SingleLabelRunModel {
public:
    explicit ImageRunModel(std::shared_ptr<model::vision::ImageModel> model)
        : model_(std::move(model)) {
        if (!backbone_frozen(*model_))
            return;
        const std::string head = model_->head_prefix();
        for (const auto& m : model_->named_modules("", /*include_self=*/false)) {
            if ((m.key() + ".").compare(0, head.size(), head) == 0)
                continue;
            if (m.value()->as<torch::nn::BatchNorm1d>() ||
                m.value()->as<torch::nn::BatchNorm2d>() || m.value()->as<torch::nn::BatchNorm3d>())
                frozen_batch_norms_.push_back(m.value());
        }
    }
    torch::nn::Module& module() override { return *model_; }
    torch::Tensor forward(const Batch& batch) override {
        // A frozen backbone's batch norms normalise with their stored statistics and never update
        // them, whatever train()/eval() switched last (the evaluator restores train mode): Keras'
        // and torchvision's fine-tuning practice. Enforced here, before every forward pass.
        if (model_->is_training())
            for (auto& bn : frozen_batch_norms_)
                if (bn->is_training())
                    bn->eval();
        return model_->forward(batch.images);
    }

private:
    std::shared_ptr<model::vision::ImageModel> model_;
    std::vector<std::shared_ptr<torch::nn::Module>> frozen_batch_norms_;
};

}  // namespace

torch::Tensor SingleLabelRunModel::loss(const torch::Tensor& logits, const torch::Tensor& labels) {
    return torch::nn::functional::cross_entropy(logits, labels);
}

torch::Tensor SingleLabelRunModel::predict(const torch::Tensor& logits) {
    return logits.argmax(-1);
}

std::shared_ptr<RunModel> make_text_run_model(model::TaskModel model) {
    return std::make_shared<TextRunModel>(std::move(model));
}

std::shared_ptr<RunModel> make_image_run_model(std::shared_ptr<model::vision::ImageModel> model) {
    return std::make_shared<ImageRunModel>(std::move(model));
}

}  // namespace tb::train
