// load_weights name mapping and reporting, dtype conversion, and the TensorBlob <-> Torch bridge.

// Torch before Qt: Qt's `slots` macro breaks LibTorch headers included after it.
#include <algorithm>
#include <functional>

#include <torch/torch.h>

#include "common/error.h"
#include "model/bert_config.h"
#include "model/bert_model.h"
#include "model/weight_loading.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace tb;
using namespace tb::model;

namespace {

const std::string kFixture = TB_FIXTURES_DIR "/model/tiny_bert";

BertConfig fixture_config() {
    return load_bert_config(kFixture + "/config.json");
}

bool has(const std::vector<std::string>& items, const std::string& item) {
    return std::find(items.begin(), items.end(), item) != items.end();
}

bool contains(const std::string& text, const std::string& fragment) {
    return text.find(fragment) != std::string::npos;
}

// The fixture's tensors, optionally renamed/filtered/converted, written to a new file.
std::string rewrite_fixture(const QTemporaryDir& dir, const std::string& name,
                            const std::function<bool(TensorBlob&)>& edit) {
    auto file = SafetensorsFile::open(kFixture + "/model.safetensors");
    std::vector<TensorBlob> blobs;
    for (const auto& e : file.entries()) {
        TensorBlob blob = file.read(e.name);
        if (edit(blob))
            blobs.push_back(std::move(blob));
    }
    const std::string path = dir.path().toStdString() + "/" + name;
    write_safetensors(path, blobs);
    return path;
}

torch::Tensor fixture_tensor(const std::string& name) {
    return to_torch(SafetensorsFile::open(kFixture + "/model.safetensors").read(name));
}

Error load_error(torch::nn::Module& module, const std::string& path) {
    try {
        load_weights(module, SafetensorsFile::open(path));
    } catch (const Error& e) {
        return e;
    }
    throw std::runtime_error("expected a load error for " + path);
}

}  // namespace

class TestModelWeightLoading : public QObject {
    Q_OBJECT

private slots:
    void unprefixed_file_into_bert_model();
    void prefixed_file_into_bert_model();
    void unprefixed_file_into_classifier_keeps_new_head();
    void prefixed_file_into_classifier();
    void missing_tensors_are_listed_by_name_and_shape();
    void mismatched_shapes_are_listed();
    void mismatched_head_is_allowed();
    void pretraining_checkpoint_extras_are_unexpected();
    void half_precision_weights_convert();
    void sharded_files_load_together();
    void blob_torch_round_trip_every_dtype();
    void to_torch_rejects_wrong_byte_count();
    void save_module_round_trip();
};

void TestModelWeightLoading::unprefixed_file_into_bert_model() {
    BertModel model(fixture_config());
    LoadReport report =
        load_weights(*model, SafetensorsFile::open(kFixture + "/model.safetensors"));
    QCOMPARE(report.loaded.size(), model->named_parameters().size());
    QVERIFY(report.missing.empty());
    QVERIFY(report.unexpected.empty());
    QVERIFY(report.mismatched.empty());
    QVERIFY(torch::equal(model->encoder->layers[1]->output->dense->weight,
                         fixture_tensor("encoder.layer.1.output.dense.weight")));
    QVERIFY(contains(report.summary(), "loaded 39 tensors"));
}

void TestModelWeightLoading::prefixed_file_into_bert_model() {
    BertModel model(fixture_config());
    LoadReport report =
        load_weights(*model, SafetensorsFile::open(kFixture + "/seq_cls.safetensors"));
    QCOMPARE(report.loaded.size(), std::size_t(39));
    QVERIFY(report.missing.empty());
    QCOMPARE(report.unexpected,
             (std::vector<std::string>{"classifier.bias [3]", "classifier.weight [3, 32]"}));
    QVERIFY(torch::equal(model->embeddings->word_embeddings->weight,
                         fixture_tensor("embeddings.word_embeddings.weight")));
    QVERIFY(contains(report.summary(), "2 unexpected"));
    QVERIFY(contains(report.summary(), "classifier.weight [3, 32]"));
}

