// BERT forward parity with the independent PyTorch reference in tests/reference/model/.

// Torch before Qt: Qt's `slots` macro breaks LibTorch headers included after it.
#include <fstream>
#include <functional>

#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include "model/bert_config.h"
#include "model/bert_model.h"
#include "model/weight_loading.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace tb;
using namespace tb::model;
using json = nlohmann::json;

namespace {

const std::string kFixture = TB_FIXTURES_DIR "/model/tiny_bert";
const std::string kReferenceScript = TB_SOURCE_DIR "/tests/reference/model/bert_reference.py";
constexpr double kTolerance = 1e-5;

json read_json(const std::string& path) {
    std::ifstream in(path);
    return json::parse(in);
}

// Nested JSON lists -> double tensor.
torch::Tensor tensor_from_json(const json& value) {
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
    return torch::tensor(flat, torch::kDouble).view(shape);
}

double max_abs_diff(const torch::Tensor& actual, const torch::Tensor& expected) {
    return (actual.to(torch::kDouble) - expected).abs().max().item<double>();
}

struct Inputs {
    torch::Tensor ids, mask, types;
};

Inputs inputs_from_json(const json& inputs) {
    return {tensor_from_json(inputs["input_ids"]).to(torch::kLong),
            tensor_from_json(inputs["attention_mask"]).to(torch::kLong),
            tensor_from_json(inputs["token_type_ids"]).to(torch::kLong)};
}

// Runs the reference script; false (with the reason in `why`) if it cannot run here.
bool run_reference(const QStringList& args, QString& why) {
    QProcess python;
    python.start(QStringLiteral(TB_SYSTEM_PYTHON),
                 QStringList{QString::fromStdString(kReferenceScript)} + args);
    if (!python.waitForFinished(120000) || python.exitStatus() != QProcess::NormalExit ||
        python.exitCode() != 0) {
        why = QString::fromLocal8Bit(python.readAllStandardError()).right(800);
        return false;
    }
    return true;
}

bool reference_available() {
    QProcess probe;
    probe.start(QStringLiteral(TB_SYSTEM_PYTHON), {"-c", "import torch, numpy"});
    return probe.waitForFinished(60000) && probe.exitCode() == 0;
}

}  // namespace

class TestBertParity : public QObject {
    Q_OBJECT

private slots:
    void bert_model_matches_committed_reference();
    void classifier_matches_committed_reference();
    void live_reference_gelu_new_and_f16();
};

void TestBertParity::bert_model_matches_committed_reference() {
    const json expected = read_json(kFixture + "/expected.json");
    BertModel model(load_bert_config(kFixture + "/config.json"));
    load_weights(*model, SafetensorsFile::open(kFixture + "/model.safetensors"));
    model->eval();
    torch::NoGradGuard no_grad;
    Inputs in = inputs_from_json(expected["inputs"]);
    BertOutput out = model(in.ids, in.mask, in.types);

    const double hidden_diff =
        max_abs_diff(out.last_hidden_state, tensor_from_json(expected["last_hidden_state"]));
    const double pooled_diff = max_abs_diff(out.pooled, tensor_from_json(expected["pooled"]));
    qInfo("BertModel vs reference: last_hidden_state max|diff| = %.3g, pooled = %.3g", hidden_diff,
          pooled_diff);
    QVERIFY(hidden_diff < kTolerance);
    QVERIFY(pooled_diff < kTolerance);
    // The comparison has teeth: outputs are O(1), not near zero.
    QVERIFY(out.last_hidden_state.abs().max().item<double>() > 1.0);
}

