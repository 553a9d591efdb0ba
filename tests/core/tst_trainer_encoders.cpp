// The Trainer on every text encoder family and with parameter-efficient settings: RoBERTa and
// DistilBERT fixture weights fine-tune on the demo CSV like BERT; freezing keeps frozen tensors
// bit-identical; LoRA moves only the adapters and the head; layer-wise LR decay reaches the
// optimizer's groups.
#include <torch/torch.h>

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "data/table.h"
#include "io/checkpoint.h"
#include "model/weight_loading.h"
#include "test_support.h"
#include "train/optimizer_setup.h"
#include "train/trainer.h"

namespace fs = std::filesystem;
using namespace tb;

namespace {

struct Recorder : train::TrainingObserver {
    train::RunInfo info;
    std::vector<train::StepMetrics> steps;
    std::vector<train::EvalReport> evals;
    std::vector<std::string> lines;
    void on_start(const train::RunInfo& i) override { info = i; }
    void on_step(const train::StepMetrics& m) override { steps.push_back(m); }
    void on_eval(const train::EvalReport& e) override { evals.push_back(e); }
    void on_log(const std::string& l) override { lines.push_back(l); }
};

// The words of the demo CSV's text column, in first-seen order, split on spaces and the final
// full stop (the fixture vocabularies are placeholders; the weights are what is under test).
std::vector<std::string> demo_words(bool lowercase) {
    const auto table = data::read_table(tb::testing::fixture("e2e/tiny_sentiment.csv"));
    const auto column = table.column_index("text");
    std::vector<std::string> words;
    std::set<std::string> seen;
    for (const auto& row : table.rows) {
        std::string text = row[column];
        std::string word;
        auto flush = [&] {
            if (!word.empty() && seen.insert(word).second)
                words.push_back(word);
            word.clear();
        };
        for (char c : text) {
            if (c == ' ' || c == '.') {
                flush();
            } else {
                word +=
                    lowercase ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : c;
            }
        }
        flush();
    }
    return words;
}

void copy_weights(const std::string& fixture, const std::string& dir) {
    fs::create_directories(dir);
    for (const char* name : {"config.json", "model.safetensors"})
        fs::copy_file(tb::testing::fixture("model/" + fixture + "/" + name), dir + "/" + name);
}

// tiny_distilbert's weights (vocab_size 100) with a WordPiece vocabulary of the demo words.
std::string make_distilbert(const std::string& dir) {
    copy_weights("tiny_distilbert", dir);
    std::vector<std::string> vocab{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "."};
    for (const auto& w : demo_words(true))
        vocab.push_back(w);
    if (vocab.size() > 100)
        throw std::runtime_error("demo vocabulary larger than the fixture's embeddings");
    for (int i = 0; vocab.size() < 100; ++i)
        vocab.push_back("[unused" + std::to_string(i) + "]");
    std::ofstream out(dir + "/vocab.txt");
    for (const auto& t : vocab)
        out << t << '\n';
    return dir;
}

// tiny_roberta's weights (vocab_size 100, pad id 1) with a byte-level BPE tokenizer.json whose
// vocabulary holds the demo words whole ("Ġword", ignore_merges).
std::string make_roberta(const std::string& dir) {
    copy_weights("tiny_roberta", dir);
    nlohmann::json vocab = nlohmann::json::object();
    std::vector<std::string> specials{"<s>", "<pad>", "</s>", "<unk>", "<mask>"};
    nlohmann::json added = nlohmann::json::array();
    for (std::size_t i = 0; i < specials.size(); ++i) {
        vocab[specials[i]] = i;
        added.push_back({{"id", i},
                         {"content", specials[i]},
                         {"single_word", false},
                         {"lstrip", specials[i] == "<mask>"},
                         {"rstrip", false},
                         {"normalized", false},
                         {"special", true}});
    }
    vocab["."] = vocab.size();
    for (const auto& w : demo_words(false))
        vocab["\xC4\xA0" + w] = vocab.size();  // "Ġ" + word
    if (vocab.size() > 100)
        throw std::runtime_error("demo vocabulary larger than the fixture's embeddings");
    for (int i = 0; vocab.size() < 100; ++i)
        vocab["<unused" + std::to_string(i) + ">"] = vocab.size();
    const nlohmann::json tokenizer = {{"version", "1.0"},
                                      {"truncation", nullptr},
                                      {"padding", nullptr},
                                      {"added_tokens", added},
                                      {"normalizer", nullptr},
                                      {"pre_tokenizer",
                                       {{"type", "ByteLevel"},
                                        {"add_prefix_space", true},
                                        {"trim_offsets", true},
                                        {"use_regex", true}}},
                                      {"post_processor",
                                       {{"type", "RobertaProcessing"},
                                        {"sep", {"</s>", 2}},
                                        {"cls", {"<s>", 0}},
                                        {"trim_offsets", true},
                                        {"add_prefix_space", true}}},
                                      {"decoder", nullptr},
                                      {"model",
                                       {{"type", "BPE"},
                                        {"dropout", nullptr},
                                        {"unk_token", "<unk>"},
                                        {"continuing_subword_prefix", nullptr},
                                        {"end_of_word_suffix", nullptr},
                                        {"fuse_unk", false},
                                        {"byte_fallback", false},
                                        {"ignore_merges", true},
                                        {"vocab", vocab},
                                        {"merges", nlohmann::json::array()}}}};
    std::ofstream(dir + "/tokenizer.json") << tokenizer.dump();
    return dir;
}

std::map<std::string, torch::Tensor> model_tensors(const std::string& checkpoint) {
    std::map<std::string, torch::Tensor> out;
    for (const auto& blob : io::load_checkpoint(checkpoint).model)
        out[blob.name] = model::to_torch(blob);
    return out;
}

// A model folder's weights under the names a BERT task model gives them ("bert." + name).
std::map<std::string, torch::Tensor> pretrained(const std::string& dir) {
    std::map<std::string, torch::Tensor> out;
    const auto file = model::SafetensorsFile::open(dir + "/model.safetensors");
    for (const auto& entry : file.entries())
        out["bert." + entry.name] = model::to_torch(file.read(entry.name));
    return out;
}

bool any_line_contains(const std::vector<std::string>& lines, const std::string& part) {
    for (const auto& l : lines)
        if (l.find(part) != std::string::npos)
            return true;
    return false;
}

}  // namespace

