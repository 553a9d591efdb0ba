// Streamed text classification (dataset.stream_threshold_mb) against the in-memory path: the
// same labels, split indices, problems, data hash, truncation count and collated batches for
// CSV, TSV, JSON Lines, label_text, sentence pairs and user dev/test files (read in chunks of a
// few rows, so labels and keys first seen in later chunks are exercised); bit-identical losses,
// evaluations and final weights for a short CPU run; the same error for problem rows when
// skipping is off; and the in-memory fallback (with its log line) for the scratch BiLSTM,
// multi-label data and UTF-16 files.
#include <torch/torch.h>

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "data/table.h"
#include "io/checkpoint.h"
#include "test_support.h"
#include "train/batching.h"
#include "train/prepared_data.h"
#include "train/run_tokenizer.h"
#include "train/scratch_text_model.h"
#include "train/streamed_text_data.h"
#include "train/text_row_source.h"
#include "train/trainer.h"

namespace fs = std::filesystem;
using namespace tb;

namespace {

struct Row {
    std::string text, pair, label;
};

// The tiny sentiment fixture plus rows that stress the readers and the checks: quotes, a line
// break inside a quoted field, an empty text, an empty pair text, a missing label, a label first
// seen late in the file (so first-seen and sorted orders differ across chunks) and a text longer
// than max_length.
std::vector<Row> make_rows() {
    const auto table = data::read_table(tb::testing::fixture("e2e/tiny_sentiment.csv"));
    std::vector<Row> rows;
    for (std::size_t i = 0; i < table.rows.size(); ++i)
        rows.push_back(
            {table.rows[i][0], table.rows[(i * 7 + 3) % table.rows.size()][0], table.rows[i][1]});
    rows.insert(rows.begin() + 5,
                {"The \"quoted\" movie, with a comma", "a great plot", "positive"});
    rows.insert(rows.begin() + 9, {"A film\nover two lines was sad", "boring", "negative"});
    rows.insert(rows.begin() + 14, {"", "film", "negative"});
    rows.insert(rows.begin() + 20, {"The plot was fine", "", "positive"});
    rows.insert(rows.begin() + 31, {"No label on this film", "movie", ""});
    std::string long_text;
    for (int i = 0; i < 40; ++i)
        long_text += "great film superb plot ";
    rows.insert(rows.begin() + 40, {long_text, "fine", "positive"});
    for (int i = 0; i < 9; ++i)
        rows.push_back(
            {"An okay film number " + std::to_string(i) + " was fine", "the plot", "mixed"});
    return rows;
}

std::string csv_quote(const std::string& s) {
    std::string out = "\"";
    for (char c : s)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

void write_file(const std::string& path, const std::string& format, const std::vector<Row>& rows) {
    std::ofstream out(path, std::ios::binary);
    if (format == "csv") {
        out << "text,text2,label\n";
        for (const auto& r : rows)
            out << csv_quote(r.text) << "," << csv_quote(r.pair) << "," << r.label << "\n";
    } else if (format == "tsv") {
        out << "text\ttext2\tlabel\n";
        for (const auto& r : rows)
            if (r.text.find('\n') == std::string::npos && r.text.find('"') == std::string::npos)
                out << r.text << "\t" << r.pair << "\t" << r.label << "\n";
    } else if (format == "label_text") {
        for (const auto& r : rows)
            if (r.text.find('\n') == std::string::npos && !r.label.empty())
                out << r.label << "\t" << r.text << "\n";
    } else {  // jsonl: key order varies, and the missing label is a missing key
        for (std::size_t i = 0; i < rows.size(); ++i) {
            nlohmann::ordered_json j;
            if (i % 3 == 1)
                j["label"] = rows[i].label;
            j["text"] = rows[i].text;
            j["text2"] = rows[i].pair;
            if (i % 3 != 1 && !rows[i].label.empty())
                j["label"] = rows[i].label;
            if (i % 5 == 2)
                j["id"] = i;
            out << j.dump() << "\n";
        }
    }
}

void compare_batches(const train::EncodedSplit& a, const train::EncodedSplit& b, std::int64_t pad) {
    QCOMPARE(a.size(), b.size());
    QCOMPARE(a.labels, b.labels);
    for (std::size_t i = 0; i < a.size(); ++i)
        QCOMPARE(a.token_count(i), b.token_count(i));
    // Batches of 5 in a scrambled order, so rows are read out of file order.
    std::vector<std::size_t> order(a.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = (i * 7) % order.size();
    if (std::gcd(order.size(), std::size_t{7}) != 1)
        std::iota(order.begin(), order.end(), std::size_t{0});
    const std::size_t bs = 5;
    for (std::size_t start = 0; start < order.size(); start += bs) {
        const std::vector<std::size_t> batch(order.begin() + start,
                                             order.begin() + std::min(order.size(), start + bs));
        const auto x = train::collate(a, batch, pad, torch::kCPU);
        const auto y = train::collate(b, batch, pad, torch::kCPU);
        QVERIFY(torch::equal(x.input_ids, y.input_ids));
        QVERIFY(torch::equal(x.attention_mask, y.attention_mask));
        QVERIFY(torch::equal(x.token_type_ids, y.token_type_ids));
        QVERIFY(torch::equal(x.labels, y.labels));
    }
}

void compare_problems(const std::vector<data::DataProblem>& a,
                      const std::vector<data::DataProblem>& b) {
    QCOMPARE(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        QCOMPARE(QString::fromStdString(b[i].kind), QString::fromStdString(a[i].kind));
        QCOMPARE(b[i].file, a[i].file);
        QCOMPARE(b[i].line, a[i].line);
        QCOMPARE(b[i].column, a[i].column);
        QCOMPARE(QString::fromStdString(b[i].message), QString::fromStdString(a[i].message));
    }
}

const train::LogFn quiet = [](const std::string&) {};

struct Recorder : train::TrainingObserver {
    std::vector<train::StepMetrics> steps;
    std::vector<train::EvalReport> evals;
    std::vector<std::string> logs;
    void on_step(const train::StepMetrics& m) override { steps.push_back(m); }
    void on_eval(const train::EvalReport& e) override { evals.push_back(e); }
    void on_log(const std::string& line) override { logs.push_back(line); }
};

bool logged(const std::vector<std::string>& logs, const std::string& part) {
    for (const auto& l : logs)
        if (l.find(part) != std::string::npos)
            return true;
    return false;
}

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

class TstStreamedTraining : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    std::string dir_, model_dir_;
    std::unique_ptr<text::Tokenizer> tokenizer_;

    io::ExperimentConfig config(const std::string& format) const {
        io::ExperimentConfig c;
        c.name = "stream";
        c.dataset.path = dir_ + "/data." + format;
        c.dataset.format = format;
        c.dataset.stream_threshold_mb = 1024;  // in memory unless a test sets 0
        c.model.path = model_dir_;
        c.model.max_length = 24;
        c.training.batch_size = 8;
        c.training.eval_batch_size = 16;
        c.training.learning_rate = 1e-2;
        c.training.seed = 5;
        c.training.device = "cpu";
        c.output.runs_dir = dir_ + "/runs";
        return c;
    }

    // In memory vs streamed through prepare_data (threshold 0) and with 3-row chunks.
    void compare_prepared(const io::ExperimentConfig& c) {
        const auto memory = train::prepare_data(c, *tokenizer_, quiet);
        QVERIFY(!memory.train.input_ids.empty());
        auto s = c;
        s.dataset.stream_threshold_mb = 0;
        std::vector<std::string> logs;
        const auto streamed =
            train::prepare_data(s, *tokenizer_, [&](const std::string& l) { logs.push_back(l); });
        QVERIFY(logged(logs, "streaming the training file: "));
        const auto chunked = train::prepare_streamed_text_data(s, *tokenizer_, quiet, 3);
        for (const auto* other : {&streamed, &chunked}) {
            QVERIFY(other->train.text_rows != nullptr);
            QVERIFY(other->train.input_ids.empty());
            QCOMPARE(other->labels.names(), memory.labels.names());
            QCOMPARE(other->split.train, memory.split.train);
            QCOMPARE(other->split.dev, memory.split.dev);
            QCOMPARE(other->split.test, memory.split.test);
            QCOMPARE(other->data_hash, memory.data_hash);
            QCOMPARE(other->truncated, memory.truncated);
            compare_problems(memory.problems, other->problems);
            const auto pad = tokenizer_->pad_id();
            compare_batches(memory.train, other->train, pad);
            compare_batches(memory.dev, other->dev, pad);
            compare_batches(memory.test, other->test, pad);
        }
    }

private slots:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        dir_ = tmp_.path().toStdString();
        const auto rows = make_rows();
        for (const std::string format : {"csv", "tsv", "jsonl", "label_text"})
            write_file(dir_ + "/data." + format, format, rows);
        std::vector<Row> dev(rows.begin() + 60, rows.begin() + 80);
        dev.push_back({"A film with an unseen label", "plot", "unheard"});
        write_file(dir_ + "/dev.csv", "csv", dev);
        write_file(dir_ + "/test.csv", "csv", std::vector<Row>(rows.begin(), rows.begin() + 30));
        model_dir_ = dir_ + "/model";
        tb::testing::make_tiny_model(model_dir_, dir_ + "/data.csv");
        tokenizer_ = train::load_run_tokenizer(config("csv"), model_dir_);
    }

    void sameDataAsInMemory_data() {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("order");
        QTest::addColumn<bool>("pairs");
        QTest::addColumn<bool>("files");
        QTest::newRow("csv first_seen") << "csv"
                                        << "first_seen" << false << false;
        QTest::newRow("csv sorted") << "csv"
                                    << "sorted" << false << false;
        QTest::newRow("csv pairs") << "csv"
                                   << "sorted" << true << false;
        QTest::newRow("csv dev/test files") << "csv"
                                            << "first_seen" << false << true;
        QTest::newRow("csv pairs, files") << "csv"
                                          << "sorted" << true << true;
        QTest::newRow("tsv") << "tsv"
                             << "sorted" << true << false;
        QTest::newRow("jsonl") << "jsonl"
                               << "first_seen" << true << false;
        QTest::newRow("label_text") << "label_text"
                                    << "sorted" << false << false;
    }
    void sameDataAsInMemory() {
        QFETCH(QString, format);
        QFETCH(QString, order);
        QFETCH(bool, pairs);
        QFETCH(bool, files);
        auto c = config(format.toStdString());
        c.dataset.label_order = order.toStdString();
        if (pairs)
            c.dataset.text_pair_column = "text2";
        if (files) {
            c.dataset.dev_path = dir_ + "/dev.csv";
            c.dataset.test_path = dir_ + "/test.csv";
        }
        compare_prepared(c);
    }

    void problemRowsStopTheSameWay() {
        auto c = config("csv");
        c.dataset.skip_invalid_rows = false;
        auto s = c;
        s.dataset.stream_threshold_mb = 0;
        std::string memory_error, streamed_error;
        long memory_line = 0, streamed_line = 0;
        try {
            train::prepare_data(c, *tokenizer_, quiet);
        } catch (const Error& e) {
            memory_error = e.what();
            memory_line = e.where().line;
        }
        try {
            train::prepare_data(s, *tokenizer_, quiet);
        } catch (const Error& e) {
            streamed_error = e.what();
            streamed_line = e.where().line;
        }
        QVERIFY(!memory_error.empty());
        QCOMPARE(QString::fromStdString(streamed_error), QString::fromStdString(memory_error));
        QCOMPARE(streamed_line, memory_line);
        QVERIFY(memory_line > 0);
    }

    void trainsBitIdentically() {
        auto c = config("csv");
        c.dataset.text_pair_column = "text2";
        c.training.max_steps = 8;
        c.training.eval_every_steps = 4;
        c.training.group_by_length = true;
        c.output.keep_last_checkpoints = 1;
        auto s = c;
        s.dataset.stream_threshold_mb = 0;
        Recorder memory_rec, streamed_rec;
        train::RunControl control_a, control_b;
        const auto memory = train::Trainer(c, memory_rec, control_a).run();
        const auto streamed = train::Trainer(s, streamed_rec, control_b).run();
        QVERIFY2(memory.state == train::RunState::Finished, memory.error.c_str());
        QVERIFY2(streamed.state == train::RunState::Finished, streamed.error.c_str());
        QVERIFY(logged(streamed_rec.logs, "streaming the training file: "));
        QVERIFY(!logged(memory_rec.logs, "streaming the training file: "));

        QCOMPARE(streamed_rec.steps.size(), std::size_t(8));
        QCOMPARE(streamed_rec.steps.size(), memory_rec.steps.size());
        for (std::size_t i = 0; i < memory_rec.steps.size(); ++i) {
            const auto& a = memory_rec.steps[i];
            const auto& b = streamed_rec.steps[i];
            QVERIFY2(a.loss == b.loss, qPrintable(QString("step %1: %2 vs %3")
                                                      .arg(a.step)
                                                      .arg(a.loss, 0, 'g', 17)
                                                      .arg(b.loss, 0, 'g', 17)));
            QVERIFY(a.grad_norm == b.grad_norm);
        }
        QCOMPARE(streamed_rec.evals.size(), memory_rec.evals.size());
        QVERIFY(memory_rec.evals.size() >= 2);
        for (std::size_t i = 0; i < memory_rec.evals.size(); ++i) {
            QVERIFY2(memory_rec.evals[i].loss == streamed_rec.evals[i].loss,
                     qPrintable(QString("%1 at step %2: %3 vs %4")
                                    .arg(QString::fromStdString(memory_rec.evals[i].split))
                                    .arg(memory_rec.evals[i].step)
                                    .arg(memory_rec.evals[i].loss, 0, 'g', 17)
                                    .arg(streamed_rec.evals[i].loss, 0, 'g', 17)));
            QCOMPARE(memory_rec.evals[i].scores, streamed_rec.evals[i].scores);
        }
        const auto a = io::load_checkpoint(memory.last_checkpoint);
        const auto b = io::load_checkpoint(streamed.last_checkpoint);
        QCOMPARE(a.model.size(), b.model.size());
        for (std::size_t i = 0; i < a.model.size(); ++i) {
            QCOMPARE(a.model[i].name, b.model[i].name);
            QVERIFY2(a.model[i].bytes == b.model[i].bytes, a.model[i].name.c_str());
        }
        QCOMPARE(a.metrics, b.metrics);
        QCOMPARE(a.trainer.data_hash, b.trainer.data_hash);
        const std::string split = read_text(streamed.run_dir + "/split.json");
        QCOMPARE(split, read_text(memory.run_dir + "/split.json"));
        QCOMPARE(split, nlohmann::json::parse(split).dump() + "\n");  // as a JSON library writes it
        QCOMPARE(read_text(streamed.run_dir + "/metrics.csv"),
                 read_text(memory.run_dir + "/metrics.csv"));
    }

    // Tasks and models the streaming path does not cover read the file into memory and say so.
    void otherTasksReadIntoMemory() {
        auto c = config("csv");
        c.dataset.stream_threshold_mb = 0;
        c.model.path.clear();
        c.model.architecture = "bilstm";
        std::vector<std::string> logs;
        const auto scratch =
            train::prepare_scratch_text_data(c, [&](const std::string& l) { logs.push_back(l); });
        QVERIFY(scratch.data.train.text_rows == nullptr);
        QVERIFY(!scratch.data.train.input_ids.empty());
        QVERIFY(logged(logs, "is read into memory"));
        QVERIFY(!logged(logs, "streaming the training file"));

        // A UTF-16 dev file (converted in memory by the readers): nothing is streamed.
        {
            const std::string utf8 = read_text(dir_ + "/dev.csv");
            std::string utf16 = "\xFF\xFE";
            for (char ch : utf8) {
                QVERIFY(static_cast<unsigned char>(ch) < 0x80);  // ASCII: one UTF-16 unit each
                utf16 += ch;
                utf16 += '\0';
            }
            std::ofstream(dir_ + "/dev16.csv", std::ios::binary) << utf16;
            auto u = config("csv");
            u.dataset.stream_threshold_mb = 0;
            u.dataset.dev_path = dir_ + "/dev16.csv";
            logs.clear();
            const auto converted = train::prepare_data(
                u, *tokenizer_, [&](const std::string& l) { logs.push_back(l); });
            QVERIFY(converted.train.text_rows == nullptr);
            QVERIFY(converted.dev.size() > 0);
            QVERIFY(logged(logs, "UTF-16"));
        }

        auto m = config("csv");
        m.dataset.stream_threshold_mb = 0;
        m.dataset.task = "multi_label";
        m.dataset.label_separator = "|";
        logs.clear();
        const auto multi =
            train::prepare_data(m, *tokenizer_, [&](const std::string& l) { logs.push_back(l); });
        QVERIFY(multi.train.text_rows == nullptr);
        QVERIFY(logged(logs, "streaming covers text_classification, not multi_label"));
    }
};

QTEST_MAIN(TstStreamedTraining)
#include "tst_streamed_training.moc"
