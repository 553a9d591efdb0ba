// The model a run trains, behind one interface whatever its input: the text TaskModel (token
// ids) and image classifiers (pixels) both turn a collated Batch into logits, so the Trainer,
// the evaluator and inference do not care which they hold.
#pragma once

#include <memory>

#include <torch/torch.h>

#include "model/task_model.h"
#include "model/vision/image_model.h"
#include "train/batching.h"

namespace tb::train {

class RunModel {
public:
    virtual ~RunModel() = default;
    // The module: parameters and buffers (checkpoint names), train/eval mode, device.
    virtual torch::nn::Module& module() = 0;
    virtual torch::Tensor forward(const Batch& batch) = 0;
    virtual model::HeadKind kind() const = 0;
    // The head's loss, mean over the batch's examples (labelled tokens for tagging). Single-label
    // training goes through the Trainer's LossFunction (class weights, label smoothing) instead.
    virtual torch::Tensor loss(const torch::Tensor& logits, const torch::Tensor& labels) = 0;
    // What the head decides from the logits: class ids, 0/1 rows (multi-label), tag ids.
    virtual torch::Tensor predict(const torch::Tensor& logits) = 0;
    // The text task model, for text-only features (null for image models).
    virtual model::TaskModelImpl* text() { return nullptr; }
    // The word-embedding table [vocab, dim] that FGM adversarial training perturbs (a
    // parameter of module()); undefined for models without one (images).
    virtual torch::Tensor word_embeddings() { return {}; }
};

// Single-label classification: cross entropy over logits [batch, classes], argmax decisions.
// The base of every run model whose head is one linear classifier (images, BiLSTM, fastText).
class SingleLabelRunModel : public RunModel {
public:
    model::HeadKind kind() const override { return model::HeadKind::SequenceClassification; }
    torch::Tensor loss(const torch::Tensor& logits, const torch::Tensor& labels) override;
    torch::Tensor predict(const torch::Tensor& logits) override;
};

// A single-label classifier module over token ids: `Classifier` is a torch module holder whose
// forward takes (input_ids, attention_mask) and whose word_embeddings() is its embedding table,
// e.g. the BiLSTM and the fastText classifier.
template <typename Classifier>
class TokenIdsClassifierRunModel : public SingleLabelRunModel {
public:
    explicit TokenIdsClassifierRunModel(Classifier model) : model_(std::move(model)) {}
    torch::nn::Module& module() override { return *model_; }
    torch::Tensor forward(const Batch& batch) override {
        return model_->forward(batch.input_ids, batch.attention_mask);
    }
    torch::Tensor word_embeddings() override { return model_->word_embeddings(); }

private:
    Classifier model_;
};

std::shared_ptr<RunModel> make_text_run_model(model::TaskModel model);

// Single-label classification on Batch::images: cross entropy, argmax.
std::shared_ptr<RunModel> make_image_run_model(std::shared_ptr<model::vision::ImageModel> model);

}  // namespace tb::train
