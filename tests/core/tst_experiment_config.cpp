// Tests the YAML experiment file: parsing, defaults, round trip, saving, path resolution, and
// agreement with docs/config.md. Error cases are in tst_experiment_config_errors.cpp.
#include <QtTest>

#include <algorithm>
#include <clocale>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "common/error.h"
#include "config_test_helpers.h"
#include "io/experiment_config.h"
#include "io/yaml_scalar.h"

using config_test::fixture;
using config_test::kValid;
using tb::io::ExperimentConfig;

namespace {

void compare_configs(const ExperimentConfig& a, const ExperimentConfig& b) {
    QCOMPARE(a.name, b.name);
    QCOMPARE(a.dataset.path, b.dataset.path);
    QCOMPARE(a.dataset.format, b.dataset.format);
    QCOMPARE(a.dataset.text_column, b.dataset.text_column);
    QCOMPARE(a.dataset.label_column, b.dataset.label_column);
    QCOMPARE(a.dataset.label_order, b.dataset.label_order);
    QCOMPARE(a.dataset.skip_invalid_rows, b.dataset.skip_invalid_rows);
    QCOMPARE(a.dataset.train_fraction, b.dataset.train_fraction);  // exact, not fuzzy
    QCOMPARE(a.dataset.dev_fraction, b.dataset.dev_fraction);
    QCOMPARE(a.dataset.test_fraction, b.dataset.test_fraction);
    QCOMPARE(a.dataset.dev_path, b.dataset.dev_path);
    QCOMPARE(a.dataset.test_path, b.dataset.test_path);
    QCOMPARE(a.model.path, b.model.path);
    QCOMPARE(a.model.head, b.model.head);
    QCOMPARE(a.model.classifier_dropout, b.model.classifier_dropout);
    QCOMPARE(a.model.max_length, b.model.max_length);
    QCOMPARE(a.model.lowercase, b.model.lowercase);
    QCOMPARE(a.model.freeze_embeddings, b.model.freeze_embeddings);
    QCOMPARE(a.model.freeze_layers, b.model.freeze_layers);
    QCOMPARE(a.model.lora, b.model.lora);
    QCOMPARE(a.model.lora_rank, b.model.lora_rank);
    QCOMPARE(a.model.lora_alpha, b.model.lora_alpha);
    QCOMPARE(a.model.lora_dropout, b.model.lora_dropout);
    QCOMPARE(a.model.lora_target_modules, b.model.lora_target_modules);
    QCOMPARE(a.training.epochs, b.training.epochs);
    QCOMPARE(a.training.batch_size, b.training.batch_size);
    QCOMPARE(a.training.eval_batch_size, b.training.eval_batch_size);
    QCOMPARE(a.training.learning_rate, b.training.learning_rate);
    QCOMPARE(a.training.weight_decay, b.training.weight_decay);
    QCOMPARE(a.training.warmup_ratio, b.training.warmup_ratio);
    QCOMPARE(a.training.max_grad_norm, b.training.max_grad_norm);
    QCOMPARE(a.training.seed, b.training.seed);
    QCOMPARE(a.training.device, b.training.device);
    QCOMPARE(a.training.log_every_steps, b.training.log_every_steps);
    QCOMPARE(a.training.threads, b.training.threads);
    QCOMPARE(a.output.runs_dir, b.output.runs_dir);
    QCOMPARE(a.output.run_name, b.output.run_name);
    QCOMPARE(a.output.keep_last_checkpoints, b.output.keep_last_checkpoints);
    // Every key round-trips: compare the full text as well.
    QCOMPARE(tb::io::to_yaml(a), tb::io::to_yaml(b));
}

}  // namespace

class TestExperimentConfig : public QObject {
    Q_OBJECT

private slots:
    void fullExampleParses();
    void defaults();
    void roundTripFull();
    void roundTripAwkwardValues();
    void optimizationKeys();
    void headAndRegularizationKeys();
    void bilstmSizeKeys();
    void saveAndLoad();
    void resolveRelativePaths();
    void loadSetsBaseDirAndResolves();
    void numbersIgnoreLocale();
    void scalarFormatting();
    void docsAndDemoAgree();
};

