// Task heads and their losses against python3-torch (tests/reference/model/make_head_fixtures.py):
// logits, losses and predictions for every head style, pooling and task, with HF tensor names.

// Torch before Qt: Qt's `slots` macro breaks LibTorch headers included after it.
#include <fstream>
#include <functional>

#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "model/head_losses.h"
#include "model/pooling.h"
#include "model/task_head.h"

#include <QtTest>

using namespace tb;
using namespace tb::model;
using json = nlohmann::json;

namespace {

constexpr double kTolerance = 1e-5;

const json& fixture() {
    static const json data = [] {
        std::ifstream in(TB_FIXTURES_DIR "/model/head_cases.json");
        if (!in)
            qFatal("cannot open head_cases.json");
        return json::parse(in);
    }();
    return data;
}

torch::Tensor tensor_from_json(const json& value, torch::Dtype dtype = torch::kFloat) {
    std::vector<std::int64_t> shape;
    const json* level = &value;
    while (level->is_array()) {
        shape.push_back(static_cast<std::int64_t>(level->size()));
        if (level->empty())
            break;
        level = &(*level)[0];
    }
    std::vector<double> flat;
    std::function<void(const json&)> collect = [&](const json& v) {
        if (v.is_array())
            for (const auto& x : v)
                collect(x);
        else
            flat.push_back(v.get<double>());
    };
    collect(value);
    return torch::tensor(flat, torch::kDouble).view(shape).to(dtype);
}

double max_diff(const torch::Tensor& a, const torch::Tensor& b) {
    return (a.to(torch::kDouble) - b.to(torch::kDouble)).abs().max().item<double>();
}

void load_weights(TaskHead& head, const json& weights) {
    torch::NoGradGuard no_grad;
    auto params = head.named_parameters();
    QCOMPARE(params.size(), weights.size());
    for (auto it = weights.begin(); it != weights.end(); ++it) {
        auto* p = params.find(it.key());
        QVERIFY2(p != nullptr, qPrintable(QString::fromStdString("no parameter " + it.key())));
        p->copy_(tensor_from_json(it.value()));
    }
}

HeadOptions options_for(const json& c) {
    HeadOptions o;
    o.kind = head_kind_from_name(c["kind"].get<std::string>());
    o.style = head_style_from_name(c["style"].get<std::string>());
    o.pooling = pooling_from_name(c["pooling"].get<std::string>());
    o.hidden_size = 8;
    o.num_outputs = c["num_outputs"].get<std::int64_t>();
    if (c.contains("pos_weight"))
        o.pos_weight = c["pos_weight"].get<std::vector<float>>();
    if (c.contains("thresholds"))
        o.thresholds = c["thresholds"].get<std::vector<float>>();
    if (c.contains("target_mean")) {
        o.target_mean = c["target_mean"].get<double>();
        o.target_std = c["target_std"].get<double>();
    }
    return o;
}

bool throws_error(const std::function<void()>& f, std::string* message = nullptr) {
    try {
        f();
    } catch (const tb::Error& e) {
        if (message)
            *message = e.what();
        return true;
    }
    return false;
}

}  // namespace

class TestTaskHeads : public QObject {
    Q_OBJECT

private slots:
    void masked_mean_pooling_matches_torch() {
        const auto& f = fixture();
        const auto hidden = tensor_from_json(f["hidden"]);
        const auto mask = tensor_from_json(f["mask"], torch::kLong);
        QVERIFY(max_diff(masked_mean_pooling(hidden, mask), tensor_from_json(f["masked_mean"])) <
                kTolerance);
        // A row without any real token pools to zeros, not NaN.
        const auto zero_mask = tensor_from_json(f["zero_mask"], torch::kLong);
        const auto pooled = masked_mean_pooling(hidden, zero_mask);
        QVERIFY(max_diff(pooled, tensor_from_json(f["masked_mean_zero_row"])) < kTolerance);
        QCOMPARE(pooled[1].abs().sum().item<double>(), 0.0);
        QVERIFY(throws_error([&] { masked_mean_pooling(hidden, mask.slice(1, 0, 3)); }));
    }

