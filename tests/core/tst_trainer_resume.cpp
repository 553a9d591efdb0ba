// Exact resume: training straight through and training -> stop -> resume give bit-identical
// per-step losses, weights and optimizer state (compared with ==), from epoch-end and mid-epoch
// checkpoints, for every optimizer, with accumulation, prefetch and length grouping. Resume is
// refused for changed data or settings; the resumed run folder continues the parent's logs.
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "io/checkpoint.h"
#include "test_support.h"
#include "train/checkpoint_catalog.h"
#include "train/resume_plan.h"
#include "train/trainer.h"

namespace fs = std::filesystem;
using namespace tb;

namespace {

struct Recorder : train::TrainingObserver {
    std::vector<train::StepMetrics> steps;
    std::vector<train::CheckpointInfo> checkpoints;
    std::function<void(const train::CheckpointInfo&)> on_checkpoint_hook;
    void on_step(const train::StepMetrics& m) override { steps.push_back(m); }
    void on_checkpoint(const train::CheckpointInfo& c) override {
        checkpoints.push_back(c);
        if (on_checkpoint_hook)
            on_checkpoint_hook(c);
    }
};

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

nlohmann::json read_json(const std::string& path) {
    return nlohmann::json::parse(read_text(path));
}

// Every tensor's bytes must be equal, in the same order with the same names.
void compare_tensors(const std::vector<TensorBlob>& a, const std::vector<TensorBlob>& b) {
    QCOMPARE(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        QCOMPARE(a[i].name, b[i].name);
        QVERIFY2(a[i].bytes == b[i].bytes, a[i].name.c_str());
    }
}

}  // namespace

class TstTrainerResume : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    std::string model_dir_;

    io::ExperimentConfig config(int epochs) {
        io::ExperimentConfig c;
        c.name = "resume";
        c.dataset.path = tb::testing::fixture("e2e/tiny_sentiment.csv");
        c.model.path = model_dir_;
        c.model.max_length = 32;
        c.training.epochs = epochs;
        c.training.batch_size = 16;
        c.training.learning_rate = 1e-2;
        c.training.seed = 5;
        c.training.device = "cpu";
        c.training.log_every_steps = 1;
        c.output.runs_dir = tmp_.path().toStdString() + "/runs";
        return c;
    }

    // Runs `c` until the checkpoint at `stop_step` is written, then cancels.
    train::RunResult run_until(const io::ExperimentConfig& c, std::int64_t stop_step) {
        train::RunControl control;
        Recorder rec;
        rec.on_checkpoint_hook = [&](const train::CheckpointInfo& info) {
            if (info.step == stop_step)
                control.cancel();
        };
        return train::Trainer(c, rec, control).run();
    }