void TestModelWeightLoading::unprefixed_file_into_classifier_keeps_new_head() {
    BertForSequenceClassification model(fixture_config(), 4, 0.1);
    torch::manual_seed(1);
    init_bert_weights(*model);
    const auto head_before = model->classifier->weight.clone();
    LoadReport report =
        load_weights(*model, SafetensorsFile::open(kFixture + "/model.safetensors"));
    QCOMPARE(report.loaded.size(), std::size_t(39));
    QCOMPARE(report.missing,
             (std::vector<std::string>{"classifier.weight [4, 32]", "classifier.bias [4]"}));
    QVERIFY(report.unexpected.empty());
    QVERIFY(torch::equal(model->classifier->weight, head_before));
    QVERIFY(torch::equal(model->bert->pooler->dense->bias, fixture_tensor("pooler.dense.bias")));
    QVERIFY(has(report.loaded, "bert.pooler.dense.bias"));
}

void TestModelWeightLoading::prefixed_file_into_classifier() {
    BertForSequenceClassification model(fixture_config(), 3, 0.1);
    auto file = SafetensorsFile::open(kFixture + "/seq_cls.safetensors");
    LoadReport report = load_weights(*model, file);
    QCOMPARE(report.loaded.size(), std::size_t(41));
    QVERIFY(report.missing.empty() && report.unexpected.empty() && report.mismatched.empty());
    QVERIFY(torch::equal(model->classifier->bias, to_torch(file.read("classifier.bias"))));
}

void TestModelWeightLoading::missing_tensors_are_listed_by_name_and_shape() {
    QTemporaryDir dir;
    const std::string path = rewrite_fixture(dir, "partial.safetensors", [](TensorBlob& b) {
        return b.name != "encoder.layer.1.output.dense.weight" &&
               b.name != "embeddings.LayerNorm.bias";
    });
    BertModel model(fixture_config());
    Error e = load_error(*model, path);
    const std::string what = e.what();
    QVERIFY2(contains(what, "2 model tensor(s) could not be loaded"), what.c_str());
    QVERIFY2(contains(what, "missing: encoder.layer.1.output.dense.weight [32, 64]"), what.c_str());
    QVERIFY2(contains(what, "missing: embeddings.LayerNorm.bias [32]"), what.c_str());
    QCOMPARE(e.where().file, path);
    QCOMPARE(e.where().key, std::string("embeddings.LayerNorm.bias"));

    // Allowing the prefix makes the same file load, with the gaps reported.
    LoadReport report = load_weights(*model, SafetensorsFile::open(path), "bert.",
                                     {"encoder.layer.1.", "embeddings.LayerNorm."});
    QCOMPARE(report.missing.size(), std::size_t(2));
    QCOMPARE(report.loaded.size(), std::size_t(37));
}

void TestModelWeightLoading::mismatched_shapes_are_listed() {
    BertConfig other = fixture_config();
    other.intermediate_size = 48;
    other.vocab_size = 120;
    BertModel model(other);
    const std::string path = kFixture + "/model.safetensors";
    Error e = load_error(*model, path);
    const std::string what = e.what();
    QVERIFY2(contains(what,
                      "shape mismatch: embeddings.word_embeddings.weight: file [100, 32] "
                      "vs model [120, 32]"),
             what.c_str());
    QVERIFY2(contains(what,
                      "encoder.layer.0.intermediate.dense.weight: file [64, 32] vs model "
                      "[48, 32]"),
             what.c_str());
    QVERIFY2(contains(what, "encoder.layer.1.output.dense.weight: file [32, 64] vs model [32, 48]"),
             what.c_str());
    // 1 embedding + per layer: intermediate weight+bias, output weight.
    QVERIFY2(contains(what, "7 model tensor(s)"), what.c_str());
}

void TestModelWeightLoading::mismatched_head_is_allowed() {
    // A fine-tuned checkpoint with 3 labels loaded for a 5-label task: new head, rest loaded.
    BertForSequenceClassification model(fixture_config(), 5, 0.1);
    LoadReport report =
        load_weights(*model, SafetensorsFile::open(kFixture + "/seq_cls.safetensors"));
    QCOMPARE(report.loaded.size(), std::size_t(39));
    QCOMPARE(report.mismatched.size(), std::size_t(2));
    QVERIFY(has(report.mismatched, "classifier.weight: file [3, 32] vs model [5, 32]"));
    QVERIFY(report.unexpected.empty());
}

