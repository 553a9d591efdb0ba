// The TF.js / Keras layers-model importer: JavaScript-module and base64 shards, quantized
// weight decoding, layer conversion (parity with @tensorflow/tfjs on nsfwjs' MobileNetV2 and a
// synthetic model covering 'same' padding, pooling, concatenation, reshape), malformed files,
// and the saved image model folder.

// Torch before Qt: Qt's `slots` macro breaks LibTorch headers included after it.
#include <filesystem>
#include <fstream>
#include <functional>

#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "model/image_model_config.h"
#include "model/keras/js_module.h"
#include "model/keras/keras_graph.h"
#include "model/keras/keras_import.h"
#include "model/keras/keras_model.h"
#include "model/keras/tfjs_weights.h"
#include "model/model_library.h"
#include "model/vision/image_model_folder.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace tb;
using namespace tb::model;
using namespace tb::model::keras;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string kNsfwjs = TB_FIXTURES_DIR "/tfjs/nsfwjs_mobilenet_v2";
const std::string kNsfwjsReference = TB_FIXTURES_DIR "/tfjs/nsfwjs_mobilenet_v2_reference.json";
const std::string kSynthetic = TB_FIXTURES_DIR "/tfjs/synthetic";

json read_json(const std::string& path) {
    std::ifstream in(path);
    return json::parse(in);
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

// The reference script's input: image n, row h, column w, channel c =
// ((n*131 + h*17 + w*29 + c*7 + h*w) % 256) / 255, returned as [N, C, H, W].
torch::Tensor reference_images(std::int64_t n, std::int64_t h, std::int64_t w, std::int64_t c) {
    torch::Tensor x = torch::empty({n, h, w, c});
    float* p = x.data_ptr<float>();
    for (std::int64_t a = 0; a < n; ++a)
        for (std::int64_t y = 0; y < h; ++y)
            for (std::int64_t z = 0; z < w; ++z)
                for (std::int64_t k = 0; k < c; ++k)
                    *p++ = static_cast<float>(((a * 131 + y * 17 + z * 29 + k * 7 + y * z) % 256) /
                                              255.0);
    return x.permute({0, 3, 1, 2}).contiguous();
}

torch::Tensor values(const json& j) {
    std::vector<float> v = j.get<std::vector<float>>();
    return torch::tensor(v);
}

double max_diff(const torch::Tensor& a, const torch::Tensor& b) {
    return (a.flatten() - b.flatten()).abs().max().item<double>();
}

// Compares a layer output (Keras layout) with the reference script's summary of it.
void check_summary(const std::string& layer, const torch::Tensor& out, const json& ref,
                   double tolerance) {
    const auto shape = ref["shape"].get<std::vector<std::int64_t>>();
    QCOMPARE(out.sizes().vec(), shape);
    if (ref.contains("values")) {
        const double d = max_diff(out, values(ref["values"]));
        if (d > tolerance)
            QFAIL(qPrintable(QString::fromStdString(layer) + ": max |diff| " + QString::number(d)));
        return;
    }
    const std::int64_t c = shape.back();
    const torch::Tensor flat = out.reshape({-1, c});
    const double d1 = max_diff(flat.mean(0), values(ref["channel_means"]));
    const double d2 = max_diff(flat[0], values(ref["first"]));
    const double d3 = max_diff(out[0].reshape({-1, c})[-1], values(ref["last_of_image0"]));
    const double d = std::max({d1, d2, d3});
    if (d > tolerance)
        QFAIL(qPrintable(QString::fromStdString(layer) + ": max |diff| " + QString::number(d)));
}

struct Loaded {
    std::shared_ptr<KerasImageModel> model;
    TfjsLayersModel files;
};

Loaded load_full(const std::string& path) {
    Loaded l;
    l.files = read_tfjs_layers_model(path);
    l.model = std::make_shared<KerasImageModel>(
        parse_keras_graph(l.files.model_config, l.files.path), 0, l.files.path);
    l.model->load_tfjs_weights(l.files.weights, l.files.path);
    l.model->eval();
    return l;
}

void copy_dir(const std::string& from, const std::string& to) {
    fs::create_directories(to);
    for (const auto& e : fs::directory_iterator(from))
        fs::copy_file(e.path(), fs::path(to) / e.path().filename(),
                      fs::copy_options::overwrite_existing);
}

}  // namespace