void TestBertParity::classifier_matches_committed_reference() {
    const json expected = read_json(kFixture + "/expected.json");
    const std::int64_t num_labels = expected["num_labels"].get<std::int64_t>();
    BertForSequenceClassification model(load_bert_config(kFixture + "/config.json"), num_labels,
                                        /*classifier_dropout=*/0.1);
    LoadReport report =
        load_weights(*model, SafetensorsFile::open(kFixture + "/seq_cls.safetensors"));
    QVERIFY(report.missing.empty());
    model->eval();
    torch::NoGradGuard no_grad;
    Inputs in = inputs_from_json(expected["inputs"]);
    const double logits_diff =
        max_abs_diff(model(in.ids, in.mask, in.types), tensor_from_json(expected["logits"]));
    const double hidden_diff =
        max_abs_diff(model->bert(in.ids, in.mask, in.types).last_hidden_state,
                     tensor_from_json(expected["last_hidden_state"]));
    qInfo("BertForSequenceClassification vs reference: logits max|diff| = %.3g, hidden = %.3g",
          logits_diff, hidden_diff);
    QVERIFY(logits_diff < kTolerance);
    QVERIFY(hidden_diff < kTolerance);
}

// Weights written by our writer (names, F32 and F16) and read by the reference's own reader.
void TestBertParity::live_reference_gelu_new_and_f16() {
    if (!reference_available())
        QSKIP("system python with torch + numpy is not available");
    QTemporaryDir dir;
    const std::string base = dir.path().toStdString();

    BertConfig config = load_bert_config(kFixture + "/config.json");
    config.hidden_act = "gelu_new";
    config.num_hidden_layers = 3;
    config.type_vocab_size = 3;
    BertForSequenceClassification model(config, /*num_labels=*/2, /*classifier_dropout=*/0.1);
    torch::manual_seed(42);
    {
        torch::NoGradGuard no_grad;
        for (auto& p : model->parameters())
            p.normal_(0.0, 0.25);
    }
    std::ofstream(base + "/config.json") << to_config_json(config);
    save_module_safetensors(*model, base + "/f32.safetensors");

    // The same weights rounded to F16, loaded into a fresh float32 model.
    std::vector<TensorBlob> halves;
    for (const auto& p : model->named_parameters())
        halves.push_back(from_torch(p.key(), p.value().to(torch::kHalf)));
    write_safetensors(base + "/f16.safetensors", halves);
    BertForSequenceClassification from_half(config, 2, 0.1);
    load_weights(*from_half, SafetensorsFile::open(base + "/f16.safetensors"));

    json inputs;
    inputs["input_ids"] = {{2, 9, 31, 77, 3, 0, 0}, {2, 50, 3, 60, 61, 62, 3}};
    inputs["attention_mask"] = {{1, 1, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 1, 1, 1}};
    inputs["token_type_ids"] = {{0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 1, 2, 2, 2}};
    std::ofstream(base + "/inputs.json") << inputs.dump();
    Inputs in = inputs_from_json(inputs);

    model->eval();
    from_half->eval();
    torch::NoGradGuard no_grad;
    for (const char* variant : {"f32", "f16"}) {
        QString why;
        const std::string out_path = base + "/" + variant + "_out.json";
        QVERIFY2(run_reference(
                     {"run", "--config", QString::fromStdString(base + "/config.json"), "--weights",
                      QString::fromStdString(base + "/" + variant + ".safetensors"), "--inputs",
                      QString::fromStdString(base + "/inputs.json"), "--out",
                      QString::fromStdString(out_path), "--prefix", "bert.", "--num-labels", "2"},
                     why),
                 qPrintable(why));
        const json ref = read_json(out_path);
        auto& m = std::string(variant) == "f32" ? model : from_half;
        const double logits_diff =
            max_abs_diff(m(in.ids, in.mask, in.types), tensor_from_json(ref["logits"]));
        const double hidden_diff =
            max_abs_diff(m->bert(in.ids, in.mask, in.types).last_hidden_state,
                         tensor_from_json(ref["last_hidden_state"]));
        qInfo("live reference (%s, gelu_new, 3 layers): logits max|diff| = %.3g, hidden = %.3g",
              variant, logits_diff, hidden_diff);
        QVERIFY(logits_diff < kTolerance);
        QVERIFY(hidden_diff < kTolerance);
        QVERIFY(tensor_from_json(ref["logits"]).abs().max().item<double>() > 0.1);
    }
}

QTEST_APPLESS_MAIN(TestBertParity)
#include "tst_bert_parity.moc"