void TestModelWeightLoading::pretraining_checkpoint_extras_are_unexpected() {
    QTemporaryDir dir;
    const std::string path = dir.path().toStdString() + "/pretrain.safetensors";
    {
        auto file = SafetensorsFile::open(kFixture + "/model.safetensors");
        std::vector<TensorBlob> blobs;
        for (const auto& e : file.entries()) {
            TensorBlob b = file.read(e.name);
            b.name = "bert." + b.name;
            blobs.push_back(std::move(b));
        }
        blobs.push_back(from_torch("cls.predictions.bias", torch::zeros({100})));
        blobs.push_back(
            from_torch("cls.predictions.transform.dense.weight", torch::zeros({32, 32})));
        blobs.push_back(from_torch("cls.seq_relationship.weight", torch::zeros({2, 32})));
        // Older HF versions saved this buffer; HF ignores it on load, so do we.
        blobs.push_back(from_torch("bert.embeddings.position_ids",
                                   torch::arange(64, torch::kLong).view({1, 64})));
        write_safetensors(path, blobs);
    }
    BertForSequenceClassification model(fixture_config(), 2, 0.1);
    LoadReport report = load_weights(*model, SafetensorsFile::open(path));
    QCOMPARE(report.loaded.size(), std::size_t(39));
    QCOMPARE(report.unexpected,
             (std::vector<std::string>{"cls.predictions.bias [100]",
                                       "cls.predictions.transform.dense.weight [32, 32]",
                                       "cls.seq_relationship.weight [2, 32]"}));
    QCOMPARE(report.missing.size(), std::size_t(2));
}

void TestModelWeightLoading::half_precision_weights_convert() {
    QTemporaryDir dir;
    for (torch::Dtype dtype : {torch::kHalf, torch::kBFloat16}) {
        const std::string path = rewrite_fixture(dir, "low.safetensors", [dtype](TensorBlob& b) {
            b = from_torch(b.name, to_torch(b).to(dtype));
            return true;
        });
        auto file = SafetensorsFile::open(path);
        QCOMPARE(file.find("pooler.dense.weight")->dtype,
                 dtype == torch::kHalf ? DType::F16 : DType::BF16);
        BertModel model(fixture_config());
        LoadReport report = load_weights(*model, file);
        QCOMPARE(report.loaded.size(), std::size_t(39));
        auto weight = model->encoder->layers[0]->attention->self_attention->key->weight;
        QCOMPARE(weight.scalar_type(), torch::kFloat);
        auto original = fixture_tensor("encoder.layer.0.attention.self.key.weight");
        QVERIFY(torch::equal(weight, original.to(dtype).to(torch::kFloat)));
        const double tolerance = dtype == torch::kHalf ? 1e-3 : 1e-2;
        QVERIFY((weight - original).abs().max().item<double>() < tolerance);
        QVERIFY((weight - original).abs().max().item<double>() > 0);
    }
    // And the other way: F32 file into a double-precision module.
    BertModel wide(fixture_config());
    wide->to(torch::kDouble);
    load_weights(*wide, SafetensorsFile::open(kFixture + "/model.safetensors"));
    QCOMPARE(wide->pooler->dense->weight.scalar_type(), torch::kDouble);
    QVERIFY(torch::equal(wide->pooler->dense->weight,
                         fixture_tensor("pooler.dense.weight").to(torch::kDouble)));
}

void TestModelWeightLoading::sharded_files_load_together() {
    QTemporaryDir dir;
    const std::string a = rewrite_fixture(
        dir, "a.safetensors", [](TensorBlob& b) { return b.name.rfind("encoder.", 0) == 0; });
    const std::string b = rewrite_fixture(
        dir, "b.safetensors", [](TensorBlob& blob) { return blob.name.rfind("encoder.", 0) != 0; });
    BertModel model(fixture_config());
    std::vector<SafetensorsFile> shards{SafetensorsFile::open(a), SafetensorsFile::open(b)};
    LoadReport report = load_weights(*model, shards);
    QCOMPARE(report.loaded.size(), std::size_t(39));
    QVERIFY(report.missing.empty());
    BertModel half_loaded(fixture_config());
    QVERIFY_THROWS_EXCEPTION(Error, load_weights(*half_loaded, SafetensorsFile::open(a)));
}

