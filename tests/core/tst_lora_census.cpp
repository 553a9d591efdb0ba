// The Model page's LoRA and freezing counts (lora_census, from safetensors headers only) against
// the real thing: each parity fixture (BERT, RoBERTa, DistilBERT, ELECTRA) is loaded with
// LibTorch, apply_lora() adapts it, and its parameters are counted by requires_grad.
// Torch before Qt: Qt's `slots` macro breaks LibTorch headers included after it.
#include <torch/torch.h>

#include "common/error.h"
#include "model/encoder_factory.h"
#include "model/lora.h"
#include "model/lora_census.h"
#include "model/module_freezing.h"

#include <QtTest>

using namespace tb::model;

namespace {

std::string fixture(const char* name) {
    return std::string(TB_FIXTURES_DIR) + "/model/" + name;
}

struct TorchCounts {
    std::int64_t total = 0;
    std::int64_t trainable = 0;
};

TorchCounts count_module(torch::nn::Module& module) {
    TorchCounts c;
    for (const auto& p : module.parameters()) {
        c.total += p.numel();
        if (p.requires_grad())
            c.trainable += p.numel();
    }
    return c;
}

}  // namespace

class TestLoraCensus : public QObject {
    Q_OBJECT

private slots:
    void matchesApplyLora_data();
    void matchesApplyLora();
    void freezingMatchesApplyFreezing_data();
    void freezingMatchesApplyFreezing();
    void unmatchedTargetsAreReported();
    void defaultsFollowTheFamily();
};

void TestLoraCensus::matchesApplyLora_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<QStringList>("targets");  // empty: the family default
    QTest::addColumn<int>("rank");
    for (const char* m : {"tiny_bert", "tiny_roberta", "tiny_electra"}) {
        QTest::addRow("%s default", m) << m << QStringList{} << 8;
        QTest::addRow("%s all", m) << m << QStringList{"query",
                                                       "value",
                                                       "key",
                                                       "attention.output.dense",
                                                       "intermediate.dense",
                                                       "output.dense"}
                                   << 4;
        // "output.dense" also matches attention.output.dense (PEFT's suffix rule).
        QTest::addRow("%s output.dense", m) << m << QStringList{"output.dense"} << 2;
        // "dense" also reaches the pooler (BERT, RoBERTa fixtures have one).
        QTest::addRow("%s dense", m) << m << QStringList{"dense"} << 2;
    }
    QTest::addRow("distilbert default") << "tiny_distilbert" << QStringList{} << 8;
    QTest::addRow("distilbert all")
        << "tiny_distilbert"
        << QStringList{"q_lin", "v_lin", "k_lin", "out_lin", "ffn.lin1", "ffn.lin2"} << 3;
}

void TestLoraCensus::matchesApplyLora() {
    QFETCH(QString, model);
    QFETCH(QStringList, targets);
    QFETCH(int, rank);
    LoadedEncoder loaded = load_text_encoder(fixture(qPrintable(model)));
    std::vector<std::string> names;
    for (const QString& t : targets)
        names.push_back(t.toStdString());
    if (names.empty()) {
        // The Torch-free default must be the one the engine uses.
        names = default_lora_target_names(loaded.folder.config.model_type);
        QCOMPARE(names, default_lora_targets(encoder_family(loaded.folder.config)));
    }

    LoraOptions options;
    options.rank = rank;
    options.target_modules = names;
    std::vector<std::string> adapted = apply_lora(*loaded.encoder, options);
    std::sort(adapted.begin(), adapted.end());
    const TorchCounts torch_counts = count_module(*loaded.encoder);

    const auto tensors = stored_tensors(loaded.folder.weight_files);
    const LoraCensus census = lora_census(tensors, names, rank);
    QCOMPARE(census.modules, adapted);
    QVERIFY(census.unmatched.empty());
    const ParameterCounts counts = count_parameters_with_lora(tensors, FreezeOptions{}, &census);
    QCOMPARE(counts.total, torch_counts.total);
    QCOMPARE(counts.trainable, torch_counts.trainable);
    // Freeze options change nothing once LoRA freezes the encoder.
    QCOMPARE(count_parameters_with_lora(tensors, FreezeOptions{true, 1}, &census).trainable,
             torch_counts.trainable);
}

void TestLoraCensus::freezingMatchesApplyFreezing_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<bool>("embeddings");
    QTest::addColumn<int>("layers");
    for (const char* m : {"tiny_bert", "tiny_roberta", "tiny_distilbert"}) {
        QTest::addRow("%s none", m) << m << false << 0;
        QTest::addRow("%s embeddings + 1", m) << m << true << 1;
        QTest::addRow("%s 2 layers", m) << m << false << 2;
    }
}

void TestLoraCensus::freezingMatchesApplyFreezing() {
    QFETCH(QString, model);
    QFETCH(bool, embeddings);
    QFETCH(int, layers);
    LoadedEncoder loaded = load_text_encoder(fixture(qPrintable(model)));
    const FreezeOptions freeze{embeddings, layers};
    apply_freezing(*loaded.encoder, freeze);
    const TorchCounts torch_counts = count_module(*loaded.encoder);
    const auto counts = count_parameters_with_lora(stored_tensors(loaded.folder.weight_files),
                                                   freeze, /*lora=*/nullptr);
    QCOMPARE(counts.total, torch_counts.total);
    QCOMPARE(counts.trainable, torch_counts.trainable);
}

void TestLoraCensus::unmatchedTargetsAreReported() {
    const auto tensors = stored_tensors({fixture("tiny_distilbert") + "/model.safetensors"});
    const LoraCensus census = lora_census(tensors, {"q_lin", "query"}, 4);
    QCOMPARE(census.unmatched, std::vector<std::string>{"query"});
    QCOMPARE(census.modules.size(), std::size_t(3));  // q_lin of each of the 3 layers
    // Embedding tables are never adapted, even when a target names them.
    QVERIFY(lora_census(tensors, {"word_embeddings"}, 4).modules.empty());
    QVERIFY(!lora_target_matches("encoder.layer.0.attention.self.query", "ery"));
    QVERIFY(lora_target_matches("encoder.layer.0.attention.self.query", "self.query"));
}

void TestLoraCensus::defaultsFollowTheFamily() {
    QCOMPARE(default_lora_target_names("distilbert"), (std::vector<std::string>{"q_lin", "v_lin"}));
    QCOMPARE(default_lora_target_names("roberta"), (std::vector<std::string>{"query", "value"}));
    for (const char* type : {"bert", "distilbert"}) {
        const auto choices = lora_target_choices(type);
        const auto defaults = default_lora_target_names(type);
        QVERIFY(std::equal(defaults.begin(), defaults.end(), choices.begin()));
    }
}

QTEST_GUILESS_MAIN(TestLoraCensus)
#include "tst_lora_census.moc"