class TestKerasImport : public QObject {
    Q_OBJECT

private slots:
    void js_literals() {
        std::size_t pos = 0;
        const std::string text =
            "{a:!0,b:!1,\"c\":[.5,-.25,1e3,2E-2,0x10],'d':'x\\'y\\u00e9',e:null,f:void 0}";
        const json j = parse_js_literal(text, pos, "t.js");
        QCOMPARE(pos, text.size());
        QCOMPARE(j["a"].get<bool>(), true);
        QCOMPARE(j["b"].get<bool>(), false);
        QCOMPARE(j["c"][0].get<double>(), 0.5);
        QCOMPARE(j["c"][1].get<double>(), -0.25);
        QVERIFY(j["c"][2].is_number_integer());
        QCOMPARE(j["c"][2].get<int>(), 1000);
        QCOMPARE(j["c"][3].get<double>(), 0.02);
        QCOMPARE(j["c"][4].get<int>(), 16);
        QCOMPARE(j["d"].get<std::string>(), std::string("x'y\xC3\xA9"));
        QVERIFY(j["e"].is_null() && j["f"].is_null());
        pos = 0;
        QVERIFY(error_of([&] { parse_js_literal("{a:foo()}", pos, "t.js"); }).find("t.js") !=
                std::string::npos);
        QCOMPARE(decode_base64("SGVsbG8sIHdvcmxkIQ==", "b"), std::string("Hello, world!"));
        QCOMPARE(decode_base64("AAEC/w", "b"), std::string("\x00\x01\x02\xff", 4));
        QVERIFY(error_of([] { decode_base64("ab$c", "shard.js"); }).find("shard.js") !=
                std::string::npos);
    }

    void quantized_decoding() {
        // uint8: v * scale + min.
        const std::uint8_t u8[] = {0, 1, 128, 255};
        auto v = dequantize_tfjs(u8, 4, "uint8", 0.5, -1.0, "w");
        QCOMPARE(v, (std::vector<float>{-1.0f, -0.5f, 63.0f, 126.5f}));
        // uint16 little-endian: 0x0102 = 258, 0xffff = 65535.
        const std::uint8_t u16[] = {0x02, 0x01, 0xff, 0xff};
        v = dequantize_tfjs(u16, 2, "uint16", 0.001, 2.0, "w");
        QCOMPARE(v[0], static_cast<float>(258 * 0.001 + 2.0));
        QCOMPARE(v[1], static_cast<float>(65535 * 0.001 + 2.0));
        // float16: 1.0, -2.0, 65504 (largest), 2^-24 (smallest subnormal), 1/3 rounded, inf.
        const std::uint8_t f16[] = {0x00, 0x3C, 0x00, 0xC0, 0xFF, 0x7B,
                                    0x01, 0x00, 0x55, 0x35, 0x00, 0x7C};
        v = dequantize_tfjs(f16, 6, "float16", 0, 0, "w");
        QCOMPARE(v[0], 1.0f);
        QCOMPARE(v[1], -2.0f);
        QCOMPARE(v[2], 65504.0f);
        QCOMPARE(v[3], std::ldexp(1.0f, -24));
        QCOMPARE(v[4], 0.333251953125f);
        QVERIFY(std::isinf(v[5]));
        QVERIFY(error_of([&] {
                    dequantize_tfjs(u8, 1, "int4", 1, 0, "conv/kernel");
                }).find("conv/kernel") != std::string::npos);

        // The real nsfwjs weights (uint8-quantized, base64 module) decode to what tfjs decodes.
        const TfjsLayersModel files = read_tfjs_layers_model(kNsfwjs);
        QCOMPARE(files.weights.size(), std::size_t{266});
        QCOMPARE(files.keras_version, std::string("2.2.4"));
        const json ref = read_json(kNsfwjsReference)["__decoded_weights__"];
        for (auto it = ref.begin(); it != ref.end(); ++it) {
            const auto expected = it.value().get<std::vector<float>>();
            const auto& got = files.weights.at(it.key()).values;
            for (std::size_t i = 0; i < expected.size(); ++i)
                QCOMPARE(got[i], expected[i]);  // bit-exact
        }
    }

