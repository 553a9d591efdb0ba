// Masked-LM pretraining: masking statistics, the loss against an independent PyTorch reference
// (tests/reference/pretrain/mlm_loss_reference.py), training lowering the loss, the written
// folder loading back (weights, tokenizer), continued pretraining and cancellation.
#include <torch/torch.h>

#include <QtTest>

#include <QProcess>
#include <QTemporaryDir>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "model/bert_model.h"
#include "model/model_folder.h"
#include "model/weight_loading.h"
#include "pretrain/masked_lm_model.h"
#include "pretrain/mlm_masking.h"
#include "pretrain/pretrain_corpus.h"
#include "pretrain/pretrainer.h"
#include "text/bert_tokenizer.h"
#include "text/wordpiece_trainer.h"

using namespace tb;
using namespace tb::pretrain;

namespace {

const std::string kCorpus = std::string(TB_FIXTURES_DIR) + "/text/wordpiece_training_corpus.txt";
const std::string kReference =
    std::string(TB_SOURCE_DIR) + "/tests/reference/pretrain/mlm_loss_reference.py";

MaskingVocab test_vocab(std::int64_t size) {
    MaskingVocab v;
    v.vocab_size = size;
    v.mask_id = 4;
    v.is_special.assign(static_cast<std::size_t>(size), false);
    v.is_continuation.assign(static_cast<std::size_t>(size), false);
    for (int id = 0; id < 5; ++id) {
        v.is_special[static_cast<std::size_t>(id)] = true;
    }
    for (std::int64_t id = size / 2; id < size; ++id) {
        v.is_continuation[static_cast<std::size_t>(id)] = true;  // the upper half are "##"
    }
    return v;
}

PretrainOptions tiny_options(const std::string& out) {
    PretrainOptions o;
    o.corpus_files = {kCorpus};
    o.out_dir = out;
    o.vocab_size = 600;
    o.layers = 1;
    o.hidden = 32;
    o.heads = 2;
    o.intermediate = 64;
    o.max_length = 64;
    o.batch_size = 16;
    o.learning_rate = 2e-3;
    o.steps = 150;
    o.log_every = 25;
    o.seed = 3;
    return o;
}

const PretrainLog kQuiet = [](const std::string&) {};

}  // namespace

class TestPretrain : public QObject {
    Q_OBJECT

private slots:
    void masking_statistics();
    void whole_word_masking();
    void packing_blocks();
    void loss_matches_pytorch_reference();
    void pretraining_lowers_loss_and_folder_loads();
    void continued_pretraining_and_cancel();
    void device_option_errors();
};

void TestPretrain::masking_statistics() {
    const auto vocab = test_vocab(1000);
    std::mt19937_64 fill(7);
    std::vector<std::int64_t> ids(128);
    std::int64_t candidates = 0, selected = 0, masked = 0, random = 0, kept = 0;
    std::mt19937_64 engine(11);
    for (int draw = 0; draw < 3000; ++draw) {
        for (auto& id : ids) {
            id = 5 + static_cast<std::int64_t>(fill() % 995);
        }
        ids.front() = 2;  // [CLS]
        ids.back() = 3;   // [SEP]
        const auto out = mask_sequence(ids, vocab, MaskingOptions{}, engine);
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (i == 0 || i + 1 == ids.size()) {
                QCOMPARE(out.labels[i], kIgnoreLabel);  // specials are never selected
                QCOMPARE(out.input_ids[i], ids[i]);
                continue;
            }
            ++candidates;
            if (out.labels[i] == kIgnoreLabel) {
                QCOMPARE(out.input_ids[i], ids[i]);
                continue;
            }
            QCOMPARE(out.labels[i], ids[i]);
            ++selected;
            if (out.input_ids[i] == vocab.mask_id) {
                ++masked;
            } else if (out.input_ids[i] == ids[i]) {
                ++kept;  // (a random draw equal to the original counts here; p = 1/1000)
            } else {
                ++random;
            }
        }
    }
    const double share = static_cast<double>(selected) / static_cast<double>(candidates);
    const double n = static_cast<double>(selected);
    // 378,000 candidates, ~56,700 selected: 6 standard errors are < 0.004 / 0.01.
    QVERIFY2(std::abs(share - 0.15) < 0.004, qPrintable(QString::number(share)));
    QVERIFY2(std::abs(masked / n - 0.8) < 0.01, qPrintable(QString::number(masked / n)));
    QVERIFY2(std::abs(random / n - 0.1) < 0.008, qPrintable(QString::number(random / n)));
    QVERIFY2(std::abs(kept / n - 0.1) < 0.008, qPrintable(QString::number(kept / n)));

    // Seeded: the same engine state gives the same corruption.
    std::mt19937_64 a(5), b(5);
    const auto x = mask_sequence(ids, vocab, MaskingOptions{}, a);
    const auto y = mask_sequence(ids, vocab, MaskingOptions{}, b);
    QCOMPARE(x.input_ids, y.input_ids);
    QCOMPARE(x.labels, y.labels);
}

