// Trainer options on a tiny model: NaN/Inf policy (stop names the step and the last good
// checkpoint; skip counts and continues), early stopping, max_steps, evaluation every N steps,
// "save checkpoint now", best-checkpoint selection, and the other optimizers and schedules.
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "io/checkpoint.h"
#include "test_support.h"
#include "train/checkpoint_catalog.h"
#include "train/trainer.h"

namespace fs = std::filesystem;
using namespace tb;

namespace {

struct Recorder : train::TrainingObserver {
    std::vector<train::StepMetrics> steps;
    std::vector<train::EvalReport> evals;
    std::vector<train::CheckpointInfo> checkpoints;
    std::function<void(const train::StepMetrics&)> on_step_hook;
    void on_step(const train::StepMetrics& m) override {
        steps.push_back(m);
        if (on_step_hook)
            on_step_hook(m);
    }
    void on_eval(const train::EvalReport& e) override { evals.push_back(e); }
    void on_checkpoint(const train::CheckpointInfo& c) override { checkpoints.push_back(c); }
};

nlohmann::json read_json(const std::string& path) {
    std::ifstream in(path);
    return nlohmann::json::parse(in);
}

}  // namespace

class TstTrainerOptions : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    std::string model_dir_;

    io::ExperimentConfig config(int epochs) {
        io::ExperimentConfig c;
        c.name = "options";
        c.dataset.path = tb::testing::fixture("e2e/tiny_sentiment.csv");
        c.model.path = model_dir_;
        c.model.max_length = 32;
        c.training.epochs = epochs;
        c.training.batch_size = 16;
        c.training.learning_rate = 1e-2;
        c.training.seed = 7;
        c.training.device = "cpu";
        c.output.runs_dir = tmp_.path().toStdString() + "/runs";
        return c;
    }

    train::RunResult run(const io::ExperimentConfig& c, Recorder& rec,
                         train::TrainerOptions options = {}) {
        train::RunControl control;
        return train::Trainer(c, rec, control, std::move(options)).run();
    }