    void nsfwjs_parity() {
        Loaded l = load_full(kNsfwjs);
        const json ref = read_json(kNsfwjsReference);
        torch::NoGradGuard no_grad;
        const torch::Tensor x = reference_images(2, 224, 224, 3);
        const std::vector<std::string> layers{
            "Conv1_relu", "block_1_project_BN", "block_2_add", "block_16_project_BN",
            "out_relu",   "flatten_1",          "dense_2",     "dropout_3",
            "dense_3"};
        const auto outs = l.model->layer_outputs(x, layers);
        for (std::size_t i = 0; i + 2 < layers.size(); ++i)
            check_summary(layers[i], outs[i], ref[layers[i]], 1e-4);
        // Logits: dense_3's pre-softmax values (its kernel on dropout_3's output).
        auto& dense = *l.model->named_modules()["dense_3"]->as<torch::nn::Linear>();
        const torch::Tensor logits = dense.forward(outs[7]);
        const double dl = max_diff(logits, values(ref["__logits__"]["values"]));
        const double dp = max_diff(outs[8], values(ref["__output__"]["values"]));
        qInfo("nsfwjs MobileNetV2 vs tfjs: logits max |diff| %.3g, probabilities %.3g", dl, dp);
        QVERIFY(dl <= 1e-4);
        QVERIFY(dp <= 1e-5);
        QCOMPARE(l.model->graph_output(x).sizes().vec(), (std::vector<std::int64_t>{2, 5}));
    }

    void synthetic_parity() {
        Loaded l = load_full(kSynthetic);
        const json ref = read_json(kSynthetic + "/reference.json");
        torch::NoGradGuard no_grad;
        const torch::Tensor x = reference_images(2, 10, 12, 3);
        const std::vector<std::string> layers{"conv_same_s2", "bn",           "dw_same",
                                              "conv_dilated", "maxpool_same", "avgpool_same",
                                              "add",          "gap",          "reshape"};
        const auto outs = l.model->layer_outputs(x, layers);
        for (std::size_t i = 0; i < layers.size(); ++i)
            check_summary(layers[i], outs[i], ref[layers[i]], 1e-5);
        QVERIFY(max_diff(l.model->graph_output(x), values(ref["__output__"]["values"])) <= 1e-5);
        auto& dense = *l.model->named_modules()["dense_out"]->as<torch::nn::Linear>();
        const torch::Tensor logits = dense.forward(l.model->layer_outputs(x, {"dropout"})[0]);
        QVERIFY(max_diff(logits, values(ref["__logits__"]["values"])) <= 1e-5);
    }

    void malformed_files() {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        // Unknown layer type: named with its type.
        copy_dir(kSynthetic, dir + "/unknown");
        {
            json m = read_json(dir + "/unknown/model.json");
            m["modelTopology"]["config"]["layers"][1]["class_name"] = "SeparableConv2D";
            std::ofstream(dir + "/unknown/model.json") << m.dump();
            const std::string e = error_of([&] { load_full(dir + "/unknown"); });
            QVERIFY2(e.find("'conv_same_s2'") != std::string::npos &&
                         e.find("'SeparableConv2D'") != std::string::npos,
                     e.c_str());
        }
        // Manifest size mismatch: one extra weight value described.
        copy_dir(kSynthetic, dir + "/mismatch");
        {
            json m = read_json(dir + "/mismatch/model.json");
            json& w = m["weightsManifest"][0]["weights"];
            w.push_back({{"name", "extra/bias"}, {"shape", {1}}, {"dtype", "float32"}});
            std::ofstream(dir + "/mismatch/model.json") << m.dump();
            const std::string e = error_of([&] { read_tfjs_layers_model(dir + "/mismatch"); });
            QVERIFY2(e.find("truncated") != std::string::npos &&
                         e.find("extra/bias") != std::string::npos,
                     e.c_str());
            // ... and a manifest that describes fewer bytes than the shard holds.
            w.erase(w.size() - 1);
            w.erase(w.size() - 1);
            std::ofstream(dir + "/mismatch/model.json") << m.dump();
            const std::string e2 = error_of([&] { read_tfjs_layers_model(dir + "/mismatch"); });
            QVERIFY2(e2.find("size mismatch") != std::string::npos, e2.c_str());
        }
        // Truncated shard: the weight that runs past the end is named.
        copy_dir(kSynthetic, dir + "/truncated");
        {
            const std::string shard = dir + "/truncated/group1-shard1of1.bin";
            fs::resize_file(shard, fs::file_size(shard) - 10);
            const std::string last =
                read_json(dir + "/truncated/model.json")["weightsManifest"][0]["weights"]
                    .back()["name"]
                    .get<std::string>();
            const std::string e = error_of([&] { read_tfjs_layers_model(dir + "/truncated"); });
            QVERIFY2(e.find("truncated") != std::string::npos &&
                         e.find("'" + last + "'") != std::string::npos,
                     e.c_str());
            fs::remove(shard);
            const std::string e2 = error_of([&] { read_tfjs_layers_model(dir + "/truncated"); });
            QVERIFY2(e2.find("group1-shard1of1.bin") != std::string::npos &&
                         e2.find("missing") != std::string::npos,
                     e2.c_str());
        }
        // A weight with the wrong shape names the weight and the layer.
        copy_dir(kSynthetic, dir + "/shape");
        {
            json m = read_json(dir + "/shape/model.json");
            m["modelTopology"]["config"]["layers"][1]["config"]["filters"] = 5;
            std::ofstream(dir + "/shape/model.json") << m.dump();
            const std::string e = error_of([&] { load_full(dir + "/shape"); });
            QVERIFY2(e.find("conv_same_s2/kernel") != std::string::npos, e.c_str());
        }
        QVERIFY(error_of([&] { read_tfjs_layers_model(dir); }).find("model.json") !=
                std::string::npos);
    }

