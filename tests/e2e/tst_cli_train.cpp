// End to end through tunebench-cli train: --set overrides, --dry-run (text and JSON, nothing
// written), and signals (SIGINT cancels with a checkpoint and exit 130).
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace fs = std::filesystem;

namespace {

using tb::e2e::cli;
using tb::e2e::fixture;
using tb::e2e::kCli;
using tb::e2e::Run;
using tb::e2e::runFolders;

}  // namespace

class TstCliTrain : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString yaml_;

private slots:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        const auto r = tb::e2e::initTinyModel(tmp_.filePath("model"));
        QVERIFY2(r.code == 0, r.err.constData());
        yaml_ = tmp_.filePath("exp.yaml");
        std::ofstream(yaml_.toStdString())
            << "name: e2e\n"
            << "dataset:\n  path: " << fixture("e2e/tiny_sentiment.csv").toStdString()
            << "\nmodel:\n  path: model\n  max_length: 32\n"
            << "training:\n  epochs: 1\n  batch_size: 16\n  device: cpu\n"
            << "output:\n  runs_dir: runs\n";
    }

    void dryRunValidatesAndWritesNothing() {
        auto r = cli({"train", yaml_, "--dry-run"});
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        QVERIFY2(r.out.contains("memory estimate"), r.out.constData());
        QVERIFY2(r.out.contains("nothing was written"), r.out.constData());

        r = cli({"train", yaml_, "--dry-run", "--json", "--set", "training.batch_size=4"});
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        const auto j = nlohmann::json::parse(r.out.toStdString());
        const int train = j["data"]["train"].get<int>();
        QVERIFY(train > 0);
        // --set reached the config: steps follow batch size 4, not 16.
        QCOMPARE(j["schedule"]["steps_per_epoch"].get<int>(), (train + 3) / 4);
        QVERIFY(j["model"]["parameters"].get<long long>() > 0);
        QVERIFY(j["memory_estimate_bytes"]["total"].get<long long>() >
                j["memory_estimate_bytes"]["weights"].get<long long>());
        QCOMPARE(j["data"]["labels"].size(), std::size_t(2));
        QVERIFY(runFolders(tmp_.filePath("runs")).empty());  // nothing written
    }

    void dryRunReportsAMissingModelAsConfigError() {
        const auto r = cli({"train", yaml_, "--dry-run", "--set", "model.path=no_such_model"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("no_such_model"), r.err.constData());
    }

    void findBatchSizeSearchesAndWritesNothing() {
        const auto r =
            cli({"train", yaml_, "--find-batch-size", "--max-batch-size", "48", "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        const auto j = nlohmann::json::parse(r.out.toStdString());
        // The tiny model fits any batch up to the limit on this machine's memory: the search
        // doubles 1..32, then tries the limit itself.
        QCOMPARE(j["largest_batch_size"].get<int>(), 48);
        QVERIFY(j["hit_limit"].get<bool>());
        QCOMPARE(j["method"].get<std::string>(), std::string("memory estimate"));
        QCOMPARE(j["trials"].size(), std::size_t(7));
        QVERIFY(j["budget_bytes"].get<long long>() > 0);
        QVERIFY(runFolders(tmp_.filePath("runs")).empty());
        // A model folder that does not load is a config error, as for --dry-run.
        const auto bad = cli({"train", yaml_, "--find-batch-size", "--set", "model.path=nowhere"});
        QCOMPARE(bad.code, 2);
    }

    void badOverrideIsAConfigError() {
        auto r = cli({"train", yaml_, "--set", "training.epochs=-3"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--set training.epochs=-3"), r.err.constData());
        r = cli({"train", yaml_, "--set", "training.epochs"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("KEY=VALUE"), r.err.constData());
    }

    void sigintCancelsWithCheckpointAndExit130() {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(kCli, {"train", yaml_, "--set", "training.epochs=200", "--set",
                       "output.run_name=sigint", "--set", "training.batch_size=1"});
        QVERIFY(p.waitForStarted());
        // Wait until training really runs (a step line), then interrupt like Ctrl+C does.
        QByteArray seen;
        QElapsedTimer timer;
        timer.start();
        while (!seen.contains("step ") && timer.elapsed() < 120000) {
            p.waitForReadyRead(1000);
            seen += p.readAll();
        }
        QVERIFY2(seen.contains("step "), seen.constData());
        ::kill(static_cast<pid_t>(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(120000));
        seen += p.readAll();
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 130);
        QVERIFY2(seen.contains("cancelled"), seen.constData());
        fs::path run;
        for (const auto& r : runFolders(tmp_.filePath("runs")))
            if (r.filename().string().rfind("sigint", 0) == 0)
                run = r;
        QVERIFY(!run.empty());
        std::ifstream status_file((run / "run.json").string());
        const auto status = nlohmann::json::parse(status_file);
        QCOMPARE(QString::fromStdString(status["state"]), QStringLiteral("cancelled"));
        // The cancel wrote cancel-step-N.h5, unless the interrupt came right after an epoch
        // checkpoint of the same step (no duplicate then): either way the newest checkpoint
        // holds the last step and exists on disk.
        const std::string last = status["last_checkpoint"];
        QVERIFY2(!last.empty() && fs::exists(last), seen.constData());
    }
};

QTEST_GUILESS_MAIN(TstCliTrain)
#include "tst_cli_train.moc"
