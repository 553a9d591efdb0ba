// Text models trained from scratch (model.architecture: bilstm) through the Trainer: generated
// word-level and Chinese character-level data train above the majority baseline; the
// vocabulary comes from the training split only and round-trips through the checkpoint into
// eval/predict; a resumed run is bit-identical to a straight one; batching does not change a
// text's logits (packed sequences); the experiment keys parse and write back; non-default
// sizes train, reload for predict and match the model library's parameter count; FGM applies.
#include <torch/torch.h>

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "common/error.h"
#include "io/checkpoint.h"
#include "io/experiment_config.h"
#include "model/bilstm_classifier.h"
#include "model/builtin_models.h"
#include "text/word_level_tokenizer.h"
#include "train/inference_session.h"
#include "train/resume_plan.h"
#include "train/scratch_text_model.h"
#include "train/trainer.h"

namespace fs = std::filesystem;
using namespace tb;

namespace {

struct Recorder : train::TrainingObserver {
    std::vector<train::StepMetrics> steps;
    std::vector<train::EvalReport> evals;
    std::function<void(const train::CheckpointInfo&)> on_checkpoint_hook;
    void on_step(const train::StepMetrics& m) override { steps.push_back(m); }
    void on_eval(const train::EvalReport& e) override { evals.push_back(e); }
    void on_checkpoint(const train::CheckpointInfo& c) override {
        if (on_checkpoint_hook)
            on_checkpoint_hook(c);
    }
};

double last_accuracy(const Recorder& rec, const std::string& split) {
    for (auto it = rec.evals.rbegin(); it != rec.evals.rend(); ++it)
        if (it->split == split)
            return it->report.accuracy;
    return -1.0;
}

// Sentiment-like sentences: 60 % "neg", 40 % "pos" (majority baseline 0.6). The label shows in
// one cue word among filler words; negations are not modelled.
void write_word_data(const std::string& path, int n) {
    const std::vector<std::string> pos{"good", "great", "lovely", "excellent", "fine"};
    const std::vector<std::string> neg{"bad", "awful", "poor", "terrible", "boring"};
    const std::vector<std::string> filler{"the",   "movie",  "was",   "plot",  "and", "actors",
                                          "music", "really", "quite", "story", "a",   "film"};
    std::mt19937 rng(11);
    std::ofstream out(path);
    out << "text,label\n";
    for (int i = 0; i < n; ++i) {
        const bool is_pos = i % 5 < 2;
        std::string text;
        const int words = 4 + static_cast<int>(rng() % 6);
        const int cue_at = static_cast<int>(rng() % static_cast<unsigned>(words));
        for (int w = 0; w < words; ++w) {
            const auto& pool = w == cue_at ? (is_pos ? pos : neg) : filler;
            text += (w ? " " : "") + pool[rng() % pool.size()];
        }
        out << text << "," << (is_pos ? "pos" : "neg") << "\n";
    }
}

// Chinese reviews without spaces: the character 好 / 棒 marks "好评", 差 / 烂 "差评".
void write_chinese_data(const std::string& path, int n) {
    const std::vector<std::string> pos{"好", "棒"};
    const std::vector<std::string> neg{"差", "烂"};
    const std::vector<std::string> filler{"这", "部", "电", "影", "真", "的", "很", "剧", "情"};
    std::mt19937 rng(5);
    std::ofstream out(path);
    out << "text,label\n";
    for (int i = 0; i < n; ++i) {
        const bool is_pos = i % 3 == 0;
        std::string text;
        const int chars = 4 + static_cast<int>(rng() % 5);
        const int cue_at = static_cast<int>(rng() % static_cast<unsigned>(chars));
        for (int c = 0; c < chars; ++c) {
            const auto& pool = c == cue_at ? (is_pos ? pos : neg) : filler;
            text += pool[rng() % pool.size()];
        }
        out << text << "," << (is_pos ? "好评" : "差评") << "\n";
    }
}

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

class TstTrainerBiLstm : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    std::string words_, chinese_;

