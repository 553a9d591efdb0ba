// End to end through tunebench-cli: resume continues a run bit-exactly in a new run folder,
// kill -9 at random moments always leaves a checkpoint that resumes, and eval / predict agree
// with each other on a trained checkpoint.
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "cli_runner.h"

#include "io/checkpoint.h"

namespace fs = std::filesystem;

namespace {

using tb::e2e::cli;
using tb::e2e::fixture;
using tb::e2e::kCli;
using tb::e2e::Run;
using tb::e2e::runFolderOf;

nlohmann::json runJson(const QString& run) {
    std::ifstream in((run + "/run.json").toStdString());
    return nlohmann::json::parse(in);
}

std::map<std::string, std::string> modelBytes(const std::string& checkpoint) {
    std::map<std::string, std::string> out;
    for (const auto& t : tb::io::load_checkpoint(checkpoint).model)
        out[t.name] = std::string(reinterpret_cast<const char*>(t.bytes.data()), t.bytes.size());
    return out;
}

}  // namespace

class TstCliResume : public QObject {
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
            << "name: resume\n"
            << "dataset:\n  path: " << fixture("e2e/tiny_sentiment.csv").toStdString()
            << "\nmodel:\n  path: model\n  max_length: 32\n"
            << "training:\n  epochs: 2\n  batch_size: 8\n  learning_rate: 0.003\n"
            << "  device: cpu\noutput:\n  runs_dir: runs\n  keep_last_checkpoints: 5\n";
    }

    void resumeContinuesBitExactlyInANewFolder() {
        const auto full = cli({"train", yaml_, "-q"});
        QVERIFY2(full.code == 0, (full.out + full.err).constData());
        const QString run = runFolderOf(full.out);
        QVERIFY(!run.isEmpty());
        const auto epoch1 = (run + "/checkpoints/epoch-001.h5").toStdString();
        const auto epoch2 = (run + "/checkpoints/epoch-002.h5").toStdString();
        QVERIFY(fs::exists(epoch1) && fs::exists(epoch2));
        const auto step1 = tb::io::load_checkpoint(epoch1).trainer.global_step;

        const auto resumed = cli({"resume", run, "--checkpoint", QString::number(step1), "-q"});
        QVERIFY2(resumed.code == 0, (resumed.out + resumed.err).constData());
        const QString child = runFolderOf(resumed.out);
        QVERIFY(!child.isEmpty() && child != run);  // the original run is left as it was
        const auto status = runJson(child);
        QCOMPARE(QString::fromStdString(status["state"]), QStringLiteral("finished"));
        QVERIFY(status.contains("resumed_from"));
        // Same weights, bit for bit, as training the two epochs straight.
        const auto a = modelBytes(epoch2);
        const auto b = modelBytes((child + "/checkpoints/epoch-002.h5").toStdString());
        QCOMPARE(a.size(), b.size());
        for (const auto& tensor : a)
            QVERIFY2(b.at(tensor.first) == tensor.second, tensor.first.c_str());
    }

    void resumeRefusesAStepThatDoesNotExist() {
        const auto full = cli({"train", yaml_, "-q", "--set", "training.epochs=1"});
        QVERIFY2(full.code == 0, full.err.constData());
        const auto r = cli({"resume", runFolderOf(full.out), "--checkpoint", "99999"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("99999"), r.err.constData());
    }

    void killNineAlwaysLeavesAResumableCheckpoint() {
        auto* rng = QRandomGenerator::global();
        for (int round = 0; round < 5; ++round) {
            QProcess p;
            p.setProcessChannelMode(QProcess::MergedChannels);
            p.start(kCli, {"train", yaml_, "-q", "--set", "training.batch_size=1", "--set",
                           "training.epochs=3", "--set", "output.checkpoint_every_steps=2", "--set",
                           "output.run_name=kill" + QString::number(round)});
            QVERIFY(p.waitForStarted());
            const std::string prefix = "kill" + std::to_string(round) + "-";
            auto runFolder = [&] {
                fs::path run;
                std::error_code ec;
                for (fs::directory_iterator it(tmp_.filePath("runs").toStdString(), ec), end;
                     !ec && it != end; ++it)
                    if (it->path().filename().string().rfind(prefix, 0) == 0)
                        run = it->path();
                return run;
            };
            // The clock starts when the run folder exists (start-up time varies with the
            // machine's load); checkpoints are written every 2 steps, so a kill 0.1-2.5 s later
            // lands in or between saves.
            QTRY_VERIFY_WITH_TIMEOUT(!runFolder().empty() || p.state() == QProcess::NotRunning,
                                     120000);
            QThread::msleep(100 + rng->bounded(2400));
            ::kill(static_cast<pid_t>(p.processId()), SIGKILL);
            QVERIFY(p.waitForFinished(30000));
            const fs::path run = runFolder();
            QVERIFY2(!run.empty(), p.readAll().constData());
            bool anyCheckpoint = false;
            for (const auto& f : fs::directory_iterator(run / "checkpoints"))
                anyCheckpoint |= f.path().extension() == ".h5";
            if (!anyCheckpoint)
                continue;  // killed before the first save: nothing to resume, nothing broken
            if (runJson(QString::fromStdString(run.string()))["state"] == "finished")
                continue;  // the kill came after the run ended: nothing left to resume
            const auto r = cli({"resume", QString::fromStdString(run.string()), "-q"});
            QVERIFY2(r.code == 0, (r.out + r.err).constData());
            QCOMPARE(QString::fromStdString(runJson(runFolderOf(r.out))["state"]),
                     QStringLiteral("finished"));
        }
    }

    void evalAndPredictAgree() {
        const auto trained = cli({"train", yaml_, "-q"});
        QVERIFY2(trained.code == 0, trained.err.constData());
        const QString run = runFolderOf(trained.out);
        const auto eval = cli({"eval", run, "--data", fixture("e2e/tiny_dev.csv")});
        QVERIFY2(eval.code == 0, eval.err.constData());
        const auto report = nlohmann::json::parse(eval.out.toStdString());
        const double accuracy = report["accuracy"].get<double>();

        // The same texts through predict: the accuracy computed from its labels must match.
        std::ifstream csv(fixture("e2e/tiny_dev.csv").toStdString());
        std::string header, line;
        std::getline(csv, header);
        QByteArray input;
        std::vector<std::string> truth;
        while (std::getline(csv, line)) {
            const auto comma = line.rfind(',');
            std::string text = line.substr(0, comma);
            if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
                text = text.substr(1, text.size() - 2);
            input += QByteArray::fromStdString(text) + "\n";
            truth.push_back(line.substr(comma + 1));
        }
        QVERIFY(header.rfind("text,label", 0) == 0);
        const auto predicted = cli({"predict", run}, input);
        QVERIFY2(predicted.code == 0, predicted.err.constData());
        const auto lines = predicted.out.trimmed().split('\n');
        QCOMPARE(std::size_t(lines.size()), truth.size());
        int correct = 0;
        for (int i = 0; i < lines.size(); ++i) {
            const auto j = nlohmann::json::parse(lines[i].toStdString());
            double sum = 0;
            for (const auto& item : j["probabilities"].items())
                sum += item.value().get<double>();
            QVERIFY(std::abs(sum - 1.0) < 1e-9);
            correct += j["label"] == truth[static_cast<std::size_t>(i)];
        }
        QCOMPARE(double(correct) / double(truth.size()), accuracy);
    }
};

QTEST_GUILESS_MAIN(TstCliResume)
#include "tst_cli_resume.moc"
