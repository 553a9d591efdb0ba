// Regression, multi-label threshold tuning, FGM adversarial training, dropout overrides and the
// task-aware metrics.csv, end to end through the Trainer and InferenceSession. References:
// the split's training targets (normalisation), hand-computed FGM gradients on the same model,
// sklearn-checked metrics (tst_regression_metrics), the head's own thresholds.
#include <torch/torch.h>

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "io/checkpoint.h"
#include "model/fgm.h"
#include "model/model_folder.h"
#include "test_support.h"
#include "train/batching.h"
#include "train/inference_session.h"
#include "train/metrics_log.h"
#include "train/prepared_data.h"
#include "train/run_tokenizer.h"
#include "train/task_model_setup.h"
#include "train/trainer.h"

namespace fs = std::filesystem;
using namespace tb;

namespace {

struct Recorder : train::TrainingObserver {
    std::vector<train::StepMetrics> steps;
    std::vector<train::EvalReport> evals;
    std::vector<std::string> logs;
    void on_step(const train::StepMetrics& m) override { steps.push_back(m); }
    void on_eval(const train::EvalReport& e) override { evals.push_back(e); }
    void on_log(const std::string& line) override { logs.push_back(line); }
};

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string first_line(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

struct Row {
    std::string text;
    double value;
};

// value = 10 + 2·#good − #bad + 0.5·#meh: a linear function of word counts, offset so the
// normalisation matters.
std::vector<Row> regression_rows(int n, unsigned seed) {
    const std::vector<std::string> words = {"good", "bad", "meh", "film", "plot", "the"};
    std::mt19937 rng(seed);
    std::vector<Row> rows;
    for (int i = 0; i < n; ++i) {
        const int length = 3 + static_cast<int>(rng() % 5);
        std::string text;
        double value = 10.0;
        for (int k = 0; k < length; ++k) {
            const auto& w = words[rng() % words.size()];
            text += (k ? " " : "") + w;
            value += w == "good" ? 2.0 : w == "bad" ? -1.0 : w == "meh" ? 0.5 : 0.0;
        }
        rows.push_back({text, value});
    }
    return rows;
}

void write_csv(const std::string& path, const std::vector<Row>& rows) {
    std::ofstream out(path);
    out << "text,score\n";
    for (const auto& r : rows)
        out << r.text << "," << r.value << "\n";
}

const TensorBlob* find_blob(const io::Checkpoint& c, const std::string& name) {
    for (const auto& b : c.model)
        if (b.name == name)
            return &b;
    return nullptr;
}

std::vector<double> doubles(const TensorBlob& b) {
    std::vector<double> out(static_cast<std::size_t>(b.numel()));
    std::memcpy(out.data(), b.bytes.data(), out.size() * sizeof(double));
    return out;
}

std::vector<float> floats(const TensorBlob& b) {
    std::vector<float> out(static_cast<std::size_t>(b.numel()));
    std::memcpy(out.data(), b.bytes.data(), out.size() * sizeof(float));
    return out;
}

}  // namespace

class TstTrainerRegularization : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    std::string model_;  // a tiny BERT whose vocabulary has the regression words
    std::string data_;   // 120 regression rows

    io::ExperimentConfig config(const std::string& data) {
        io::ExperimentConfig c;
        c.name = "regularization";
        c.dataset.path = data;
        c.model.path = model_;
        c.model.max_length = 32;
        c.training.epochs = 2;
        c.training.batch_size = 16;
        c.training.learning_rate = 5e-3;
        c.training.seed = 5;
        c.training.device = "cpu";
        c.output.runs_dir = tmp_.path().toStdString() + "/runs";
        c.output.checkpoint_each_epoch = false;
        return c;
    }

    io::ExperimentConfig regression_config() {
        auto c = config(data_);
        c.dataset.task = "regression";
        c.dataset.label_column = "score";
        c.model.pooling = "mean";
        return c;
    }

