#include "train/run_model.h"

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

private:
    model::TaskModel model_;
};

class ImageRunModel : public RunModel {
public:
    explicit ImageRunModel(std::shared_ptr<model::vision::ImageModel> model)
        : model_(std::move(model)) {}
    torch::nn::Module& module() override { return *model_; }
    torch::Tensor forward(const Batch& batch) override { return model_->forward(batch.images); }
    model::HeadKind kind() const override { return model::HeadKind::SequenceClassification; }
    torch::Tensor loss(const torch::Tensor& logits, const torch::Tensor& labels) override {
        return torch::nn::functional::cross_entropy(logits, labels);
    }
    torch::Tensor predict(const torch::Tensor& logits) override { return logits.argmax(-1); }

private:
    std::shared_ptr<model::vision::ImageModel> model_;
};

}  // namespace

std::shared_ptr<RunModel> make_text_run_model(model::TaskModel model) {
    return std::make_shared<TextRunModel>(std::move(model));
}

std::shared_ptr<RunModel> make_image_run_model(std::shared_ptr<model::vision::ImageModel> model) {
    return std::make_shared<ImageRunModel>(std::move(model));
}

}  // namespace tb::train
