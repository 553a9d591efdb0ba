// BertModel / BertForSequenceClassification: HF names, HF init, masking, dropout, errors.

// Torch before Qt: Qt's `slots` macro breaks LibTorch headers included after it.
#include <cmath>
#include <limits>
#include <set>

#include <torch/torch.h>

#include "common/error.h"
#include "model/bert_model.h"

#include <QtTest>

using namespace tb;
using namespace tb::model;

namespace {

BertConfig small_config() {
    BertConfig c;
    c.vocab_size = 50;
    c.hidden_size = 16;
    c.num_hidden_layers = 2;
    c.num_attention_heads = 4;
    c.intermediate_size = 32;
    c.max_position_embeddings = 20;
    c.type_vocab_size = 2;
    return c;
}

std::set<std::string> parameter_names(torch::nn::Module& m) {
    std::set<std::string> names;
    for (const auto& p : m.named_parameters())
        names.insert(p.key());
    return names;
}

// The parameter names of transformers' BertModel with one layer, spelled out.
std::set<std::string> hf_bert_names_one_layer(const std::string& prefix) {
    std::set<std::string> out;
    for (const char* n : {"embeddings.word_embeddings.weight",
                          "embeddings.position_embeddings.weight",
                          "embeddings.token_type_embeddings.weight",
                          "embeddings.LayerNorm.weight",
                          "embeddings.LayerNorm.bias",
                          "encoder.layer.0.attention.self.query.weight",
                          "encoder.layer.0.attention.self.query.bias",
                          "encoder.layer.0.attention.self.key.weight",
                          "encoder.layer.0.attention.self.key.bias",
                          "encoder.layer.0.attention.self.value.weight",
                          "encoder.layer.0.attention.self.value.bias",
                          "encoder.layer.0.attention.output.dense.weight",
                          "encoder.layer.0.attention.output.dense.bias",
                          "encoder.layer.0.attention.output.LayerNorm.weight",
                          "encoder.layer.0.attention.output.LayerNorm.bias",
                          "encoder.layer.0.intermediate.dense.weight",
                          "encoder.layer.0.intermediate.dense.bias",
                          "encoder.layer.0.output.dense.weight",
                          "encoder.layer.0.output.dense.bias",
                          "encoder.layer.0.output.LayerNorm.weight",
                          "encoder.layer.0.output.LayerNorm.bias",
                          "pooler.dense.weight",
                          "pooler.dense.bias"})
        out.insert(prefix + n);
    return out;
}

struct Batch {
    torch::Tensor ids, mask, types;
};

Batch sample_batch() {
    Batch b;
    b.ids = torch::tensor({2, 11, 12, 13, 14, 3, 2, 21, 22, 3, 0, 0}, torch::kLong).view({2, 6});
    b.mask = torch::tensor({1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, torch::kLong).view({2, 6});
    b.types = torch::tensor({0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0}, torch::kLong).view({2, 6});
    return b;
}

// Larger random weights than HF's init so that differences are visible.
void randomize(torch::nn::Module& m, std::uint64_t seed) {
    torch::manual_seed(seed);
    torch::NoGradGuard no_grad;
    for (auto& p : m.parameters())
        p.normal_(0.0, 0.3);
}

}  // namespace

class TestBertModel : public QObject {
    Q_OBJECT

private slots:
    void parameter_names_are_hf_names();
    void classification_names_are_hf_names();
    void output_shapes();
    void init_matches_hf();
    void padding_does_not_change_real_tokens();
    void mask_and_type_defaults();
    void dropout_only_in_training();
    void activations_differ();
    void input_errors();
    void gradients_reach_every_parameter();
    void extended_mask_values();
};

void TestBertModel::parameter_names_are_hf_names() {
    BertConfig c = small_config();
    c.num_hidden_layers = 1;
    BertModel model(c);
    QCOMPARE(parameter_names(*model), hf_bert_names_one_layer(""));
    QVERIFY(model->named_buffers().is_empty());

    BertModel two(small_config());
    auto names = parameter_names(*two);
    QCOMPARE(names.size(), std::size_t(5 + 2 * 16 + 2));
    QVERIFY(names.count("encoder.layer.1.output.LayerNorm.bias"));
    QCOMPARE(two->encoder->layers.size(), std::size_t(2));
}

void TestBertModel::classification_names_are_hf_names() {
    BertConfig c = small_config();
    c.num_hidden_layers = 1;
    BertForSequenceClassification model(c, /*num_labels=*/3, /*classifier_dropout=*/0.1);
    auto expected = hf_bert_names_one_layer("bert.");
    expected.insert("classifier.weight");
    expected.insert("classifier.bias");
    QCOMPARE(parameter_names(*model), expected);
    QCOMPARE(model->classifier->weight.sizes(), (torch::IntArrayRef{3, 16}));
}

void TestBertModel::output_shapes() {
    BertForSequenceClassification model(small_config(), 5, 0.1);
    model->eval();
    Batch b = sample_batch();
    torch::NoGradGuard no_grad;
    auto out = model->bert(b.ids, b.mask, b.types);
    QCOMPARE(out.last_hidden_state.sizes(), (torch::IntArrayRef{2, 6, 16}));
    QCOMPARE(out.pooled.sizes(), (torch::IntArrayRef{2, 16}));
    QCOMPARE(model(b.ids, b.mask, b.types).sizes(), (torch::IntArrayRef{2, 5}));
    // Pooled output is tanh(dense(CLS)).
    auto pooled = torch::tanh(model->bert->pooler->dense(out.last_hidden_state.select(1, 0)));
    QVERIFY(torch::allclose(pooled, out.pooled));
}

void TestBertModel::init_matches_hf() {
    BertConfig c = small_config();
    c.vocab_size = 400;
    c.hidden_size = 64;
    c.num_attention_heads = 4;
    c.pad_token_id = 5;
    BertForSequenceClassification model(c, 2, 0.1);
    torch::manual_seed(3);
    init_bert_weights(*model, /*initializer_range=*/0.05);
    for (const auto& p : model->named_parameters()) {
        const std::string& name = p.key();
        const auto& t = p.value();
        const bool is_norm = name.find("LayerNorm") != std::string::npos;
        if (is_norm && name.find(".weight") != std::string::npos) {
            QVERIFY2(torch::all(t == 1).item<bool>(), name.c_str());
        } else if (name.find(".bias") != std::string::npos) {
            QVERIFY2(torch::all(t == 0).item<bool>(), name.c_str());
        }
    }
    auto word = model->bert->embeddings->word_embeddings->weight;
    QVERIFY(torch::all(word[5] == 0).item<bool>());
    auto others = torch::cat({word.slice(0, 0, 5), word.slice(0, 6)});
    QVERIFY(std::abs(others.std().item<double>() - 0.05) < 0.003);
    QVERIFY(std::abs(others.mean().item<double>()) < 0.003);
    auto query = model->bert->encoder->layers[1]->attention->self_attention->query->weight;
    QVERIFY(std::abs(query.std().item<double>() - 0.05) < 0.005);
    QVERIFY(std::abs(model->classifier->weight.std().item<double>() - 0.05) < 0.02);

    // The same seed gives the same weights.
    BertModel a(small_config()), b(small_config());
    torch::manual_seed(9);
    init_bert_weights(*a);
    torch::manual_seed(9);
    init_bert_weights(*b);
    QVERIFY(torch::equal(a->pooler->dense->weight, b->pooler->dense->weight));
}

void TestBertModel::padding_does_not_change_real_tokens() {
    BertModel model(small_config());
    randomize(*model, 1);
    model->eval();
    torch::NoGradGuard no_grad;
    auto ids = torch::tensor({2, 7, 8, 9, 3}, torch::kLong).view({1, 5});
    auto short_out = model(ids, torch::ones_like(ids), torch::zeros_like(ids));
    // Same tokens followed by three padding positions with arbitrary ids.
    auto padded_ids = torch::tensor({2, 7, 8, 9, 3, 0, 17, 4}, torch::kLong).view({1, 8});
    auto padded_mask = torch::tensor({1, 1, 1, 1, 1, 0, 0, 0}, torch::kLong).view({1, 8});
    auto padded_out = model(padded_ids, padded_mask, torch::zeros_like(padded_ids));
    auto real = padded_out.last_hidden_state.slice(/*dim=*/1, 0, 5);
    QVERIFY((real - short_out.last_hidden_state).abs().max().item<double>() < 1e-5);
    QVERIFY((padded_out.pooled - short_out.pooled).abs().max().item<double>() < 1e-5);

    // Unmasking the padding does change the real tokens (the mask is what hides them).
    auto unmasked = model(padded_ids, torch::ones_like(padded_ids), torch::zeros_like(padded_ids));
    QVERIFY((unmasked.pooled - short_out.pooled).abs().max().item<double>() > 1e-3);

    // A bool mask works like an integer one.
    auto bool_out = model(padded_ids, padded_mask.to(torch::kBool), torch::zeros_like(padded_ids));
    QVERIFY(torch::allclose(bool_out.pooled, padded_out.pooled));
}

void TestBertModel::mask_and_type_defaults() {
    BertModel model(small_config());
    randomize(*model, 2);
    model->eval();
    torch::NoGradGuard no_grad;
    Batch b = sample_batch();
    auto full = model(b.ids, torch::ones_like(b.ids), torch::zeros_like(b.ids));
    auto defaults = model(b.ids, torch::Tensor(), torch::Tensor());
    QVERIFY(torch::equal(full.last_hidden_state, defaults.last_hidden_state));
    // Token types matter.
    auto typed = model(b.ids, torch::ones_like(b.ids), b.types);
    QVERIFY(!torch::allclose(typed.last_hidden_state, full.last_hidden_state));
}

void TestBertModel::dropout_only_in_training() {
    BertConfig c = small_config();
    c.hidden_dropout_prob = 0.3;
    c.attention_probs_dropout_prob = 0.3;
    BertForSequenceClassification model(c, 2, 0.3);
    randomize(*model, 3);
    Batch b = sample_batch();
    torch::NoGradGuard no_grad;
    model->eval();
    auto e1 = model(b.ids, b.mask, b.types);
    auto e2 = model(b.ids, b.mask, b.types);
    QVERIFY(torch::equal(e1, e2));
    model->train();
    auto t1 = model(b.ids, b.mask, b.types);
    auto t2 = model(b.ids, b.mask, b.types);
    QVERIFY(!torch::allclose(t1, t2));
    QVERIFY(!torch::allclose(t1, e1));

    // Zero dropout everywhere: training mode equals eval mode.
    BertConfig none = small_config();
    none.hidden_dropout_prob = 0.0;
    none.attention_probs_dropout_prob = 0.0;
    BertForSequenceClassification plain(none, 2, 0.0);
    randomize(*plain, 3);
    plain->train();
    auto p_train = plain(b.ids, b.mask, b.types);
    plain->eval();
    QVERIFY(torch::allclose(p_train, plain(b.ids, b.mask, b.types)));
}

void TestBertModel::activations_differ() {
    Batch b = sample_batch();
    std::vector<torch::Tensor> outs;
    for (const char* act : {"gelu", "gelu_new", "relu"}) {
        BertConfig c = small_config();
        c.hidden_act = act;
        BertModel model(c);
        randomize(*model, 4);
        model->eval();
        torch::NoGradGuard no_grad;
        outs.push_back(model(b.ids, b.mask, b.types).last_hidden_state);
    }
    // gelu and its tanh approximation are close but not identical; relu is clearly different.
    const double gelu_vs_tanh = (outs[0] - outs[1]).abs().max().item<double>();
    QVERIFY(gelu_vs_tanh > 0 && gelu_vs_tanh < 0.05);
    QVERIFY((outs[0] - outs[2]).abs().max().item<double>() > 0.05);

    auto x = torch::linspace(-4, 4, 81, torch::kDouble);
    auto erf_gelu = x * 0.5 * (1 + torch::erf(x / std::sqrt(2.0)));
    QVERIFY(torch::allclose(apply_activation(Activation::Gelu, x), erf_gelu));
    QVERIFY((apply_activation(Activation::GeluTanh, x) - erf_gelu).abs().max().item<double>() <
            1e-3);
    QVERIFY_THROWS_EXCEPTION(Error, activation_from_name("swish"));
}

void TestBertModel::input_errors() {
    BertModel model(small_config());
    auto long_ids = torch::ones({1, 21}, torch::kLong);
    try {
        model(long_ids, torch::Tensor(), torch::Tensor());
        QFAIL("no error");
    } catch (const Error& e) {
        QVERIFY2(std::string(e.what()).find("max_position_embeddings (20)") != std::string::npos,
                 e.what());
    }
    auto ids = torch::ones({2, 4}, torch::kLong);
    QVERIFY_THROWS_EXCEPTION(Error, model(ids, torch::ones({2, 5}, torch::kLong), torch::Tensor()));
    QVERIFY_THROWS_EXCEPTION(Error, model(ids, torch::Tensor(), torch::ones({1, 4}, torch::kLong)));
    QVERIFY_THROWS_EXCEPTION(
        Error, model(torch::ones({4}, torch::kLong), torch::Tensor(), torch::Tensor()));
    BertConfig bad = small_config();
    bad.num_attention_heads = 3;
    QVERIFY_THROWS_EXCEPTION(Error, BertModel{bad});
    QVERIFY_THROWS_EXCEPTION(Error, BertForSequenceClassification(small_config(), 0, 0.1));
}

void TestBertModel::gradients_reach_every_parameter() {
    BertForSequenceClassification model(small_config(), 3, 0.1);
    torch::manual_seed(5);
    init_bert_weights(*model);
    model->train();
    Batch b = sample_batch();
    auto logits = model(b.ids, b.mask, b.types);
    auto loss = torch::nn::functional::cross_entropy(logits, torch::tensor({0, 2}, torch::kLong));
    loss.backward();
    for (const auto& p : model->named_parameters()) {
        QVERIFY2(p.value().grad().defined(), p.key().c_str());
        // Row 0 (padding) of the word embeddings may get zero gradient; everything else moves.
        QVERIFY2(p.value().grad().abs().sum().item<double>() > 0, p.key().c_str());
    }
    // padding_idx: the [PAD] row gets no gradient even though [PAD] tokens were fed.
    auto word_grad = model->bert->embeddings->word_embeddings->weight.grad();
    QVERIFY(torch::all(word_grad[0] == 0).item<bool>());
}

void TestBertModel::extended_mask_values() {
    auto mask = torch::tensor({1, 1, 0}, torch::kLong).view({1, 3});
    auto bias = extended_attention_mask(mask, torch::kFloat);
    QCOMPARE(bias.sizes(), (torch::IntArrayRef{1, 1, 1, 3}));
    QCOMPARE(bias[0][0][0][0].item<float>(), 0.0f);
    QCOMPARE(bias[0][0][0][2].item<float>(), std::numeric_limits<float>::lowest());
    auto half = extended_attention_mask(mask, torch::kHalf);
    QCOMPARE(half.scalar_type(), torch::kHalf);
    QCOMPARE(half[0][0][0][2].item<float>(), -65504.0f);
}

QTEST_APPLESS_MAIN(TestBertModel)
#include "tst_bert_model.moc"
