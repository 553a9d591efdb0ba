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
    "path",           "format",       "text_column",
    "label_column",   "label_order",  "skip_invalid_rows",
    "train_fraction", "dev_fraction", "test_fraction",
    "dev_path",       "test_path"};
const std::vector<std::string> kModelKeys = {"path", "head", "classifier_dropout", "max_length",
                                             "lowercase"};
const std::vector<std::string> kTrainingKeys = {
    "epochs",       "batch_size",      "eval_batch_size", "learning_rate",
    "weight_decay", "warmup_ratio",    "max_grad_norm",   "seed",
    "device",       "log_every_steps", "threads"};
const std::vector<std::string> kOutputKeys = {"runs_dir", "run_name", "keep_last_checkpoints"};

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

void read_dataset(const YamlSection& s, DatasetConfig& d) {
    s.read("path", d.path);
    if (!s.has("path"))
        s.fail("path", "is required: the data file to train on (csv, tsv or jsonl)");
    check_not_empty(s, "path", d.path);

    s.read("format", d.format);
    check_one_of(s, "format", d.format, {"auto", "csv", "tsv", "jsonl"});
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
}

void read_model(const YamlSection& s, ModelConfig& m) {
    s.read("path", m.path);
    if (!s.has("path")) {
        s.fail("path",
               "is required: a Hugging Face-style model folder "
               "(config.json, model.safetensors, vocab.txt)");
    }
    check_not_empty(s, "path", m.path);
    s.read("head", m.head);
    check_one_of(s, "head", m.head, {"sequence_classification"});
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
}

void read_output(const YamlSection& s, OutputConfig& o) {
    s.read("runs_dir", o.runs_dir);
    check_not_empty(s, "runs_dir", o.runs_dir);
    s.read("run_name", o.run_name);
    s.read("keep_last_checkpoints", o.keep_last_checkpoints);
    check_min(s, "keep_last_checkpoints", o.keep_last_checkpoints, 1);
}

}  // namespace

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
    read_model(s.section("model", kModelKeys), config.model);
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
