// Trainer behaviour on a tiny model: learning happens, pause/resume/cancel act at step
// boundaries, failures become Failed results with clear messages, the run folder is complete.
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "test_support.h"
#include "train/trainer.h"

namespace fs = std::filesystem;
using namespace tb;

namespace {

struct Recorder : train::TrainingObserver {
    std::vector<train::StepMetrics> steps;
    std::vector<train::EvalReport> evals;
    std::vector<train::RunState> states;
    std::vector<train::CheckpointInfo> checkpoints;
    train::RunInfo info;
    void on_start(const train::RunInfo& i) override { info = i; }
    std::function<void(const train::StepMetrics&)> on_step_hook;
    void on_step(const train::StepMetrics& m) override {
        steps.push_back(m);
        if (on_step_hook)
            on_step_hook(m);
    }
    void on_eval(const train::EvalReport& e) override { evals.push_back(e); }
    void on_state(train::RunState s) override { states.push_back(s); }
    void on_checkpoint(const train::CheckpointInfo& c) override { checkpoints.push_back(c); }
};

nlohmann::json read_json(const std::string& path) {
    std::ifstream in(path);
    return nlohmann::json::parse(in);
}

}  // namespace

class TstTrainer : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    std::string model_dir_;

    io::ExperimentConfig config(int epochs = 10) {
        io::ExperimentConfig c;
        c.name = "tiny";
        c.dataset.path = tb::testing::fixture("e2e/tiny_sentiment.csv");
        c.model.path = model_dir_;
        c.model.max_length = 32;
        c.training.epochs = epochs;
        c.training.batch_size = 16;
        c.training.learning_rate = 1e-2;
        c.training.seed = 11;
        c.training.device = "cpu";
        c.output.runs_dir = tmp_.path().toStdString() + "/runs";
        return c;
    }

