// Tests the YAML experiment file's error reporting: unknown keys, wrong types, out-of-range
// values, required keys, duplicates, YAML syntax, and the file/line/column/key every error carries.
#include <QtTest>

#include <optional>
#include <string>

#include "common/error.h"
#include "config_test_helpers.h"
#include "io/experiment_config.h"

using config_test::fixture;
using config_test::kValid;
using tb::io::ExperimentConfig;

namespace {

std::optional<tb::Error> parse_error(const std::string& yaml) {
    try {
        tb::io::parse_experiment(yaml, "exp.yaml");
    } catch (const tb::Error& e) {
        return e;
    }
    return std::nullopt;
}

}  // namespace

class TestExperimentConfigErrors : public QObject {
    Q_OBJECT

private slots:
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
    void loadMissingFile();
};

void TestExperimentConfigErrors::unknownKeys_data() {
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

void TestExperimentConfigErrors::unknownKeys() {
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

void TestExperimentConfigErrors::wrongTypes_data() {
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

void TestExperimentConfigErrors::wrongTypes() {
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

void TestExperimentConfigErrors::outOfRange_data() {
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
    QTest::newRow("optimizer") << "training:\n  optimizer: adam\n"
                               << "training.optimizer" << 6 << "adamw, sgd, rmsprop";
    QTest::newRow("schedule") << "training:\n  schedule: step\n"
                              << "training.schedule" << 6 << "constant, linear, cosine";
    QTest::newRow("nesterov without momentum")
        << "training:\n  optimizer: sgd\n  nesterov: true\n"
        << "training.nesterov" << 7 << "momentum greater than 0";
    QTest::newRow("accumulation 0") << "training:\n  gradient_accumulation_steps: 0\n"
                                    << "training.gradient_accumulation_steps" << 6 << "at least 1";
    QTest::newRow("label smoothing 1") << "training:\n  label_smoothing: 1.0\n"
                                       << "training.label_smoothing" << 6 << "[0, 1)";
    QTest::newRow("class weights word") << "training:\n  class_weights: inverse\n"
                                        << "training.class_weights" << 6 << "none, balanced";
    QTest::newRow("class weight 0") << "training:\n  class_weights: [1.0, 0]\n"
                                    << "training.class_weights" << 6 << "entry 1";
    QTest::newRow("early metric") << "training:\n  early_stopping_metric: f1\n"
                                  << "training.early_stopping_metric" << 6 << "dev_macro_f1";
    QTest::newRow("nan policy") << "training:\n  nan_policy: ignore\n"
                                << "training.nan_policy" << 6 << "stop, skip";
    QTest::newRow("precision") << "training:\n  precision: fp8\n"
                               << "training.precision" << 6 << "fp32, bf16, fp16";
    QTest::newRow("bf16 on cpu") << "training:\n  device: cpu\n  precision: bf16\n"
                                 << "training.precision" << 7 << "needs a CUDA GPU";
    QTest::newRow("prefetch") << "training:\n  prefetch_batches: -1\n"
                              << "training.prefetch_batches" << 6 << "at least 0";
    QTest::newRow("best metric") << "output:\n  best_metric: loss\n"
                                 << "output.best_metric" << 6 << "dev_loss";
    QTest::newRow("checkpoint every") << "output:\n  checkpoint_every_steps: -2\n"
                                      << "output.checkpoint_every_steps" << 6 << "at least 0";
    QTest::newRow("name empty") << "name: ''\n"
                                << "name" << 5 << "must not be empty";
}

void TestExperimentConfigErrors::outOfRange() {
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
void TestExperimentConfigErrors::acceptedSpellings() {
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
    e = err(data + model + "  freeze_layers: -1\n");
    QCOMPARE(e->where().key, std::string("model.freeze_layers"));
    e = err(data + model + "  freeze_embeddings: maybe\n");
    QCOMPARE(e->where().key, std::string("model.freeze_embeddings"));
    e = err(data + model + "  lora_rank: 0\n");
    QCOMPARE(e->where().key, std::string("model.lora_rank"));
    e = err(data + model + "  lora_alpha: 0\n");
    QCOMPARE(e->where().key, std::string("model.lora_alpha"));
    e = err(data + model + "  lora_dropout: 1\n");
    QCOMPARE(e->where().key, std::string("model.lora_dropout"));
    e = err(data + model + "  lora: sometimes\n");
    QCOMPARE(e->where().key, std::string("model.lora"));
    e = err(data + model + "  lora_target_modules: [query, {a: 1}]\n");
    QCOMPARE(e->where().key, std::string("model.lora_target_modules"));
    e = err(data + model + "  lora_target_modules: [query, \"\"]\n");
    QCOMPARE(e->where().key, std::string("model.lora_target_modules"));
    e = err(data + model + "  head: ranking\n");  // not a head tunebench has
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
    QCOMPARE(ok("  lora_target_modules: value\n").model.lora_target_modules,
             std::vector<std::string>{"value"});
    QCOMPARE(ok("  lora_dropout: 0\n").model.lora_dropout, 0.0);
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

void TestExperimentConfigErrors::requiredKeys_data() {
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

void TestExperimentConfigErrors::requiredKeys() {
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

void TestExperimentConfigErrors::duplicateKey() {
    const auto e = parse_error(kValid + "training:\n  epochs: 2\n  batch_size: 8\n  epochs: 4\n");
    QVERIFY(e.has_value());
    QCOMPARE(e->where().key, std::string("training.epochs"));
    QCOMPARE(e->where().line, 8L);
    QVERIFY2(
        e->message().find("duplicate key \"epochs\" (first given on line 6)") != std::string::npos,
        e->what());
}

void TestExperimentConfigErrors::syntaxErrors_data() {
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

void TestExperimentConfigErrors::syntaxErrors() {
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

void TestExperimentConfigErrors::messageCarriesLocation() {
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

void TestExperimentConfigErrors::loadMissingFile() {
    const std::string path = fixture("does-not-exist.yaml");
    try {
        tb::io::load_experiment(path);
        QFAIL("no error");
    } catch (const tb::Error& e) {
        QCOMPARE(e.where().file, path);
        QVERIFY(e.message().find("cannot open") != std::string::npos);
    }
}

QTEST_APPLESS_MAIN(TestExperimentConfigErrors)
#include "tst_experiment_config_errors.moc"
