// Writing the YAML experiment file: every field, fixed order, atomic replace on save.
#include <string>
#include <vector>

#include "common/atomic_file.h"
#include "io/experiment_config.h"
#include "io/yaml_scalar.h"

namespace tb::io {
namespace {

// Appends "<indent>key: value\n"; values arrive already formatted as YAML scalars.
class YamlLines {
public:
    void section(const std::string& key) { text_ += key + ":\n"; }
    void field(const std::string& key, const std::string& scalar, int indent = 2) {
        text_ += std::string(indent, ' ') + key + ": " + scalar + "\n";
    }
    void text(const std::string& key, const std::string& value, int indent = 2) {
        field(key, format_yaml_string(value), indent);
    }
    void number(const std::string& key, double value, int indent = 2) {
        field(key, format_yaml_real(value), indent);
    }
    void integer(const std::string& key, long long value, int indent = 2) {
        field(key, std::to_string(value), indent);
    }
    void flag(const std::string& key, bool value) { field(key, value ? "true" : "false"); }
    const std::string& str() const { return text_; }

private:
    std::string text_;
};

// Flow-style lists: [a, "b c"] and [0.5, 0.25].
std::string string_list(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i > 0 ? ", " : "") + format_yaml_string(items[i]);
    return out + "]";
}

std::string number_list(const std::vector<double>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i > 0 ? ", " : "") + format_yaml_real(items[i]);
    return out + "]";
}

std::string lowercase_text(int lowercase) {
    if (lowercase < 0)
        return "auto";
    return lowercase == 0 ? "false" : "true";
}

// A flow list "[1.0, 2.5]" for explicit weights, else the plain keyword.
std::string class_weights_text(const TrainingConfig& t) {
    if (t.class_weights != "list")
        return t.class_weights;
    std::string text = "[";
    for (std::size_t i = 0; i < t.class_weight_values.size(); ++i)
        text += (i ? ", " : "") + format_yaml_real(t.class_weight_values[i]);
    return text + "]";
}

std::string dropout_text(double p) {
    return p < 0.0 ? "auto" : format_yaml_real(p);
}

std::string thresholds_text(const ModelConfig& m) {
    if (m.multi_label_thresholds != "list")
        return m.multi_label_thresholds;
    return number_list(m.multi_label_threshold_values);
}

}  // namespace

