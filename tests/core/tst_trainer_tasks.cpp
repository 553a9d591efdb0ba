// The Trainer on every text task: sentence pairs, multi-label (sigmoid + BCE), token
// classification (BIO entities, POS tags). Each trains a tiny model on a small fixture
// (tests/reference/train/make_task_fixtures.py) and must beat the trivial baseline; support
// counts are checked against the fixture files read independently of the training code.
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "test_support.h"
#include "train/prepared_data.h"
#include "train/run_tokenizer.h"
#include "train/trainer.h"

namespace fs = std::filesystem;
using namespace tb;

namespace {

struct Recorder : train::TrainingObserver {
    std::vector<train::StepMetrics> steps;
    std::vector<train::EvalReport> evals;
    void on_step(const train::StepMetrics& m) override { steps.push_back(m); }
    void on_eval(const train::EvalReport& e) override { evals.push_back(e); }
};

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

nlohmann::json read_json(const std::string& path) {
    return nlohmann::json::parse(read_file(path));
}

// A tiny BERT folder whose vocabulary holds every whitespace-separated word of `texts`.
void make_model(const std::string& dir, const std::vector<std::string>& texts,
                const std::string& scratch) {
    const std::string csv = scratch + "/vocab_source.csv";
    std::ofstream out(csv);
    out << "text\n";
    for (const auto& t : texts) {
        std::string quoted = "\"";
        for (char c : t)
            quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
        out << quoted << "\"\n";
    }
    out.close();
    tb::testing::make_tiny_model(dir, csv, /*hidden=*/32, /*layers=*/1, /*max_positions=*/64);
}

// Sentences of a CoNLL file ("word TAG" lines, blank line between sentences).
std::vector<std::vector<std::pair<std::string, std::string>>> read_conll(const std::string& path) {
    std::vector<std::vector<std::pair<std::string, std::string>>> out(1);
    std::istringstream in(read_file(path));
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) {
            if (!out.back().empty())
                out.emplace_back();
            continue;
        }
        const auto space = line.find(' ');
        out.back().emplace_back(line.substr(0, space), line.substr(space + 1));
    }
    if (out.back().empty())
        out.pop_back();
    return out;
}

double mean_loss(const std::vector<train::StepMetrics>& steps, bool first, int n) {
    double sum = 0;
    for (int i = 0; i < n; ++i)
        sum += steps[first ? i : steps.size() - 1 - i].loss;
    return sum / n;
}

}  // namespace

class TstTrainerTasks : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

    io::ExperimentConfig config(const std::string& data, const std::string& model, int epochs) {
        io::ExperimentConfig c;
        c.name = "tasks";
        c.dataset.path = data;
        c.model.path = model;
        c.model.max_length = 48;
        c.training.epochs = epochs;
        c.training.batch_size = 16;
        c.training.learning_rate = 5e-3;
        c.training.seed = 3;
        c.training.device = "cpu";
        c.output.runs_dir = tmp_.path().toStdString() + "/runs";
        c.output.checkpoint_each_epoch = false;
        return c;
    }

    train::RunResult run(const io::ExperimentConfig& c, Recorder& rec) {
        train::RunControl control;
        return train::Trainer(c, rec, control).run();
    }

    std::string scratch(const std::string& name) {
        const std::string dir = tmp_.path().toStdString() + "/" + name;
        fs::create_directories(dir);
        return dir;
    }

