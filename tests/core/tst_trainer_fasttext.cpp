// The imported fastText language-ID model (tests/fixtures/fasttext/lid.176.ftz) fine-tuned
// through the Trainer with a new linear head: a small language-identification dataset with
// three of its languages trains above the majority baseline; model.freeze_backbone keeps the
// imported table bit-identical to the dequantized file while a trainable run changes it;
// eval/predict rebuild the features from the model file named in the checkpoint's experiment.
#include <torch/torch.h>

#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <fstream>
#include <random>

#include "common/error.h"
#include "io/checkpoint.h"
#include "io/experiment_config.h"
#include "model/fasttext_backbone.h"
#include "model/fasttext_format.h"
#include "train/inference_session.h"
#include "train/trainer.h"

using namespace tb;

namespace {

const std::string kModel = TB_FIXTURES_DIR "/fasttext/lid.176.ftz";

struct Recorder : train::TrainingObserver {
    std::vector<train::StepMetrics> steps;
    std::vector<train::EvalReport> evals;
    void on_step(const train::StepMetrics& m) override { steps.push_back(m); }
    void on_eval(const train::EvalReport& e) override { evals.push_back(e); }
};

double last_accuracy(const Recorder& rec, const std::string& split) {
    for (auto it = rec.evals.rbegin(); it != rec.evals.rend(); ++it)
        if (it->split == split)
            return it->report.accuracy;
    return -1.0;
}

// Short sentences in English (50 %), French (30 %) and German (20 %); majority baseline 0.5.
void write_language_data(const std::string& path, int n) {
    const std::vector<std::vector<std::string>> words{
        {"the", "house", "is", "very", "big", "and", "my", "friend", "likes", "water", "today"},
        {"la", "maison", "est", "très", "grande", "et", "mon", "ami", "aime", "l'eau",
         "aujourd'hui"},
        {"das", "Haus", "ist", "sehr", "groß", "und", "mein", "Freund", "mag", "Wasser", "heute"}};
    const std::vector<std::string> names{"english", "french", "german"};
    std::mt19937 rng(17);
    std::ofstream out(path);
    out << "text\tlabel\n";
    for (int i = 0; i < n; ++i) {
        const int k = i % 10 < 5 ? 0 : (i % 10 < 8 ? 1 : 2);
        std::string text;
        const int len = 3 + static_cast<int>(rng() % 4);
        for (int w = 0; w < len; ++w)
            text += (w ? " " : "") + words[k][rng() % words[k].size()];
        out << text << "\t" << names[k] << "\n";
    }
}

const TensorBlob* find(const io::Checkpoint& c, const std::string& name) {
    for (const auto& t : c.model)
        if (t.name == name)
            return &t;
    return nullptr;
}

}  // namespace

class TstTrainerFastText : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    std::string data_;

    io::ExperimentConfig config(bool freeze) {
        io::ExperimentConfig c;
        c.name = "fasttext";
        c.dataset.path = data_;
        c.dataset.train_fraction = 0.6;
        c.dataset.dev_fraction = 0.2;
        c.dataset.test_fraction = 0.2;
        c.model.path = kModel;
        c.model.freeze_backbone = freeze;
        c.model.max_length = 256;
        c.training.epochs = 4;
        c.training.batch_size = 8;
        c.training.learning_rate = 5e-2;
        c.training.warmup_ratio = 0.0;
        c.training.weight_decay = 0.0;
        c.training.seed = 5;
        c.training.device = "cpu";
        c.output.runs_dir = tmp_.path().toStdString() + "/runs";
        return c;
    }

private slots:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        data_ = tmp_.path().toStdString() + "/languages.tsv";
        write_language_data(data_, 100);
    }

    void frozenTableStaysBitIdentical() {
        Recorder rec;
        train::RunControl control;
        const auto result = train::Trainer(config(true), rec, control).run();
        QVERIFY2(result.state == train::RunState::Finished, result.error.c_str());
        const double dev = last_accuracy(rec, "dev");
        QVERIFY2(dev > 0.5 + 0.2, qPrintable(QString("dev accuracy %1").arg(dev)));

        const auto ckpt = io::load_checkpoint(result.last_checkpoint);
        const auto* table = find(ckpt, "embedding.weight");
        QVERIFY(table);
        const auto model = model::fasttext::read_model(kModel);
        const auto expected = model::fasttext::dequantized_input(model).contiguous();
        QCOMPARE(table->shape, expected.sizes().vec());
        QCOMPARE(table->bytes.size(), static_cast<std::size_t>(expected.numel() * 4));
        QVERIFY(std::memcmp(table->bytes.data(), expected.data_ptr<float>(), table->bytes.size()) ==
                0);
        QVERIFY(find(ckpt, "classifier.weight"));

        auto session = train::InferenceSession::open(result.run_dir);
        const auto p = session->predict({"mon ami aime la maison", "das Wasser ist heute groß"});
        QCOMPARE(session->labels()[static_cast<std::size_t>(p[0].label)], std::string("french"));
        QCOMPARE(session->labels()[static_cast<std::size_t>(p[1].label)], std::string("german"));
        const auto scored = session->evaluate_file(data_);
        QVERIFY2(scored.report.accuracy > 0.7,
                 qPrintable(QString("file accuracy %1").arg(scored.report.accuracy)));
    }

    void trainableTableLearns() {
        Recorder rec;
        train::RunControl control;
        const auto result = train::Trainer(config(false), rec, control).run();
        QVERIFY2(result.state == train::RunState::Finished, result.error.c_str());
        const double dev = last_accuracy(rec, "dev");
        QVERIFY2(dev > 0.5 + 0.2, qPrintable(QString("dev accuracy %1").arg(dev)));
        const auto ckpt = io::load_checkpoint(result.last_checkpoint);
        const auto* table = find(ckpt, "embedding.weight");
        QVERIFY(table);
        const auto expected =
            model::fasttext::dequantized_input(model::fasttext::read_model(kModel)).contiguous();
        QVERIFY(std::memcmp(table->bytes.data(), expected.data_ptr<float>(), table->bytes.size()) !=
                0);
    }

    // FGM perturbs the fastText table; a frozen table is refused naming both keys.
    void fgmOnTheTable() {
        auto frozen = config(true);
        frozen.training.adversarial = "fgm";
        frozen.training.epochs = 1;
        Recorder rec;
        train::RunControl control;
        const auto refused = train::Trainer(frozen, rec, control).run();
        QCOMPARE(int(refused.state), int(train::RunState::Failed));
        QVERIFY2(refused.error.find("model.freeze_backbone") != std::string::npos &&
                     refused.error.find("training.adversarial") != std::string::npos,
                 refused.error.c_str());
        auto trainable = config(false);
        trainable.training.adversarial = "fgm";
        trainable.training.adversarial_epsilon = 0.5;
        trainable.training.max_steps = 3;
        Recorder rec2;
        train::RunControl control2;
        const auto result = train::Trainer(trainable, rec2, control2).run();
        QVERIFY2(result.state == train::RunState::Finished, result.error.c_str());
    }

    void freezeBackboneNeedsAFastTextFile() {
        const auto parse = [](const std::string& path) {
            return io::parse_experiment(
                "dataset:\n  path: d.csv\nmodel:\n  path: " + path + "\n  freeze_backbone: true\n",
                "x.yaml");
        };
        QVERIFY(parse("lid.176.ftz").model.freeze_backbone);
        QVERIFY_EXCEPTION_THROWN(parse("bert-folder"), tb::Error);
    }
};

QTEST_MAIN(TstTrainerFastText)
#include "tst_trainer_fasttext.moc"
