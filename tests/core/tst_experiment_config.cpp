// Tests the YAML experiment file: parsing, defaults, validation errors with locations, round trip.
#include <QtTest>

#include <algorithm>
#include <clocale>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <sstream>
#include <string>

#include "common/error.h"
#include "io/experiment_config.h"
#include "io/yaml_scalar.h"

using tb::io::ExperimentConfig;

namespace {

std::string fixture(const std::string& name) {
    return std::string(TB_FIXTURES_DIR) + "/config/" + name;
}

// Minimal valid prefix; error cases append to it, so their line numbers start at 5.
const std::string kValid =
    "dataset:\n"       // 1
    "  path: d.csv\n"  // 2
    "model:\n"         // 3
    "  path: m\n";     // 4

std::optional<tb::Error> parse_error(const std::string& yaml) {
    try {
        tb::io::parse_experiment(yaml, "exp.yaml");
    } catch (const tb::Error& e) {
        return e;
    }
    return std::nullopt;
}

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
}

}  // namespace

class TestExperimentConfig : public QObject {
    Q_OBJECT

private slots:
    void fullExampleParses();
    void defaults();
    void roundTripFull();
    void roundTripAwkwardValues();
    void saveAndLoad();
    void unknownKeys_data();
    void unknownKeys();
    void wrongTypes_data();
    void wrongTypes();
    void outOfRange_data();
    void outOfRange();
    void acceptedSpellings();
    void requiredKeys_data();
    void requiredKeys();
    void duplicateKey();
    void syntaxErrors_data();
    void syntaxErrors();
    void messageCarriesLocation();
    void resolveRelativePaths();
    void loadSetsBaseDirAndResolves();
    void loadMissingFile();
    void numbersIgnoreLocale();
    void docsAndDemoAgree();
    void scalarFormatting();
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

void TestExperimentConfig::unknownKeys_data() {
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QString>("key");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("top level") << QString::fromStdString(kValid + "evaluation:\n  metric: f1\n")
                               << "evaluation" << 5 << 1 << "unknown key \"evaluation\"";
    QTest::newRow("typo with suggestion")
        << QString::fromStdString(kValid + "training:\n  epochs: 2\n  epoch: 3\n")
        << "training.epoch" << 7 << 3 << "did you mean \"epochs\"";
    QTest::newRow("in dataset") << QString::fromStdString("dataset:\n  path: d\n  sep: ','\n")
                                << "dataset.sep" << 3 << 3 << "allowed keys here: path, format";
    QTest::newRow("in flow mapping")
        << QString::fromStdString(kValid + "output: {runs_dir: r, keep: 2}\n") << "output.keep" << 5
        << 23 << "unknown key \"keep\"";
}

void TestExperimentConfig::unknownKeys() {
    QFETCH(QString, yaml);
    QFETCH(QString, key);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, fragment);
    const auto e = parse_error(yaml.toStdString());
    QVERIFY(e.has_value());
    QCOMPARE(QString::fromStdString(e->where().key), key);
    QCOMPARE(e->where().line, long(line));
    QCOMPARE(e->where().column, long(column));
    QCOMPARE(e->where().file, std::string("exp.yaml"));
    QVERIFY2(e->message().find(fragment.toStdString()) != std::string::npos, e->what());
}

void TestExperimentConfig::wrongTypes_data() {
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QString>("key");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("found");
    const auto row = [](const char* name, const std::string& tail, const char* key, int line,
                        const char* expected, const char* found) {
        QTest::newRow(name) << QString::fromStdString(kValid + tail) << key << line << expected
                            << found;
    };
    row("word for int", "training:\n  epochs: three\n", "training.epochs", 6, "an integer",
        "\"three\"");
    row("float for int", "training:\n  batch_size: 3.5\n", "training.batch_size", 6, "an integer",
        "\"3.5\"");
    row("quoted int", "training:\n  epochs: \"3\"\n", "training.epochs", 6, "an integer",
        "the quoted string \"3\"");
    row("flow list for int", "training:\n  epochs: [1, 2]\n", "training.epochs", 6, "an integer",
        "a list");
    row("block list for string", "name:\n  - a\n  - b\n", "name", 6, "a string", "a list");
    row("mapping for number", "training:\n  learning_rate: {a: 1}\n", "training.learning_rate", 6,
        "a number", "a mapping");
    row("word for number", "training:\n  learning_rate: fast\n", "training.learning_rate", 6,
        "a number", "\"fast\"");
    row("comma decimal", "training:\n  warmup_ratio: 0,1\n", "training.warmup_ratio", 6, "a number",
        "\"0,1\"");
    row("infinity", "training:\n  max_grad_norm: .inf\n", "training.max_grad_norm", 6, "a number",
        "\".inf\"");
    row("empty for int", "training:\n  epochs:\n  seed: 1\n", "training.epochs", 6, "an integer",
        "an empty value");
    // kValid ends inside the model section, so an indented tail adds to model.
    row("word for bool", "", "dataset.skip_invalid_rows", 3, "true or false", "\"maybe\"");
    row("negative seed", "training:\n  seed: -1\n", "training.seed", 6, "a non-negative integer",
        "\"-1\"");
    row("section is a scalar", "training: fast\n", "training", 5, "a mapping", "\"fast\"");
    row("lowercase word", "  lowercase: sometimes\n", "model.lowercase", 5, "auto, true or false",
        "\"sometimes\"");
}

