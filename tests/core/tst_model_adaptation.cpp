// Freezing, parameter groups and FGM on a tiny BERT + head trained with AdamW (weight decay on):
// frozen tensors stay bit-identical, the rest change; FGM restores the embeddings exactly.

// Torch before Qt: Qt's `slots` macro breaks LibTorch headers included after it.
#include <functional>

#include <torch/torch.h>

#include "common/error.h"
#include "model/bert_model.h"
#include "model/fgm.h"
#include "model/module_freezing.h"
#include "model/optimizer_param_groups.h"
#include "model/task_head.h"
#include "model/weight_loading.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace tb;
using namespace tb::model;

namespace {

BertConfig tiny_config() {
    BertConfig c;
    c.vocab_size = 40;
    c.hidden_size = 16;
    c.num_hidden_layers = 3;
    c.num_attention_heads = 2;
    c.intermediate_size = 32;
    c.max_position_embeddings = 16;
    return c;
}

// A task model assembled the way the engine does it: encoder under its HF prefix, head modules
// at the top level (HF names "bert.…" and "classifier.…").
struct TinyTaskModel : torch::nn::Module {
    TinyTaskModel() {
        torch::manual_seed(3);
        bert = register_module("bert", BertModel(tiny_config()));
        init_bert_weights(*bert);
        HeadOptions o;
        o.hidden_size = 16;
        o.num_outputs = 3;
        head = make_task_head(o);
        register_head_modules(*this, head);
    }
    torch::Tensor loss(const torch::Tensor& ids, const torch::Tensor& mask,
                       const torch::Tensor& labels) {
        const auto out = bert->forward(ids, mask, {});
        return head->loss(head->forward(out.last_hidden_state, mask, out.pooled), labels);
    }
    BertModel bert{nullptr};
    std::shared_ptr<TaskHead> head;
};

struct Batch {
    torch::Tensor ids, mask, labels;
};

Batch make_batch(std::int64_t seed) {
    torch::manual_seed(seed);
    Batch b;
    b.ids = torch::randint(1, 40, {4, 10}, torch::kLong);
    b.mask = torch::ones({4, 10}, torch::kLong);
    b.mask.index_put_({0, torch::indexing::Slice(6, torch::indexing::None)}, 0);
    b.labels = torch::randint(0, 3, {4}, torch::kLong);
    return b;
}

std::map<std::string, torch::Tensor> snapshot(const torch::nn::Module& m) {
    std::map<std::string, torch::Tensor> out;
    for (const auto& p : m.named_parameters())
        out[p.key()] = p.value().detach().clone();
    return out;
}

bool throws_error(const std::function<void()>& f) {
    try {
        f();
    } catch (const tb::Error&) {
        return true;
    }
    return false;
}

}  // namespace

class TestModelAdaptation : public QObject {
    Q_OBJECT

private slots:
    void frozen_tensors_stay_bit_identical_under_adamw() {
        TinyTaskModel model;
        model.train();
        const FreezeOptions freeze{/*embeddings=*/true, /*first_layers=*/2};
        const auto frozen = apply_freezing(model, freeze);
        QVERIFY(!frozen.empty());
        for (const auto& name : frozen)
            QVERIFY(name.rfind("bert.embeddings.", 0) == 0 ||
                    name.rfind("bert.encoder.layer.0.", 0) == 0 ||
                    name.rfind("bert.encoder.layer.1.", 0) == 0);

        // Live counts: the module as it is, and the name-only estimate the UI uses.
        const auto counts = count_parameters(model);
        const auto estimate = count_parameters(parameter_infos(TinyTaskModel()), freeze);
        QCOMPARE(counts.total, estimate.total);
        QCOMPARE(counts.trainable, estimate.trainable);
        QVERIFY(counts.trainable < counts.total);
        QCOMPARE(counts.num_layers, 3);

        ParameterGroupOptions group_options;
        group_options.weight_decay = 0.1;  // decay must not touch frozen tensors
        group_options.layer_decay = 0.8;
        group_options.head_lr_multiplier = 2.0;
        auto groups = adamw_param_groups(model, group_options, /*base_lr=*/1e-2);
        std::size_t in_optimizer = 0;
        for (const auto& g : groups.groups)
            in_optimizer += g.params().size();
        QCOMPARE(in_optimizer, trainable_parameters(model).size());
        torch::optim::AdamW optimizer(std::move(groups.groups),
                                      torch::optim::AdamWOptions(1e-2).weight_decay(0.1));

        const auto before = snapshot(model);
        for (int step = 0; step < 4; ++step) {
            const auto batch = make_batch(100 + step);
            optimizer.zero_grad();
            model.loss(batch.ids, batch.mask, batch.labels).backward();
            optimizer.step();
        }
        const auto after = snapshot(model);
        for (const auto& [name, tensor] : before) {
            const bool is_frozen_now =
                std::find(frozen.begin(), frozen.end(), name) != frozen.end();
            if (is_frozen_now)
                QVERIFY2(torch::equal(tensor, after.at(name)), name.c_str());
            else if (name.find("attention.self.key.bias") == std::string::npos)
                // (the key bias shifts every score of a query equally, so softmax gives it a zero
                // gradient up to rounding; whether it moves is not a property of freezing)
                QVERIFY2(!torch::equal(tensor, after.at(name)), name.c_str());
        }
    }