void TestModelWeightLoading::blob_torch_round_trip_every_dtype() {
    const std::vector<std::pair<torch::Dtype, DType>> pairs = {
        {torch::kDouble, DType::F64},    {torch::kFloat, DType::F32}, {torch::kHalf, DType::F16},
        {torch::kBFloat16, DType::BF16}, {torch::kLong, DType::I64},  {torch::kInt, DType::I32},
        {torch::kShort, DType::I16},     {torch::kChar, DType::I8},   {torch::kByte, DType::U8},
        {torch::kBool, DType::Bool}};
    for (const auto& [torch_dtype, dtype] : pairs) {
        auto source = (torch::arange(24, torch::kDouble) * 0.5).view({2, 3, 4}).to(torch_dtype);
        // Non-contiguous input: from_torch must copy in logical (row-major) order.
        auto transposed = source.transpose(0, 2);
        TensorBlob blob = from_torch("t", transposed);
        QCOMPARE(blob.dtype, dtype);
        QCOMPARE(blob.shape, (std::vector<std::int64_t>{4, 3, 2}));
        QCOMPARE(blob.bytes.size(), std::size_t(24) * dtype_size(dtype));
        torch::Tensor back = to_torch(blob);
        QCOMPARE(back.scalar_type(), torch_dtype);
        QVERIFY2(torch::equal(back, transposed), dtype_name(dtype).c_str());
    }
    // Safetensors has no complex type.
    QVERIFY_THROWS_EXCEPTION(Error, from_torch("c", torch::zeros({2}, torch::kComplexFloat)));
    // A 0-d tensor and an empty one.
    QVERIFY(torch::equal(to_torch(from_torch("s", torch::tensor(3.5))), torch::tensor(3.5)));
    QCOMPARE(to_torch(from_torch("e", torch::zeros({0, 3}))).sizes(), (torch::IntArrayRef{0, 3}));
}

void TestModelWeightLoading::to_torch_rejects_wrong_byte_count() {
    TensorBlob blob;
    blob.name = "w";
    blob.dtype = DType::F32;
    blob.shape = {2, 2};
    blob.bytes.resize(12);
    try {
        to_torch(blob);
        QFAIL("no error");
    } catch (const Error& e) {
        QCOMPARE(e.where().key, std::string("w"));
    }
}

void TestModelWeightLoading::save_module_round_trip() {
    QTemporaryDir dir;
    BertForSequenceClassification model(fixture_config(), 3, 0.1);
    torch::manual_seed(4);
    init_bert_weights(*model, 0.3);

    // Stripping "bert." gives a BertModel-style file plus the classifier.
    const std::string path = dir.path().toStdString() + "/saved.safetensors";
    save_module_safetensors(*model, path, "bert.");
    auto file = SafetensorsFile::open(path);
    QCOMPARE(file.metadata().at("format"), std::string("pt"));
    QVERIFY(file.find("encoder.layer.0.attention.self.query.weight"));
    QVERIFY(file.find("classifier.weight"));
    QVERIFY(!file.find("bert.pooler.dense.weight"));

    BertForSequenceClassification copy(fixture_config(), 3, 0.1);
    LoadReport report = load_weights(*copy, file);
    QCOMPARE(report.loaded.size(), std::size_t(41));
    auto a = model->named_parameters();
    auto b = copy->named_parameters();
    for (const auto& p : a)
        QVERIFY2(torch::equal(p.value(), b[p.key()]), p.key().c_str());

    // Without stripping, the names are the module's own.
    const std::string full = dir.path().toStdString() + "/full.safetensors";
    save_module_safetensors(*model, full);
    QVERIFY(SafetensorsFile::open(full).find("bert.pooler.dense.weight"));
}

QTEST_APPLESS_MAIN(TestModelWeightLoading)
#include "tst_model_weight_loading.moc"