void TestExperimentConfig::wrongTypes() {
    QFETCH(QString, yaml);
    QFETCH(QString, key);
    QFETCH(int, line);
    QFETCH(QString, expected);
    QFETCH(QString, found);
    std::string text = yaml.toStdString();
    if (QByteArray(QTest::currentDataTag()) == "word for bool") {
        text = "dataset:\n  path: d\n  skip_invalid_rows: maybe\nmodel:\n  path: m\n";
    }
    const auto e = parse_error(text);
    QVERIFY2(e.has_value(), text.c_str());
    QCOMPARE(QString::fromStdString(e->where().key), key);
    QCOMPARE(e->where().line, long(line));
    QVERIFY(e->where().column > 0);
    QVERIFY2(e->message().find("expected " + expected.toStdString()) != std::string::npos,
             e->what());
    QVERIFY2(e->message().find("found " + found.toStdString()) != std::string::npos, e->what());
}

void TestExperimentConfig::outOfRange_data() {
    QTest::addColumn<QString>("tail");
    QTest::addColumn<QString>("key");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("epochs 0") << "training:\n  epochs: 0\n"
                              << "training.epochs" << 6 << "at least 1, found 0";
    QTest::newRow("batch -4") << "training:\n  batch_size: -4\n"
                              << "training.batch_size" << 6 << "at least 1";
    QTest::newRow("eval batch 0") << "training:\n  eval_batch_size: 0\n"
                                  << "training.eval_batch_size" << 6 << "at least 1";
    QTest::newRow("lr 0") << "training:\n  learning_rate: 0\n"
                          << "training.learning_rate" << 6 << "greater than 0";
    QTest::newRow("lr negative") << "training:\n  learning_rate: -1e-5\n"
                                 << "training.learning_rate" << 6 << "greater than 0";
    QTest::newRow("warmup 1") << "training:\n  warmup_ratio: 1.0\n"
                              << "training.warmup_ratio" << 6 << "[0, 1)";
    QTest::newRow("weight decay") << "training:\n  weight_decay: -0.1\n"
                                  << "training.weight_decay" << 6 << "at least 0";
    QTest::newRow("device gpu") << "training:\n  device: gpu\n"
                                << "training.device" << 6 << "auto, cpu, cuda or cuda:N";
    QTest::newRow("device cuda:x") << "training:\n  device: cuda:x\n"
                                   << "training.device" << 6 << "cuda:N";
    QTest::newRow("threads") << "training:\n  threads: -1\n"
                             << "training.threads" << 6 << "at least 0";
    QTest::newRow("log every") << "training:\n  log_every_steps: 0\n"
                               << "training.log_every_steps" << 6 << "at least 1";
    QTest::newRow("keep last") << "output:\n  keep_last_checkpoints: 0\n"
                               << "output.keep_last_checkpoints" << 6 << "at least 1";
    QTest::newRow("runs dir") << "output:\n  runs_dir: ''\n"
                              << "output.runs_dir" << 6 << "must not be empty";
    QTest::newRow("name empty") << "name: ''\n"
                                << "name" << 5 << "must not be empty";
}

void TestExperimentConfig::outOfRange() {
    QFETCH(QString, tail);
    QFETCH(QString, key);
    QFETCH(int, line);
    QFETCH(QString, fragment);
    const auto e = parse_error(kValid + tail.toStdString());
    QVERIFY(e.has_value());
    QCOMPARE(QString::fromStdString(e->where().key), key);
    QCOMPARE(e->where().line, long(line));
    QVERIFY2(e->message().find(fragment.toStdString()) != std::string::npos, e->what());
}