void TestPretrain::whole_word_masking() {
    const auto vocab = test_vocab(1000);
    MaskingOptions options;
    options.whole_word = true;
    std::mt19937_64 fill(3), engine(9);
    std::int64_t candidates = 0, selected = 0;
    for (int draw = 0; draw < 1000; ++draw) {
        // [CLS] words of 1-3 pieces (a head below 500, continuations from 500) [SEP]
        std::vector<std::int64_t> ids{2};
        while (ids.size() < 120) {
            ids.push_back(5 + static_cast<std::int64_t>(fill() % 495));
            for (std::uint64_t k = fill() % 3; k > 0; --k) {
                ids.push_back(500 + static_cast<std::int64_t>(fill() % 500));
            }
        }
        ids.push_back(3);
        const auto out = mask_sequence(ids, vocab, options, engine);
        // A word is selected whole or not at all.
        for (std::size_t i = 2; i + 1 < ids.size(); ++i) {
            if (vocab.is_continuation[static_cast<std::size_t>(ids[i])]) {
                QCOMPARE(out.labels[i] == kIgnoreLabel, out.labels[i - 1] == kIgnoreLabel);
            }
        }
        const auto n = static_cast<std::int64_t>(ids.size()) - 2;
        std::int64_t here = 0;
        for (auto label : out.labels) {
            here += label != kIgnoreLabel ? 1 : 0;
        }
        QVERIFY(here <= std::lround(0.15 * static_cast<double>(n)));  // never over the budget
        candidates += n;
        selected += here;
    }
    const double share = static_cast<double>(selected) / static_cast<double>(candidates);
    QVERIFY2(share > 0.14 && share < 0.16,
             qPrintable(QString::number(share)));  // rounding: ±0.5 token
}

