#include "train/dry_run.h"

#include <algorithm>
#include <cstdio>

#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "model/model_folder.h"
#include "train/fasttext_run_model.h"
#include "train/image_model_setup.h"
#include "train/image_source.h"
#include "train/prepared_images.h"
#include "train/run_model.h"
#include "train/run_tokenizer.h"
#include "train/scratch_text_model.h"
#include "train/task_model_setup.h"

namespace tb::train {
namespace {

std::string mib(std::int64_t bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
    return buf;
}

std::int64_t longest(const EncodedSplit& s) {
    std::int64_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++i)  // stored ids or streamed token counts
        n = std::max<std::int64_t>(n, static_cast<std::int64_t>(s.token_count(i)));
    return n;
}

// Image runs: the data as prepare_image_data reads it (headers of every file checked), the
// model as build_image_model builds it; no tokens, and activations are not estimated.
DryRunReport dry_run_images(const io::ExperimentConfig& config, const LogFn& log) {
    DryRunReport r;
    const auto data = prepare_image_data(config, log);
    r.train_examples = static_cast<std::int64_t>(data.train.size());
    r.dev_examples = static_cast<std::int64_t>(data.dev.size());
    r.test_examples = static_cast<std::int64_t>(data.test.size());
    r.labels = data.labels.names();
    r.skipped_rows = static_cast<std::int64_t>(data.problems.size());
    r.data_hash = data.data_hash;
    const auto& t = config.training;
    r.steps_per_epoch = (r.train_examples + t.batch_size - 1) / t.batch_size;
    r.total_steps = r.steps_per_epoch * t.epochs;
    torch::NoGradGuard no_grad;
    const auto built = build_image_model(config, static_cast<std::int64_t>(r.labels.size()));
    r.model_path = config.model.path.empty() ? std::string() : config.resolve(config.model.path);
    r.architecture = built.model->architecture();
    for (const auto& p : built.model->parameters()) {
        r.parameters += p.numel();
        if (p.requires_grad())
            r.trainable_parameters += p.numel();
    }
    MemoryEstimateInput m;
    m.parameters = r.parameters;
    m.trainable_parameters = r.trainable_parameters;
    m.batch_size = t.batch_size;
    r.memory = estimate_training_memory(m);
    for (const auto& note : built.notes)
        if (note.rfind("warning: ", 0) == 0 || note.find("differs") != std::string::npos)
            r.warnings.push_back("model: " + note);
    r.warnings.push_back("image run: activation memory is not estimated (images " +
                         image_transform_json(config.dataset) + ")");
    if (r.dev_examples == 0)
        r.warnings.push_back("no dev split: the best checkpoint is simply the newest epoch");
    if (r.skipped_rows > 0)
        r.warnings.push_back(std::to_string(r.skipped_rows) +
                             " images are skipped (see the data problems with `inspect`)");
    return r;
}

// Text models without a model folder: the BiLSTM trained from scratch (vocabulary from the
// training split) and fastText files; data and model built as the Trainer builds them.
DryRunReport dry_run_without_folder(const io::ExperimentConfig& config, const LogFn& log) {
    DryRunReport r;
    const std::string fasttext_file = fasttext_model_file(config);
    std::unique_ptr<text::Tokenizer> tokenizer;  // outlives `data` (a streamed file refers to it)
    PreparedData data;
    std::shared_ptr<RunModel> model;
    torch::NoGradGuard no_grad;
    if (!fasttext_file.empty()) {
        auto run = load_fasttext_run(fasttext_file);
        tokenizer = std::move(run.tokenizer);
        data = prepare_data(config, *tokenizer, log);
        model = build_fasttext_run_model(config, *run.model,
                                         static_cast<std::int64_t>(data.labels.size()));
        r.model_path = fasttext_file;
        r.architecture = "fasttext";
    } else {
        auto prepared = prepare_scratch_text_data(config, log);
        data = std::move(prepared.data);
        model = build_bilstm_run_model(config, prepared.tokenizer->vocab_size(),
                                       static_cast<std::int64_t>(data.labels.size()));
        r.architecture = config.model.architecture;
    }
    r.train_examples = static_cast<std::int64_t>(data.train.size());
    r.dev_examples = static_cast<std::int64_t>(data.dev.size());
    r.test_examples = static_cast<std::int64_t>(data.test.size());
    r.labels = data.labels.names();
    r.skipped_rows = static_cast<std::int64_t>(data.problems.size());
    r.truncated = data.truncated;
    r.longest_example_tokens =
        std::max({longest(data.train), longest(data.dev), longest(data.test)});
    r.data_hash = data.data_hash;
    const auto& t = config.training;
    r.steps_per_epoch = (r.train_examples + t.batch_size - 1) / t.batch_size;
    r.total_steps = r.steps_per_epoch * t.epochs;
    for (const auto& p : model->module().parameters()) {
        r.parameters += p.numel();
        if (p.requires_grad())
            r.trainable_parameters += p.numel();
    }
    MemoryEstimateInput m;
    m.parameters = r.parameters;
    m.trainable_parameters = r.trainable_parameters;
    r.memory = estimate_training_memory(m);
    r.warnings.push_back(r.architecture + ": activation memory is not estimated");
    if (r.dev_examples == 0)
        r.warnings.push_back("no dev split: the best checkpoint is simply the newest epoch");
    return r;
}

}  // namespace