// Range checks inside dataset/model, where the valid prefix cannot simply be extended.
void TestExperimentConfig::acceptedSpellings() {
    const auto err = [](const std::string& yaml) { return parse_error(yaml); };
    const std::string model = "model:\n  path: m\n";
    const std::string data = "dataset:\n  path: d\n";

    auto e = err(data + "  train_fraction: 0.5\n  dev_fraction: 0.3\n" + model);
    QVERIFY(e.has_value());
    QCOMPARE(e->where().key, std::string("dataset.train_fraction"));
    QCOMPARE(e->where().line, 3L);
    QVERIFY2(e->message().find("sum to 1") != std::string::npos, e->what());
    e = err(data + "  test_fraction: 0.3\n" + model);  // first fraction the file sets
    QCOMPARE(e->where().key, std::string("dataset.test_fraction"));
    e = err(data + "  dev_fraction: 1.5\n" + model);
    QCOMPARE(e->where().key, std::string("dataset.dev_fraction"));
    QVERIFY(e->message().find("[0, 1]") != std::string::npos);
    e = err(data + "  format: xlsx\n" + model);
    QCOMPARE(e->where().key, std::string("dataset.format"));
    QVERIFY(e->message().find("auto, csv, tsv, jsonl") != std::string::npos);
    QVERIFY(e->message().find("\"xlsx\"") != std::string::npos);
    e = err(data + "  label_order: random\n" + model);
    QCOMPARE(e->where().key, std::string("dataset.label_order"));
    e = err(data + model + "  max_length: 7\n");
    QCOMPARE(e->where().key, std::string("model.max_length"));
    QCOMPARE(e->where().line, 5L);
    QVERIFY(err(data + model + "  max_length: 4097\n").has_value());
    e = err(data + model + "  head: token_classification\n");
    QCOMPARE(e->where().key, std::string("model.head"));
    e = err(data + model + "  classifier_dropout: 1\n");
    QCOMPARE(e->where().key, std::string("model.classifier_dropout"));
    QVERIFY(err(data + model + "  lowercase: 2\n").has_value());

    // Boundaries and alternative spellings that are valid.
    const auto ok = [&](const std::string& tail) -> ExperimentConfig {
        try {
            return tb::io::parse_experiment(data + model + tail);
        } catch (const tb::Error& e) {
            QTest::qFail(e.what(), __FILE__, __LINE__);
            return {};
        }
    };
    QCOMPARE(ok("  max_length: 8\n").model.max_length, 8);
    QCOMPARE(ok("  max_length: 4096\n").model.max_length, 4096);
    QCOMPARE(ok("  lowercase: auto\n").model.lowercase, -1);
    QCOMPARE(ok("  lowercase: yes\n").model.lowercase, 1);
    QCOMPARE(ok("  lowercase: 0\n").model.lowercase, 0);
    QCOMPARE(ok("training:\n  device: cuda:0\n").training.device, std::string("cuda:0"));
    QCOMPARE(ok("training:\n  device: cuda\n").training.device, std::string("cuda"));
    QCOMPARE(ok("training:\n  learning_rate: 5e-5\n").training.learning_rate, 5e-5);
    QCOMPARE(ok("training:\n  learning_rate: !!float 1\n").training.learning_rate, 1.0);
    QCOMPARE(ok("training:\n  warmup_ratio: 0\n").training.warmup_ratio, 0.0);
    QCOMPARE(ok("training:\n  max_grad_norm: -1\n").training.max_grad_norm, -1.0);
    QCOMPARE(ok("training:\n  epochs: +2\n").training.epochs, 2);
    QCOMPARE(ok("name: 2024\n").name, std::string("2024"));
    QCOMPARE(ok("output:\n  run_name:\n").output.run_name, std::string());
    const ExperimentConfig f = tb::io::parse_experiment(
        "dataset: {path: d, train_fraction: 1, dev_fraction: 0, test_fraction: 0}\n" + model);
    QCOMPARE(f.dataset.train_fraction, 1.0);
}

