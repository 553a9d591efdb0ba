// End to end through the real tunebench-cli binary: init-model -> train -> files on disk, plus
// inspect / tokenize / score contracts (exit codes and JSON shapes from docs/cli.md).
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace fs = std::filesystem;

namespace {

using tb::e2e::cli;
using tb::e2e::fixture;
using tb::e2e::Run;

}  // namespace

class TstCli : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString model_;

private slots:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        model_ = tmp_.filePath("model");
        const auto r =
            cli({"init-model", "--corpus", fixture("e2e/tiny_sentiment.csv"), "--out", model_,
                 "--hidden", "32", "--layers", "1", "--heads", "2", "--intermediate", "64",
                 "--max-positions", "64", "--vocab-size", "400", "--seed", "3"});
        QVERIFY2(r.code == 0, r.err.constData());
        for (const char* f :
             {"config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json"})
            QVERIFY2(fs::exists((model_ + "/" + f).toStdString()), f);
        // Never overwrites: a second init into the same folder fails.
        QVERIFY(cli({"init-model", "--corpus", fixture("e2e/tiny_sentiment.csv"), "--out", model_})
                    .code != 0);
    }

    void trainWritesCheckpointAndMetrics() {
        const QString yaml = tmp_.filePath("exp.yaml");
        std::ofstream(yaml.toStdString())
            << "name: e2e\n"
            << "dataset:\n  path: " << fixture("e2e/tiny_sentiment.csv").toStdString()
            << "\nmodel:\n  path: model\n  max_length: 32\n"
            << "training:\n  epochs: 2\n  batch_size: 16\n  learning_rate: 0.005\n"
            << "  device: cpu\noutput:\n  runs_dir: runs\n";
        const auto r = cli({"train", yaml});
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        QVERIFY(r.out.contains("finished"));
        QVERIFY(r.out.contains("checkpoint: "));
        std::vector<fs::path> runs;
        for (const auto& e : fs::directory_iterator(tmp_.filePath("runs").toStdString()))
            runs.push_back(e.path());
        QCOMPARE(int(runs.size()), 1);
        const fs::path run = runs.front();
        QVERIFY(fs::exists(run / "checkpoints" / "epoch-002.h5"));
        // The checkpoint is an HDF5 file (signature) that h5dump can list, when installed.
        std::ifstream h5((run / "checkpoints" / "epoch-002.h5").string(), std::ios::binary);
        char sig[8];
        h5.read(sig, 8);
        QCOMPARE(QByteArray(sig, 8), QByteArray("\x89HDF\r\n\x1a\n", 8));
        if (!QStandardPaths::findExecutable("h5dump").isEmpty()) {
            QProcess d;
            d.start(
                "h5dump",
                {"-A", QString::fromStdString((run / "checkpoints" / "epoch-002.h5").string())});
            QVERIFY(d.waitForFinished(60000));
            QCOMPARE(d.exitCode(), 0);
            const auto header = d.readAllStandardOutput();
            QVERIFY(header.contains("tunebench-checkpoint"));
            QVERIFY(header.contains("classifier.weight"));
        }
        std::ifstream metrics((run / "metrics.jsonl").string());
        std::string line;
        int test_records = 0;
        while (std::getline(metrics, line)) {
            const auto j = nlohmann::json::parse(line);
            if (j["kind"] == "test") {
                ++test_records;
                QVERIFY(j["report"]["accuracy"].get<double>() >= 0.0);
            }
        }
        QCOMPARE(test_records, 1);
        std::ifstream status((run / "run.json").string());
        QCOMPARE(QString::fromStdString(nlohmann::json::parse(status)["state"]),
                 QString("finished"));
    }

    void trainRejectsBadExperiment() {
        const QString yaml = tmp_.filePath("bad.yaml");
        std::ofstream(yaml.toStdString())
            << "dataset:\n  path: x.csv\nmodel:\n  path: m\ntraining:\n  epochz: 2\n";
        const auto r = cli({"train", yaml});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("epochz") && r.err.contains(":6"), r.err.constData());
    }

    void usageErrorsExitTwo() {
        QCOMPARE(cli({}).code, 2);                                        // no subcommand
        QCOMPARE(cli({"train", tmp_.filePath("missing.yaml")}).code, 2);  // no such file
        QCOMPARE(cli({"frobnicate"}).code, 2);
        QCOMPARE(cli({"score", "--help"}).code, 0);
    }

    void inspectReportsLineAndColumn() {
        auto r = cli({"inspect", fixture("e2e/broken.csv")});
        QCOMPARE(r.code, 1);
        auto j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(j["ok"].get<bool>(), false);
        QCOMPARE(j["problems"][0]["line"].get<int>(), 3);
        QVERIFY(j["problems"][0]["column"].get<int>() >= 1);

        r = cli({"inspect", fixture("e2e/tiny_sentiment.csv"), "--text-column", "text",
                 "--label-column", "label"});
        QCOMPARE(r.code, 0);
        j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(j["rows"].get<int>(), 120);
        QCOMPARE(j["labels"].size(), std::size_t(2));
    }

    void tokenizePrintsIdsAndTokens() {
        auto r = cli({"tokenize", "--model", model_, "--tokens", "--max-length", "8"},
                     "Great film\nterrible\n");
        QCOMPARE(r.code, 0);
        const auto lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        const auto first = nlohmann::json::parse(lines[0].toStdString());
        QCOMPARE(QString::fromStdString(first.front()), QString("[CLS]"));
        QCOMPARE(QString::fromStdString(first[1]), QString("great"));
        r = cli({"tokenize", "--model", model_}, "great\n");
        QCOMPARE(r.code, 0);
        QVERIFY(nlohmann::json::parse(r.out.trimmed().toStdString())[0].is_number_integer());
    }

    void scoreMatchesHandComputedReport() {
        const QString t = tmp_.filePath("true.txt"), p = tmp_.filePath("pred.txt");
        std::ofstream(t.toStdString()) << "cat\ncat\ndog\ndog\nbird\n";
        std::ofstream(p.toStdString()) << "cat\ndog\ndog\ndog\ncat\n";
        const auto r = cli({"score", "--true", t, "--pred", p});
        QCOMPARE(r.code, 0);
        const auto j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(j["accuracy"].get<double>(), 0.6);
        // sorted labels: bird, cat, dog. dog: P = 2/3, R = 1, F1 = 0.8; bird never predicted.
        QCOMPARE(QString::fromStdString(j["per_class"][2]["label"]), QString("dog"));
        QCOMPARE(j["per_class"][2]["f1"].get<double>(), 0.8);
        QCOMPARE(j["per_class"][0]["precision"].get<double>(), 0.0);
        QCOMPARE(j["confusion_matrix"]["matrix"][1][2].get<int>(), 1);
        std::ofstream(p.toStdString()) << "cat\n";
        QCOMPARE(cli({"score", "--true", t, "--pred", p}).code, 1);
    }
};

QTEST_GUILESS_MAIN(TstCli)
#include "tst_cli.moc"
