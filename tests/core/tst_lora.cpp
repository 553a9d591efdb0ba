// LoRA: zero-initialised B keeps the base output, training moves only adapter tensors, merging
// gives the same outputs, adapter-only files round-trip, and target names are checked.

// Torch before Qt: Qt's `slots` macro breaks LibTorch headers included after it.
#include <filesystem>

#include <torch/torch.h>

#include "common/error.h"
#include "model/encoder_factory.h"
#include "model/lora.h"
#include "model/safetensors.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace tb;
using namespace tb::model;

namespace {

const std::string kFixtures = TB_FIXTURES_DIR "/model/";

struct Batch {
    torch::Tensor ids, mask;
};

Batch sample_batch() {
    auto ids = torch::tensor({2, 17, 45, 99, 8, 3, 2, 40, 41, 3, 0, 0}, torch::kLong).view({2, 6});
    auto mask = ids.ne(0).to(torch::kLong);
    return {ids, mask};
}

// A few AdamW steps on a toy loss over the encoder output; returns the parameters' values
// before training, by name.
std::map<std::string, torch::Tensor> train_steps(TextEncoder& encoder, int steps) {
    std::map<std::string, torch::Tensor> before;
    for (const auto& p : encoder.named_parameters())
        before[p.key()] = p.value().detach().clone();
    std::vector<torch::Tensor> trainable;
    for (auto& p : encoder.parameters())
        if (p.requires_grad())
            trainable.push_back(p);
    torch::optim::AdamW optimizer(trainable, torch::optim::AdamWOptions(1e-2).weight_decay(0.01));
    encoder.train();
    Batch b = sample_batch();
    for (int i = 0; i < steps; ++i) {
        optimizer.zero_grad();
        auto out = encoder.encode(b.ids, b.mask).last_hidden_state;
        auto loss = (out * out).mean();
        loss.backward();
        optimizer.step();
    }
    encoder.eval();
    return before;
}

double max_abs_diff(const torch::Tensor& a, const torch::Tensor& b) {
    return (a - b).abs().max().item<double>();
}

}  // namespace

class TestLora : public QObject {
    Q_OBJECT

private slots:
    void initial_output_equals_base_data();
    void initial_output_equals_base();
    void training_updates_only_adapters();
    void merged_equals_unmerged();
    void adapter_round_trip();
    void target_errors_and_defaults();
};

void TestLora::initial_output_equals_base_data() {
    QTest::addColumn<QString>("name");
    QTest::newRow("bert") << "tiny_bert";
    QTest::newRow("distilbert") << "tiny_distilbert";
}

void TestLora::initial_output_equals_base() {
    QFETCH(QString, name);
    LoadedEncoder loaded = load_text_encoder(kFixtures + name.toStdString());
    auto& encoder = *loaded.encoder;
    Batch b = sample_batch();
    torch::NoGradGuard no_grad;
    const auto base = encoder.encode(b.ids, b.mask).last_hidden_state;
    LoraOptions options;
    options.target_modules = default_lora_targets(encoder.family());
    const auto adapted = apply_lora(encoder, options);
    QCOMPARE(static_cast<std::int64_t>(adapted.size()), 2 * encoder.num_layers());
    QVERIFY(torch::equal(encoder.encode(b.ids, b.mask).last_hidden_state, base));
    for (const auto& [layer_name, layer] : lora_linears(encoder))
        if (layer->has_adapter()) {
            QVERIFY(torch::equal(layer->lora_B->weight, torch::zeros_like(layer->lora_B->weight)));
            QVERIFY(layer->lora_A->weight.abs().sum().item<double>() > 0.0);
        }
}

void TestLora::training_updates_only_adapters() {
    LoadedEncoder loaded = load_text_encoder(kFixtures + "tiny_bert");
    auto& encoder = *loaded.encoder;
    LoraOptions options;
    options.rank = 4;
    options.dropout = 0.1;
    options.target_modules = {"query", "value", "attention.output.dense"};
    apply_lora(encoder, options);
    auto before = train_steps(encoder, 3);
    int adapters_moved = 0, adapters = 0;
    for (const auto& p : encoder.named_parameters()) {
        const bool is_adapter = p.key().find(".lora_") != std::string::npos;
        QCOMPARE(p.value().requires_grad(), is_adapter);
        if (is_adapter) {
            ++adapters;
            adapters_moved += !torch::equal(p.value(), before[p.key()]);
        } else {
            QVERIFY2(torch::equal(p.value(), before[p.key()]), p.key().c_str());  // bit-identical
        }
    }
    QCOMPARE(adapters, 2 * 3 * 2);  // 2 layers x 3 targets x (A, B)
    QCOMPARE(adapters_moved, adapters);
    QVERIFY(encoder.named_parameters().contains(
        "encoder.layer.1.attention.output.dense.lora_B.weight"));
}