private slots:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        model_dir_ = tmp_.path().toStdString() + "/model";
        tb::testing::make_tiny_model(model_dir_, tb::testing::fixture("e2e/tiny_sentiment.csv"));
    }

    void resumeIsBitIdentical_data() {
        QTest::addColumn<QString>("optimizer");
        QTest::addColumn<int>("accumulation");
        QTest::addColumn<int>("prefetch");
        QTest::addColumn<bool>("group");
        QTest::addColumn<int>("every");      // output.checkpoint_every_steps
        QTest::addColumn<int>("stop_step");  // resume from the checkpoint of this step
        // 96 training examples, batch 16: 6 micro-batches per epoch.
        QTest::newRow("adamw, epoch end") << "adamw" << 1 << 2 << false << 0 << 6;
        QTest::newRow("adamw, mid-epoch, no prefetch") << "adamw" << 1 << 0 << false << 4 << 4;
        QTest::newRow("adamw, mid-epoch, prefetch, grouped") << "adamw" << 1 << 3 << true << 4 << 8;
        QTest::newRow("sgd nesterov, accumulation 2") << "sgd" << 2 << 2 << false << 2 << 2;
        QTest::newRow("rmsprop momentum, accumulation 4") << "rmsprop" << 4 << 1 << false << 1 << 3;
    }

    void resumeIsBitIdentical() {
        QFETCH(QString, optimizer);
        QFETCH(int, accumulation);
        QFETCH(int, prefetch);
        QFETCH(bool, group);
        QFETCH(int, every);
        QFETCH(int, stop_step);
        auto c = config(2);
        c.training.optimizer = optimizer.toStdString();
        c.training.momentum = optimizer == "adamw" ? 0.0 : 0.5;
        c.training.nesterov = optimizer == "sgd";
        c.training.gradient_accumulation_steps = accumulation;
        c.training.prefetch_batches = prefetch;
        c.training.group_by_length = group;
        c.output.checkpoint_every_steps = every;
        c.output.keep_last_checkpoints = 10;

        // Straight through.
        train::RunControl control;
        Recorder straight;
        const auto full = train::Trainer(c, straight, control).run();
        QCOMPARE(int(full.state), int(train::RunState::Finished));

        // Stopped at `stop_step`, then resumed from that checkpoint.
        const auto first = run_until(c, stop_step);
        QCOMPARE(int(first.state), int(train::RunState::Cancelled));
        const auto plan = train::plan_resume(first.run_dir, std::to_string(stop_step));
        QCOMPARE(plan.global_step, std::int64_t(stop_step));
        QCOMPARE(plan.parent_run_dir, fs::path(first.run_dir).lexically_normal().string());
        Recorder resumed_rec;
        train::RunControl control2;
        train::TrainerOptions options;
        options.resume_from = plan.checkpoint;
        const auto resumed = train::Trainer(c, resumed_rec, control2, options).run();
        QVERIFY2(resumed.state == train::RunState::Finished, resumed.error.c_str());
        QVERIFY(resumed.run_dir != first.run_dir);  // a new run folder, never overwritten

        // Per-step losses after the resume point: bit-identical.
        QCOMPARE(resumed_rec.steps.size() + std::size_t(stop_step), straight.steps.size());
        for (std::size_t i = 0; i < resumed_rec.steps.size(); ++i) {
            const auto& a = straight.steps[i + std::size_t(stop_step)];
            const auto& b = resumed_rec.steps[i];
            QCOMPARE(b.step, a.step);
            QVERIFY2(a.loss == b.loss, qPrintable(QString("step %1: %2 vs %3")
                                                      .arg(a.step)
                                                      .arg(a.loss, 0, 'g', 17)
                                                      .arg(b.loss, 0, 'g', 17)));
            QVERIFY(a.learning_rate == b.learning_rate);
            QVERIFY(a.grad_norm == b.grad_norm);
        }
        // Final weights, optimizer state and metric history: bit-identical.
        const auto a = io::load_checkpoint(full.last_checkpoint);
        const auto b = io::load_checkpoint(resumed.last_checkpoint);
        compare_tensors(a.model, b.model);
        compare_tensors(a.optimizer, b.optimizer);
        compare_tensors(a.rng, b.rng);
        QCOMPARE(a.metrics, b.metrics);
        QCOMPARE(a.trainer.global_step, b.trainer.global_step);
        QCOMPARE(a.trainer.best_metric, b.trainer.best_metric);

        // The resumed folder's logs are the straight run's logs, row for row.
        QCOMPARE(read_text(resumed.run_dir + "/metrics.csv"),
                 read_text(full.run_dir + "/metrics.csv"));
        const auto status = read_json(resumed.run_dir + "/run.json");
        QCOMPARE(QString::fromStdString(status["state"]), QString("finished"));
        QCOMPARE(status["resumed_from"]["global_step"].get<std::int64_t>(),
                 std::int64_t(stop_step));
        QCOMPARE(status["resumed_from"]["checkpoint"].get<std::string>(), plan.checkpoint);
        QCOMPARE(status["config_hash"], read_json(full.run_dir + "/run.json")["config_hash"]);
    }

    void listAndSelectCheckpoints() {
        auto c = config(2);
        c.output.checkpoint_every_steps = 4;
        c.output.keep_last_checkpoints = 10;
        train::RunControl control;
        Recorder rec;
        const auto result = train::Trainer(c, rec, control).run();
        QCOMPARE(int(result.state), int(train::RunState::Finished));
        const auto list = train::run_checkpoints(result.run_dir);
        std::vector<std::int64_t> steps;
        for (const auto& e : list)
            steps.push_back(e.global_step);
        // step-4, epoch-1 (6), step-8, epoch-2 (12, also the end of training).
        QCOMPARE(steps, (std::vector<std::int64_t>{4, 6, 8, 12}));
        QCOMPARE(QString::fromStdString(list[1].reason), QString("epoch"));
        QCOMPARE(QString::fromStdString(list[0].reason), QString("step"));
        QCOMPARE(list[1].epoch, 1);
        QCOMPARE(QString::fromStdString(list.back().state), QString("finished"));
        int best = 0;
        for (const auto& e : list)
            best += e.is_best;
        QCOMPARE(best, 1);
        QCOMPARE(train::select_checkpoint(result.run_dir), list.back().path);
        QCOMPARE(train::select_checkpoint(result.run_dir, "8"), list[2].path);
        QCOMPARE(train::select_checkpoint(result.run_dir, "epoch-001.h5"), list[1].path);
        try {
            train::select_checkpoint(result.run_dir, "5");
            QFAIL("step 5 has no checkpoint");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("available steps: 4") != std::string::npos,
                     e.what());
        }
        // A finished run has nothing left to train unless it is extended.
        train::TrainerOptions options;
        options.resume_from = list.back().path;
        Recorder again;
        train::RunControl control2;
        auto done = train::Trainer(c, again, control2, options).run();
        QCOMPARE(int(done.state), int(train::RunState::Failed));
        QVERIFY2(done.error.find("training.epochs") != std::string::npos, done.error.c_str());
        c.training.epochs = 3;  // allowed change: train one more epoch
        auto more = train::Trainer(c, again, control2, options).run();
        QVERIFY2(more.state == train::RunState::Finished, more.error.c_str());
        QCOMPARE(again.steps.front().step, std::int64_t(13));
        QCOMPARE(again.steps.back().step, std::int64_t(18));
    }

    void resumeRefusesChangedData() {
        auto c = config(2);
        const auto first = run_until(c, 6);
        QCOMPARE(int(first.state), int(train::RunState::Cancelled));
        // Same file layout, one label changed.
        const std::string changed = tmp_.path().toStdString() + "/changed.csv";
        std::string text = read_text(c.dataset.path);
        const auto comma = text.find(",positive");
        QVERIFY(comma != std::string::npos);
        text.replace(comma, 9, ",negative");
        std::ofstream(changed) << text;
        c.dataset.path = changed;
        const auto runs_before = std::distance(fs::directory_iterator(c.output.runs_dir), {});
        train::TrainerOptions options;
        options.resume_from = train::select_checkpoint(first.run_dir);
        Recorder rec;
        train::RunControl control;
        const auto result = train::Trainer(c, rec, control, options).run();
        QCOMPARE(int(result.state), int(train::RunState::Failed));
        QVERIFY2(result.error.find("data differs") != std::string::npos, result.error.c_str());
        QVERIFY2(result.error.find("changed.csv") != std::string::npos, result.error.c_str());
        QVERIFY(rec.steps.empty());
        // A refused resume leaves no run folder behind.
        QCOMPARE(std::distance(fs::directory_iterator(c.output.runs_dir), {}), runs_before);
    }

    void resumeRefusesChangedSettings() {
        auto c = config(2);
        const auto first = run_until(c, 6);
        c.training.batch_size = 8;
        c.training.learning_rate = 1e-3;
        train::TrainerOptions options;
        options.resume_from = train::select_checkpoint(first.run_dir);
        Recorder rec;
        train::RunControl control;
        const auto result = train::Trainer(c, rec, control, options).run();
        QCOMPARE(int(result.state), int(train::RunState::Failed));
        QVERIFY2(result.error.find("training.batch_size was 16, now 8") != std::string::npos,
                 result.error.c_str());
        QVERIFY2(result.error.find("training.learning_rate") != std::string::npos,
                 result.error.c_str());
    }
};

QTEST_APPLESS_MAIN(TstTrainerResume)
#include "tst_trainer_resume.moc"