    train::RunResult run(const io::ExperimentConfig& c, Recorder& rec) {
        train::RunControl control;
        return train::Trainer(c, rec, control).run();
    }

private slots:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        const std::string root = tmp_.path().toStdString();
        data_ = root + "/scores.csv";
        write_csv(data_, regression_rows(120, 1));
        model_ = root + "/model";
        tb::testing::make_tiny_model(model_, data_, /*hidden=*/32, /*layers=*/1,
                                     /*max_positions=*/64);
    }

    void regressionTrainsAndPredicts() {
        auto c = regression_config();
        c.training.epochs = 12;
        c.training.early_stopping_metric = "dev_mae";
        Recorder rec;
        const auto result = run(c, rec);
        QVERIFY2(result.state == train::RunState::Finished, result.error.c_str());
        const auto& test = rec.evals.back();
        QCOMPARE(QString::fromStdString(test.split), QString("test"));
        QCOMPARE(QString::fromStdString(test.task), QString("regression"));
        for (const char* key : {"mse", "rmse", "mae", "r2", "pearson", "spearman"})
            QVERIFY2(test.scores.count(key) == 1, key);
        QVERIFY2(test.scores.at("r2") > 0.5, qPrintable(QString::number(test.scores.at("r2"))));
        qInfo("regression test split: mse %.4f, mae %.4f, r2 %.4f, spearman %.4f",
              test.scores.at("mse"), test.scores.at("mae"), test.scores.at("r2"),
              test.scores.at("spearman"));
        QVERIFY(std::abs(test.scores.at("rmse") - std::sqrt(test.scores.at("mse"))) < 1e-12);
        bool replaced = false;
        for (const auto& l : rec.logs)
            replaced = replaced || l.find("using dev_mse") != std::string::npos;
        QVERIFY(replaced);  // the default best_metric dev_macro_f1 has no meaning here

        // Normalisation fitted on the training rows, stored in the checkpoint.
        const auto rows = regression_rows(120, 1);
        const auto split = nlohmann::json::parse(read_file(result.run_dir + "/split.json"));
        double sum = 0, squares = 0;
        for (const auto& i : split["train"])
            sum += rows[i.get<std::size_t>()].value;
        const double n = double(split["train"].size());
        const double mean = sum / n;
        for (const auto& i : split["train"])
            squares += std::pow(rows[i.get<std::size_t>()].value - mean, 2);
        const auto ckpt = io::load_checkpoint(result.last_checkpoint);
        const auto* stats = find_blob(ckpt, "regression_target");
        QVERIFY(stats);
        const auto stored = doubles(*stats);
        QVERIFY(std::abs(stored[0] - mean) < 1e-9);
        QVERIFY(std::abs(stored[1] - std::sqrt(squares / n)) < 1e-9);

        QCOMPARE(first_line(result.run_dir + "/metrics.csv"),
                 std::string("kind,epoch,step,loss,learning_rate,mse,rmse,mae,r2"));

        // The final checkpoint scores the test rows exactly as the run's test evaluation, and
        // predict() de-normalises to the same values.
        std::vector<Row> test_rows;
        for (const auto& i : split["test"])
            test_rows.push_back(rows[i.get<std::size_t>()]);
        const std::string test_file = tmp_.path().toStdString() + "/test_scores.csv";
        write_csv(test_file, test_rows);
        const auto session = train::InferenceSession::open(result.last_checkpoint);
        QCOMPARE(QString::fromStdString(session->task()), QString("regression"));
        const auto file = session->evaluate_file(test_file);
        QVERIFY(std::abs(file.scores.at("mse") - test.scores.at("mse")) <=
                1e-9 * std::max(1.0, test.scores.at("mse")));
        std::vector<std::string> texts;
        for (const auto& r : test_rows)
            texts.push_back(r.text);
        const auto predictions = session->predict(texts);
        double mse = 0;
        for (std::size_t i = 0; i < texts.size(); ++i)
            mse += std::pow(predictions[i].value - test_rows[i].value, 2);
        mse /= double(texts.size());
        QVERIFY2(std::abs(mse - test.scores.at("mse")) < 1e-6 * std::max(1.0, mse),
                 qPrintable(QString("%1 vs %2").arg(mse).arg(test.scores.at("mse"))));
    }

    void regressionRejectsNonNumbers() {
        const std::string path = tmp_.path().toStdString() + "/bad_scores.csv";
        {
            std::ofstream out(path);
            out << "text,score\ngood film,3\nbad plot,abc\nthe film,1.5e0\nmeh,\n";
        }
        auto c = regression_config();
        c.dataset.path = path;
        c.dataset.skip_invalid_rows = false;
        const auto tokenizer = train::load_run_tokenizer(c, model_);
        bool threw = false;
        try {
            train::prepare_data(c, *tokenizer, [](const std::string&) {});
        } catch (const Error& e) {
            threw = true;
            QCOMPARE(e.where().line, 3L);
            QCOMPARE(e.where().column, 2L);
            QVERIFY2(std::string(e.what()).find("bad_scores.csv") != std::string::npos, e.what());
            QVERIFY2(std::string(e.what()).find("\"abc\"") != std::string::npos, e.what());
        }
        QVERIFY(threw);
        c.dataset.skip_invalid_rows = true;
        c.dataset.train_fraction = 1.0;
        c.dataset.dev_fraction = 0.0;
        c.dataset.test_fraction = 0.0;
        const auto data = train::prepare_data(c, *tokenizer, [](const std::string&) {});
        QCOMPARE(data.problems.size(), std::size_t(2));
        QCOMPARE(QString::fromStdString(data.problems[0].kind), QString("invalid_number"));
        QCOMPARE(data.train.values.size(), std::size_t(2));
        QCOMPARE(data.train.values[0] + data.train.values[1], 4.5);
    }

    void dropoutOverrides() {
        auto c = regression_config();
        const auto folder = model::inspect_model_folder(model_);
        const auto tokenizer = train::load_run_tokenizer(c, model_);
        const auto data = train::prepare_data(c, *tokenizer, [](const std::string&) {});
        std::vector<std::size_t> idx(8);
        std::iota(idx.begin(), idx.end(), std::size_t{0});
        const auto batch = train::collate(data.train, idx, tokenizer->pad_id(), torch::kCPU);
        auto outputs = [&](const io::ExperimentConfig& config) {
            torch::manual_seed(1);
            auto built = train::build_task_model(config, folder, 1, true);
            built.model->train();
            torch::NoGradGuard no_grad;
            const auto train_out =
                built.model->forward(batch.input_ids, batch.attention_mask, batch.token_type_ids);
            built.model->eval();
            const auto eval_out =
                built.model->forward(batch.input_ids, batch.attention_mask, batch.token_type_ids);
            return std::make_pair(train_out, eval_out);
        };
        c.model.classifier_dropout = 0.0;
        c.model.hidden_dropout = 0.0;
        c.model.attention_dropout = 0.0;
        const auto off = outputs(c);
        QVERIFY(torch::equal(off.first, off.second));
        c.model.hidden_dropout = 0.3;  // the encoder's dropout alone makes train mode differ
        const auto on = outputs(c);
        QVERIFY(!torch::equal(on.first, on.second));
        c.model.hidden_dropout = 0.0;
        c.model.attention_dropout = 0.3;
        const auto attention = outputs(c);
        QVERIFY(!torch::equal(attention.first, attention.second));
    }

    void fgmEpsilonZeroIsIdentical() {
        auto c = regression_config();
        c.training.max_steps = 3;
        Recorder a, b;
        const auto plain = run(c, a);
        c.training.adversarial = "fgm";
        c.training.adversarial_epsilon = 0.0;
        const auto zero = run(c, b);
        QVERIFY(plain.state == train::RunState::Finished && zero.state == plain.state);
        const auto x = io::load_checkpoint(plain.last_checkpoint);
        const auto y = io::load_checkpoint(zero.last_checkpoint);
        QCOMPARE(x.model.size(), y.model.size());
        for (std::size_t i = 0; i < x.model.size(); ++i) {
            QCOMPARE(x.model[i].name, y.model[i].name);
            QVERIFY2(x.model[i].bytes == y.model[i].bytes, x.model[i].name.c_str());
        }
    }

    // One SGD step (lr 0.5, no momentum, decay or clipping) on the whole training split as one
    // batch: the update divided by -lr is the gradient, which must equal a hand-made FGM step on
    // the same initial model: loss, backward, E += eps·g/‖g‖, loss, backward, E restored.
    void fgmStepMatchesHandComputation() {
        auto c = regression_config();
        c.model.classifier_dropout = 0.0;
        c.model.hidden_dropout = 0.0;
        c.model.attention_dropout = 0.0;
        c.training.optimizer = "sgd";
        c.training.learning_rate = 0.5;
        c.training.weight_decay = 0.0;
        c.training.warmup_ratio = 0.0;
        c.training.schedule = "constant";
        c.training.max_grad_norm = 0.0;
        c.training.batch_size = 512;
        c.training.max_steps = 1;
        c.training.adversarial = "fgm";
        c.training.adversarial_epsilon = 0.7;
        Recorder rec;
        const auto result = run(c, rec);
        QVERIFY2(result.state == train::RunState::Finished, result.error.c_str());
        bool logged = false;
        for (const auto& l : rec.logs)
            logged = logged || l.find("adversarial training: FGM") != std::string::npos;
        QVERIFY(logged);
        const auto after = io::load_checkpoint(result.last_checkpoint);

        // The same initial model: the Trainer seeds the global generator, then builds.
        const auto folder = model::inspect_model_folder(model_);
        const auto tokenizer = train::load_run_tokenizer(c, model_);
        const auto data = train::prepare_data(c, *tokenizer, [](const std::string&) {});
        torch::manual_seed(c.training.seed);
        auto built = train::build_task_model(c, folder, 1, /*load_pretrained=*/true);
        auto& m = *built.model;
        const auto norm = model::fit_target_normalization(data.train.values);
        m.head().set_target_normalization(norm);
        std::vector<std::size_t> idx(data.train.size());
        std::iota(idx.begin(), idx.end(), std::size_t{0});
        const auto batch = train::collate(data.train, idx, tokenizer->pad_id(), torch::kCPU);
        // Mean MSE over the batch (normalised targets), computed here without the head's loss.
        auto loss = [&] {
            const auto out = m.forward(batch.input_ids, batch.attention_mask, batch.token_type_ids);
            const auto target = ((batch.labels - norm.mean) / norm.std).to(torch::kFloat);
            return (out - target).pow(2).mean();
        };
        std::map<std::string, torch::Tensor> before;
        for (const auto& p : m.named_parameters())
            before[p.key()] = p.value().detach().clone();
        loss().backward();
        torch::Tensor embedding;
        std::string embedding_name;
        for (const auto& p : m.named_parameters())
            if (p.key().find("word_embeddings.weight") != std::string::npos) {
                embedding = p.value();
                embedding_name = p.key();
            }
        QVERIFY(embedding.defined() && embedding.grad().defined());
        const auto g = embedding.grad().detach().clone();
        const auto r = 0.7 * g / g.norm();
        {
            torch::NoGradGuard no_grad;
            embedding.add_(r);
        }
        loss().backward();
        {
            torch::NoGradGuard no_grad;
            embedding.copy_(before.at(embedding_name));
        }
        int compared = 0;
        double worst = 0.0;
        for (const auto& p : m.named_parameters()) {
            if (!p.value().grad().defined())
                continue;
            const auto* blob = find_blob(after, p.key());
            QVERIFY2(blob, p.key().c_str());
            const auto w1 = torch::from_blob(const_cast<std::byte*>(blob->bytes.data()),
                                             p.value().sizes(), torch::kFloat)
                                .clone();
            const auto trainer_grad = (before.at(p.key()) - w1) / 0.5;
            const auto scale = std::max(1e-3, p.value().grad().abs().max().item<double>());
            worst = std::max(worst,
                             (trainer_grad - p.value().grad()).abs().max().item<double>() / scale);
            ++compared;
        }
        QVERIFY(compared > 10);
        qInfo("FGM: %d gradients compared, worst relative difference %.3g", compared, worst);
        QVERIFY2(worst < 1e-3,
                 qPrintable(QString("worst relative gradient difference %1").arg(worst)));
    }

    void multiLabelThresholdsTune() {
        const std::string data = tb::testing::fixture("data/tasks/topics_multilabel.csv");
        const std::string dir = tmp_.path().toStdString() + "/ml";
        fs::create_directories(dir);
        // Vocabulary from the fixture's texts.
        {
            std::ifstream in(data);
            std::ofstream out(dir + "/vocab.csv");
            out << "text\n";
            std::string line;
            std::getline(in, line);
            while (std::getline(in, line))
                out << line.substr(0, line.rfind(',')) << "\n";
        }
        const std::string model = dir + "/model";
        tb::testing::make_tiny_model(model, dir + "/vocab.csv", 32, 1, 64);
        auto c = config(data);
        c.model.path = model;
        c.model.max_length = 48;
        c.model.pooling = "mean";
        c.dataset.task = "multi_label";
        c.dataset.label_column = "labels";
        c.dataset.label_separator = "|";
        c.model.multi_label_thresholds = "tune";
        c.training.epochs = 4;
        Recorder rec;
        const auto result = run(c, rec);
        QVERIFY2(result.state == train::RunState::Finished, result.error.c_str());
        QCOMPARE(first_line(result.run_dir + "/metrics.csv"),
                 std::string("kind,epoch,step,loss,learning_rate,micro_f1,macro_f1,samples_f1"));
        bool logged = false;
        for (const auto& l : rec.logs)
            logged = logged || l.find("thresholds tuned on dev") != std::string::npos;
        QVERIFY(logged);
        const auto ckpt = io::load_checkpoint(result.last_checkpoint);
        const auto* blob = find_blob(ckpt, "multi_label_thresholds");
        QVERIFY(blob);
        const auto stored = floats(*blob);
        QCOMPARE(stored.size(), std::size_t(3));
        bool moved = false;
        for (float t : stored) {
            QVERIFY(t > 0.0f && t < 1.0f);
            moved = moved || t != 0.5f;
        }
        QVERIFY(moved);
        qInfo("tuned thresholds: %.4f %.4f %.4f", stored[0], stored[1], stored[2]);
        // Inference uses the stored thresholds for its decisions.
        const auto session = train::InferenceSession::open(result.last_checkpoint);
        QCOMPARE(session->thresholds(), stored);
        const auto predictions = session->predict({"sports match goal", "the market fell"});
        for (const auto& p : predictions) {
            std::vector<int> expected;
            for (std::size_t k = 0; k < stored.size(); ++k)
                if (static_cast<float>(p.probabilities[k]) >= stored[k])
                    expected.push_back(static_cast<int>(k));
            QCOMPARE(p.label_set, expected);
        }
        // The explicit list is used as given (and must have one entry per label).
        c.model.multi_label_thresholds = "list";
        c.model.multi_label_threshold_values = {0.2, 0.5};
        c.training.epochs = 1;
        Recorder bad;
        const auto refused = run(c, bad);
        QVERIFY(refused.state == train::RunState::Failed);
        QVERIFY2(refused.error.find("multi_label_thresholds") != std::string::npos,
                 refused.error.c_str());
    }

    void metricsCsvColumnsFitTheTask() {
        const std::vector<std::pair<std::string, std::string>> cases = {
            {"text_classification", "accuracy,macro_f1"},
            {"multi_label", "micro_f1,macro_f1,samples_f1"},
            {"token_classification", "precision,recall,f1"},
            {"regression", "mse,rmse,mae,r2"}};
        int n = 0;
        for (const auto& [task, columns] : cases) {
            const std::string dir = tmp_.path().toStdString() + "/csv" + std::to_string(n++);
            fs::create_directories(dir);
            {
                train::MetricsLog log(dir, task);
                train::EvalReport e;
                e.split = "dev";
                e.epoch = 1;
                e.step = 7;
                e.loss = 0.25;
                std::vector<std::string> names;
                std::stringstream parts(columns);
                for (std::string name; std::getline(parts, name, ',');)
                    names.push_back(name);
                double v = 0.5;
                for (const auto& name : names)
                    e.scores[name] = (v += 0.125);
                log.write_eval(e);
            }
            std::ifstream in(dir + "/metrics.csv");
            std::string header, row;
            std::getline(in, header);
            std::getline(in, row);
            QCOMPARE(header, "kind,epoch,step,loss,learning_rate," + columns);
            const std::string values =
                columns.find(',') == columns.rfind(',') ? "0.625,0.75" : "0.625,0.75,0.875";
            const std::string four = "0.625,0.75,0.875,1";
            QCOMPARE(row, "dev,1,7,0.25,," + (task == "regression" ? four : values));
        }
    }
};

QTEST_MAIN(TstTrainerRegularization)
#include "tst_trainer_regularization.moc"