    io::ExperimentConfig config(const std::string& data, int epochs) {
        io::ExperimentConfig c;
        c.name = "bilstm";
        c.dataset.path = data;
        c.dataset.train_fraction = 0.6;
        c.dataset.dev_fraction = 0.2;
        c.dataset.test_fraction = 0.2;
        c.model.architecture = "bilstm";
        c.model.max_length = 32;
        c.model.classifier_dropout = 0.1;
        c.training.epochs = epochs;
        c.training.batch_size = 8;
        c.training.learning_rate = 1e-2;
        c.training.warmup_ratio = 0.0;
        c.training.weight_decay = 0.0;
        c.training.seed = 3;
        c.training.device = "cpu";
        c.training.log_every_steps = 1;
        c.output.runs_dir = tmp_.path().toStdString() + "/runs";
        return c;
    }

private slots:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        words_ = tmp_.path().toStdString() + "/reviews.csv";
        chinese_ = tmp_.path().toStdString() + "/reviews_zh.csv";
        write_word_data(words_, 150);
        write_chinese_data(chinese_, 120);
    }

    void vocabularyFromCounts() {
        const auto v = text::build_word_vocabulary({{"a", 3}, {"b", 3}, {"c", 1}, {"d", 5}}, 2, 0);
        QCOMPARE(v, (std::vector<std::string>{"[PAD]", "[UNK]", "d", "a", "b"}));
        QCOMPARE(text::build_word_vocabulary({{"a", 3}, {"d", 5}}, 1, 3),
                 (std::vector<std::string>{"[PAD]", "[UNK]", "d"}));
        text::WordLevelTokenizer words(v, text::VocabLevel::Word, true);
        QCOMPARE(words.encode("D, a zzz!").input_ids, (std::vector<std::int64_t>{2, 1, 3, 1, 1}));
        text::WordLevelTokenizer chars({"[PAD]", "[UNK]", "好", "电"}, text::VocabLevel::Char,
                                       true);
        QCOMPARE(chars.encode("电影好").input_ids, (std::vector<std::int64_t>{3, 1, 2}));
        QCOMPARE(chars.encode("ab").input_ids, (std::vector<std::int64_t>{1, 1}));
        QVERIFY_EXCEPTION_THROWN(text::WordLevelTokenizer({"a", "b"}, text::VocabLevel::Word, true),
                                 Error);
    }

    // Packed sequences: padding a text to a longer batch leaves its logits unchanged.
    void paddingDoesNotChangeLogits() {
        torch::manual_seed(1);
        for (bool attention : {false, true}) {
            model::BiLstmOptions o;
            o.vocab_size = 20;
            o.embedding_dim = 6;
            o.hidden_size = 5;
            o.num_layers = 2;
            o.attention_pooling = attention;
            model::BiLstmClassifier net(o);
            net->eval();
            auto ids = torch::tensor({{3, 4, 5, 0, 0, 0}, {7, 8, 9, 10, 11, 12}});
            auto mask = (ids != 0).to(torch::kInt64);
            const auto both = net->forward(ids, mask);
            const auto alone =
                net->forward(ids.slice(0, 0, 1).slice(1, 0, 3), mask.slice(0, 0, 1).slice(1, 0, 3));
            QVERIFY(torch::allclose(both[0], alone[0], 1e-6, 1e-6));
            // An empty text gives finite logits.
            const auto empty = net->forward(torch::zeros({1, 4}, torch::kInt64),
                                            torch::zeros({1, 4}, torch::kInt64));
            QVERIFY(torch::isfinite(empty).all().item<bool>());
        }
    }

    void wordLevelLearnsAndRoundTrips() {
        auto c = config(words_, 8);
        c.model.pooling = "attention";
        Recorder rec;
        train::RunControl control;
        const auto result = train::Trainer(c, rec, control).run();
        QVERIFY2(result.state == train::RunState::Finished, result.error.c_str());
        const double dev = last_accuracy(rec, "dev");
        QVERIFY2(dev > 0.6 + 0.2, qPrintable(QString("dev accuracy %1").arg(dev)));
        QVERIFY(rec.steps.back().loss < rec.steps.front().loss);

        // The vocabulary: training-split units only, saved in the checkpoint and run folder.
        const auto ckpt = io::load_checkpoint(result.last_checkpoint);
        QCOMPARE(ckpt.vocab[0], std::string("[PAD]"));
        QCOMPARE(ckpt.vocab[1], std::string("[UNK]"));
        QVERIFY(std::find(ckpt.vocab.begin(), ckpt.vocab.end(), "movie") != ckpt.vocab.end());
        std::string lines;
        for (const auto& unit : ckpt.vocab)
            lines += unit + "\n";
        QCOMPARE(read_text(result.run_dir + "/vocab.txt"), lines);
        bool embedding_found = false;
        for (const auto& t : ckpt.model)
            if (t.name == "embedding.weight") {
                embedding_found = true;
                QCOMPARE(t.shape[0], static_cast<std::int64_t>(ckpt.vocab.size()));
            }
        QVERIFY(embedding_found);

        // Eval / predict rebuild the tokenizer from the checkpoint's vocabulary.
        auto session = train::InferenceSession::open(result.run_dir);
        QCOMPARE(session->labels(), (std::vector<std::string>{"pos", "neg"}));  // first seen
        const auto p = session->predict(
            {"the plot was excellent and lovely", "the actors were awful and boring"});
        QCOMPARE(p.size(), std::size_t(2));
        QCOMPARE(session->labels()[static_cast<std::size_t>(p[0].label)], std::string("pos"));
        QCOMPARE(session->labels()[static_cast<std::size_t>(p[1].label)], std::string("neg"));
        const auto scored = session->evaluate_file(words_);
        QVERIFY2(scored.report.accuracy > 0.8,
                 qPrintable(QString("file accuracy %1").arg(scored.report.accuracy)));

        // The experiment keys survive the YAML round trip of the run folder.
        const auto yaml = io::load_experiment(result.run_dir + "/experiment.yaml");
        QCOMPARE(yaml.model.architecture, std::string("bilstm"));
        QCOMPARE(yaml.model.pooling, std::string("attention"));
    }

    void vocabularyIsFromTrainingSplitOnly() {
        auto c = config(words_, 1);
        const auto prepared = train::prepare_scratch_text_data(c, {});
        // Every unit of the vocabulary occurs in the training split.
        std::map<std::int64_t, int> counts;
        for (const auto& row : prepared.data.train.input_ids)
            for (auto id : row)
                ++counts[id];
        for (std::int64_t id = 2; id < prepared.tokenizer->vocab_size(); ++id)
            QVERIFY2(counts[id] >= 1, prepared.tokenizer->id_to_token(id).c_str());
        QCOMPARE(prepared.tokenizer->vocab_size(), std::int64_t(2 + 10 + 12));
    }

    void chineseCharLevelLearns() {
        auto c = config(chinese_, 8);
        c.model.architecture = "bilstm_char";
        Recorder rec;
        train::RunControl control;
        const auto result = train::Trainer(c, rec, control).run();
        QVERIFY2(result.state == train::RunState::Finished, result.error.c_str());
        const double dev = last_accuracy(rec, "dev");
        QVERIFY2(dev > 2.0 / 3.0 + 0.15, qPrintable(QString("dev accuracy %1").arg(dev)));
        const auto ckpt = io::load_checkpoint(result.last_checkpoint);
        QVERIFY(std::find(ckpt.vocab.begin(), ckpt.vocab.end(), "好") != ckpt.vocab.end());
        QVERIFY(ckpt.vocab.size() <= 2 + 13);  // one unit per character
        auto session = train::InferenceSession::open(result.last_checkpoint);
        const auto p = session->predict({"这部电影真的很好", "剧情很烂"});
        QCOMPARE(session->labels()[static_cast<std::size_t>(p[0].label)], std::string("好评"));
        QCOMPARE(session->labels()[static_cast<std::size_t>(p[1].label)], std::string("差评"));
    }

    // Stopped mid-epoch and resumed: the vocabulary is rebuilt identically and weights,
    // optimizer state and losses match a straight run bit for bit.
    void resumeIsExact() {
        auto c = config(words_, 2);
        c.output.checkpoint_every_steps = 5;
        c.output.keep_last_checkpoints = 10;
        Recorder straight;
        train::RunControl control;
        const auto full = train::Trainer(c, straight, control).run();
        QVERIFY2(full.state == train::RunState::Finished, full.error.c_str());

        train::RunControl stop;
        Recorder first_rec;
        first_rec.on_checkpoint_hook = [&](const train::CheckpointInfo& info) {
            if (info.step == 5)
                stop.cancel();
        };
        const auto first = train::Trainer(c, first_rec, stop).run();
        QCOMPARE(int(first.state), int(train::RunState::Cancelled));
        train::TrainerOptions options;
        options.resume_from = train::plan_resume(first.run_dir, "5").checkpoint;
        Recorder resumed_rec;
        train::RunControl control3;
        const auto resumed = train::Trainer(c, resumed_rec, control3, options).run();
        QVERIFY2(resumed.state == train::RunState::Finished, resumed.error.c_str());
        QCOMPARE(resumed_rec.steps.size() + 5, straight.steps.size());
        for (std::size_t i = 0; i < resumed_rec.steps.size(); ++i)
            QVERIFY(resumed_rec.steps[i].loss == straight.steps[i + 5].loss);
        const auto a = io::load_checkpoint(full.last_checkpoint);
        const auto b = io::load_checkpoint(resumed.last_checkpoint);
        QCOMPARE(a.vocab, b.vocab);
        QCOMPARE(a.model.size(), b.model.size());
        for (std::size_t i = 0; i < a.model.size(); ++i)
            QVERIFY2(a.model[i].bytes == b.model[i].bytes, a.model[i].name.c_str());
        for (std::size_t i = 0; i < a.optimizer.size(); ++i)
            QVERIFY2(a.optimizer[i].bytes == b.optimizer[i].bytes, a.optimizer[i].name.c_str());
    }

    // Non-default sizes (model.embedding_dim, lstm_hidden_size, lstm_layers, vocab_min_count,
    // vocab_max_size) shape the checkpoint's tensors, and predict rebuilds the same network
    // from the checkpoint's experiment; FGM adversarial training perturbs its embedding table.
    void customSizesTrainAndReload() {
        auto c = config(words_, 6);
        c.model.embedding_dim = 24;
        c.model.lstm_hidden_size = 16;
        c.model.lstm_layers = 2;
        c.model.vocab_min_count = 2;
        c.model.vocab_max_size = 22;
        c.training.adversarial = "fgm";
        c.training.adversarial_epsilon = 0.5;
        Recorder rec;
        train::RunControl control;
        const auto result = train::Trainer(c, rec, control).run();
        QVERIFY2(result.state == train::RunState::Finished, result.error.c_str());
        QVERIFY2(last_accuracy(rec, "dev") > 0.6 + 0.15,
                 qPrintable(QString("dev accuracy %1").arg(last_accuracy(rec, "dev"))));

        const auto ckpt = io::load_checkpoint(result.last_checkpoint);
        QCOMPARE(ckpt.vocab.size(), std::size_t(22));  // 2 + 22 training units, capped
        std::map<std::string, std::vector<std::int64_t>> shapes;
        std::int64_t total = 0;
        for (const auto& t : ckpt.model) {
            shapes[t.name] = t.shape;
            std::int64_t n = 1;
            for (auto d : t.shape)
                n *= d;
            total += n;
        }
        QCOMPARE(shapes["embedding.weight"], (std::vector<std::int64_t>{22, 24}));
        QCOMPARE(shapes["lstm.weight_ih_l0"], (std::vector<std::int64_t>{64, 24}));
        QCOMPARE(shapes["lstm.weight_ih_l1_reverse"], (std::vector<std::int64_t>{64, 32}));
        QCOMPARE(shapes["classifier.weight"], (std::vector<std::int64_t>{2, 32}));
        // The model library's count for these sizes is the checkpoint's.
        model::BuiltinSizes sizes;
        sizes.vocab_size = 22;
        sizes.embedding_dim = 24;
        sizes.hidden_size = 16;
        sizes.num_layers = 2;
        QCOMPARE(model::builtin_parameter_count("bilstm", sizes), total);

        auto session = train::InferenceSession::open(result.run_dir);
        // Two of the ten cue words lost their ids to the cap: use all five of each side.
        const auto p = session->predict({"the plot was good great lovely excellent fine",
                                         "the actors were bad awful poor terrible boring"});
        QCOMPARE(session->labels()[static_cast<std::size_t>(p[0].label)], std::string("pos"));
        QCOMPARE(session->labels()[static_cast<std::size_t>(p[1].label)], std::string("neg"));

        // FGM took its second pass: the same run without it ends with other weights.
        auto plain = c;
        plain.training.adversarial = "none";
        Recorder plain_rec;
        train::RunControl plain_control;
        const auto without = train::Trainer(plain, plain_rec, plain_control).run();
        QVERIFY2(without.state == train::RunState::Finished, without.error.c_str());
        QCOMPARE(plain_rec.steps.front().loss, rec.steps.front().loss);
        const auto other = io::load_checkpoint(without.last_checkpoint);
        bool differs = false;
        for (std::size_t i = 0; i < other.model.size(); ++i)
            differs = differs || other.model[i].bytes != ckpt.model[i].bytes;
        QVERIFY(differs);
    }

    void configErrors() {
        const auto parse = [](const std::string& model) {
            return io::parse_experiment(
                "dataset:\n  path: d.csv\nmodel:\n" + model + "training:\n  epochs: 1\n", "x.yaml");
        };
        QCOMPARE(parse("  architecture: bilstm_char\n  pooling: attention\n").model.pooling,
                 std::string("attention"));
        QVERIFY_EXCEPTION_THROWN(parse("  architecture: gru\n"), tb::Error);
        QVERIFY_EXCEPTION_THROWN(parse("  architecture: bilstm\n  path: m\n"), tb::Error);
        QVERIFY_EXCEPTION_THROWN(parse("  architecture: bilstm\n  pooling: pooler\n"), tb::Error);
        QVERIFY_EXCEPTION_THROWN(parse("  path: m\n  pooling: attention\n"), tb::Error);
    }
};

QTEST_MAIN(TstTrainerBiLstm)
#include "tst_trainer_bilstm.moc"
