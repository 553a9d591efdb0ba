// Text-classification training applies dataset.split_column (train/dev/test per row, unknown
// values skipped as problems or fatal) and dataset.deidentify (e-mails, phones... masked in the
// texts the model sees), as the Data page shows them; both keep a large file off the streamed
// path, which applies neither.
#include <torch/torch.h>

#include <QtTest>

#include <fstream>
#include <string>
#include <vector>

#include "common/error.h"
#include "io/experiment_config.h"
#include "test_support.h"
#include "train/prepared_data.h"
#include "train/run_tokenizer.h"

using namespace tb;

class TstPreparedSplitColumn : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    std::string dir_, model_dir_;
    std::unique_ptr<text::Tokenizer> tokenizer_;

    io::ExperimentConfig config() const {
        io::ExperimentConfig c;
        c.name = "split-column";
        c.dataset.path = dir_ + "/data.csv";
        c.dataset.split_column = "part";
        c.model.path = model_dir_;
        c.model.max_length = 32;
        c.training.device = "cpu";
        c.output.runs_dir = dir_ + "/runs";
        return c;
    }

private slots:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        dir_ = tmp_.path().toStdString();
        std::ofstream out(dir_ + "/data.csv");
        out << "text,label,part\n";
        // Rows 0..11: part cycles train, train, dev, test; row 12 holds an unknown value.
        const char* parts[] = {"train", "TRAIN", "validation", "test"};
        for (int i = 0; i < 12; ++i)
            out << "great film number " << i << " mail me at a" << i << "@b.com,"
                << (i % 2 ? "pos" : "neg") << "," << parts[i % 4] << "\n";
        out << "row with a bad split,pos,holdout\n";
        out.close();
        model_dir_ = dir_ + "/model";
        tb::testing::make_tiny_model(model_dir_, dir_ + "/data.csv");
        tokenizer_ = train::load_run_tokenizer(config(), model_dir_);
    }

    void splitColumnDecidesTheSplit() {
        std::vector<std::string> logs;
        const auto data = train::prepare_data(config(), *tokenizer_,
                                              [&](const std::string& l) { logs.push_back(l); });
        QCOMPARE(data.split.train, (std::vector<std::size_t>{0, 1, 4, 5, 8, 9}));
        QCOMPARE(data.split.dev, (std::vector<std::size_t>{2, 6, 10}));
        QCOMPARE(data.split.test, (std::vector<std::size_t>{3, 7, 11}));
        QCOMPARE(data.train.size(), std::size_t{6});
        QCOMPARE(data.dev.size(), std::size_t{3});
        QCOMPARE(data.test.size(), std::size_t{3});
        QCOMPARE(data.dev.lines, (std::vector<long>{4, 8, 12}));
        QCOMPARE(data.problems.size(), std::size_t{1});
        QCOMPARE(data.problems[0].kind, std::string("unknown_split"));
        QCOMPARE(data.problems[0].line, 14L);

        // Skipping off: the unknown value stops the run at its line.
        auto strict = config();
        strict.dataset.skip_invalid_rows = false;
        try {
            train::prepare_data(strict, *tokenizer_, {});
            QFAIL("an unknown split value did not stop the run");
        } catch (const Error& e) {
            QCOMPARE(e.where().line, 14L);
        }

        // Over the streaming threshold: still the column's split (read into memory, logged).
        auto large = config();
        large.dataset.stream_threshold_mb = 0;
        logs.clear();
        const auto kept = train::prepare_data(large, *tokenizer_,
                                              [&](const std::string& l) { logs.push_back(l); });
        QVERIFY(!kept.train.input_ids.empty());
        QCOMPARE(kept.split.dev, data.split.dev);
        bool said = false;
        for (const auto& l : logs)
            said = said || l.find("applied in memory") != std::string::npos;
        QVERIFY(said);
    }

    // Multi-label and regression tables: the same column rules and de-identification.
    void otherTableTasksToo() {
        std::ofstream ml(dir_ + "/multi.csv");
        ml << "text,tags,part,score\n";
        const char* parts[] = {"train", "dev", "test", "train"};
        for (int i = 0; i < 8; ++i)
            ml << "film " << i << " see www.example.com/" << i << "," << (i % 2 ? "a|b" : "b")
               << "," << parts[i % 4] << "," << i * 0.5 << "\n";
        ml << "odd one,a,somewhere,1.0\n";
        ml.close();
        for (const std::string task : {"multi_label", "regression"}) {
            auto c = config();
            c.dataset.path = dir_ + "/multi.csv";
            c.dataset.task = task;
            c.dataset.label_column = task == "multi_label" ? "tags" : "score";
            c.dataset.label_separator = "|";
            c.model.head = task == "multi_label" ? "multi_label" : "regression";
            train::PreparedData data;
            try {
                data = train::prepare_data(c, *tokenizer_, [](const std::string&) {});
            } catch (const std::exception& e) {
                QFAIL((task + ": " + e.what()).c_str());
            }
            QCOMPARE(data.split.train, (std::vector<std::size_t>{0, 3, 4, 7}));
            QCOMPARE(data.split.dev, (std::vector<std::size_t>{1, 5}));
            QCOMPARE(data.split.test, (std::vector<std::size_t>{2, 6}));
            QCOMPARE(data.problems.size(), std::size_t{1});
            QCOMPARE(data.problems[0].kind, std::string("unknown_split"));
            QCOMPARE(data.problems[0].line, 10L);
            auto masked = c;
            masked.dataset.deidentify = true;
            QVERIFY(train::prepare_data(masked, *tokenizer_, [](const std::string&) {}).data_hash !=
                    data.data_hash);
        }
    }

    void deidentifyMasksTheTrainingText() {
        auto plain = config();
        plain.dataset.split_column.clear();
        auto masked = plain;
        masked.dataset.deidentify = true;
        const auto a = train::prepare_data(plain, *tokenizer_, {});
        const auto b = train::prepare_data(masked, *tokenizer_, {});
        // Same examples and split, other token ids: the addresses became [EMAIL].
        QCOMPARE(a.split.train, b.split.train);
        QCOMPARE(a.train.size(), b.train.size());
        QVERIFY(a.data_hash != b.data_hash);
        const auto plain_ids = tokenizer_->encode("mail me at a0@b.com").input_ids;
        const auto masked_ids = tokenizer_->encode("mail me at [EMAIL]").input_ids;
        QVERIFY(plain_ids != masked_ids);
        std::size_t differing = 0;
        for (std::size_t i = 0; i < a.train.size(); ++i)
            differing += a.train.input_ids[i] != b.train.input_ids[i] ? 1 : 0;
        QCOMPARE(differing, a.train.size());
    }
};

QTEST_APPLESS_MAIN(TstPreparedSplitColumn)
#include "tst_prepared_split_column.moc"
