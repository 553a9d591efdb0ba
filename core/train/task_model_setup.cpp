#include "train/task_model_setup.h"

#include <cstdio>

#include "common/error.h"
#include "model/encoder_config.h"
#include "model/encoder_factory.h"
#include "model/lora.h"
#include "model/module_freezing.h"
#include "model/safetensors.h"

namespace tb::train {

namespace {

// An explicit model.head must be one the dataset's task allows (task_catalog.h).
model::HeadKind checked_head(const io::ExperimentConfig& config, model::HeadKind task_head) {
    const std::string& task = config.dataset.task;
    const std::string& name = config.model.head;
    if (name == "auto")
        return task_head;
    const model::HeadKind head = model::head_kind_from_name(name);
    std::string valid;
    for (const auto& choice : model::valid_heads(model::task_type_from_name(task))) {
        if (choice.head == head)
            return head;
        valid += (valid.empty() ? "" : ", ") + model::head_kind_name(choice.head);
    }
    throw Error(
        "model.head " + name + " does not fit a " + task + " dataset; use auto or one of: " + valid,
        SourceLocation{{}, 0, 0, "model.head"});
}

}  // namespace

model::HeadKind head_kind_for(const io::ExperimentConfig& config) {
    const std::string& task = config.dataset.task;
    if (task == "text_classification")
        return checked_head(config, model::HeadKind::SequenceClassification);
    if (task == "multi_label")
        return checked_head(config, model::HeadKind::MultiLabel);
    if (task == "token_classification")
        return checked_head(config, model::HeadKind::TokenClassification);
    if (task == "regression")
        return checked_head(config, model::HeadKind::Regression);
    throw Error("dataset.task " + task +
                    " has no text-model head; text models train "
                    "text_classification, multi_label, token_classification and regression",
                SourceLocation{{}, 0, 0, "dataset.task"});
}

TaskModelSetup build_task_model(const io::ExperimentConfig& config,
                                const model::ModelFolderInfo& folder, std::int64_t num_outputs,
                                bool load_pretrained) {
    const auto& m = config.model;
    // model.hidden_dropout / attention_dropout override config.json's rates (DistilBERT's
    // dropout / attention_dropout map onto the same two fields).
    model::BertConfig bert = folder.config;
    if (m.hidden_dropout >= 0.0)
        bert.hidden_dropout_prob = m.hidden_dropout;
    if (m.attention_dropout >= 0.0)
        bert.attention_probs_dropout_prob = m.attention_dropout;
    if (m.max_length > model::max_input_length(bert))
        throw Error("model.max_length " + std::to_string(m.max_length) +
                        " exceeds the longest input the model takes (" +
                        std::to_string(model::max_input_length(bert)) +
                        " tokens, from max_position_embeddings " +
                        std::to_string(bert.max_position_embeddings) + ")",
                    SourceLocation{{}, 0, 0, "model.max_length"});
    if (m.freeze_layers > bert.num_hidden_layers)
        throw Error("model.freeze_layers " + std::to_string(m.freeze_layers) + " exceeds the " +
                        std::to_string(bert.num_hidden_layers) + " layers of the model",
                    SourceLocation{{}, 0, 0, "model.freeze_layers"});
    TaskModelSetup out;
    if (m.hidden_dropout >= 0.0 || m.attention_dropout >= 0.0) {
        char line[160];
        std::snprintf(line, sizeof line, "encoder dropout %g, attention dropout %g (overrides)",
                      bert.hidden_dropout_prob, bert.attention_probs_dropout_prob);
        out.notes.push_back(line);
    }
    std::vector<model::SafetensorsFile> files;
    for (const auto& path : folder.weight_files)
        files.push_back(model::SafetensorsFile::open(path));
    const bool has_pooler = model::checkpoint_has_pooler(bert, files);

    model::HeadOptions head;
    head.kind = head_kind_for(config);
    head.hidden_size = bert.hidden_size;
    head.num_outputs = num_outputs;
    head.dropout = m.classifier_dropout;
    head.initializer_range = bert.initializer_range;
    head.style = model::default_head_style(bert.model_type);
    if (m.pooling == "auto") {
        head.pooling = model::default_pooling(bert.model_type);
        if (head.pooling == model::Pooling::Pooler && !has_pooler) {
            head.pooling = model::Pooling::Cls;
            out.notes.push_back("the checkpoint has no pooler: the head pools the first token");
        }
    } else {
        head.pooling = model::pooling_from_name(m.pooling);
        if (head.pooling == model::Pooling::Pooler && !has_pooler)
            throw Error("model.pooling is pooler but " + folder.path +
                            " has no pooler weights (pooler.dense); use cls or mean",
                        SourceLocation{{}, 0, 0, "model.pooling"});
    }

    // Encoder first, then the head: both draw their initial values from the seeded generator.
    auto encoder = model::create_text_encoder(bert, has_pooler);
    auto task_head = model::make_task_head(head);
    out.model = model::TaskModel(encoder, task_head);
    if (load_pretrained) {
        const auto report = model::load_encoder_weights(*encoder, files);
        out.weights_loaded = static_cast<std::int64_t>(report.loaded.size());
        out.weights_unused = report.unexpected;
        out.notes.push_back(std::to_string(report.loaded.size()) + " tensors loaded" +
                            (report.unexpected.empty()
                                 ? std::string()
                                 : ", " + std::to_string(report.unexpected.size()) + " unused"));
    }
    if (m.lora) {
        model::LoraOptions lora;
        lora.rank = m.lora_rank;
        lora.alpha = m.lora_alpha;
        lora.dropout = m.lora_dropout;
        lora.target_modules = m.lora_target_modules.empty()
                                  ? model::default_lora_targets(model::encoder_family(bert))
                                  : m.lora_target_modules;
        const auto adapted = model::apply_lora(*encoder, lora);
        out.notes.push_back("LoRA rank " + std::to_string(lora.rank) + " on " +
                            std::to_string(adapted.size()) +
                            " layers; the encoder's other weights are frozen");
    }
    const auto frozen = model::apply_freezing(
        *out.model, model::FreezeOptions{m.freeze_embeddings, m.freeze_layers});
    if (!frozen.empty())
        out.notes.push_back(std::to_string(frozen.size()) + " tensors frozen (" +
                            (m.freeze_embeddings ? "embeddings" : "") +
                            (m.freeze_embeddings && m.freeze_layers > 0 ? ", " : "") +
                            (m.freeze_layers > 0 ? "layers 0-" + std::to_string(m.freeze_layers - 1)
                                                 : std::string()) +
                            ")");
    out.model->train();
    return out;
}

}  // namespace tb::train