private slots:
    void initTestCase() { QVERIFY(tmp_.isValid()); }

    void sentencePairsTrain() {
        const std::string data = tb::testing::fixture("data/tasks/pairs.csv");
        std::vector<std::string> texts;
        {
            std::istringstream in(read_file(data));
            std::string line;
            while (std::getline(in, line))
                texts.push_back(line.substr(0, line.rfind(',')));
        }
        for (auto& t : texts)
            std::replace(t.begin(), t.end(), ',', ' ');
        const std::string model = scratch("pairs") + "/model";
        make_model(model, texts, scratch("pairs"));
        auto c = config(data, model, 12);
        c.dataset.text_pair_column = "text_b";

        // The second text is its own segment: token type 1 after the first [SEP].
        const auto tokenizer = train::load_run_tokenizer(c, model);
        const auto prepared = train::prepare_data(c, *tokenizer, [](const std::string&) {});
        QCOMPARE(prepared.train.token_type_ids.size(), prepared.train.size());
        const auto& first = prepared.train.token_type_ids.front();
        QCOMPARE(first.front(), std::int64_t(0));
        QCOMPARE(first.back(), std::int64_t(1));

        Recorder rec;
        const auto result = run(c, rec);
        QVERIFY2(result.state == train::RunState::Finished, result.error.c_str());
        const auto& test = rec.evals.back();
        QCOMPARE(QString::fromStdString(test.task), QString("sequence_classification"));
        std::int64_t majority = 0;
        for (const auto& k : test.report.per_class)
            majority = std::max(majority, k.support);
        QVERIFY2(test.report.accuracy > double(majority) / double(test.report.total) + 0.2,
                 qPrintable(QString::number(test.report.accuracy)));
    }

    void multiLabelTrains() {
        const std::string data = tb::testing::fixture("data/tasks/topics_multilabel.csv");
        std::vector<std::string> texts;
        std::vector<std::set<std::string>> label_sets;
        {
            std::istringstream in(read_file(data));
            std::string line;
            std::getline(in, line);  // header
            while (std::getline(in, line)) {
                if (!line.empty() && line.back() == '\r')
                    line.pop_back();
                const auto comma = line.rfind(',');
                texts.push_back(line.substr(0, comma));
                std::set<std::string> labels;
                std::istringstream parts(line.substr(comma + 1));
                std::string part;
                while (std::getline(parts, part, '|'))
                    labels.insert(part);
                label_sets.push_back(labels);
            }
        }
        const std::string model = scratch("multi") + "/model";
        make_model(model, texts, scratch("multi"));
        auto c = config(data, model, 15);
        c.model.pooling = "mean";  // topic words anywhere in the text: averaging finds them
        c.dataset.task = "multi_label";
        c.dataset.label_column = "labels";
        c.dataset.label_separator = "|";
        c.output.best_metric = "dev_macro_f1";
        Recorder rec;
        const auto result = run(c, rec);
        QVERIFY2(result.state == train::RunState::Finished, result.error.c_str());
        QVERIFY2(mean_loss(rec.steps, false, 5) < 0.75 * mean_loss(rec.steps, true, 5),
                 qPrintable(QString("loss %1 -> %2")
                                .arg(mean_loss(rec.steps, true, 5))
                                .arg(mean_loss(rec.steps, false, 5))));
        const auto& test = rec.evals.back();
        QCOMPARE(QString::fromStdString(test.split), QString("test"));
        QCOMPARE(QString::fromStdString(test.task), QString("multi_label"));
        // Supports equal the label counts of the test rows, read straight from the file.
        const auto split = read_json(result.run_dir + "/split.json");
        std::map<std::string, std::int64_t> counts;
        std::int64_t positives = 0;
        for (const auto& i : split["test"]) {
            for (const auto& l : label_sets[i.get<std::size_t>()]) {
                ++counts[l];
                ++positives;
            }
        }
        for (const auto& k : test.report.per_class)
            QCOMPARE(k.support, counts[k.label]);
        // Baseline: every label on for every text (recall 1).
        const double p = double(positives) / double(test.report.total * 3);
        const double all_on_f1 = 2 * p / (1 + p);
        QVERIFY2(test.report.micro.f1 > all_on_f1 + 0.1,
                 qPrintable(QString("micro F1 %1 vs %2").arg(test.report.micro.f1).arg(all_on_f1)));
        const auto details = nlohmann::json::parse(test.details_json);
        QVERIFY(details.contains("samples avg"));
        QVERIFY(details.contains("hamming_loss"));
        // The metrics log carries the task and the extras.
        std::istringstream jsonl(read_file(result.run_dir + "/metrics.jsonl"));
        std::string line, last_eval;
        while (std::getline(jsonl, line))
            if (line.find("\"kind\":\"test\"") != std::string::npos)
                last_eval = line;
        const auto j = nlohmann::json::parse(last_eval);
        QCOMPARE(QString::fromStdString(j["task"]), QString("multi_label"));
        QVERIFY(j["details"].contains("subset_accuracy"));
    }

    void namedEntitiesTrain() {
        const std::string data = tb::testing::fixture("data/tasks/people_places.conll");
        const auto sentences = read_conll(data);
        std::vector<std::string> texts;
        for (const auto& s : sentences) {
            std::string t;
            for (const auto& [word, tag] : s)
                t += word + " ";
            texts.push_back(t);
        }
        const std::string model = scratch("ner") + "/model";
        make_model(model, texts, scratch("ner"));
        auto c = config(data, model, 12);
        c.dataset.task = "token_classification";
        c.dataset.format = "conll";
        Recorder rec;
        const auto result = run(c, rec);
        QVERIFY2(result.state == train::RunState::Finished, result.error.c_str());
        const auto& test = rec.evals.back();
        QCOMPARE(QString::fromStdString(test.task), QString("token_classification"));
        // Entity supports: B- tags of the test sentences, counted from the file.
        const auto split = read_json(result.run_dir + "/split.json");
        std::map<std::string, std::int64_t> entities;
        for (const auto& i : split["test"])
            for (const auto& [word, tag] : sentences[i.get<std::size_t>()])
                if (tag.rfind("B-", 0) == 0)
                    ++entities[tag.substr(2)];
        QCOMPARE(int(test.report.per_class.size()), int(entities.size()));
        for (const auto& k : test.report.per_class)
            QCOMPARE(k.support, entities[k.label]);
        // Tagging everything "O" finds no entity (F1 0); the model must find most of them.
        QVERIFY2(test.report.micro.f1 > 0.6, qPrintable(QString::number(test.report.micro.f1)));
        const auto details = nlohmann::json::parse(test.details_json);
        QVERIFY(details.contains("entities"));
    }

    void brownPosTrains() {
        const std::string data = tb::testing::fixture("data/brown/brown_pos.txt");
        std::vector<std::string> texts;
        std::map<std::string, int> tag_counts;
        int words = 0;
        {
            std::istringstream in(read_file(data));
            std::string line;
            while (std::getline(in, line)) {
                std::istringstream parts(line);
                std::string item, text;
                while (parts >> item) {
                    const auto slash = item.rfind('/');
                    text += item.substr(0, slash) + " ";
                    ++tag_counts[item.substr(slash + 1)];
                    ++words;
                }
                texts.push_back(text);
            }
        }
        const std::string model = scratch("pos") + "/model";
        make_model(model, texts, scratch("pos"));
        auto c = config(data, model, 20);
        c.dataset.task = "token_classification";
        c.dataset.format = "tagged";
        c.model.max_length = 64;
        c.training.batch_size = 8;
        Recorder rec;
        const auto result = run(c, rec);
        QVERIFY2(result.state == train::RunState::Finished, result.error.c_str());
        QVERIFY2(mean_loss(rec.steps, false, 3) < 0.6 * mean_loss(rec.steps, true, 3),
                 qPrintable(QString("loss %1 -> %2")
                                .arg(mean_loss(rec.steps, true, 3))
                                .arg(mean_loss(rec.steps, false, 3))));
        const auto& test = rec.evals.back();
        QCOMPARE(QString::fromStdString(test.task), QString("token_classification"));
        // POS tags are not entities: the report is per word.
        QVERIFY(test.details_json.empty());
        int majority = 0;
        for (const auto& [tag, n] : tag_counts)
            majority = std::max(majority, n);
        QVERIFY2(test.report.accuracy > double(majority) / words,
                 qPrintable(QString("accuracy %1 vs majority tag %2")
                                .arg(test.report.accuracy)
                                .arg(double(majority) / words)));
    }
};

QTEST_MAIN(TstTrainerTasks)
#include "tst_trainer_tasks.moc"