void TestExperimentConfig::fullExampleParses() {
    const ExperimentConfig c = tb::io::load_experiment(fixture("full.yaml"));
    QCOMPARE(c.name, std::string("情感分类-full"));
    QCOMPARE(c.dataset.path, std::string("data/train.csv"));
    QCOMPARE(c.dataset.format, std::string("tsv"));
    QCOMPARE(c.dataset.text_column, std::string("review"));
    QCOMPARE(c.dataset.label_column, std::string("sentiment"));
    QCOMPARE(c.dataset.label_order, std::string("sorted"));
    QCOMPARE(c.dataset.skip_invalid_rows, false);
    QCOMPARE(c.dataset.train_fraction, 0.7);
    QCOMPARE(c.dataset.dev_fraction, 0.2);
    QCOMPARE(c.dataset.test_fraction, 0.1);
    QCOMPARE(c.dataset.dev_path, std::string("data/dev.tsv"));
    QCOMPARE(c.dataset.test_path, std::string("/srv/data/test.tsv"));
    QCOMPARE(c.model.path, std::string("../models/bert-base-chinese"));
    QCOMPARE(c.model.head, std::string("sequence_classification"));
    QCOMPARE(c.model.classifier_dropout, 0.2);
    QCOMPARE(c.model.max_length, 256);
    QCOMPARE(c.model.lowercase, 0);
    QCOMPARE(c.model.freeze_embeddings, true);
    QCOMPARE(c.model.freeze_layers, 4);
    QCOMPARE(c.model.lora, true);
    QCOMPARE(c.model.lora_rank, 4);
    QCOMPARE(c.model.lora_alpha, 8.0);
    QCOMPARE(c.model.lora_dropout, 0.1);
    QCOMPARE(c.model.lora_target_modules,
             (std::vector<std::string>{"query", "key", "attention.output.dense"}));
    QCOMPARE(c.training.epochs, 5);
    QCOMPARE(c.training.batch_size, 16);
    QCOMPARE(c.training.eval_batch_size, 128);
    QCOMPARE(c.training.learning_rate, 3e-5);
    QCOMPARE(c.training.weight_decay, 0.0);
    QCOMPARE(c.training.warmup_ratio, 0.06);
    QCOMPARE(c.training.max_grad_norm, 0.0);
    QCOMPARE(c.training.seed, std::uint64_t(1234));
    QCOMPARE(c.training.device, std::string("cuda:1"));
    QCOMPARE(c.training.log_every_steps, 50);
    QCOMPARE(c.training.threads, 4);
    QCOMPARE(c.output.runs_dir, std::string("out/runs"));
    QCOMPARE(c.output.run_name, std::string("baseline"));
    QCOMPARE(c.output.keep_last_checkpoints, 3);
}

void TestExperimentConfig::defaults() {
    const ExperimentConfig c = tb::io::load_experiment(fixture("minimal.yaml"));
    ExperimentConfig expected;
    expected.dataset.path = "train.jsonl";
    expected.model.path = "/models/bert-base-uncased";
    compare_configs(c, expected);
    // The documented defaults (docs/config.md), spelled out so a changed default is noticed.
    QCOMPARE(c.name, std::string("experiment"));
    QCOMPARE(c.dataset.format, std::string("auto"));
    QCOMPARE(c.dataset.label_order, std::string("first_seen"));
    QCOMPARE(c.model.max_length, 128);
    QCOMPARE(c.model.lowercase, -1);
    QCOMPARE(c.model.head, std::string("auto"));
    QCOMPARE(c.training.epochs, 3);
    QCOMPARE(c.training.batch_size, 32);
    QCOMPARE(c.training.learning_rate, 2e-5);
    QCOMPARE(c.training.seed, std::uint64_t(42));
    QCOMPARE(c.output.runs_dir, std::string("runs"));

    // Empty sections are the same as absent ones.
    const ExperimentConfig e =
        tb::io::parse_experiment(kValid + "training:\noutput: {}\nname: experiment\n");
    compare_configs(e, tb::io::parse_experiment(kValid));
}