void TestExperimentConfig::requiredKeys_data() {
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QString>("key");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("dataset.path missing") << "name: x\ndataset:\n  format: csv\nmodel:\n  path: m\n"
                                          << "dataset.path" << 2 << "is required";
    QTest::newRow("dataset section missing") << "model:\n  path: m\n"
                                             << "dataset.path" << 0 << "is required";
    QTest::newRow("model.path missing") << "dataset:\n  path: d\nmodel:\n  max_length: 64\n"
                                        << "model.path" << 3 << "is required";
    QTest::newRow("model section missing") << "dataset:\n  path: d\n"
                                           << "model.path" << 0 << "is required";
    QTest::newRow("empty document") << ""
                                    << "dataset.path" << 0 << "is required";
    QTest::newRow("comments only") << "# nothing\n"
                                   << "dataset.path" << 0 << "is required";
    QTest::newRow("dataset.path empty") << "dataset:\n  path:\nmodel:\n  path: m\n"
                                        << "dataset.path" << 2 << "must not be empty";
    QTest::newRow("model.path quoted empty") << "dataset:\n  path: d\nmodel:\n  path: \"\"\n"
                                             << "model.path" << 4 << "must not be empty";
    QTest::newRow("root is a list") << "- dataset\n- model\n"
                                    << "" << 1 << "mapping with the sections";
}

void TestExperimentConfig::requiredKeys() {
    QFETCH(QString, yaml);
    QFETCH(QString, key);
    QFETCH(int, line);
    QFETCH(QString, fragment);
    const auto e = parse_error(yaml.toStdString());
    QVERIFY(e.has_value());
    QCOMPARE(QString::fromStdString(e->where().key), key);
    QCOMPARE(e->where().line, long(line));
    QVERIFY2(e->message().find(fragment.toStdString()) != std::string::npos, e->what());
}

void TestExperimentConfig::duplicateKey() {
    const auto e = parse_error(kValid + "training:\n  epochs: 2\n  batch_size: 8\n  epochs: 4\n");
    QVERIFY(e.has_value());
    QCOMPARE(e->where().key, std::string("training.epochs"));
    QCOMPARE(e->where().line, 8L);
    QVERIFY2(
        e->message().find("duplicate key \"epochs\" (first given on line 6)") != std::string::npos,
        e->what());
}

void TestExperimentConfig::syntaxErrors_data() {
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::newRow("unclosed flow list")
        << QString::fromStdString(kValid + "name: [a, b\n") << 6 << 1;
    QTest::newRow("bad indentation")
        << QString::fromStdString("dataset:\n  path: d\n    format: csv\n") << 3 << 11;
    QTest::newRow("tab indentation") << QString::fromStdString(kValid + "training:\n\tepochs: 3\n")
                                     << 6 << 8;  // yaml-cpp points past the key
}

void TestExperimentConfig::syntaxErrors() {
    QFETCH(QString, yaml);
    QFETCH(int, line);
    QFETCH(int, column);
    const auto e = parse_error(yaml.toStdString());
    QVERIFY(e.has_value());
    QVERIFY2(e->message().find("YAML syntax error") != std::string::npos, e->what());
    QCOMPARE(e->where().line, long(line));
    QCOMPARE(e->where().column, long(column));
    QCOMPARE(e->where().file, std::string("exp.yaml"));
}

void TestExperimentConfig::messageCarriesLocation() {
    const std::string yaml = kValid + "training:\n  epochs: three\n";
    try {
        tb::io::parse_experiment(yaml, "runs/exp.yaml");
        QFAIL("no error");
    } catch (const tb::Error& e) {
        QCOMPARE(std::string(e.what()),
                 std::string("runs/exp.yaml:6:11: [training.epochs] expected an integer, found "
                             "\"three\""));
    }
    try {
        tb::io::parse_experiment(yaml);  // no file name: the line must still be in what()
        QFAIL("no error");
    } catch (const tb::Error& e) {
        QVERIFY2(std::string(e.what()).find(":6:11: [training.epochs]") != std::string::npos,
                 e.what());
    }
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

void TestExperimentConfig::loadMissingFile() {
    const std::string path = fixture("does-not-exist.yaml");
    try {
        tb::io::load_experiment(path);
        QFAIL("no error");
    } catch (const tb::Error& e) {
        QCOMPARE(e.where().file, path);
        QVERIFY(e.message().find("cannot open") != std::string::npos);
    }
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
    for (std::string line; std::getline(yaml, line);) {
        const std::string key = line.substr(0, line.find(':'));
        if (line.rfind("  ", 0) == 0) {
            written.push_back(section + "." + key.substr(2));
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