void TestLora::merged_equals_unmerged() {
    LoadedEncoder loaded = load_text_encoder(kFixtures + "tiny_distilbert");
    auto& encoder = *loaded.encoder;
    LoraOptions options;
    options.rank = 2;
    options.alpha = 8;
    options.target_modules = {"q_lin", "v_lin", "ffn.lin1"};
    apply_lora(encoder, options);
    train_steps(encoder, 3);
    Batch b = sample_batch();
    torch::NoGradGuard no_grad;
    const auto unmerged = encoder.encode(b.ids, b.mask).last_hidden_state;

    // Exported weights (adapters folded in, no lora tensors) in a fresh model.
    auto state = merged_state(encoder);
    for (const auto& [name, t] : state)
        QVERIFY(name.find("lora_") == std::string::npos);
    auto fresh = create_text_encoder(encoder.config());
    for (auto& p : fresh->named_parameters())
        p.value().copy_(state.at(p.key()));
    fresh->eval();
    const double exported_diff =
        max_abs_diff(fresh->encode(b.ids, b.mask).last_hidden_state, unmerged);
    QVERIFY2(exported_diff < 1e-5, qPrintable(QString::number(exported_diff)));

    merge_lora(encoder);
    const double merged_diff =
        max_abs_diff(encoder.encode(b.ids, b.mask).last_hidden_state, unmerged);
    qInfo("merged vs unmerged: max|diff| = %.3g, exported: %.3g", merged_diff, exported_diff);
    QVERIFY(merged_diff < 1e-5);
    // The adapters really changed the model (the comparison has teeth).
    set_lora_enabled(encoder, false);
    unmerge_lora(encoder);
    QVERIFY(max_abs_diff(encoder.encode(b.ids, b.mask).last_hidden_state, unmerged) > 1e-3);
}

void TestLora::adapter_round_trip() {
    QTemporaryDir tmp;
    const std::string dir = tmp.path().toStdString() + "/adapter";
    LoadedEncoder a = load_text_encoder(kFixtures + "tiny_roberta");
    LoraOptions options;
    options.rank = 3;
    options.alpha = 6;
    options.target_modules = {"key", "intermediate.dense"};
    apply_lora(*a.encoder, options);
    train_steps(*a.encoder, 2);
    save_lora_adapter(*a.encoder, dir, options, "roberta.");

    SafetensorsFile file = SafetensorsFile::open(dir + "/adapter_model.safetensors");
    QCOMPARE(file.entries().size(), std::size_t{2 * 2 * 2});
    const auto* entry =
        file.find("base_model.model.roberta.encoder.layer.0.attention.self.key.lora_A.weight");
    QVERIFY(entry);
    QCOMPARE(entry->shape, (std::vector<std::int64_t>{3, 32}));
    QVERIFY(file.find("base_model.model.roberta.encoder.layer.1.intermediate.dense.lora_B.weight"));
    const LoraOptions read = read_lora_adapter_config(dir);
    QCOMPARE(read.rank, std::int64_t{3});
    QCOMPARE(read.alpha, 6.0);
    QCOMPARE(read.target_modules, options.target_modules);

    LoadedEncoder b = load_text_encoder(kFixtures + "tiny_roberta");
    load_lora_adapter(*b.encoder, dir, "roberta.");
    Batch batch = sample_batch();
    torch::NoGradGuard no_grad;
    QVERIFY(torch::equal(a.encoder->encode(batch.ids, batch.mask).last_hidden_state,
                         b.encoder->encode(batch.ids, batch.mask).last_hidden_state));

    // An adapter of another rank does not fit: every tensor is named.
    LoadedEncoder c = load_text_encoder(kFixtures + "tiny_roberta");
    LoraOptions other = options;
    other.rank = 5;
    apply_lora(*c.encoder, other);
    try {
        load_lora_adapter(*c.encoder, dir, "roberta.");
        QFAIL("expected tb::Error");
    } catch (const Error& e) {
        QVERIFY2(
            std::string(e.message())
                    .find("encoder.layer.0.attention.self.key.lora_A.weight: file [3, 32] vs model "
                          "[5, 32]") != std::string::npos,
            e.what());
    }
}

void TestLora::target_errors_and_defaults() {
    QCOMPARE(default_lora_targets(EncoderFamily::Bert),
             (std::vector<std::string>{"query", "value"}));
    QCOMPARE(default_lora_targets(EncoderFamily::DistilBert),
             (std::vector<std::string>{"q_lin", "v_lin"}));
    LoadedEncoder loaded = load_text_encoder(kFixtures + "tiny_bert");
    LoraOptions options;
    options.target_modules = {"q_lin"};
    try {
        apply_lora(*loaded.encoder, options);
        QFAIL("expected tb::Error");
    } catch (const Error& e) {
        QCOMPARE(e.where().key, std::string("lora.target_modules"));
        QVERIFY2(std::string(e.message()).find("attention.self.query") != std::string::npos,
                 e.what());
    }
    options.target_modules = {"value"};
    options.rank = 0;
    QVERIFY_EXCEPTION_THROWN(apply_lora(*loaded.encoder, options), Error);
    options.target_modules = {};
    QVERIFY_EXCEPTION_THROWN(apply_lora(*loaded.encoder, options), Error);
}

QTEST_APPLESS_MAIN(TestLora)
#include "tst_lora.moc"