class TstTrainerEncoders : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    std::string bert_dir_;

    io::ExperimentConfig config(const std::string& model_dir, int epochs) {
        io::ExperimentConfig c;
        c.name = "encoders";
        c.dataset.path = tb::testing::fixture("e2e/tiny_sentiment.csv");
        c.model.path = model_dir;
        c.model.max_length = 32;
        c.training.epochs = epochs;
        c.training.batch_size = 16;
        c.training.learning_rate = 5e-3;
        c.training.seed = 5;
        c.training.device = "cpu";
        c.output.runs_dir = tmp_.path().toStdString() + "/runs";
        c.output.checkpoint_each_epoch = false;
        return c;
    }

    train::RunResult run(const io::ExperimentConfig& c, Recorder& rec) {
        train::RunControl control;
        return train::Trainer(c, rec, control).run();
    }

    // The test accuracy must beat always answering the test split's majority label.
    void check_learns(const Recorder& rec, const train::RunResult& result) {
        QVERIFY2(result.state == train::RunState::Finished, result.error.c_str());
        QVERIFY(!rec.evals.empty());
        const auto& test = rec.evals.back();
        QCOMPARE(QString::fromStdString(test.split), QString("test"));
        std::int64_t majority = 0;
        for (const auto& c : test.report.per_class)
            majority = std::max(majority, c.support);
        const double baseline = double(majority) / double(test.report.total);
        QVERIFY2(
            test.report.accuracy > baseline + 0.15,
            qPrintable(
                QString("accuracy %1 vs majority %2").arg(test.report.accuracy).arg(baseline)));
    }