private slots:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        model_dir_ = tmp_.path().toStdString() + "/model";
        tb::testing::make_tiny_model(model_dir_, tb::testing::fixture("e2e/tiny_sentiment.csv"));
    }

    void nanStopsNamingStepAndCheckpoint() {
        auto c = config(2);
        c.output.checkpoint_every_steps = 2;
        train::TrainerOptions options;
        options.inject_nan = [](std::int64_t step) { return step == 3; };
        Recorder rec;
        const auto result = run(c, rec, options);
        QCOMPARE(int(result.state), int(train::RunState::Failed));
        QVERIFY2(result.error.find("at step 3") != std::string::npos, result.error.c_str());
        QVERIFY2(result.error.find("step-000002.h5") != std::string::npos, result.error.c_str());
        QVERIFY2(result.error.find("nan_policy") != std::string::npos, result.error.c_str());
        QCOMPARE(int(rec.steps.size()), 2);  // step 3 never completed
        QCOMPARE(QString::fromStdString(read_json(result.run_dir + "/run.json")["state"]),
                 QString("failed"));
    }

    void nanSkipCountsAndContinues() {
        auto c = config(1);
        c.training.nan_policy = "skip";
        train::TrainerOptions options;
        options.inject_nan = [](std::int64_t step) { return step == 3 || step == 5; };
        Recorder rec;
        const auto result = run(c, rec, options);
        QVERIFY2(result.state == train::RunState::Finished, result.error.c_str());
        QCOMPARE(int(rec.steps.size()), 6);
        QVERIFY(rec.steps[2].skipped && rec.steps[4].skipped);
        QVERIFY(!rec.steps[3].skipped);
        QVERIFY(std::isnan(rec.steps[2].loss));
        QVERIFY(std::isfinite(rec.steps[5].loss));
        const auto status = read_json(result.run_dir + "/run.json");
        QCOMPARE(status["skipped_steps"].get<int>(), 2);
        QCOMPARE(io::load_checkpoint(result.last_checkpoint).trainer.skipped_steps,
                 std::int64_t(2));
    }

    void earlyStoppingStopsAfterPatience() {
        auto c = config(10);
        // min_delta larger than any possible change: only the first evaluation improves.
        c.training.early_stopping_metric = "dev_loss";
        c.training.early_stopping_patience = 2;
        c.training.early_stopping_min_delta = 100.0;
        Recorder rec;
        const auto result = run(c, rec);
        QVERIFY2(result.state == train::RunState::Finished, result.error.c_str());
        QCOMPARE(int(rec.steps.size()), 18);  // 3 epochs of 6 steps
        QCOMPARE(QString::fromStdString(rec.evals.back().split), QString("test"));
        const auto status = read_json(result.run_dir + "/run.json");
        QVERIFY(status["stopped_early"].get<bool>());
        const auto last = io::load_checkpoint(result.last_checkpoint);
        QCOMPARE(last.trainer.early_stopping_bad_evals, std::int64_t(2));
        QCOMPARE(QString::fromStdString(last.trainer.state), QString("finished"));
    }

    void maxStepsEvalEveryStepsAndBest() {
        auto c = config(5);
        c.training.max_steps = 8;
        c.training.eval_every_steps = 3;
        c.training.schedule = "cosine";
        c.training.optimizer = "sgd";
        c.training.momentum = 0.9;
        c.training.learning_rate = 0.05;
        c.training.class_weights = "balanced";
        c.training.label_smoothing = 0.1;
        c.output.checkpoint_each_epoch = false;
        c.output.best_metric = "dev_loss";
        Recorder rec;
        const auto result = run(c, rec);
        QVERIFY2(result.state == train::RunState::Finished, result.error.c_str());
        QCOMPARE(int(rec.steps.size()), 8);
        QCOMPARE(rec.steps.back().total_steps, std::int64_t(8));
        QVERIFY(rec.steps.back().learning_rate < 0.05 * 0.1);  // cosine near its end
        // Dev at steps 3 and 6, once more at the end (8), then test.
        std::vector<std::int64_t> dev_steps;
        for (const auto& e : rec.evals)
            if (e.split == "dev")
                dev_steps.push_back(e.step);
        QCOMPARE(dev_steps, (std::vector<std::int64_t>{3, 6, 8}));
        QCOMPARE(QString::fromStdString(rec.evals.back().split), QString("test"));
        // The final checkpoint exists; the best is the one with the lowest dev loss.
        QVERIFY(result.last_checkpoint.find("final-step-8.h5") != std::string::npos ||
                result.last_checkpoint.find("best-step-000008.h5") != std::string::npos);
        double best_loss = 1e9;
        std::int64_t best_step = 0;
        for (const auto& e : rec.evals)
            if (e.split == "dev" && e.loss < best_loss) {
                best_loss = e.loss;
                best_step = e.step;
            }
        const auto status = read_json(result.run_dir + "/run.json");
        const std::string best = status["best_checkpoint"];
        QVERIFY2(fs::exists(best), best.c_str());
        QCOMPARE(io::load_checkpoint_header(best).trainer.global_step, best_step);
        QCOMPARE(io::load_checkpoint_header(best).trainer.best_metric, best_loss);
    }

    void checkpointRequestSavesAtNextBoundary() {
        auto c = config(1);
        train::RunControl control;
        Recorder rec;
        rec.on_step_hook = [&](const train::StepMetrics& m) {
            if (m.step == 2)
                control.request_checkpoint();
        };
        const auto result = train::Trainer(c, rec, control).run();
        QCOMPARE(int(result.state), int(train::RunState::Finished));
        QVERIFY(!rec.checkpoints.empty());
        QCOMPARE(QString::fromStdString(rec.checkpoints.front().reason), QString("request"));
        QCOMPARE(rec.checkpoints.front().step, std::int64_t(2));
        QVERIFY(fs::exists(rec.checkpoints.front().path));
        const auto list = train::run_checkpoints(result.run_dir);
        QCOMPARE(int(list.size()), 2);  // the request and the epoch
        QCOMPARE(QString::fromStdString(list.front().reason), QString("request"));
    }

    void rmspropSavesItsState() {
        auto c = config(2);
        c.training.optimizer = "rmsprop";
        c.training.momentum = 0.5;
        c.training.learning_rate = 1e-3;
        c.training.gradient_accumulation_steps = 2;
        c.training.group_by_length = true;
        Recorder rec;
        const auto result = run(c, rec);
        QVERIFY2(result.state == train::RunState::Finished, result.error.c_str());
        QCOMPARE(int(rec.steps.size()), 6);  // 6 batches / 2 = 3 steps per epoch
        for (const auto& s : rec.steps)
            QVERIFY(std::isfinite(s.loss) && !s.skipped);
        const auto ckpt = io::load_checkpoint(result.last_checkpoint);
        std::set<std::string> slot_names;
        for (const auto& blob : ckpt.optimizer)
            slot_names.insert(blob.name.substr(blob.name.rfind('/') + 1));
        QCOMPARE(slot_names, (std::set<std::string>{"momentum_buffer", "square_avg", "step"}));
    }
};

QTEST_APPLESS_MAIN(TstTrainerOptions)
#include "tst_trainer_options.moc"
