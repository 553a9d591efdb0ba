// Optimizer parameter groups: discriminative and layer-wise learning rates plus the no-weight-decay
// rule, as a pure function of parameter names (Torch-free; core/train turns groups into AdamW).
#pragma once

#include <string>
#include <vector>

namespace tb::model {

struct ParameterGroupOptions {
    double weight_decay = 0.01;          // for weights; biases and LayerNorm always get 0
    double encoder_lr_multiplier = 1.0;  // every encoder parameter (embeddings, layers, pooler)
    double head_lr_multiplier = 1.0;     // every head parameter
    // Layer-wise LR decay (1.0 = off). With L encoder layers, "encoder.layer.<i>" gets
    // decay^(L-1-i) (the top layer 1), "embeddings" decay^L (the lowest), anything else in the
    // encoder (pooler) and the head 1; all times their multiplier above.
    double layer_decay = 1.0;
    int num_layers = 0;  // L; 0 = max layer index seen in the names + 1
    // First name segments that mark head parameters; everything else is encoder (including
    // LoRA adapters, which live inside encoder layers).
    std::vector<std::string> head_modules{"classifier", "pre_classifier"};
};

struct ParameterGroup {
    std::vector<std::string> names;  // in the order given
    double lr_multiplier = 1.0;      // the group's lr = base lr (after the schedule) x this
    double weight_decay = 0.0;
};

// True for biases and LayerNorm parameters (BERT/RoBERTa "LayerNorm", DistilBERT
// "sa_layer_norm" / "output_layer_norm"): they get no weight decay, as in BERT fine-tuning.
bool excluded_from_weight_decay(const std::string& parameter_name);

// Groups `trainable_names` (pass ONLY parameters that train: LibTorch's AdamW still decays a
// frozen parameter in its groups if it holds a gradient tensor, even all zeros) by (lr multiplier,
// weight decay). Groups appear in the order their first name appears; every name is in exactly one.
// Throws tb::Error for a multiplier or decay that is not positive and finite, a negative
// weight decay, or a name appearing twice.
std::vector<ParameterGroup> make_parameter_groups(const std::vector<std::string>& trainable_names,
                                                  const ParameterGroupOptions& options);

// The learning-rate multiplier one parameter gets (the same rule, for display and tests).
double lr_multiplier_for(const std::string& parameter_name, const ParameterGroupOptions& options,
                         int num_layers);

}  // namespace tb::model
