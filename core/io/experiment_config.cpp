// Reading and validating the YAML experiment file (schema: docs/config.md).
#include "io/experiment_config.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "common/error.h"
#include "io/yaml_scalar.h"
#include "io/yaml_section.h"

namespace tb::io {
namespace {

namespace fs = std::filesystem;

// The keys of each section, in the order to_yaml writes them (the struct field order).
const std::vector<std::string> kRootKeys = {"name", "dataset", "model", "training", "output"};
const std::vector<std::string> kDatasetKeys = {
    "path", "format", "text_column", "label_column", "label_order", "skip_invalid_rows",
    "train_fraction", "dev_fraction", "test_fraction", "dev_path", "test_path",
    // import options (read_dataset_import)
    "task", "text_pair_column", "label_separator", "label_columns", "token_column", "tag_column",
    "tag_scheme", "convert_to_bio", "split_column", "deidentify", "min_examples_per_label",
    "stream_threshold_mb", "image_column", "labels_path", "x_dataset", "y_dataset", "image_width",
    "image_height", "image_channels", "image_resize", "image_resize_shorter", "image_channel_order",
    "normalize_mean", "normalize_std", "augment_random_resized_crop", "augment_crop_min_scale",
    "augment_horizontal_flip", "augment_rotation_degrees", "augment_color_jitter"};
const std::vector<std::string> kModelKeys = {"path",
                                             "architecture",
                                             "freeze_backbone",
                                             "head",
                                             "classifier_dropout",
                                             "max_length",
                                             "lowercase",
                                             "freeze_embeddings",
                                             "freeze_layers",
                                             "lora",
                                             "lora_rank",
                                             "lora_alpha",
                                             "lora_dropout",
                                             "lora_target_modules",
                                             "pooling",
                                             "embedding_dim",
                                             "lstm_hidden_size",
                                             "lstm_layers",
                                             "vocab_min_count",
                                             "vocab_max_size",
                                             "hidden_dropout",
                                             "attention_dropout",
                                             "multi_label_thresholds",
                                             "multi_label_threshold"};
const std::vector<std::string> kTrainingKeys = {
    "epochs", "batch_size", "eval_batch_size", "learning_rate", "weight_decay", "warmup_ratio",
    "max_grad_norm", "seed", "device", "log_every_steps", "threads",
    // Optimisation options, in TrainingConfig order.
    "optimizer", "adam_beta1", "adam_beta2", "eps", "momentum", "nesterov", "rmsprop_alpha",
    "schedule", "warmup_steps", "gradient_accumulation_steps", "max_steps", "label_smoothing",
    "class_weights", "eval_every_steps", "early_stopping_metric", "early_stopping_patience",
    "early_stopping_min_delta", "nan_policy", "precision", "allow_tf32", "prefetch_batches",
    "group_by_length", "head_learning_rate_multiplier", "layer_lr_decay", "adversarial",
    "adversarial_epsilon"};
const std::vector<std::string> kOutputKeys = {"runs_dir",
                                              "run_name",
                                              "keep_last_checkpoints",
                                              "checkpoint_every_steps",
                                              "checkpoint_each_epoch",
                                              "best_metric"};

std::string number_text(double v) {
    return format_yaml_real(v);
}

void check_one_of(const YamlSection& s, const std::string& key, const std::string& value,
                  const std::vector<std::string>& allowed) {
    for (const std::string& a : allowed) {
        if (value == a)
            return;
    }
    std::string list;
    for (const std::string& a : allowed)
        list += (list.empty() ? "" : ", ") + a;
    s.fail(key, "must be one of " + list + "; found \"" + value + "\"");
}

void check_min(const YamlSection& s, const std::string& key, int value, int min) {
    if (value < min) {
        s.fail(key, "must be at least " + std::to_string(min) + ", found " + std::to_string(value));
    }
}

void check_not_empty(const YamlSection& s, const std::string& key, const std::string& value) {
    if (value.empty())
        s.fail(key, "must not be empty");
}

// [0, 1] when upper_open is false, [0, 1) otherwise.
void check_fraction(const YamlSection& s, const std::string& key, double value, bool upper_open) {
    if (value < 0.0 || value > 1.0 || (upper_open && value == 1.0)) {
        s.fail(key, std::string("must be in ") + (upper_open ? "[0, 1)" : "[0, 1]") + ", found " +
                        number_text(value));
    }
}

bool is_cuda_index(const std::string& device) {
    const std::string prefix = "cuda:";
    if (device.compare(0, prefix.size(), prefix) != 0 || device.size() == prefix.size()) {
        return false;
    }
    if (device.size() - prefix.size() > 4)
        return false;  // no machine has 10,000 GPUs
    for (std::size_t i = prefix.size(); i < device.size(); ++i) {
        if (device[i] < '0' || device[i] > '9')
            return false;
    }
    return true;
}

// A YAML list of scalars (flow `[a, b]` or block style); a single scalar is a one-item list.
std::vector<std::string> read_scalar_list(const YamlSection& s, const std::string& key,
                                          const std::string& expected) {
    const YAML::Node node = s.value(key);
    std::vector<std::string> out;
    if (!node.IsDefined() || node.IsNull())
        return out;
    if (node.IsScalar())
        return {node.Scalar()};
    if (!node.IsSequence())
        s.type_error(key, expected);
    for (const YAML::Node& item : node) {
        if (!item.IsScalar())
            s.type_error(key, expected);
        out.push_back(item.Scalar());
    }
    return out;
}

void read_string_list(const YamlSection& s, const std::string& key, std::vector<std::string>& out) {
    if (s.has(key))
        out = read_scalar_list(s, key, "a list of column names");
}

void read_number_list(const YamlSection& s, const std::string& key, std::vector<double>& out) {
    if (!s.has(key))
        return;
    std::vector<double> values;
    for (const std::string& text : read_scalar_list(s, key, "a list of numbers")) {
        const auto v = parse_yaml_real(text);
        if (!v)
            s.fail(key, "must be a list of numbers; \"" + text + "\" is not a number");
        values.push_back(*v);
    }
    out = values;
}

void check_range(const YamlSection& s, const std::string& key, double value, double low,
                 double high, bool high_open);

// The task-specific import keys, checked against the task and against each other.
void read_dataset_import(const YamlSection& s, DatasetConfig& d) {
    s.read("task", d.task);
    check_one_of(s, "task", d.task,
                 {"text_classification", "multi_label", "token_classification", "regression",
                  "image_classification"});
    const std::vector<std::string> token_formats{"auto", "conll", "jsonl", "tagged"};
    const std::vector<std::string> image_formats{"auto", "image_folder", "idx",  "hdf5",
                                                 "csv",  "tsv",          "jsonl"};
    if (d.task == "token_classification") {
        check_one_of(s, "format", d.format, token_formats);
    } else if (d.task == "image_classification") {
        check_one_of(s, "format", d.format, image_formats);
    } else if (d.format == "conll" || d.format == "tagged") {
        s.fail("format", "\"" + d.format +
                             "\" is a token-classification format; set "
                             "dataset.task: token_classification");
    } else if (d.format == "image_folder" || d.format == "idx" || d.format == "hdf5") {
        s.fail("format", "\"" + d.format +
                             "\" is an image format; set dataset.task: "
                             "image_classification");
    }
    s.read("text_pair_column", d.text_pair_column);
    s.read("label_separator", d.label_separator);
    read_string_list(s, "label_columns", d.label_columns);
    if (d.task != "multi_label") {
        if (!d.label_separator.empty() || !d.label_columns.empty()) {
            s.fail(d.label_separator.empty() ? "label_columns" : "label_separator",
                   "is a multi-label setting; set dataset.task: multi_label");
        }
    } else if (d.label_separator.empty() == d.label_columns.empty()) {
        s.fail(s.has("label_columns") ? "label_columns" : "label_separator",
               "multi_label needs either label_separator (labels in one column, e.g. \"|\") or "
               "label_columns (one 0/1 column per label), not both and not neither");
    }
    s.read("token_column", d.token_column);
    check_min(s, "token_column", d.token_column, 1);
    s.read("tag_column", d.tag_column);
    check_min(s, "tag_column", d.tag_column, 0);
    s.read("tag_scheme", d.tag_scheme);
    check_one_of(s, "tag_scheme", d.tag_scheme, {"auto", "plain", "iob1", "bio", "iob2", "iobes"});
    s.read("convert_to_bio", d.convert_to_bio);
    s.read("split_column", d.split_column);
    s.read("deidentify", d.deidentify);
    s.read("min_examples_per_label", d.min_examples_per_label);
    check_min(s, "min_examples_per_label", d.min_examples_per_label, 0);
    s.read("stream_threshold_mb", d.stream_threshold_mb);
    check_min(s, "stream_threshold_mb", d.stream_threshold_mb, 0);
    s.read("image_column", d.image_column);
    check_not_empty(s, "image_column", d.image_column);
    s.read("labels_path", d.labels_path);
    s.read("x_dataset", d.x_dataset);
    check_not_empty(s, "x_dataset", d.x_dataset);
    s.read("y_dataset", d.y_dataset);
    check_not_empty(s, "y_dataset", d.y_dataset);
    if (d.format == "idx" && d.labels_path.empty())
        s.fail("labels_path",
               "is required with format idx: the labels file (e.g. "
               "train-labels-idx1-ubyte.gz) next to the images file in path");
    for (const char* key : {"image_width", "image_height"}) {
        int& v = std::string(key) == "image_width" ? d.image_width : d.image_height;
        s.read(key, v);
        if (v < 1 || v > 8192)
            s.fail(key, "must be in [1, 8192], found " + std::to_string(v));
    }
    s.read("image_channels", d.image_channels);
    if (d.image_channels != 1 && d.image_channels != 3)
        s.fail("image_channels",
               "must be 1 (grey) or 3 (RGB), found " + std::to_string(d.image_channels));
    s.read("image_resize", d.image_resize);
    check_one_of(s, "image_resize", d.image_resize,
                 {"shorter_side_crop", "stretch", "center_crop"});
    s.read("image_resize_shorter", d.image_resize_shorter);
    if (d.image_resize_shorter < 0 || d.image_resize_shorter > 8192)
        s.fail("image_resize_shorter",
               "must be 0 (resize to the crop) or a size in [1, 8192], found " +
                   std::to_string(d.image_resize_shorter));
    if (d.image_resize_shorter > 0 && d.image_resize != "shorter_side_crop")
        s.fail("image_resize_shorter",
               "applies to image_resize: shorter_side_crop only (image_resize is " +
                   d.image_resize + ")");
    s.read("image_channel_order", d.image_channel_order);
    check_one_of(s, "image_channel_order", d.image_channel_order, {"RGB", "BGR"});
    if (d.image_channel_order == "BGR" && d.image_channels != 3)
        s.fail("image_channel_order", "BGR needs image_channels: 3");
    if (d.image_channels == 1 && !s.has("normalize_mean") && !s.has("normalize_std")) {
        d.normalize_mean = {0.5};  // grey images: the ImageNet RGB statistics do not apply
        d.normalize_std = {0.5};
    }
    read_number_list(s, "normalize_mean", d.normalize_mean);
    read_number_list(s, "normalize_std", d.normalize_std);
    for (const char* key : {"normalize_mean", "normalize_std"}) {
        const auto& v = std::string(key) == "normalize_mean" ? d.normalize_mean : d.normalize_std;
        if (v.size() != static_cast<std::size_t>(d.image_channels)) {
            s.fail(key, "needs one value per channel: " + std::to_string(d.image_channels) +
                            " (image_channels), found " + std::to_string(v.size()));
        }
    }
    for (double v : d.normalize_std) {
        if (!(v > 0.0))
            s.fail("normalize_std", "values must be > 0, found " + number_text(v));
    }
    s.read("augment_random_resized_crop", d.augment_random_resized_crop);
    s.read("augment_crop_min_scale", d.augment_crop_min_scale);
    if (!(d.augment_crop_min_scale > 0.0) || d.augment_crop_min_scale > 1.0)
        s.fail("augment_crop_min_scale",
               "must be in (0, 1], found " + number_text(d.augment_crop_min_scale));
    s.read("augment_horizontal_flip", d.augment_horizontal_flip);
    s.read("augment_rotation_degrees", d.augment_rotation_degrees);
    check_range(s, "augment_rotation_degrees", d.augment_rotation_degrees, 0.0, 180.0,
                /*high_open=*/false);
    s.read("augment_color_jitter", d.augment_color_jitter);
    check_range(s, "augment_color_jitter", d.augment_color_jitter, 0.0, 1.0, /*high_open=*/true);
    const bool augments = d.augment_random_resized_crop || d.augment_horizontal_flip ||
                          d.augment_rotation_degrees > 0.0 || d.augment_color_jitter > 0.0;
    if (augments && d.task != "image_classification")
        s.fail("augment_horizontal_flip",
               "image augmentation needs dataset.task: image_classification");
}

void read_dataset(const YamlSection& s, DatasetConfig& d) {
    s.read("path", d.path);
    if (!s.has("path"))
        s.fail("path", "is required: the data file to train on (csv, tsv or jsonl)");
    check_not_empty(s, "path", d.path);

    s.read("format", d.format);
    check_one_of(s, "format", d.format,
                 {"auto", "csv", "tsv", "jsonl", "label_text", "conll", "tagged", "image_folder",
                  "idx", "hdf5"});
    s.read("text_column", d.text_column);
    check_not_empty(s, "text_column", d.text_column);
    s.read("label_column", d.label_column);
    check_not_empty(s, "label_column", d.label_column);
    s.read("label_order", d.label_order);
    check_one_of(s, "label_order", d.label_order, {"first_seen", "sorted"});
    s.read("skip_invalid_rows", d.skip_invalid_rows);

    const char* const fractions[] = {"train_fraction", "dev_fraction", "test_fraction"};
    double* const values[] = {&d.train_fraction, &d.dev_fraction, &d.test_fraction};
    for (int i = 0; i < 3; ++i) {
        s.read(fractions[i], *values[i]);
        check_fraction(s, fractions[i], *values[i], /*upper_open=*/false);
    }
    const double sum = d.train_fraction + d.dev_fraction + d.test_fraction;
    if (std::fabs(sum - 1.0) > 1e-6) {
        // Point at the first fraction the file sets: that is the one the user changed.
        std::string key = "train_fraction";
        for (const char* f : fractions) {
            if (s.has(f)) {
                key = f;
                break;
            }
        }
        s.fail(key, "train_fraction + dev_fraction + test_fraction must sum to 1, found " +
                        number_text(d.train_fraction) + " + " + number_text(d.dev_fraction) +
                        " + " + number_text(d.test_fraction) + " = " + number_text(sum));
    }
    s.read("dev_path", d.dev_path);
    s.read("test_path", d.test_path);
    read_dataset_import(s, d);
}

// `auto` (config.json's value, stored as -1) or a probability in [0, 1).
void read_dropout_override(const YamlSection& s, const std::string& key, double& value) {
    if (!s.has(key))
        return;
    const std::string text = s.plain_scalar(key);
    if (text == "auto") {
        value = -1.0;
        return;
    }
    const auto v = parse_yaml_real(text);
    if (!v)
        s.type_error(key, "auto or a number in [0, 1)");
    if (*v < 0.0 || *v >= 1.0)
        s.fail(key, "must be auto or in [0, 1), found " + number_text(*v));
    value = *v;
}

// `multi_label_thresholds: fixed | tune | [t0, t1, ...]` (one threshold in (0, 1) per label)
// and `multi_label_threshold` (the fixed value).
void read_multi_label_thresholds(const YamlSection& s, ModelConfig& m) {
    s.read("multi_label_threshold", m.multi_label_threshold);
    if (!(m.multi_label_threshold > 0.0 && m.multi_label_threshold < 1.0))
        s.fail("multi_label_threshold",
               "must be in (0, 1), found " + number_text(m.multi_label_threshold));
    if (!s.has("multi_label_thresholds"))
        return;
    const YAML::Node node = s.value("multi_label_thresholds");
    if (node.IsSequence()) {
        m.multi_label_thresholds = "list";
        m.multi_label_threshold_values.clear();
        for (std::size_t i = 0; i < node.size(); ++i) {
            const YAML::Node item = node[i];
            const auto value = item.IsScalar() && item.Tag() != "!" ? parse_yaml_real(item.Scalar())
                                                                    : std::nullopt;
            if (!value || !(*value > 0.0 && *value < 1.0))
                s.fail("multi_label_thresholds", "entry " + std::to_string(i) +
                                                     " must be a number in (0, 1), found " +
                                                     describe_yaml_value(item));
            m.multi_label_threshold_values.push_back(*value);
        }
        if (m.multi_label_threshold_values.empty())
            s.fail("multi_label_thresholds",
                   "an empty list; give one threshold per label, fixed or tune");
        return;
    }
    const std::string text = s.plain_scalar("multi_label_thresholds");
    if (text != "fixed" && text != "tune")
        s.type_error("multi_label_thresholds",
                     "fixed, tune or a list of numbers in (0, 1) (one per label)");
    m.multi_label_thresholds = text;
    m.multi_label_threshold_values.clear();
}

void read_model(const YamlSection& s, ModelConfig& m, const std::string& task) {
    s.read("path", m.path);
    s.read("architecture", m.architecture);
    s.read("freeze_backbone", m.freeze_backbone);
    if (task == "image_classification") {
        // An image model comes from a folder / TorchScript file or is built from scratch.
        if (!m.architecture.empty())
            check_one_of(s, "architecture", m.architecture,
                         {"resnet18", "resnet34", "resnet50", "mobilenet_v2", "small_cnn", "mlp"});
        if (s.has("path") && !m.path.empty() && !m.architecture.empty())
            s.fail("architecture",
                   "give either model.path (an image model folder or TorchScript file) or "
                   "model.architecture (a model trained from scratch), not both");
        if (m.path.empty() && m.architecture.empty())
            s.fail("path",
                   "is required: an image model folder or TorchScript .pt file, or set "
                   "model.architecture (resnet18, resnet34, resnet50, mobilenet_v2, small_cnn, "
                   "mlp) to train from scratch");
    } else if (!m.architecture.empty()) {
        // A text model trained from scratch: the BiLSTM classifier.
        // bilstm: word-level vocabulary; bilstm_char: one unit per character (Chinese).
        check_one_of(s, "architecture", m.architecture, {"bilstm", "bilstm_char"});
        if (task != "text_classification")
            s.fail("architecture", m.architecture + " trains text_classification datasets only");
        if (s.has("path") && !m.path.empty())
            s.fail("architecture",
                   "give either model.path (a pretrained model folder) or model.architecture "
                   "(a model trained from scratch), not both");
        if (m.freeze_backbone)
            s.fail("freeze_backbone", "has nothing to freeze in a model trained from scratch");
    } else {
        const auto ends_with = [&](const std::string& suffix) {
            return m.path.size() >= suffix.size() &&
                   m.path.compare(m.path.size() - suffix.size(), suffix.size(), suffix) == 0;
        };
        if (m.freeze_backbone && !ends_with(".ftz") && !ends_with(".bin"))
            s.fail("freeze_backbone",
                   "is for image models and fastText models (model.path naming a .ftz or .bin "
                   "file); other text models use freeze_embeddings / freeze_layers");
        if (!s.has("path")) {
            s.fail("path",
                   "is required: a Hugging Face-style model folder "
                   "(config.json, model.safetensors, vocab.txt)");
        }
        check_not_empty(s, "path", m.path);
    }
    s.read("head", m.head);
    check_one_of(s, "head", m.head, accepted_model_heads());
    s.read("classifier_dropout", m.classifier_dropout);
    check_fraction(s, "classifier_dropout", m.classifier_dropout, /*upper_open=*/true);
    s.read("max_length", m.max_length);
    if (m.max_length < 8 || m.max_length > 4096) {
        s.fail("max_length", "must be in [8, 4096], found " + std::to_string(m.max_length));
    }
    // auto | true | false; the integers -1 / 0 / 1 of the struct are accepted too.
    if (s.has("lowercase")) {
        const std::string text = s.plain_scalar("lowercase");
        if (text == "auto") {
            m.lowercase = -1;
        } else if (const auto b = parse_yaml_bool(text)) {
            m.lowercase = *b ? 1 : 0;
        } else if (const auto i = parse_yaml_integer(text); i && *i >= -1 && *i <= 1) {
            m.lowercase = static_cast<int>(*i);
        } else {
            s.type_error("lowercase", "auto, true or false");
        }
    }
    s.read("freeze_embeddings", m.freeze_embeddings);
    s.read("freeze_layers", m.freeze_layers);
    // The upper bound is the model's layer count, checked when the model is loaded.
    check_min(s, "freeze_layers", m.freeze_layers, 0);

    s.read("lora", m.lora);
    s.read("lora_rank", m.lora_rank);
    check_min(s, "lora_rank", m.lora_rank, 1);
    s.read("lora_alpha", m.lora_alpha);
    if (!(m.lora_alpha > 0.0))
        s.fail("lora_alpha", "must be > 0, found " + number_text(m.lora_alpha));
    s.read("lora_dropout", m.lora_dropout);
    check_fraction(s, "lora_dropout", m.lora_dropout, /*upper_open=*/true);
    // Module names are checked against the model when it is loaded (apply_lora lists them).
    if (s.has("lora_target_modules")) {
        m.lora_target_modules = read_scalar_list(s, "lora_target_modules",
                                                 "a list of module names (query, value, ...)");
        for (const std::string& target : m.lora_target_modules)
            if (target.empty())
                s.fail("lora_target_modules", "must not contain an empty module name");
    }
    s.read("pooling", m.pooling);
    // A BiLSTM pools by the mean over its states (auto, mean) or by learned attention.
    if (m.architecture == "bilstm" || m.architecture == "bilstm_char")
        check_one_of(s, "pooling", m.pooling, {"auto", "mean", "attention"});
    else
        check_one_of(s, "pooling", m.pooling, {"auto", "pooler", "cls", "mean"});
    // The BiLSTM's sizes (used by bilstm / bilstm_char only; checked for every model so a
    // file stays valid whichever model it is switched to).
    const auto check_size = [&s](const char* key, int value, int low, int high) {
        if (value < low || value > high)
            s.fail(key, "must be in [" + std::to_string(low) + ", " + std::to_string(high) +
                            "], found " + std::to_string(value));
    };
    s.read("embedding_dim", m.embedding_dim);
    check_size("embedding_dim", m.embedding_dim, 1, 4096);
    s.read("lstm_hidden_size", m.lstm_hidden_size);
    check_size("lstm_hidden_size", m.lstm_hidden_size, 1, 4096);
    s.read("lstm_layers", m.lstm_layers);
    check_size("lstm_layers", m.lstm_layers, 1, 16);
    s.read("vocab_min_count", m.vocab_min_count);
    check_min(s, "vocab_min_count", m.vocab_min_count, 1);
    s.read("vocab_max_size", m.vocab_max_size);
    // [PAD], [UNK] and at least one unit.
    check_size("vocab_max_size", m.vocab_max_size, 3, 10000000);
    read_dropout_override(s, "hidden_dropout", m.hidden_dropout);
    read_dropout_override(s, "attention_dropout", m.attention_dropout);
    read_multi_label_thresholds(s, m);
}

void check_range(const YamlSection& s, const std::string& key, double value, double low,
                 double high, bool high_open) {
    if (value < low || value > high || (high_open && value == high)) {
        s.fail(key, "must be in [" + number_text(low) + ", " + number_text(high) +
                        (high_open ? ")" : "]") + ", found " + number_text(value));
    }
}

// `class_weights: none | balanced | [w0, w1, ...]` (one positive weight per label).
void read_class_weights(const YamlSection& s, TrainingConfig& t) {
    if (!s.has("class_weights"))
        return;
    const YAML::Node node = s.value("class_weights");
    if (node.IsSequence()) {
        t.class_weights = "list";
        t.class_weight_values.clear();
        for (std::size_t i = 0; i < node.size(); ++i) {
            const YAML::Node item = node[i];
            const auto value = item.IsScalar() && item.Tag() != "!" ? parse_yaml_real(item.Scalar())
                                                                    : std::nullopt;
            if (!value || !(*value > 0.0)) {
                s.fail("class_weights", "entry " + std::to_string(i) +
                                            " must be a number greater than 0, found " +
                                            describe_yaml_value(item));
            }
            t.class_weight_values.push_back(*value);
        }
        if (t.class_weight_values.empty())
            s.fail("class_weights", "an empty list; give one weight per label, none or balanced");
        return;
    }
    const std::string text = s.plain_scalar("class_weights");
    if (text != "none" && text != "balanced")
        s.type_error("class_weights", "none, balanced or a list of numbers (one per label)");
    t.class_weights = text;
    t.class_weight_values.clear();
}

void read_optimization(const YamlSection& s, TrainingConfig& t) {
    s.read("optimizer", t.optimizer);
    check_one_of(s, "optimizer", t.optimizer, {"adamw", "sgd", "rmsprop"});
    s.read("adam_beta1", t.adam_beta1);
    check_range(s, "adam_beta1", t.adam_beta1, 0.0, 1.0, /*high_open=*/true);
    s.read("adam_beta2", t.adam_beta2);
    check_range(s, "adam_beta2", t.adam_beta2, 0.0, 1.0, /*high_open=*/true);
    s.read("eps", t.eps);
    if (!(t.eps > 0.0))
        s.fail("eps", "must be greater than 0, found " + number_text(t.eps));
    s.read("momentum", t.momentum);
    check_range(s, "momentum", t.momentum, 0.0, 1.0, /*high_open=*/true);
    s.read("nesterov", t.nesterov);
    if (t.nesterov && t.optimizer == "sgd" && !(t.momentum > 0.0))
        s.fail("nesterov", "Nesterov momentum needs training.momentum greater than 0");
    s.read("rmsprop_alpha", t.rmsprop_alpha);
    check_range(s, "rmsprop_alpha", t.rmsprop_alpha, 0.0, 1.0, /*high_open=*/false);
    s.read("schedule", t.schedule);
    check_one_of(s, "schedule", t.schedule, {"constant", "linear", "cosine"});
    s.read("warmup_steps", t.warmup_steps);
    check_min(s, "warmup_steps", t.warmup_steps, 0);
    s.read("gradient_accumulation_steps", t.gradient_accumulation_steps);
    check_min(s, "gradient_accumulation_steps", t.gradient_accumulation_steps, 1);
    s.read("max_steps", t.max_steps);
    check_min(s, "max_steps", t.max_steps, 0);
    s.read("label_smoothing", t.label_smoothing);
    check_fraction(s, "label_smoothing", t.label_smoothing, /*upper_open=*/true);
    read_class_weights(s, t);
    s.read("eval_every_steps", t.eval_every_steps);
    check_min(s, "eval_every_steps", t.eval_every_steps, 0);
    s.read("early_stopping_metric", t.early_stopping_metric);
    check_one_of(s, "early_stopping_metric", t.early_stopping_metric, selectable_metrics());
    s.read("early_stopping_patience", t.early_stopping_patience);
    check_min(s, "early_stopping_patience", t.early_stopping_patience, 0);
    s.read("early_stopping_min_delta", t.early_stopping_min_delta);
    if (t.early_stopping_min_delta < 0.0) {
        s.fail("early_stopping_min_delta",
               "must be at least 0, found " + number_text(t.early_stopping_min_delta));
    }
    s.read("nan_policy", t.nan_policy);
    check_one_of(s, "nan_policy", t.nan_policy, {"stop", "skip"});
    s.read("precision", t.precision);
    check_one_of(s, "precision", t.precision, {"fp32", "bf16", "fp16"});
    if (t.precision != "fp32" && t.device == "cpu") {
        s.fail("precision",
               t.precision + " needs a CUDA GPU (training.device is cpu); use fp32 on the CPU");
    }
    s.read("allow_tf32", t.allow_tf32);
    s.read("prefetch_batches", t.prefetch_batches);
    check_min(s, "prefetch_batches", t.prefetch_batches, 0);
    s.read("group_by_length", t.group_by_length);
    s.read("head_learning_rate_multiplier", t.head_learning_rate_multiplier);
    if (!(t.head_learning_rate_multiplier > 0.0) || !std::isfinite(t.head_learning_rate_multiplier))
        s.fail("head_learning_rate_multiplier",
               "must be positive, found " + number_text(t.head_learning_rate_multiplier));
    s.read("layer_lr_decay", t.layer_lr_decay);
    check_range(s, "layer_lr_decay", t.layer_lr_decay, 0.0, 1.0, /*high_open=*/false);
    if (t.layer_lr_decay == 0.0)
        s.fail("layer_lr_decay", "must be in (0, 1]; 1 turns layer-wise decay off");
    s.read("adversarial", t.adversarial);
    check_one_of(s, "adversarial", t.adversarial, {"none", "fgm"});
    s.read("adversarial_epsilon", t.adversarial_epsilon);
    if (!(t.adversarial_epsilon >= 0.0) || !std::isfinite(t.adversarial_epsilon))
        s.fail("adversarial_epsilon",
               "must be at least 0, found " + number_text(t.adversarial_epsilon));
}

void read_training(const YamlSection& s, TrainingConfig& t) {
    s.read("epochs", t.epochs);
    check_min(s, "epochs", t.epochs, 1);
    s.read("batch_size", t.batch_size);
    check_min(s, "batch_size", t.batch_size, 1);
    s.read("eval_batch_size", t.eval_batch_size);
    check_min(s, "eval_batch_size", t.eval_batch_size, 1);
    s.read("learning_rate", t.learning_rate);
    if (!(t.learning_rate > 0.0)) {
        s.fail("learning_rate", "must be greater than 0, found " + number_text(t.learning_rate));
    }
    s.read("weight_decay", t.weight_decay);
    if (t.weight_decay < 0.0) {
        s.fail("weight_decay", "must be at least 0, found " + number_text(t.weight_decay));
    }
    s.read("warmup_ratio", t.warmup_ratio);
    check_fraction(s, "warmup_ratio", t.warmup_ratio, /*upper_open=*/true);
    s.read("max_grad_norm", t.max_grad_norm);  // <= 0 disables clipping: any number is valid
    s.read("seed", t.seed);
    s.read("device", t.device);
    if (t.device != "auto" && t.device != "cpu" && t.device != "cuda" && !is_cuda_index(t.device)) {
        s.fail("device",
               "must be auto, cpu, cuda or cuda:N (N = GPU index); found \"" + t.device + "\"");
    }
    s.read("log_every_steps", t.log_every_steps);
    check_min(s, "log_every_steps", t.log_every_steps, 1);
    s.read("threads", t.threads);
    check_min(s, "threads", t.threads, 0);
    read_optimization(s, t);
}

void read_output(const YamlSection& s, OutputConfig& o) {
    s.read("runs_dir", o.runs_dir);
    check_not_empty(s, "runs_dir", o.runs_dir);
    s.read("run_name", o.run_name);
    s.read("keep_last_checkpoints", o.keep_last_checkpoints);
    check_min(s, "keep_last_checkpoints", o.keep_last_checkpoints, 1);
    s.read("checkpoint_every_steps", o.checkpoint_every_steps);
    check_min(s, "checkpoint_every_steps", o.checkpoint_every_steps, 0);
    s.read("checkpoint_each_epoch", o.checkpoint_each_epoch);
    s.read("best_metric", o.best_metric);
    check_one_of(s, "best_metric", o.best_metric, selectable_metrics());
}

}  // namespace

const std::vector<std::string>& accepted_model_heads() {
    static const std::vector<std::string> names = {"auto", "sequence_classification", "multi_label",
                                                   "token_classification", "regression"};
    return names;
}

const std::vector<std::string>& selectable_metrics() {
    static const std::vector<std::string> names = {
        "dev_macro_f1", "dev_weighted_f1", "dev_micro_f1", "dev_accuracy", "dev_loss",
        "dev_mse",      "dev_rmse",        "dev_mae",      "dev_r2"};
    return names;
}

bool metric_higher_is_better(const std::string& name) {
    return name != "dev_loss" && name != "dev_mse" && name != "dev_rmse" && name != "dev_mae";
}

std::string ExperimentConfig::resolve(const std::string& path) const {
    if (path.empty() || base_dir.empty())
        return path;
    const fs::path p(path);
    if (p.is_absolute())
        return path;
    return (fs::path(base_dir) / p).lexically_normal().string();
}

ExperimentConfig parse_experiment(const std::string& yaml_text, const std::string& source_name) {
    // Without a file name format_location would drop the line number from what().
    const std::string file = source_name.empty() ? "<config>" : source_name;
    YAML::Node root;
    try {
        root = YAML::Load(yaml_text);
    } catch (const YAML::Exception& e) {
        throw Error("YAML syntax error: " + e.msg, yaml_location(file, e.mark, ""));
    }

    SourceLocation top;
    top.file = file;
    if (root.IsDefined() && !root.IsNull() && !root.IsMap()) {
        throw Error(
            "an experiment file is a mapping with the sections name, dataset, model, "
            "training, output; found " +
                describe_yaml_value(root),
            yaml_location(file, root.Mark(), ""));
    }
    const YamlSection s(root, "", top, kRootKeys);

    ExperimentConfig config;
    s.read("name", config.name);
    check_not_empty(s, "name", config.name);
    read_dataset(s.section("dataset", kDatasetKeys), config.dataset);
    read_model(s.section("model", kModelKeys), config.model, config.dataset.task);
    read_training(s.section("training", kTrainingKeys), config.training);
    read_output(s.section("output", kOutputKeys), config.output);
    return config;
}

ExperimentConfig load_experiment(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        SourceLocation where;
        where.file = path;
        throw Error(std::string("cannot open the experiment file: ") + std::strerror(errno), where);
    }
    std::ostringstream text;
    text << in.rdbuf();
    ExperimentConfig config = parse_experiment(text.str(), path);
    std::error_code ec;
    const fs::path absolute = fs::absolute(fs::path(path), ec);
    config.base_dir = (ec ? fs::path(path) : absolute).parent_path().lexically_normal().string();
    return config;
}

}  // namespace tb::io