private slots:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        bert_dir_ = tmp_.path().toStdString() + "/bert";
        tb::testing::make_tiny_model(bert_dir_, tb::testing::fixture("e2e/tiny_sentiment.csv"));
    }

    void robertaFineTunes() {
        const auto dir = make_roberta(tmp_.path().toStdString() + "/roberta");
        Recorder rec;
        const auto result = run(config(dir, 8), rec);
        check_learns(rec, result);
        QVERIFY(any_line_contains(rec.lines, "roberta encoder"));
        // Hugging Face names: RobertaForSequenceClassification's head, encoder under roberta.
        const auto tensors = model_tensors(result.last_checkpoint);
        QVERIFY(tensors.count("classifier.dense.weight"));
        QVERIFY(tensors.count("classifier.out_proj.weight"));
        QVERIFY(tensors.count("roberta.encoder.layer.1.output.dense.weight"));
    }

    void distilbertFineTunes() {
        const auto dir = make_distilbert(tmp_.path().toStdString() + "/distilbert");
        Recorder rec;
        const auto result = run(config(dir, 8), rec);
        check_learns(rec, result);
        const auto tensors = model_tensors(result.last_checkpoint);
        QVERIFY(tensors.count("pre_classifier.weight"));
        QVERIFY(tensors.count("classifier.weight"));
        QVERIFY(tensors.count("distilbert.transformer.layer.2.ffn.lin1.weight"));
    }

    void frozenTensorsStayBitIdentical() {
        auto c = config(bert_dir_, 2);
        c.model.freeze_embeddings = true;
        c.training.weight_decay = 0.1;  // decay would shrink a frozen tensor left in the optimizer
        Recorder rec;
        const auto result = run(c, rec);
        QVERIFY2(result.state == train::RunState::Finished, result.error.c_str());
        QVERIFY(rec.info.trainable_parameters < rec.info.parameters);
        QVERIFY(any_line_contains(rec.lines, "trainable of"));
        const auto start = pretrained(bert_dir_);
        const auto end = model_tensors(result.last_checkpoint);
        int frozen = 0, moved = 0;
        for (const auto& [name, tensor] : end) {
            if (!start.count(name))
                continue;  // the new head
            const bool same = torch::equal(tensor, start.at(name));
            if (name.find(".embeddings.") != std::string::npos) {
                QVERIFY2(same, name.c_str());
                ++frozen;
            } else if (!same) {
                ++moved;
            }
        }
        QVERIFY(frozen >= 4);
        QVERIFY(moved > 10);
    }

    void freezeLayersBeyondTheModelIsRefused() {
        auto c = config(bert_dir_, 1);
        c.model.freeze_layers = 5;
        Recorder rec;
        const auto result = run(c, rec);
        QCOMPARE(int(result.state), int(train::RunState::Failed));
        QVERIFY2(result.error.find("freeze_layers") != std::string::npos, result.error.c_str());
    }

    void loraMovesOnlyAdaptersAndHead() {
        auto c = config(bert_dir_, 3);
        c.model.lora = true;
        c.model.lora_rank = 4;
        c.model.lora_alpha = 8;
        c.model.lora_dropout = 0.0;
        c.training.weight_decay = 0.1;
        Recorder rec;
        const auto result = run(c, rec);
        QVERIFY2(result.state == train::RunState::Finished, result.error.c_str());
        QVERIFY(rec.info.trainable_parameters * 5 < rec.info.parameters);
        QVERIFY(any_line_contains(rec.lines, "LoRA rank 4"));
        const auto base = pretrained(bert_dir_);
        const auto end = model_tensors(result.last_checkpoint);
        int adapters = 0, moved_b = 0;
        for (const auto& [name, tensor] : end) {
            if (name.find("lora_") != std::string::npos) {
                ++adapters;
                if (name.find("lora_B") != std::string::npos &&
                    tensor.abs().sum().item<double>() > 0)
                    ++moved_b;
                continue;
            }
            if (name.rfind("classifier.", 0) == 0)
                continue;
            const auto it = base.find(name);
            if (it == base.end())
                continue;  // non-persistent buffers
            QVERIFY2(torch::equal(tensor, it->second), name.c_str());
        }
        QCOMPARE(adapters, 4);  // query and value of the one layer, A and B each
        QCOMPARE(moved_b, 2);   // B starts at zero and must have trained
    }

    void layerDecayAndHeadRateReachTheOptimizerGroups() {
        io::TrainingConfig t;
        t.layer_lr_decay = 0.5;
        t.head_learning_rate_multiplier = 10.0;
        const std::map<std::string, double> expected = {
            {"bert.embeddings.word_embeddings.weight", 0.25},  // d^L, L = 2
            {"bert.encoder.layer.0.attention.self.query.weight", 0.5},
            {"bert.encoder.layer.1.attention.self.query.weight", 1.0},
            {"bert.encoder.layer.1.attention.self.query.bias", 1.0},
            {"classifier.weight", 10.0}};
        std::vector<train::NamedParameter> parameters;
        for (const auto& [name, multiplier] : expected)
            parameters.push_back({name, torch::zeros({2, 2}).requires_grad_(true)});
        parameters.push_back({"bert.embeddings.frozen", torch::zeros({2})});  // stays out
        std::vector<double> multipliers;
        auto optimizer = train::make_optimizer(t, parameters, 1e-3, multipliers);
        train::set_learning_rate(*optimizer, 2e-3, multipliers);
        int seen = 0;
        for (const auto& group : optimizer->param_groups()) {
            for (const auto& tensor : group.params()) {
                for (const auto& p : parameters) {
                    if (p.tensor.unsafeGetTensorImpl() != tensor.unsafeGetTensorImpl())
                        continue;
                    QVERIFY2(expected.count(p.name), p.name.c_str());
                    QVERIFY2(
                        std::abs(group.options().get_lr() - 2e-3 * expected.at(p.name)) < 1e-12,
                        p.name.c_str());
                    ++seen;
                }
            }
        }
        QCOMPARE(seen, int(expected.size()));
    }
};

QTEST_MAIN(TstTrainerEncoders)
#include "tst_trainer_encoders.moc"