DryRunReport dry_run(const io::ExperimentConfig& config, const LogFn& log) {
    if (config.dataset.task == "image_classification")
        return dry_run_images(config, log);
    if (is_scratch_text_model(config) || !fasttext_model_file(config).empty())
        return dry_run_without_folder(config, log);
    DryRunReport r;
    const auto folder = model::inspect_model_folder(config.resolve(config.model.path));
    r.model_path = folder.path;
    r.architecture = folder.config.model_type;
    const auto tokenizer = load_run_tokenizer(config, folder.path);
    if (config.model.max_length > folder.config.max_position_embeddings)
        throw Error("model.max_length " + std::to_string(config.model.max_length) +
                        " exceeds the model's max_position_embeddings " +
                        std::to_string(folder.config.max_position_embeddings),
                    SourceLocation{{}, 0, 0, "model.max_length"});

    const auto data = prepare_data(config, *tokenizer, log);
    r.train_examples = static_cast<std::int64_t>(data.train.size());
    r.dev_examples = static_cast<std::int64_t>(data.dev.size());
    r.test_examples = static_cast<std::int64_t>(data.test.size());
    r.labels = data.labels.names();
    r.skipped_rows = static_cast<std::int64_t>(data.problems.size());
    r.truncated = data.truncated;
    r.longest_example_tokens =
        std::max({longest(data.train), longest(data.dev), longest(data.test)});
    r.data_hash = data.data_hash;
    const auto& t = config.training;
    r.steps_per_epoch = (r.train_examples + t.batch_size - 1) / t.batch_size;
    r.total_steps = r.steps_per_epoch * t.epochs;

    // Build the model on CPU and load the folder's weights: the same checks as a real run,
    // so a missing or mis-shaped tensor is named here rather than after the data is loaded.
    torch::NoGradGuard no_grad;
    const auto built =
        build_task_model(config, folder, static_cast<std::int64_t>(data.labels.size()),
                         /*load_pretrained=*/true);
    r.weights_loaded = built.weights_loaded;
    r.weights_unused = built.weights_unused;
    for (const auto& p : built.model->parameters()) {
        r.parameters += p.numel();
        if (p.requires_grad())
            r.trainable_parameters += p.numel();
    }

    MemoryEstimateInput m;
    m.parameters = r.parameters;
    m.trainable_parameters = r.trainable_parameters;
    m.batch_size = t.batch_size;
    m.sequence_length = std::min<std::int64_t>(config.model.max_length, r.longest_example_tokens);
    m.hidden_size = folder.config.hidden_size;
    m.layers = folder.config.num_hidden_layers;
    m.attention_heads = folder.config.num_attention_heads;
    r.memory = estimate_training_memory(m);

    for (const auto& note : folder.notes)
        r.warnings.push_back("model: " + note);
    if (r.dev_examples == 0)
        r.warnings.push_back("no dev split: the best checkpoint is simply the newest epoch");
    if (r.train_examples > 0 && r.truncated * 10 > r.train_examples + r.dev_examples)
        r.warnings.push_back(std::to_string(r.truncated) +
                             " examples reach model.max_length and are truncated; consider a "
                             "larger max_length");
    if (r.skipped_rows > 0)
        r.warnings.push_back(std::to_string(r.skipped_rows) +
                             " rows are skipped (see the data problems with `inspect`)");
    return r;
}

std::string dry_run_to_json(const DryRunReport& r) {
    nlohmann::json j = {
        {"model",
         {{"path", r.model_path},
          {"architecture", r.architecture},
          {"parameters", r.parameters},
          {"trainable_parameters", r.trainable_parameters},
          {"weights_loaded", r.weights_loaded},
          {"weights_unused", r.weights_unused}}},
        {"data",
         {{"train", r.train_examples},
          {"dev", r.dev_examples},
          {"test", r.test_examples},
          {"labels", r.labels},
          {"skipped_rows", r.skipped_rows},
          {"truncated", r.truncated},
          {"longest_example_tokens", r.longest_example_tokens},
          {"data_hash", r.data_hash}}},
        {"schedule", {{"steps_per_epoch", r.steps_per_epoch}, {"total_steps", r.total_steps}}},
        {"memory_estimate_bytes",
         {{"weights", r.memory.weights_bytes},
          {"gradients", r.memory.gradients_bytes},
          {"optimizer", r.memory.optimizer_bytes},
          {"activations", r.memory.activations_bytes},
          {"total", r.memory.total_bytes()}}},
        {"warnings", r.warnings}};
    return j.dump(2);
}

std::string dry_run_to_text(const DryRunReport& r) {
    std::string s;
    s += "model: " + r.model_path + " (" + r.architecture + ", " + std::to_string(r.parameters) +
         " parameters, " + std::to_string(r.trainable_parameters) + " trainable; " +
         std::to_string(r.weights_loaded) + " tensors load)\n";
    s += "data: " + std::to_string(r.train_examples) + " train, " + std::to_string(r.dev_examples) +
         " dev, " + std::to_string(r.test_examples) + " test, " + std::to_string(r.labels.size()) +
         " labels, " + std::to_string(r.skipped_rows) + " skipped, " + std::to_string(r.truncated) +
         " truncated (longest " + std::to_string(r.longest_example_tokens) + " tokens)\n";
    s += "steps: " + std::to_string(r.total_steps) + " (" + std::to_string(r.steps_per_epoch) +
         " per epoch)\n";
    s += "memory estimate: " + mib(r.memory.total_bytes()) + " (weights " +
         mib(r.memory.weights_bytes) + ", gradients " + mib(r.memory.gradients_bytes) +
         ", optimizer " + mib(r.memory.optimizer_bytes) + ", activations " +
         mib(r.memory.activations_bytes) + ")\n";
    for (const auto& w : r.warnings)
        s += "warning: " + w + "\n";
    return s;
}

}  // namespace tb::train