void TestExperimentConfig::roundTripFull() {
    const ExperimentConfig c = tb::io::load_experiment(fixture("full.yaml"));
    const std::string yaml = tb::io::to_yaml(c);
    const ExperimentConfig back = tb::io::parse_experiment(yaml);
    compare_configs(back, c);
    QCOMPARE(tb::io::to_yaml(back), yaml);  // stable: a second save changes nothing
    // Sections in the documented order, every field written.
    const std::size_t name = yaml.find("name:"), dataset = yaml.find("\ndataset:\n"),
                      model = yaml.find("\nmodel:\n"), training = yaml.find("\ntraining:\n"),
                      output = yaml.find("\noutput:\n");
    QVERIFY(name == 0 && name < dataset && dataset < model && model < training &&
            training < output && output != std::string::npos);
    QVERIFY(yaml.find("  learning_rate: 3.0e-05\n") != std::string::npos);
    QVERIFY(yaml.find("  lowercase: false\n") != std::string::npos);
    QVERIFY(yaml.find("  run_name: baseline\n") != std::string::npos);
    QVERIFY(yaml.find('#') == std::string::npos);  // comment-free
}

void TestExperimentConfig::optimizationKeys() {
    const ExperimentConfig c = tb::io::parse_experiment(kValid +
                                                        "training:\n"
                                                        "  optimizer: rmsprop\n"
                                                        "  momentum: 0.5\n"
                                                        "  rmsprop_alpha: 0.9\n"
                                                        "  schedule: cosine\n"
                                                        "  warmup_steps: 7\n"
                                                        "  gradient_accumulation_steps: 4\n"
                                                        "  max_steps: 100\n"
                                                        "  label_smoothing: 0.1\n"
                                                        "  class_weights: [1, 2.5]\n"
                                                        "  early_stopping_patience: 3\n"
                                                        "  nan_policy: skip\n"
                                                        "  precision: bf16\n"
                                                        "  group_by_length: true\n"
                                                        "output:\n"
                                                        "  checkpoint_every_steps: 50\n"
                                                        "  checkpoint_each_epoch: false\n"
                                                        "  best_metric: dev_loss\n");
    QCOMPARE(c.training.optimizer, std::string("rmsprop"));
    QCOMPARE(c.training.momentum, 0.5);
    QCOMPARE(c.training.schedule, std::string("cosine"));
    QCOMPARE(c.training.warmup_steps, 7);
    QCOMPARE(c.training.gradient_accumulation_steps, 4);
    QCOMPARE(c.training.max_steps, 100);
    QCOMPARE(c.training.class_weights, std::string("list"));
    QCOMPARE(c.training.class_weight_values, (std::vector<double>{1.0, 2.5}));
    QCOMPARE(c.training.precision, std::string("bf16"));
    QCOMPARE(c.output.checkpoint_every_steps, 50);
    QVERIFY(!c.output.checkpoint_each_epoch);
    QCOMPARE(c.output.best_metric, std::string("dev_loss"));
    const std::string yaml = tb::io::to_yaml(c);
    QVERIFY(yaml.find("  class_weights: [1.0, 2.5]\n") != std::string::npos);
    const ExperimentConfig back = tb::io::parse_experiment(yaml);
    QCOMPARE(tb::io::to_yaml(back), yaml);
    QCOMPARE(back.training.class_weight_values, c.training.class_weight_values);
    const ExperimentConfig balanced =
        tb::io::parse_experiment(kValid + "training:\n  class_weights: balanced\n");
    QCOMPARE(balanced.training.class_weights, std::string("balanced"));
    QCOMPARE(tb::io::parse_experiment(tb::io::to_yaml(balanced)).training.class_weights,
             std::string("balanced"));
}

