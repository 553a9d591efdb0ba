// Sentence-pair regression (dataset.task regression with dataset.text_pair_column, STS-B style):
// the trainer encodes each row as the pair template [CLS] a [SEP] b [SEP] with token type 0 for
// the first segment and 1 for the second, in the training and the dev file alike, trains, and a
// checkpoint predicts "first<TAB>second" inputs exactly as it scores the pair file.
#include <torch/torch.h>

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>

#include "common/error.h"
#include "test_support.h"
#include "train/inference_session.h"
#include "train/prepared_data.h"
#include "train/run_tokenizer.h"
#include "train/trainer.h"

using namespace tb;

namespace {

struct Quiet : train::TrainingObserver {};

struct PairRow {
    std::string a, b;
    double score;
};

// score = 1 + #good(a) + #good(b) - #bad(b): the second text matters.
std::vector<PairRow> pair_rows(int n) {
    const std::vector<std::string> words = {"good", "bad", "film", "plot", "the"};
    std::vector<PairRow> rows;
    for (int i = 0; i < n; ++i) {
        PairRow r{words[std::size_t(i) % 5] + " film", words[std::size_t(i / 5) % 5] + " plot",
                  1.0};
        r.score +=
            (i % 5 == 0 ? 1.0 : 0.0) + (i / 5 % 5 == 0 ? 1.0 : 0.0) - (i / 5 % 5 == 1 ? 1.0 : 0.0);
        rows.push_back(r);
    }
    return rows;
}

void write_pairs(const std::string& path, const std::vector<PairRow>& rows) {
    std::ofstream out(path);
    out << "sentence1,sentence2,score\n";
    for (const auto& r : rows)
        out << r.a << "," << r.b << "," << r.score << "\n";
}

}  // namespace

class TstTrainerPairRegression : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    std::string model_, train_, dev_;

    io::ExperimentConfig config() const {
        io::ExperimentConfig c;
        c.name = "pairs";
        c.dataset.path = train_;
        c.dataset.dev_path = dev_;
        c.dataset.task = "regression";
        c.dataset.text_column = "sentence1";
        c.dataset.text_pair_column = "sentence2";
        c.dataset.label_column = "score";
        c.model.path = model_;
        c.model.max_length = 16;
        c.training.epochs = 1;
        c.training.batch_size = 8;
        c.training.learning_rate = 5e-3;
        c.training.seed = 3;
        c.training.device = "cpu";
        c.output.runs_dir = tmp_.path().toStdString() + "/runs";
        c.output.checkpoint_each_epoch = false;
        return c;
    }

private slots:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        const std::string root = tmp_.path().toStdString();
        const std::string vocab = root + "/vocab.csv";
        {
            std::ofstream out(vocab);
            out << "text,label\ngood bad film plot the,x\n";
        }
        model_ = root + "/model";
        tb::testing::make_tiny_model(model_, vocab, /*hidden=*/32, /*layers=*/1,
                                     /*max_positions=*/32);
        const auto rows = pair_rows(40);
        train_ = root + "/train.csv";
        dev_ = root + "/dev.csv";
        write_pairs(train_, std::vector<PairRow>(rows.begin(), rows.begin() + 30));
        write_pairs(dev_, std::vector<PairRow>(rows.begin() + 30, rows.end()));
    }

    void pairTemplateAndTokenTypes() {
        const auto c = config();
        const auto tokenizer = train::load_run_tokenizer(c, model_);
        const auto data = train::prepare_data(c, *tokenizer, [](const std::string&) {});
        QCOMPARE(data.train.input_ids.size(), std::size_t(30));
        QCOMPARE(data.dev.input_ids.size(), std::size_t(10));
        const auto id = [&](const char* token) { return tokenizer->token_to_id(token); };
        for (const char* w : {"good", "bad", "film", "plot", "the"})
            QVERIFY2(id(w) >= 0, w);
        // Row 0 of the training file: "good film" / "good plot", score 3.
        const std::vector<std::int64_t> ids = {tokenizer->cls_id(), id("good"), id("film"),
                                               tokenizer->sep_id(), id("good"), id("plot"),
                                               tokenizer->sep_id()};
        QCOMPARE(data.train.input_ids[0], ids);
        QCOMPARE(data.train.token_type_ids.size(), std::size_t(30));
        QCOMPARE(data.train.token_type_ids[0], (std::vector<std::int64_t>{0, 0, 0, 0, 1, 1, 1}));
        QCOMPARE(data.train.values[0], 3.0);
        // Every row equals the tokenizer's own pair encoding, in the dev file too.
        const auto rows = pair_rows(40);
        for (std::size_t i = 0; i < 40; ++i) {
            const auto& split = i < 30 ? data.train : data.dev;
            const std::size_t j = i < 30 ? i : i - 30;
            const auto want = tokenizer->encode_pair(rows[i].a, rows[i].b);
            QCOMPARE(split.input_ids[j], want.input_ids);
            QCOMPARE(split.token_type_ids[j], want.token_type_ids);
            QCOMPARE(split.values[j], rows[i].score);
            QCOMPARE(split.lines[j], long(j + 2));
        }
    }

    void trainsAndPredictsPairs() {
        auto c = config();
        Quiet quiet;
        train::RunControl control;
        const auto result = train::Trainer(c, quiet, control).run();
        QVERIFY2(result.state == train::RunState::Finished, result.error.c_str());
        const auto session = train::InferenceSession::open(result.last_checkpoint);
        QCOMPARE(QString::fromStdString(session->task()), QString("regression"));
        // The dev file scored by the checkpoint equals predict() on "first<TAB>second" inputs.
        const auto file = session->evaluate_file(dev_);
        const auto rows = pair_rows(40);
        std::vector<std::string> inputs;
        for (std::size_t i = 30; i < 40; ++i)
            inputs.push_back(rows[i].a + "\t" + rows[i].b);
        const auto predictions = session->predict(inputs);
        double mse = 0.0;
        for (std::size_t i = 0; i < inputs.size(); ++i)
            mse += std::pow(predictions[i].value - rows[30 + i].score, 2);
        mse /= double(inputs.size());
        QVERIFY2(std::abs(mse - file.scores.at("mse")) < 1e-6 * std::max(1.0, mse),
                 qPrintable(QString("%1 vs %2").arg(mse).arg(file.scores.at("mse"))));
        // The second text changes the prediction (it is not dropped): pairing each first text
        // with another row's second text moves at least one prediction (a model this small,
        // trained this briefly, predicts values close to the mean, so one pair may not).
        std::vector<std::string> swapped;
        for (std::size_t i = 30; i < 40; ++i)
            swapped.push_back(rows[i].a + "\t" + rows[i == 39 ? 30 : i + 1].b);
        const auto moved = session->predict(swapped);
        bool changed = false;
        for (std::size_t i = 0; i < moved.size(); ++i)
            changed = changed || moved[i].value != predictions[i].value;
        QVERIFY(changed);
    }
};

QTEST_MAIN(TstTrainerPairRegression)
#include "tst_trainer_pair_regression.moc"