    void saved_folder_reloads() {
        QTemporaryDir tmp;
        const std::string out = tmp.path().toStdString() + "/mobilenet";
        TfjsImportOptions options;
        options.license = "MIT (nsfwjs by Infinite Red)";
        const TfjsImportResult r = import_tfjs_model(kNsfwjs, out, options);
        QCOMPARE(r.cut_layer, std::string("average_pooling2d_1"));
        QCOMPARE(r.feature_size, std::int64_t{1280});
        QCOMPARE(r.unused_weights.size(), std::size_t{6});  // dense_1..3 kernels and biases

        // The library lists it as an image backbone with its source format and licence.
        const ModelLibraryEntry e = describe_model_folder(out);
        QVERIFY2(e.supported, e.reason.c_str());
        QCOMPARE(e.kind, std::string("image"));
        QCOMPARE(e.architecture, std::string("keras"));
        QVERIFY(e.source_format.find("tfjs") != std::string::npos);
        QCOMPARE(e.parameter_count, r.parameter_count);
        QCOMPARE(e.parameter_count, std::int64_t{2223872});  // torchvision's MobileNetV2 features
        QCOMPARE(e.feature_size, std::int64_t{1280});
        bool licence = false;
        for (const auto& n : e.notes)
            licence = licence || n.find("MIT (nsfwjs") != std::string::npos;
        QVERIFY(licence);

        // Reloaded with a new 3-class head: same features as the imported graph.
        auto loaded = vision::load_image_model_folder(out, 3);
        QCOMPARE(loaded.preprocessing.width, 224);
        QCOMPARE(loaded.preprocessing.resize_shorter, 0);
        QCOMPARE(loaded.model->num_classes(), std::int64_t{3});
        QCOMPARE(loaded.model->feature_size(), std::int64_t{1280});
        QVERIFY2(loaded.report.mismatched.empty() && loaded.report.unexpected.empty(),
                 loaded.report.summary().c_str());
        loaded.model->eval();
        Loaded full = load_full(kNsfwjs);
        torch::NoGradGuard no_grad;
        const torch::Tensor x = reference_images(1, 224, 224, 3);
        const torch::Tensor expected = full.model->layer_outputs(x, {"out_relu"})[0].mean({1, 2});
        QVERIFY(max_diff(loaded.model->features(x), expected) <= 1e-6);
        QCOMPARE(loaded.model->forward(x).sizes().vec(), (std::vector<std::int64_t>{1, 3}));
    }

    void cut_and_train() {
        QTemporaryDir tmp;
        const std::string out = tmp.path().toStdString() + "/syn";
        TfjsImportOptions options;
        options.cut = "add";
        const TfjsImportResult r = import_tfjs_model(kSynthetic, out, options);
        QCOMPARE(r.feature_size, std::int64_t{6});
        auto loaded = vision::load_image_model_folder(out, 2);
        auto& model = *loaded.model;
        model.train();
        torch::optim::SGD opt(model.parameters(), 0.1);
        const torch::Tensor x = reference_images(4, 10, 12, 3);
        const torch::Tensor y = torch::tensor({0, 1, 0, 1}, torch::kLong);
        float first = 0, last = 0;
        for (int step = 0; step < 20; ++step) {
            opt.zero_grad();
            auto loss = torch::cross_entropy_loss(model.forward(x), y);
            loss.backward();
            opt.step();
            (step == 0 ? first : last) = loss.item<float>();
        }
        QVERIFY2(last < first, qPrintable(QString("%1 -> %2").arg(first).arg(last)));
        const std::string e = error_of([&] {
            TfjsImportOptions o;
            o.cut = "no_such_layer";
            import_tfjs_model(kSynthetic, out, o);
        });
        QVERIFY2(e.find("no_such_layer") != std::string::npos, e.c_str());
    }
};

QTEST_MAIN(TestKerasImport)
#include "tst_keras_import.moc"