std::string to_yaml(const ExperimentConfig& config) {
    YamlLines y;
    y.text("name", config.name, /*indent=*/0);

    const DatasetConfig& d = config.dataset;
    y.section("dataset");
    y.text("path", d.path);
    y.text("format", d.format);
    y.text("text_column", d.text_column);
    y.text("label_column", d.label_column);
    y.text("label_order", d.label_order);
    y.flag("skip_invalid_rows", d.skip_invalid_rows);
    y.number("train_fraction", d.train_fraction);
    y.number("dev_fraction", d.dev_fraction);
    y.number("test_fraction", d.test_fraction);
    y.text("dev_path", d.dev_path);
    y.text("test_path", d.test_path);
    y.text("task", d.task);
    y.text("text_pair_column", d.text_pair_column);
    y.text("label_separator", d.label_separator);
    y.field("label_columns", string_list(d.label_columns));
    y.integer("token_column", d.token_column);
    y.integer("tag_column", d.tag_column);
    y.text("tag_scheme", d.tag_scheme);
    y.flag("convert_to_bio", d.convert_to_bio);
    y.text("split_column", d.split_column);
    y.flag("deidentify", d.deidentify);
    y.integer("min_examples_per_label", d.min_examples_per_label);
    y.integer("stream_threshold_mb", d.stream_threshold_mb);
    y.text("image_column", d.image_column);
    y.text("labels_path", d.labels_path);
    y.text("x_dataset", d.x_dataset);
    y.text("y_dataset", d.y_dataset);
    y.integer("image_width", d.image_width);
    y.integer("image_height", d.image_height);
    y.integer("image_channels", d.image_channels);
    y.text("image_resize", d.image_resize);
    y.integer("image_resize_shorter", d.image_resize_shorter);
    y.text("image_channel_order", d.image_channel_order);
    y.field("normalize_mean", number_list(d.normalize_mean));
    y.field("normalize_std", number_list(d.normalize_std));
    y.flag("augment_random_resized_crop", d.augment_random_resized_crop);
    y.number("augment_crop_min_scale", d.augment_crop_min_scale);
    y.flag("augment_horizontal_flip", d.augment_horizontal_flip);
    y.number("augment_rotation_degrees", d.augment_rotation_degrees);
    y.number("augment_color_jitter", d.augment_color_jitter);

    const ModelConfig& m = config.model;
    y.section("model");
    y.text("path", m.path);
    y.text("architecture", m.architecture);
    y.flag("freeze_backbone", m.freeze_backbone);
    y.text("head", m.head);
    y.number("classifier_dropout", m.classifier_dropout);
    y.integer("max_length", m.max_length);
    y.field("lowercase", lowercase_text(m.lowercase));
    y.field("freeze_embeddings", m.freeze_embeddings ? "true" : "false");
    y.integer("freeze_layers", m.freeze_layers);
    y.flag("lora", m.lora);
    y.integer("lora_rank", m.lora_rank);
    y.number("lora_alpha", m.lora_alpha);
    y.number("lora_dropout", m.lora_dropout);
    y.field("lora_target_modules", string_list(m.lora_target_modules));
    y.text("pooling", m.pooling);
    y.integer("embedding_dim", m.embedding_dim);
    y.integer("lstm_hidden_size", m.lstm_hidden_size);
    y.integer("lstm_layers", m.lstm_layers);
    y.integer("vocab_min_count", m.vocab_min_count);
    y.integer("vocab_max_size", m.vocab_max_size);
    y.field("hidden_dropout", dropout_text(m.hidden_dropout));
    y.field("attention_dropout", dropout_text(m.attention_dropout));
    y.field("multi_label_thresholds", thresholds_text(m));
    y.number("multi_label_threshold", m.multi_label_threshold);

    const TrainingConfig& t = config.training;
    y.section("training");
    y.integer("epochs", t.epochs);
    y.integer("batch_size", t.batch_size);
    y.integer("eval_batch_size", t.eval_batch_size);
    y.number("learning_rate", t.learning_rate);
    y.number("weight_decay", t.weight_decay);
    y.number("warmup_ratio", t.warmup_ratio);
    y.number("max_grad_norm", t.max_grad_norm);
    y.field("seed", std::to_string(t.seed));
    y.text("device", t.device);
    y.integer("log_every_steps", t.log_every_steps);
    y.integer("threads", t.threads);
    y.text("optimizer", t.optimizer);
    y.number("adam_beta1", t.adam_beta1);
    y.number("adam_beta2", t.adam_beta2);
    y.number("eps", t.eps);
    y.number("momentum", t.momentum);
    y.flag("nesterov", t.nesterov);
    y.number("rmsprop_alpha", t.rmsprop_alpha);
    y.text("schedule", t.schedule);
    y.integer("warmup_steps", t.warmup_steps);
    y.integer("gradient_accumulation_steps", t.gradient_accumulation_steps);
    y.integer("max_steps", t.max_steps);
    y.number("label_smoothing", t.label_smoothing);
    y.field("class_weights", class_weights_text(t));
    y.integer("eval_every_steps", t.eval_every_steps);
    y.text("early_stopping_metric", t.early_stopping_metric);
    y.integer("early_stopping_patience", t.early_stopping_patience);
    y.number("early_stopping_min_delta", t.early_stopping_min_delta);
    y.text("nan_policy", t.nan_policy);
    y.text("precision", t.precision);
    y.flag("allow_tf32", t.allow_tf32);
    y.integer("prefetch_batches", t.prefetch_batches);
    y.flag("group_by_length", t.group_by_length);
    y.number("head_learning_rate_multiplier", t.head_learning_rate_multiplier);
    y.number("layer_lr_decay", t.layer_lr_decay);
    y.text("adversarial", t.adversarial);
    y.number("adversarial_epsilon", t.adversarial_epsilon);

    const OutputConfig& o = config.output;
    y.section("output");
    y.text("runs_dir", o.runs_dir);
    y.text("run_name", o.run_name);
    y.integer("keep_last_checkpoints", o.keep_last_checkpoints);
    y.integer("checkpoint_every_steps", o.checkpoint_every_steps);
    y.flag("checkpoint_each_epoch", o.checkpoint_each_epoch);
    y.text("best_metric", o.best_metric);
    return y.str();
}

// Same protocol as checkpoints (DESIGN.md section 5), via tb::atomic_write: a crash leaves the
// old or the new file whole, never a truncated one.
void save_experiment(const ExperimentConfig& config, const std::string& path) {
    const std::string text = to_yaml(config);
    atomic_write(path, [&](const std::string& tmp_path) {
        write_whole_file(tmp_path, text.data(), text.size());
    });
}

}  // namespace tb::io