    void losses_match_torch() {
        const auto& f = fixture();
        const auto& ce = f["cross_entropy"];
        auto loss = classification_loss(tensor_from_json(ce["logits"]),
                                        tensor_from_json(ce["labels"], torch::kLong));
        QVERIFY(std::fabs(loss.item<double>() - ce["loss"].get<double>()) < kTolerance);

        const auto& bce = f["bce"];
        loss = multi_label_loss(tensor_from_json(bce["logits"]), tensor_from_json(bce["targets"]),
                                tensor_from_json(bce["pos_weight"]));
        QVERIFY(std::fabs(loss.item<double>() - bce["loss"].get<double>()) < kTolerance);
        loss = multi_label_loss(tensor_from_json(bce["logits"]), tensor_from_json(bce["targets"]),
                                torch::Tensor());
        QVERIFY(std::fabs(loss.item<double>() - bce["loss_no_weight"].get<double>()) < kTolerance);

        const auto& mse = f["mse"];
        loss =
            regression_loss(tensor_from_json(mse["predictions"]), tensor_from_json(mse["targets"]));
        QVERIFY(std::fabs(loss.item<double>() - mse["loss"].get<double>()) < kTolerance);
    }

    void sequence_heads_match_torch_data() {
        QTest::addColumn<int>("index");
        const auto& heads = fixture()["heads"];
        for (std::size_t i = 0; i < heads.size(); ++i) {
            const auto& c = heads[i];
            const auto name = c["kind"].get<std::string>() + "/" + c["style"].get<std::string>() +
                              "/" + c["pooling"].get<std::string>();
            QTest::newRow(name.c_str()) << static_cast<int>(i);
        }
    }

    void sequence_heads_match_torch() {
        QFETCH(int, index);
        const auto& f = fixture();
        const auto& c = f["heads"][static_cast<std::size_t>(index)];
        auto head = make_task_head(options_for(c));
        load_weights(*head, c["weights"]);
        head->eval();
        const auto logits =
            head->forward(tensor_from_json(f["hidden"]), tensor_from_json(f["mask"], torch::kLong),
                          tensor_from_json(f["pooled"]));
        const auto expected = tensor_from_json(c["logits"]);
        QCOMPARE(logits.sizes().vec(), expected.sizes().vec());
        QVERIFY(max_diff(logits, expected) < kTolerance);
        const auto kind = head->options().kind;
        const auto labels = tensor_from_json(
            c["labels"], kind == HeadKind::SequenceClassification ? torch::kLong : torch::kFloat);
        const auto loss = head->loss(logits, labels);
        QVERIFY(std::fabs(loss.item<double>() - c["loss"].get<double>()) < kTolerance);
        const auto predictions = head->predict(logits);
        QVERIFY(max_diff(predictions, tensor_from_json(c["predictions"], torch::kDouble)) <
                kTolerance);
    }

    void token_head_matches_torch() {
        const auto& f = fixture();
        const auto& c = f["token"];
        HeadOptions o;
        o.kind = HeadKind::TokenClassification;
        o.hidden_size = 8;
        o.num_outputs = c["num_outputs"].get<std::int64_t>();
        auto head = make_task_head(o);
        load_weights(*head, c["weights"]);
        head->eval();
        const auto logits = head->forward(tensor_from_json(f["hidden"]), {}, {});
        QVERIFY(max_diff(logits, tensor_from_json(c["logits"])) < kTolerance);
        const auto labels = tensor_from_json(c["labels"], torch::kLong);
        QVERIFY(std::fabs(head->loss(logits, labels).item<double>() - c["loss"].get<double>()) <
                kTolerance);
        QVERIFY(max_diff(head->predict(logits), tensor_from_json(c["predictions"], torch::kLong)) ==
                0.0);
        QVERIFY(throws_error([&] { head->loss(logits, labels.slice(1, 0, 4)); }));
    }