void TestPretrain::packing_blocks() {
    text::Vocab vocab({"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "##b"});
    const text::BertTokenizer tokenizer(vocab, text::BasicTokenizerOptions{});
    const auto blocks = pack_blocks({"a ab a", "b b ab"}, tokenizer, 8);
    // Pieces a a ##b a | b b a ##b in blocks of 6 between [CLS] and [SEP].
    QCOMPARE(blocks.size(), std::size_t{2});
    QCOMPARE(blocks[0], (std::vector<std::int64_t>{2, 5, 5, 7, 5, 6, 6, 3}));
    QCOMPARE(blocks[1], (std::vector<std::int64_t>{2, 5, 7, 3}));
    QVERIFY_THROWS_EXCEPTION(Error, pack_blocks({"a"}, tokenizer, 4));
}

void TestPretrain::loss_matches_pytorch_reference() {
    QProcess probe;
    probe.start(QStringLiteral(TB_SYSTEM_PYTHON), {"-c", "import torch, numpy"});
    if (!probe.waitForFinished(60000) || probe.exitCode() != 0) {
        QSKIP("python3 with torch and numpy is not available");
    }
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString();
    model::BertConfig config;
    config.vocab_size = 50;
    config.hidden_size = 16;
    config.num_hidden_layers = 2;
    config.num_attention_heads = 2;
    config.intermediate_size = 32;
    config.max_position_embeddings = 32;
    torch::manual_seed(21);
    BertForMaskedLM model(config);
    model->init_weights();
    {
        torch::NoGradGuard no_grad;
        model->decoder_bias.normal_(0, 0.5);  // non-zero so the bias is checked too
        model->transform_layer_norm->weight.normal_(1, 0.2);
    }
    model->eval();
    model::save_module_safetensors(*model, d + "/model.safetensors");
    std::ofstream(d + "/config.json") << model::to_config_json(config);
    const nlohmann::json inputs = {
        {"input_ids", {{2, 10, 4, 12, 13, 3, 0, 0}, {2, 20, 21, 4, 4, 30, 31, 3}}},
        {"attention_mask", {{1, 1, 1, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 1, 1, 1, 1}}},
        {"labels",
         {{-100, -100, 11, -100, 14, -100, -100, -100},
          {-100, 25, -100, 22, 23, -100, -100, -100}}}};
    std::ofstream(d + "/inputs.json") << inputs.dump();
    QProcess python;
    python.start(
        QStringLiteral(TB_SYSTEM_PYTHON),
        {QString::fromStdString(kReference), "--config", QString::fromStdString(d + "/config.json"),
         "--weights", QString::fromStdString(d + "/model.safetensors"), "--inputs",
         QString::fromStdString(d + "/inputs.json"), "--out",
         QString::fromStdString(d + "/out.json")});
    QVERIFY(python.waitForFinished(120000));
    QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
    const double expected = nlohmann::json::parse(std::ifstream(d + "/out.json"))["loss"];

    auto tensor = [](const nlohmann::json& rows) {
        std::vector<std::int64_t> flat;
        for (const auto& row : rows) {
            for (const auto& v : row) {
                flat.push_back(v.get<std::int64_t>());
            }
        }
        return torch::tensor(flat, torch::kLong)
            .reshape({static_cast<std::int64_t>(rows.size()), -1});
    };
    torch::NoGradGuard no_grad;
    const double actual = model
                              ->loss(tensor(inputs["input_ids"]), tensor(inputs["attention_mask"]),
                                     tensor(inputs["labels"]))
                              .item<double>();
    QVERIFY2(std::abs(actual - expected) < 1e-5,
             qPrintable(QString("%1 vs %2").arg(actual).arg(expected)));
}

void TestPretrain::pretraining_lowers_loss_and_folder_loads() {
    QTemporaryDir dir;
    const std::string out = dir.path().toStdString() + "/model";
    auto options = tiny_options(out);
    options.device = "cpu";
    train::RunControl control;
    const auto result = run_pretraining(options, control, nullptr, kQuiet);
    QVERIFY(!result.cancelled);
    QCOMPARE(result.steps, std::int64_t{150});
    QVERIFY2(result.final_loss < result.first_loss - 0.5,
             qPrintable(QString("%1 -> %2").arg(result.first_loss).arg(result.final_loss)));

    // A complete HF-style folder: the library inspects it, the BERT loader loads it.
    const auto info = model::inspect_model_folder(out);
    QCOMPARE(info.config.vocab_size, std::int64_t{600});
    QCOMPARE(info.config.num_hidden_layers, std::int64_t{1});
    for (const auto& note : info.notes) {
        QVERIFY2(note.find("NOT pretrained") == std::string::npos, note.c_str());
    }
    model::BertModel encoder(info.config);
    const auto report =
        model::load_weights(*encoder, model::SafetensorsFile::open(info.weights_path));
    QVERIFY(report.missing.empty());
    QVERIFY(report.mismatched.empty());
    BertForMaskedLM mlm(info.config);
    const auto mlm_report =
        model::load_weights(*mlm, model::SafetensorsFile::open(info.weights_path), "bert.", {});
    QVERIFY(mlm_report.missing.empty());
    QVERIFY(mlm_report.unexpected.empty());
    const auto json = nlohmann::json::parse(std::ifstream(out + "/pretraining.json"));
    QCOMPARE(json["device"].get<std::string>(), std::string("cpu"));

    // The folder holds the trained weights, not the initial ones: its random-initialisation
    // twin (--init-only, same seed, hence the same starting point) differs in every tensor that
    // masked-LM trains and equals it in the pooler, which masked-LM does not train.
    auto twin_options = tiny_options(dir.path().toStdString() + "/twin");
    twin_options.init_only = true;
    run_pretraining(twin_options, control, nullptr, kQuiet);
    BertForMaskedLM twin(info.config);
    model::load_weights(*twin,
                        model::SafetensorsFile::open(twin_options.out_dir + "/model.safetensors"),
                        "bert.", {});
    const auto twin_params = twin->named_parameters();
    int trained = 0;
    for (const auto& item : mlm->named_parameters()) {
        const auto diff = (item.value() - twin_params[item.key()]).abs().max().item<double>();
        if (item.key().rfind("bert.pooler.", 0) == 0) {
            QVERIFY2(diff == 0.0, item.key().c_str());
        } else if (item.key().find(".self.key.bias") == std::string::npos) {
            // (A key bias shifts every score of a query alike, so softmax gives it no gradient.)
            QVERIFY2(diff > 1e-4, qPrintable(QString::fromStdString(item.key()) + " unchanged"));
            ++trained;
        }
    }
    QVERIFY(trained > 20);

    // The tokenizer reproduces itself: the folder's vocabulary is the trainer's on the corpus.
    const auto tokenizer = text::BertTokenizer::from_model_dir(out);
    text::WordPieceTrainerOptions wp;
    wp.vocab_size = 600;
    wp.min_frequency = options.min_frequency;
    wp.limit_alphabet = options.limit_alphabet;
    text::WordPieceTrainer trainer(wp);
    for (const auto& t : read_corpus_texts({kCorpus}, "text")) {
        trainer.feed(t);
    }
    QCOMPARE(tokenizer.vocab().tokens(), trainer.train().tokens());
    QVERIFY(tokenizer.options().lowercase);
}

void TestPretrain::continued_pretraining_and_cancel() {
    QTemporaryDir dir;
    const std::string first = dir.path().toStdString() + "/first";
    train::RunControl control;
    auto options = tiny_options(first);
    options.steps = 20;
    run_pretraining(options, control, nullptr, kQuiet);

    // Domain-adaptive: continue from the folder; its head and encoder load, training goes on.
    auto more = tiny_options(dir.path().toStdString() + "/second");
    more.from_dir = first;
    more.steps = 10;
    more.masking.whole_word = true;
    std::vector<std::string> logs;
    const auto result = run_pretraining(more, control, nullptr,
                                        [&](const std::string& line) { logs.push_back(line); });
    QCOMPARE(result.steps, std::int64_t{10});
    QCOMPARE(result.vocab_size, std::int64_t{600});
    bool loaded_all = false;
    for (const auto& line : logs) {
        loaded_all = loaded_all || (line.find("continuing from") != std::string::npos &&
                                    line.find("new (the masked-LM head)") == std::string::npos);
    }
    QVERIFY(loaded_all);

    // The output folder must be new.
    QVERIFY_THROWS_EXCEPTION(Error, run_pretraining(more, control, nullptr, kQuiet));

    // Cancelled before the first step: nothing trained, the folder is still written.
    train::RunControl cancelled;
    cancelled.cancel();
    auto stop = tiny_options(dir.path().toStdString() + "/stopped");
    const auto stopped = run_pretraining(stop, cancelled, nullptr, kQuiet);
    QVERIFY(stopped.cancelled);
    QCOMPARE(stopped.steps, std::int64_t{0});
    const auto info = nlohmann::json::parse(
        std::ifstream(dir.path().toStdString() + "/stopped/pretraining.json"));
    QCOMPARE(info["completed"].get<bool>(), false);
}

void TestPretrain::device_option_errors() {
    QTemporaryDir dir;
    train::RunControl control;
    auto options = tiny_options(dir.path().toStdString() + "/model");
    options.device = "tpu";
    QVERIFY_THROWS_EXCEPTION(Error, run_pretraining(options, control, nullptr, kQuiet));
    if (!torch::cuda::is_available()) {
        options.device = "cuda";
        try {
            run_pretraining(options, control, nullptr, kQuiet);
            QFAIL("--device cuda without CUDA must fail");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("no CUDA GPU") != std::string::npos, e.what());
        }
    }
    QVERIFY(!std::filesystem::exists(options.out_dir));  // checked before anything is written
}

QTEST_APPLESS_MAIN(TestPretrain)
#include "tst_pretrain.moc"
