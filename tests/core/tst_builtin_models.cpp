// The model library's built-in architectures: the parameter counts it computes from layer sizes
// (Torch-free) equal the counts of the networks training builds, for several head and input
// sizes; entries carry what the library shows (source, licence, the model.architecture key).

// Torch before Qt: Qt's `slots` macro breaks LibTorch headers included after it.
#include <torch/torch.h>

#include "model/bilstm_classifier.h"
#include "model/builtin_models.h"
#include "model/vision/image_model.h"
#include "model/vision/image_model_factory.h"

#include <QtTest>

using namespace tb::model;

namespace {

std::int64_t count_of(torch::nn::Module& module) {
    std::int64_t n = 0;
    for (const auto& p : module.parameters())
        n += p.numel();
    return n;
}

}  // namespace

class TstBuiltinModels : public QObject {
    Q_OBJECT

private slots:
    void image_counts_match_the_networks() {
        for (const std::string name :
             {"resnet18", "resnet34", "resnet50", "mobilenet_v2", "small_cnn", "mlp"}) {
            for (const auto& [classes, c, h, w] :
                 std::vector<std::array<std::int64_t, 4>>{{10, 1, 28, 28}, {3, 3, 32, 40}}) {
                const bool rgb_only = name != "small_cnn" && name != "mlp";
                vision::ImageModelSpec spec;
                spec.architecture = name;
                spec.num_classes = classes;
                spec.in_channels = rgb_only ? 3 : c;
                spec.height = h;
                spec.width = w;
                const auto net = vision::make_image_model(spec);
                BuiltinSizes sizes;
                sizes.num_classes = classes;
                sizes.image_channels = spec.in_channels;
                sizes.image_height = h;
                sizes.image_width = w;
                QCOMPARE(builtin_parameter_count(name, sizes), count_of(*net));
                QCOMPARE(builtin_parameter_count(name, sizes), vision::parameter_count(*net));
            }
        }
        BuiltinSizes tiny;
        tiny.image_height = 5;
        QCOMPARE(builtin_parameter_count("small_cnn", tiny), std::int64_t(0));
        QCOMPARE(builtin_parameter_count("vgg16", BuiltinSizes{}), std::int64_t(0));
    }

    void bilstm_counts_match_the_network() {
        for (const bool attention : {false, true})
            for (const std::int64_t layers : {1, 3}) {
                BiLstmOptions o;
                o.vocab_size = 57;
                o.embedding_dim = 12;
                o.hidden_size = 7;
                o.num_layers = layers;
                o.attention_pooling = attention;
                o.num_classes = 4;
                BiLstmClassifier net(o);
                BuiltinSizes sizes;
                sizes.num_classes = 4;
                sizes.vocab_size = 57;
                sizes.embedding_dim = 12;
                sizes.hidden_size = 7;
                sizes.num_layers = layers;
                sizes.attention_pooling = attention;
                QCOMPARE(builtin_parameter_count("bilstm", sizes), count_of(*net));
                QCOMPARE(builtin_parameter_count("bilstm_char", sizes), count_of(*net));
            }
    }

    void entries_describe_each_builtin() {
        BuiltinSizes sizes;
        sizes.num_classes = 5;
        const auto entries = builtin_model_entries(sizes);
        QCOMPARE(entries.size(), builtin_architecture_names().size());
        QCOMPARE(entries.size(), std::size_t(8));
        for (const auto& e : entries) {
            QVERIFY2(e.supported, e.model_architecture.c_str());
            QVERIFY(e.path.empty());
            QCOMPARE(e.source, std::string("built-in"));
            QCOMPARE(e.model_architecture, e.architecture);
            QVERIFY(e.license.find("random initialisation") != std::string::npos);
            QVERIFY(e.parameter_count > 0);
            QVERIFY(!e.notes.empty());
        }
        QCOMPARE(entries[0].model_architecture, std::string("resnet18"));
        QCOMPARE(entries[0].parameter_count, std::int64_t(11176512 + 512 * 5 + 5));
        QCOMPARE(entries[0].kind, std::string("image"));
        QCOMPARE(entries[6].model_architecture, std::string("bilstm"));
        QCOMPARE(entries[6].kind, std::string("text"));
        QCOMPARE(entries[6].tasks, std::string("text_classification"));
        QCOMPARE(entries[6].hidden_size, std::int64_t(128));
        QCOMPARE(entries[6].layers, std::int64_t(1));
    }
};

QTEST_APPLESS_MAIN(TstBuiltinModels)
#include "tst_builtin_models.moc"
