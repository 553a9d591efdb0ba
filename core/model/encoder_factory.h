// Builds the right TextEncoder for a config.json / model folder and loads its weights by name.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "model/model_folder.h"
#include "model/safetensors.h"
#include "model/text_encoder.h"
#include "model/weight_loading.h"

namespace tb::model {

// A randomly initialised encoder (HF-style init with the global Torch RNG) for the config's
// family: BertModel for BERT / RoBERTa / ELECTRA, DistilBertModel for DistilBERT.
// with_pooler is ignored where the architecture has no pooler (DistilBERT, ELECTRA).
std::shared_ptr<TextEncoder> create_text_encoder(const BertConfig& config, bool with_pooler = true);

// True when the checkpoint holds a pooler ("pooler.dense.weight", with or without the
// family's prefix). Task checkpoints such as RobertaForSequenceClassification or
// BertForTokenClassification have none.
bool checkpoint_has_pooler(const BertConfig& config, const std::vector<SafetensorsFile>& files);

// Loads the encoder's tensors (names as HF's *Model, or with the family's task-checkpoint
// prefix "bert." / "roberta." / "distilbert." / "electra."). Every encoder tensor must be
// present with the right shape, else tb::Error lists each one by name and shape; tensors of
// other parts (heads, LM heads) are reported as unexpected. F32/F16/BF16 files load into the
// encoder's dtype.
LoadReport load_encoder_weights(TextEncoder& encoder, const std::vector<SafetensorsFile>& files);

struct EncoderLoadOptions {
    torch::Dtype dtype = torch::kFloat32;  // kFloat32, kFloat16 or kBFloat16
    torch::Device device = torch::kCPU;
};

struct LoadedEncoder {
    std::shared_ptr<TextEncoder> encoder;  // in eval() mode; call train() to fine-tune
    LoadReport report;
    ModelFolderInfo folder;
};

// inspect_model_folder(dir), then create_text_encoder (with a pooler when the checkpoint has
// one) and load_encoder_weights. Throws tb::Error for anything inspect_model_folder or the
// load refuses.
LoadedEncoder load_text_encoder(const std::string& dir, const EncoderLoadOptions& options = {});

}  // namespace tb::model