void TestExperimentConfig::headAndRegularizationKeys() {
    const ExperimentConfig defaults = tb::io::parse_experiment(kValid);
    QCOMPARE(defaults.model.hidden_dropout, -1.0);
    QCOMPARE(defaults.model.multi_label_thresholds, std::string("fixed"));
    QCOMPARE(defaults.model.multi_label_threshold, 0.5);
    QCOMPARE(defaults.training.adversarial, std::string("none"));
    QCOMPARE(defaults.training.adversarial_epsilon, 1.0);
    const std::string yaml_defaults = tb::io::to_yaml(defaults);
    QVERIFY(yaml_defaults.find("  hidden_dropout: auto\n") != std::string::npos);
    QVERIFY(yaml_defaults.find("  multi_label_thresholds: fixed\n") != std::string::npos);

    const ExperimentConfig c = tb::io::parse_experiment(
        "dataset:\n  path: d.csv\n  task: regression\n"
        "model:\n  path: m\n  head: regression\n  hidden_dropout: 0\n"
        "  attention_dropout: 0.25\n  multi_label_thresholds: [0.3, 0.7]\n"
        "training:\n  adversarial: fgm\n  adversarial_epsilon: 0.5\n"
        "  early_stopping_metric: dev_mae\n"
        "output:\n  best_metric: dev_r2\n");
    QCOMPARE(c.dataset.task, std::string("regression"));
    QCOMPARE(c.model.head, std::string("regression"));
    QCOMPARE(c.model.hidden_dropout, 0.0);
    QCOMPARE(c.model.attention_dropout, 0.25);
    QCOMPARE(c.model.multi_label_thresholds, std::string("list"));
    QCOMPARE(c.model.multi_label_threshold_values, (std::vector<double>{0.3, 0.7}));
    QCOMPARE(c.training.adversarial, std::string("fgm"));
    QCOMPARE(c.training.adversarial_epsilon, 0.5);
    QVERIFY(!tb::io::metric_higher_is_better("dev_mae"));
    QVERIFY(!tb::io::metric_higher_is_better("dev_mse"));
    QVERIFY(tb::io::metric_higher_is_better("dev_r2"));
    const std::string yaml = tb::io::to_yaml(c);
    QVERIFY(yaml.find("  multi_label_thresholds: [0.3, 0.7]\n") != std::string::npos);
    QCOMPARE(tb::io::to_yaml(tb::io::parse_experiment(yaml)), yaml);
    const auto tune = tb::io::parse_experiment(
        "dataset:\n  path: d.csv\nmodel:\n  path: m\n"
        "  multi_label_thresholds: tune\n");
    QCOMPARE(tune.model.multi_label_thresholds, std::string("tune"));
    for (const char* bad : {"  hidden_dropout: 1\n", "  attention_dropout: -0.1\n",
                            "  multi_label_thresholds: [0.5, 1.0]\n",
                            "  multi_label_thresholds: best\n", "  multi_label_threshold: 0\n"}) {
        bool threw = false;
        try {
            tb::io::parse_experiment(std::string("dataset:\n  path: d.csv\nmodel:\n  path: m\n") +
                                     bad);
        } catch (const tb::Error&) {
            threw = true;
        }
        QVERIFY2(threw, bad);
    }
}

