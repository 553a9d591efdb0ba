// `pretrain`: WordPiece vocabulary + masked-language-model pretraining of a small BERT, or
// continued (domain-adaptive) pretraining of an existing one, written as a HF model folder.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "pretrain/mlm_masking.h"
#include "train/run_control.h"

namespace tb::pretrain {

struct PretrainOptions {
    std::vector<std::string> corpus_files;  // see read_corpus_texts
    std::string text_column = "text";       // for CSV/TSV/JSONL corpus files
    std::string out_dir;                    // must not exist, or be an empty folder
    std::string from_dir;  // continue pretraining this model folder (its vocabulary and size)
    // New model only: the vocabulary (WordPiece training) and the architecture.
    std::size_t vocab_size = 8000;
    std::size_t min_frequency = 2;
    std::size_t limit_alphabet = 1000;
    bool lowercase = true;
    int layers = 2, hidden = 128, heads = 4, intermediate = 512;
    // Training.
    int max_length = 128;    // block length, [CLS] and [SEP] included
    int epochs = 1;          // passes over the blocks, unless `steps` is set
    std::int64_t steps = 0;  // optimizer steps (0: epochs x blocks / batch)
    int batch_size = 32;
    double learning_rate = 5e-4;
    double weight_decay = 0.01;
    double warmup_ratio = 0.06;
    double max_grad_norm = 1.0;
    std::uint64_t seed = 42;
    MaskingOptions masking;
    int log_every = 50;  // progress callback every N steps (and at the last step)
    // "auto" (the first CUDA GPU if this build and machine have one, else the CPU), "cpu",
    // "cuda" or "cuda:N". Masking and batching stay on the CPU; the folder is written from
    // CPU tensors either way.
    std::string device = "auto";
    // Write the initialised model without training it: the random-initialisation baseline for
    // comparisons (same vocabulary and architecture). Its weights are marked as not pretrained.
    bool init_only = false;
};

struct PretrainProgress {
    std::int64_t step = 0, total_steps = 0;
    int epoch = 0;             // 1-based
    double loss = 0;           // mean masked-LM loss over the steps since the last report
    double learning_rate = 0;  // at this step
    double elapsed_s = 0;
};

struct PretrainResult {
    bool cancelled = false;  // stopped early; the folder holds the model as it was then
    std::int64_t steps = 0;
    std::int64_t blocks = 0;  // training sequences per epoch
    std::int64_t tokens = 0;  // corpus word pieces
    std::int64_t vocab_size = 0;
    double first_loss = 0;                  // the first report's mean loss
    double final_loss = 0;                  // the last report's mean loss
    std::vector<PretrainProgress> history;  // every report
};

using PretrainLog = std::function<void(const std::string&)>;
using PretrainObserver = std::function<void(const PretrainProgress&)>;

// Reads the corpus; trains a WordPiece vocabulary and initialises a BERT (HF initialisation,
// seeded) or loads `from_dir`; pretrains with masked-LM (dynamic masking, AdamW, linear warmup
// and decay, gradient clipping), checking `control` between steps; writes out_dir atomically:
// config.json (BertForMaskedLM), model.safetensors (encoder + MLM head, HF names),
// vocab.txt, tokenizer_config.json and pretraining.json (settings, corpus, loss history).
// Throws tb::Error for unusable options, corpus or model folders.
PretrainResult run_pretraining(const PretrainOptions& options, train::RunControl& control,
                               const PretrainObserver& on_progress, const PretrainLog& log);

}  // namespace tb::pretrain