    void all_ignored_labels_give_zero_loss_not_nan() {
        HeadOptions o;
        o.kind = HeadKind::TokenClassification;
        o.hidden_size = 4;
        o.num_outputs = 3;
        auto head = make_task_head(o);
        const auto hidden = torch::randn({2, 3, 4}, torch::requires_grad());
        const auto loss = head->loss(head->forward(hidden, {}, {}), torch::full({2, 3}, -100L));
        QCOMPARE(loss.item<double>(), 0.0);
        loss.backward();  // still part of the graph
        QVERIFY(hidden.grad().defined());
        QVERIFY(throws_error([] {
            classification_loss(torch::zeros({2, 3}), torch::tensor({0L, 3L}));
        }));
    }

    void parameter_names_follow_hugging_face() {
        struct Expect {
            HeadStyle style;
            std::vector<std::string> names;
        };
        const std::vector<Expect> expects{
            {HeadStyle::Bert, {"classifier.weight", "classifier.bias"}},
            {HeadStyle::DistilBert,
             {"pre_classifier.weight", "pre_classifier.bias", "classifier.weight",
              "classifier.bias"}},
            {HeadStyle::Roberta,
             {"classifier.dense.weight", "classifier.dense.bias", "classifier.out_proj.weight",
              "classifier.out_proj.bias"}}};
        for (const auto& e : expects) {
            HeadOptions o;
            o.style = e.style;
            o.hidden_size = 6;
            o.num_outputs = 3;
            auto head = make_task_head(o);
            // Registered on a task model: names are top-level, as in HF task checkpoints.
            torch::nn::Module task_model;
            task_model.register_module("bert", torch::nn::Linear(2, 2));
            register_head_modules(task_model, head);
            std::vector<std::string> names;
            for (const auto& p : task_model.named_parameters())
                if (p.key().rfind("bert.", 0) != 0)
                    names.push_back(p.key());
            QCOMPARE(names, e.names);
            // The shared modules mean the task model's tensors are the head's.
            QVERIFY(task_model.named_parameters()[e.names[0]].is_same(
                head->named_parameters()[e.names[0]]));
        }
    }

    void options_are_checked() {
        HeadOptions o;
        o.hidden_size = 4;
        o.kind = HeadKind::MultiLabel;
        o.num_outputs = 3;
        o.thresholds = {0.5f, 0.5f};
        QVERIFY(throws_error([&] { make_task_head(o); }));
        o.thresholds = {0.5f, 1.0f, 0.2f};
        QVERIFY(throws_error([&] { make_task_head(o); }));
        o.thresholds = {};
        o.pos_weight = {1.0f, -1.0f, 1.0f};
        QVERIFY(throws_error([&] { make_task_head(o); }));
        o.kind = HeadKind::SequenceClassification;
        o.pos_weight = {};
        o.num_outputs = 0;
        QVERIFY(throws_error([&] { make_task_head(o); }));
        o.kind = HeadKind::Regression;  // forced to one output
        QCOMPARE(make_task_head(o)->options().num_outputs, std::int64_t(1));
        // Pooler pooling on an encoder without a pooler says what to choose instead.
        HeadOptions p;
        p.hidden_size = 4;
        auto head = make_task_head(p);
        std::string message;
        QVERIFY(throws_error([&] { head->forward(torch::zeros({1, 2, 4}), {}, {}); }, &message));
        QVERIFY(message.find("cls") != std::string::npos);
    }

    void regression_normalisation_is_recorded_and_inverted() {
        const auto stats = fit_target_normalization({1.0, 2.0, 3.0, 4.0});
        QCOMPARE(stats.mean, 2.5);
        QVERIFY(std::fabs(stats.std - std::sqrt(1.25)) < 1e-12);
        QCOMPARE(fit_target_normalization({5.0, 5.0}).std, 1.0);
        QCOMPARE(fit_target_normalization({}).mean, 0.0);
    }
};

QTEST_MAIN(TestTaskHeads)
#include "tst_task_heads.moc"