// model.embedding_dim / lstm_hidden_size / lstm_layers / vocab_min_count / vocab_max_size:
// defaults, written back, and range errors naming the key.
void TestExperimentConfig::bilstmSizeKeys() {
    const ExperimentConfig defaults = tb::io::parse_experiment(kValid);
    QCOMPARE(defaults.model.embedding_dim, 128);
    QCOMPARE(defaults.model.lstm_hidden_size, 128);
    QCOMPARE(defaults.model.lstm_layers, 1);
    QCOMPARE(defaults.model.vocab_min_count, 1);
    QCOMPARE(defaults.model.vocab_max_size, 30000);
    const std::string head = "dataset:\n  path: d.csv\nmodel:\n  architecture: bilstm\n";
    const ExperimentConfig c =
        tb::io::parse_experiment(head +
                                 "  embedding_dim: 64\n  lstm_hidden_size: 32\n  lstm_layers: 2\n"
                                 "  vocab_min_count: 3\n  vocab_max_size: 5000\n");
    QCOMPARE(c.model.embedding_dim, 64);
    QCOMPARE(c.model.lstm_hidden_size, 32);
    QCOMPARE(c.model.lstm_layers, 2);
    QCOMPARE(c.model.vocab_min_count, 3);
    QCOMPARE(c.model.vocab_max_size, 5000);
    const std::string yaml = tb::io::to_yaml(c);
    QVERIFY(yaml.find("  lstm_hidden_size: 32\n") != std::string::npos);
    const ExperimentConfig again = tb::io::parse_experiment(yaml);
    QCOMPARE(again.model.embedding_dim, 64);
    QCOMPARE(again.model.lstm_layers, 2);
    QCOMPARE(again.model.vocab_max_size, 5000);
    QCOMPARE(tb::io::to_yaml(again), yaml);
    const std::pair<const char*, const char*> bad[] = {
        {"  embedding_dim: 0\n", "model.embedding_dim"},
        {"  lstm_hidden_size: 5000\n", "model.lstm_hidden_size"},
        {"  lstm_layers: 0\n", "model.lstm_layers"},
        {"  vocab_min_count: 0\n", "model.vocab_min_count"},
        {"  vocab_max_size: 2\n", "model.vocab_max_size"},
        {"  lstm_layers: two\n", "model.lstm_layers"}};
    for (const auto& [line, key] : bad) {
        std::string where;
        try {
            tb::io::parse_experiment(head + line);
        } catch (const tb::Error& e) {
            where = e.where().key;
        }
        QCOMPARE(where, std::string(key));
    }
}

void TestExperimentConfig::roundTripAwkwardValues() {
    const std::vector<std::string> strings = {"",
                                              "123",
                                              "1e5",
                                              "null",
                                              "~",
                                              "true",
                                              "no",
                                              "a: b",
                                              "x #y",
                                              " lead",
                                              "trail ",
                                              "-dash",
                                              "quote\"",
                                              "back\\slash",
                                              "new\nline",
                                              "tab\there",
                                              "正面/负面",
                                              "[list]",
                                              "{map}",
                                              "&anchor",
                                              "*alias",
                                              "!tag",
                                              "%pct",
                                              "@at",
                                              "`tick`",
                                              "it's",
                                              "colon:",
                                              "a,b",
                                              "C:\\data\\x.csv",
                                              "\xC2\x85nel",
                                              "line\xE2\x80\xA8sep",
                                              "ctl\x01"};
    for (const std::string& s : strings) {
        ExperimentConfig c;
        c.name = s.empty() ? "x" : s;  // name must not be empty
        c.dataset.path = "d.csv";
        c.model.path = "m";
        c.dataset.dev_path = s;
        c.output.run_name = s;
        const ExperimentConfig back = tb::io::parse_experiment(tb::io::to_yaml(c));
        QVERIFY2(back.dataset.dev_path == s,
                 qPrintable(QString::fromStdString(tb::io::to_yaml(c))));
        QCOMPARE(back.output.run_name, s);
        QCOMPARE(back.name, c.name);
    }
    const double numbers[] = {0.1, 2e-5, 1.0 / 3.0, 1e-300, 0.30000000000000004, 123456789.0};
    for (double v : numbers) {
        ExperimentConfig c;
        c.dataset.path = "d";
        c.model.path = "m";
        c.training.learning_rate = v;
        c.training.max_grad_norm = -v;
        QCOMPARE(tb::io::parse_experiment(tb::io::to_yaml(c)).training.learning_rate, v);
        QCOMPARE(tb::io::parse_experiment(tb::io::to_yaml(c)).training.max_grad_norm, -v);
    }
    for (int lower : {-1, 0, 1}) {
        ExperimentConfig c;
        c.dataset.path = "d";
        c.model.path = "m";
        c.model.lowercase = lower;
        c.training.seed = std::numeric_limits<std::uint64_t>::max();
        const ExperimentConfig back = tb::io::parse_experiment(tb::io::to_yaml(c));
        QCOMPARE(back.model.lowercase, lower);
        QCOMPARE(back.training.seed, std::numeric_limits<std::uint64_t>::max());
    }
}