    // Why frozen parameters are kept out of the optimizer: AdamW decays any parameter in its
    // groups that has a gradient, even an all-zero one (e.g. left by zero_grad()).
    void adamw_decays_parameters_with_zero_gradient() {
        auto p = torch::ones({3}, torch::requires_grad());
        torch::optim::AdamW optimizer({p}, torch::optim::AdamWOptions(0.1).weight_decay(0.5));
        p.mutable_grad() = torch::zeros({3});
        const auto before = p.detach().clone();
        optimizer.step();
        QVERIFY(!torch::equal(before, p.detach()));
    }

    void groups_set_learning_rates_per_layer() {
        TinyTaskModel model;
        ParameterGroupOptions o;
        o.layer_decay = 0.5;
        o.encoder_lr_multiplier = 0.1;
        auto groups = adamw_param_groups(model, o, /*base_lr=*/1.0);
        const auto query0 =
            model.named_parameters()["bert.encoder.layer.0.attention.self.query.weight"];
        const auto classifier = model.named_parameters()["classifier.weight"];
        const auto word = model.named_parameters()["bert.embeddings.word_embeddings.weight"];
        auto lr_of = [&](const torch::Tensor& t) {
            for (std::size_t i = 0; i < groups.groups.size(); ++i)
                for (const auto& p : groups.groups[i].params())
                    if (p.is_same(t)) {
                        const auto& opts = static_cast<const torch::optim::AdamWOptions&>(
                            groups.groups[i].options());
                        // base_lr is 1, so the group's lr is its multiplier
                        return opts.lr() == groups.lr_multipliers[i] ? opts.lr() : -2.0;
                    }
            return -1.0;
        };
        QVERIFY(std::fabs(lr_of(query0) - 0.1 * 0.25) < 1e-15);  // L = 3: decay^(3-1-0)
        QVERIFY(std::fabs(lr_of(word) - 0.1 * 0.125) < 1e-15);   // embeddings: decay^3
        QCOMPARE(lr_of(classifier), 1.0);

        // A frozen parameter named in a group is refused.
        apply_freezing(model, FreezeOptions{true, 0});
        ParameterGroup g{{"bert.embeddings.word_embeddings.weight"}, 1.0, 0.0};
        QVERIFY(throws_error([&] { adamw_param_groups(model, {g}, 1.0); }));
        ParameterGroup missing{{"no.such.weight"}, 1.0, 0.0};
        QVERIFY(throws_error([&] { adamw_param_groups(model, {missing}, 1.0); }));
    }

    void fgm_perturbs_by_epsilon_and_restores_exactly() {
        TinyTaskModel model;
        model.eval();  // no dropout: the two forward passes differ only by the perturbation
        auto weight = find_word_embeddings(model);
        QVERIFY(weight.is_same(model.bert->embeddings->word_embeddings->weight));
        const double epsilon = 0.5;
        Fgm fgm(weight, epsilon);
        QVERIFY(!fgm.attack());  // no gradient yet: nothing happens
        QVERIFY(!fgm.attacked());

        const auto batch = make_batch(7);
        const auto clean_loss = model.loss(batch.ids, batch.mask, batch.labels);
        clean_loss.backward();
        const auto grad = weight.grad().detach().clone();
        const auto original = weight.detach().clone();

        QVERIFY(fgm.attack());
        QVERIFY(throws_error([&] { fgm.attack(); }));
        const auto delta = (weight.detach() - original).to(torch::kDouble);
        QVERIFY(std::fabs(delta.norm().item<double>() - epsilon) < 1e-5);
        const auto expected = grad.to(torch::kDouble) * (epsilon / grad.to(torch::kDouble).norm());
        QVERIFY((delta - expected).abs().max().item<double>() < 1e-6);

        const auto adversarial_loss = model.loss(batch.ids, batch.mask, batch.labels);
        QVERIFY(adversarial_loss.item<double>() != clean_loss.item<double>());
        adversarial_loss.backward();  // gradients add up
        QVERIFY(!torch::equal(weight.grad(), grad));
        fgm.restore();
        QVERIFY(torch::equal(weight.detach(), original));  // bit-identical
        QVERIFY(!fgm.attacked());
        fgm.restore();  // harmless
        QVERIFY(torch::equal(weight.detach(), original));
        QVERIFY(throws_error([&] { Fgm(weight, 0.0); }));
        torch::nn::Linear linear(2, 2);
        QVERIFY(throws_error([&] { find_word_embeddings(*linear); }));
    }

    // The assembled task model's tensors carry Hugging Face's names ("bert.…", "classifier.…"),
    // so a BertForSequenceClassification-style file loads with nothing missing or unexpected.
    void task_model_round_trips_through_hf_names() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const auto path = dir.path().toStdString() + "/model.safetensors";
        TinyTaskModel saved;
        save_module_safetensors(saved, path);
        TinyTaskModel loaded;
        {
            torch::NoGradGuard no_grad;
            for (auto& p : loaded.parameters())
                p.add_(1.0);
        }
        const auto report =
            load_weights(loaded, SafetensorsFile::open(path), "bert.", /*allowed_missing=*/{});
        QVERIFY(report.missing.empty());
        QVERIFY(report.unexpected.empty());
        QVERIFY(report.mismatched.empty());
        const auto want = snapshot(saved);
        for (const auto& [name, tensor] : snapshot(loaded))
            QVERIFY2(torch::equal(tensor, want.at(name)), name.c_str());
        QVERIFY(want.count("classifier.weight") == 1);
        QVERIFY(want.count("bert.pooler.dense.weight") == 1);
    }
};

QTEST_MAIN(TestModelAdaptation)
#include "tst_model_adaptation.moc"
