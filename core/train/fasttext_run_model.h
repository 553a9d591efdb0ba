// Fine-tuning an imported fastText model (model.path: a .ftz / .bin file, or a folder holding
// one): its word + n-gram features as the "tokenizer", its input table as the backbone, a new
// linear head for the dataset's labels (model.freeze_backbone keeps the table fixed).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "io/experiment_config.h"
#include "text/tokenizer.h"

namespace tb::model::fasttext {
struct Model;
}

namespace tb::train {

class RunModel;

// The fastText file model.path names (the file itself, or the folder's .ftz/.bin as the model
// library finds it); empty when model.path is not a fastText model.
std::string fasttext_model_file(const io::ExperimentConfig& config);

struct FastTextRun {
    std::shared_ptr<const model::fasttext::Model> model;
    // Ids are input-matrix rows in fastText's feature order (words, their character n-grams,
    // word n-grams, the end-of-line token); id_to_token names words and "<row N>" for n-gram
    // rows, so its vocabulary (the checkpoint's /tokenizer/vocab) identifies the model file.
    std::unique_ptr<text::Tokenizer> tokenizer;
};

// Reads the model file; throws tb::Error as fasttext::read_model does.
FastTextRun load_fasttext_run(const std::string& file);

// The classifier: the dequantized input table (trainable unless model.freeze_backbone) and a
// new linear head initialised from the global Torch generator; CPU, train mode.
std::shared_ptr<RunModel> build_fasttext_run_model(const io::ExperimentConfig& config,
                                                   const model::fasttext::Model& model,
                                                   std::int64_t num_classes);

}  // namespace tb::train