void TestExperimentConfig::saveAndLoad() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath("exp.yaml").toStdString();
    ExperimentConfig c = tb::io::load_experiment(fixture("full.yaml"));
    tb::io::save_experiment(c, path);
    ExperimentConfig back = tb::io::load_experiment(path);
    compare_configs(back, c);
    QCOMPARE(back.base_dir, dir.path().toStdString());

    c.training.epochs = 9;  // overwriting an existing file replaces it whole
    tb::io::save_experiment(c, path);
    QCOMPARE(tb::io::load_experiment(path).training.epochs, 9);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{"exp.yaml"});  // no temp left

    bool threw = false;
    try {
        tb::io::save_experiment(c, dir.filePath("missing/sub/exp.yaml").toStdString());
    } catch (const tb::Error& e) {
        threw = true;
        QVERIFY(e.where().file.find("missing/sub/exp.yaml") != std::string::npos);
    }
    QVERIFY(threw);
}

void TestExperimentConfig::resolveRelativePaths() {
    ExperimentConfig c;
    c.base_dir = "/home/u/exp";
    QCOMPARE(c.resolve("data/train.csv"), std::string("/home/u/exp/data/train.csv"));
    QCOMPARE(c.resolve("./train.csv"), std::string("/home/u/exp/train.csv"));
    QCOMPARE(c.resolve("../models/bert"), std::string("/home/u/models/bert"));
    QCOMPARE(c.resolve("/abs/file.csv"), std::string("/abs/file.csv"));
    QCOMPARE(c.resolve(""), std::string());
    c.base_dir.clear();  // parsed from a string: nothing to resolve against
    QCOMPARE(c.resolve("data/train.csv"), std::string("data/train.csv"));
}

void TestExperimentConfig::loadSetsBaseDirAndResolves() {
    const ExperimentConfig c = tb::io::load_experiment(fixture("full.yaml"));
    const std::filesystem::path dir =
        std::filesystem::absolute(fixture("")).lexically_normal().parent_path();
    QCOMPARE(c.base_dir, dir.string());
    QCOMPARE(c.resolve(c.dataset.path), (dir / "data/train.csv").string());
    QCOMPARE(c.resolve(c.dataset.test_path), std::string("/srv/data/test.tsv"));
    QCOMPARE(c.resolve(c.model.path), (dir.parent_path() / "models/bert-base-chinese").string());
    QVERIFY(tb::io::parse_experiment(kValid).base_dir.empty());
}

// The GUI runs with the user's LC_NUMERIC; "0.1" must still be 0.1 under a decimal comma.
void TestExperimentConfig::numbersIgnoreLocale() {
    // Debian images often ship no such locale; `localedef -i de_DE -f UTF-8 DIR/de_DE.UTF-8` and
    // LOCPATH=DIR make this run for real.
    const char* locales[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "ru_RU.UTF-8"};
    const char* active = nullptr;
    for (const char* l : locales) {
        if (std::setlocale(LC_NUMERIC, l) != nullptr) {
            active = l;
            break;
        }
    }
    char probe[16];
    std::snprintf(probe, sizeof probe, "%.1f", 0.5);  // proves the decimal comma is in effect
    const ExperimentConfig c =
        tb::io::parse_experiment(kValid + "training:\n  learning_rate: 0.5\n");
    const std::string yaml = tb::io::to_yaml(c);
    std::setlocale(LC_NUMERIC, "C");
    QCOMPARE(c.training.learning_rate, 0.5);
    QVERIFY(yaml.find("learning_rate: 0.5\n") != std::string::npos);
    if (active == nullptr)
        QSKIP("no decimal-comma locale installed; checked under C only");
    QCOMPARE(std::string(probe), std::string("0,5"));
}