private slots:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        model_dir_ = tmp_.path().toStdString() + "/model";
        tb::testing::make_tiny_model(model_dir_, tb::testing::fixture("e2e/tiny_sentiment.csv"));
    }

    void learnsSeparableData() {
        train::RunControl control;
        Recorder rec;
        train::Trainer trainer(config(), rec, control);
        const auto result = trainer.run();
        QCOMPARE(int(result.state), int(train::RunState::Finished));
        QVERIFY(rec.steps.size() >= 30);
        double first = 0, last = 0;
        for (int i = 0; i < 5; ++i) {
            first += rec.steps[i].loss;
            last += rec.steps[rec.steps.size() - 1 - i].loss;
        }
        QVERIFY2(last < 0.5 * first,
                 qPrintable(QString("loss %1 -> %2").arg(first / 5).arg(last / 5)));
        // Steps are contiguous and the schedule warmed up then decayed to ~0.
        for (std::size_t i = 0; i < rec.steps.size(); ++i)
            QCOMPARE(rec.steps[i].step, std::int64_t(i + 1));
        QVERIFY(rec.steps.back().learning_rate < 1e-3);
        // One dev report per epoch plus the final test report, which beats chance clearly.
        QCOMPARE(int(rec.evals.size()), 11);
        QCOMPARE(QString::fromStdString(rec.evals.back().split), QString("test"));
        QVERIFY2(rec.evals.back().report.accuracy >= 0.8,
                 qPrintable(QString::number(rec.evals.back().report.accuracy)));
        // Run folder: config, split, metrics, run.json, pruned epoch checkpoints.
        QVERIFY(fs::exists(result.run_dir + "/experiment.yaml"));
        QVERIFY(fs::exists(result.run_dir + "/split.json"));
        QVERIFY(fs::exists(result.run_dir + "/metrics.csv"));
        const auto status = read_json(result.run_dir + "/run.json");
        QCOMPARE(QString::fromStdString(status["state"]), QString("finished"));
        QVERIFY(fs::exists(result.last_checkpoint));
        // Last k epochs kept, plus the best dev epoch when it is older (never pruned).
        int epoch_files = 0;
        for (const auto& e : fs::directory_iterator(result.run_dir + "/checkpoints"))
            epoch_files += e.path().extension() == ".h5";
        const std::string best = status["best_checkpoint"];
        QVERIFY2(fs::exists(best), best.c_str());
        QCOMPARE(
            epoch_files,
            best == result.last_checkpoint || best.find("epoch-009") != std::string::npos ? 2 : 3);
        std::ifstream jsonl(result.run_dir + "/metrics.jsonl");
        std::string line;
        int records = 0;
        while (std::getline(jsonl, line)) {
            auto j = nlohmann::json::parse(line);  // every line is complete JSON
            QVERIFY(j.contains("kind"));
            ++records;
        }
        QVERIFY(records > 7);
    }

    void sameSeedSameLosses() {
        train::RunControl c1, c2;
        Recorder r1, r2;
        train::Trainer(config(1), r1, c1).run();
        train::Trainer(config(1), r2, c2).run();
        QCOMPARE(r1.steps.size(), r2.steps.size());
        for (std::size_t i = 0; i < r1.steps.size(); ++i)
            QCOMPARE(r1.steps[i].loss, r2.steps[i].loss);
    }

    void cancelStopsAtNextBoundary() {
        train::RunControl control;
        Recorder rec;
        rec.on_step_hook = [&](const train::StepMetrics& m) {
            if (m.step == 3)
                control.cancel();
        };
        train::Trainer trainer(config(), rec, control);
        const auto result = trainer.run();
        QCOMPARE(int(result.state), int(train::RunState::Cancelled));
        QCOMPARE(int(rec.steps.size()), 3);
        QVERIFY(result.last_checkpoint.find("cancel-step-3.h5") != std::string::npos);
        QVERIFY(fs::exists(result.last_checkpoint));
        QCOMPARE(QString::fromStdString(read_json(result.run_dir + "/run.json")["state"]),
                 QString("cancelled"));
        QCOMPARE(int(rec.states.back()), int(train::RunState::Cancelled));
    }

    void pauseBlocksAndResumeContinues() {
        train::RunControl control;
        Recorder rec;
        std::atomic<std::size_t> steps_at_pause{0};
        std::thread resumer;
        rec.on_step_hook = [&](const train::StepMetrics& m) {
            if (m.step == 2) {
                control.pause();
                resumer = std::thread([&] {
                    std::this_thread::sleep_for(std::chrono::milliseconds(300));
                    steps_at_pause = rec.steps.size();
                    control.resume();
                });
            }
        };
        train::Trainer trainer(config(1), rec, control);
        const auto result = trainer.run();
        resumer.join();
        QCOMPARE(int(result.state), int(train::RunState::Finished));
        QCOMPARE(int(steps_at_pause.load()), 2);  // nothing ran while paused
        for (std::size_t i = 0; i < rec.steps.size(); ++i)
            QCOMPARE(rec.steps[i].step, std::int64_t(i + 1));
        const auto paused =
            std::find(rec.states.begin(), rec.states.end(), train::RunState::Paused);
        QVERIFY(paused != rec.states.end());
        QCOMPARE(int(*(paused + 1)), int(train::RunState::Running));
    }

    void cancelBeforeTheFirstStepSavesNothing() {
        train::RunControl control;
        struct CancelOnStart : Recorder {
            train::RunControl* control = nullptr;
            void on_start(const train::RunInfo& i) override {
                info = i;
                control->cancel();
            }
        } rec;
        rec.control = &control;
        const auto result = train::Trainer(config(), rec, control).run();
        QCOMPARE(int(result.state), int(train::RunState::Cancelled));
        QVERIFY(rec.steps.empty());
        QVERIFY(result.last_checkpoint.empty());
        QVERIFY(fs::is_empty(result.run_dir + "/checkpoints"));
        QCOMPARE(QString::fromStdString(read_json(result.run_dir + "/run.json")["state"]),
                 QString("cancelled"));
    }

    void cancelWhilePausedWakesTheRun() {
        train::RunControl control;
        Recorder rec;
        std::thread canceller;
        rec.on_step_hook = [&](const train::StepMetrics& m) {
            if (m.step == 1) {
                control.pause();
                canceller = std::thread([&] {
                    std::this_thread::sleep_for(std::chrono::milliseconds(100));
                    control.cancel();
                });
            }
        };
        const auto result = train::Trainer(config(), rec, control).run();
        canceller.join();
        QCOMPARE(int(result.state), int(train::RunState::Cancelled));
        QCOMPARE(int(rec.steps.size()), 1);
    }

    void userProvidedSplitFilesAreUsed() {
        // The main file is all training data; dev and test come from their own files.
        auto c = config(1);
        c.dataset.dev_path = tb::testing::fixture("e2e/tiny_dev.csv");
        c.dataset.test_path = tb::testing::fixture("e2e/tiny_dev.csv");
        train::RunControl control;
        Recorder rec;
        const auto result = train::Trainer(c, rec, control).run();
        QCOMPARE(int(result.state), int(train::RunState::Finished));
        QCOMPARE(rec.info.train_examples, std::int64_t(120));
        QCOMPARE(rec.info.dev_examples, std::int64_t(4));
        QCOMPARE(rec.info.test_examples, std::int64_t(4));
        QCOMPARE(rec.evals.back().report.total, std::int64_t(4));
    }

    void badModelFolderFailsClearly() {
        auto c = config();
        c.model.path = tmp_.path().toStdString() + "/no-such-model";
        train::RunControl control;
        Recorder rec;
        const auto result = train::Trainer(c, rec, control).run();
        QCOMPARE(int(result.state), int(train::RunState::Failed));
        QVERIFY2(result.error.find("no-such-model") != std::string::npos, result.error.c_str());
        QVERIFY(result.run_dir.empty());  // nothing created for a run that never started
    }

    void malformedDataNamesTheLine() {
        auto c = config();
        c.dataset.path = tb::testing::fixture("e2e/broken.csv");
        train::RunControl control;
        Recorder rec;
        const auto result = train::Trainer(c, rec, control).run();
        QCOMPARE(int(result.state), int(train::RunState::Failed));
        QVERIFY2(result.error.find("broken.csv:3") != std::string::npos, result.error.c_str());
        QCOMPARE(QString::fromStdString(read_json(result.run_dir + "/run.json")["state"]),
                 QString("failed"));
    }
};

QTEST_APPLESS_MAIN(TstTrainer)
#include "tst_trainer.moc"