void TestExperimentConfig::scalarFormatting() {
    using namespace tb::io;
    QCOMPARE(format_yaml_real(2e-5), std::string("2.0e-05"));
    QCOMPARE(format_yaml_real(0.1), std::string("0.1"));
    QCOMPARE(format_yaml_real(3.0), std::string("3.0"));
    QCOMPARE(format_yaml_real(-1.0), std::string("-1.0"));
    QCOMPARE(format_yaml_real(1e300), std::string("1.0e+300"));
    QCOMPARE(format_yaml_string("data/train.csv"), std::string("data/train.csv"));
    QCOMPARE(format_yaml_string("正面"), std::string("正面"));
    QCOMPARE(format_yaml_string(""), std::string("\"\""));
    QCOMPARE(format_yaml_string("123"), std::string("\"123\""));
    QCOMPARE(format_yaml_string("null"), std::string("\"null\""));
    QCOMPARE(format_yaml_string("a\"b"), std::string("\"a\\\"b\""));
    QVERIFY(parse_yaml_real("1e3") == 1000.0);
    QVERIFY(parse_yaml_real(".5") == 0.5);
    QVERIFY(!parse_yaml_real("1,5"));
    QVERIFY(!parse_yaml_real("nan"));
    QVERIFY(!parse_yaml_real("1e999"));
    QVERIFY(!parse_yaml_real("e5"));
    QVERIFY(!parse_yaml_integer("0x10"));
    QVERIFY(!parse_yaml_integer("1.0"));
    QVERIFY(parse_yaml_integer("-12") == -12);
    QVERIFY(!parse_yaml_unsigned("18446744073709551616"));  // 2^64
    QVERIFY(parse_yaml_bool("TRUE") == true);
    QVERIFY(!parse_yaml_bool("tRUE"));
}

namespace {
std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        qFatal("cannot open %s", path.c_str());
    return std::string(std::istreambuf_iterator<char>(in), {});
}
}  // namespace

// docs/config.md must stay true: its example parses, and its key tables list exactly the keys
// to_yaml writes (a key added to the structs but not documented fails here). The demo experiment
// shipped in resources/ must parse too.
void TestExperimentConfig::docsAndDemoAgree() {
    const std::string docs = read_text(std::string(TB_SOURCE_DIR) + "/docs/config.md");
    const std::size_t start = docs.find("```yaml\n");
    QVERIFY(start != std::string::npos);
    const std::size_t body = start + 8;
    const std::string example = docs.substr(body, docs.find("```", body) - body);
    const ExperimentConfig parsed = tb::io::parse_experiment(example, "docs/config.md");
    QCOMPARE(parsed.name, std::string("sentiment-zh"));

    // Keys from the tables: "| `key` |" rows below "## Top level" or "## `section`".
    std::vector<std::string> documented;
    std::string section;
    std::istringstream lines(docs);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("## ", 0) == 0) {
            section = line.rfind("## `", 0) == 0 ? line.substr(4, line.find('`', 4) - 4) : "";
            if (line == "## Top level")
                section = "-";
            continue;
        }
        if (section.empty() || line.rfind("| `", 0) != 0)
            continue;
        const std::string key = line.substr(3, line.find('`', 3) - 3);
        documented.push_back(section == "-" ? key : section + "." + key);
    }
    std::vector<std::string> written;
    std::istringstream yaml(tb::io::to_yaml(parsed));
    section.clear();
    std::string subsection;
    for (std::string line; std::getline(yaml, line);) {
        const std::string key = line.substr(0, line.find(':'));
        if (line.rfind("    ", 0) == 0) {  // a nested mapping's key, e.g. model.lora.rank
            written.push_back(section + "." + subsection + "." + key.substr(4));
        } else if (line.rfind("  ", 0) == 0) {
            subsection = key.substr(2);
            written.push_back(section + "." + subsection);
        } else {
            written.push_back(key);
            section = key;
        }
    }
    std::sort(documented.begin(), documented.end());
    std::sort(written.begin(), written.end());
    QCOMPARE(documented, written);

    const ExperimentConfig demo = tb::io::load_experiment(std::string(TB_SOURCE_DIR) +
                                                          "/resources/demo/demo_experiment.yaml");
    QVERIFY(!demo.dataset.path.empty());
    QVERIFY(!demo.model.path.empty());
}

QTEST_APPLESS_MAIN(TestExperimentConfig)
#include "tst_experiment_config.moc"
