// fastText importer: lid.176.ftz read and predicted like the independent Python reference
// (tests/reference/fasttext/fasttext_reference.py, output committed as lid176_reference.json),
// fastText's hashing, malformed files as named errors, and the model as a fine-tunable backbone.

// Torch before Qt: Qt's `slots` macro breaks LibTorch headers included after it.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "model/fasttext_backbone.h"
#include "model/fasttext_features.h"
#include "model/fasttext_format.h"
#include "model/fasttext_layout.h"
#include "model/fasttext_predict.h"
#include "model/model_library.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace tb;
using namespace tb::model::fasttext;
using json = nlohmann::json;

namespace {

const std::string kModel = TB_FIXTURES_DIR "/fasttext/lid.176.ftz";
const std::string kReference = TB_FIXTURES_DIR "/fasttext/lid176_reference.json";

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Parses `bytes` and returns the error message; fails the test if parsing succeeds.
std::string parse_error(const std::string& bytes) {
    try {
        parse_model(bytes, "broken.ftz");
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}

void compare_with_reference(const Model& model, const std::string& reference,
                            size_t min_sentences) {
    const json ref = json::parse(file_bytes(reference));
    const Predictor predictor(model);
    QVERIFY(ref.at("sentences").size() >= min_sentences);
    for (const auto& s : ref.at("sentences")) {
        const std::string text = s.at("text");
        const auto got = predictor.predict(text, 3);
        const auto& want = s.at("top");
        QCOMPARE(got.size(), want.size());
        for (size_t i = 0; i < got.size(); ++i) {
            QVERIFY2(got[i].label == want[i][0].get<std::string>(), text.c_str());
            QVERIFY2(std::abs(got[i].probability - want[i][1].get<double>()) < 1e-4, text.c_str());
        }
    }
}

}  // namespace

class TstFastText : public QObject {
    Q_OBJECT

private:
    Model model_;

private slots:
    void initTestCase() { model_ = read_model(kModel); }

    void reads_header_and_dictionary() {
        QCOMPARE(model_.args.dim, 16);
        QCOMPARE(model_.args.loss, Loss::hs);
        QCOMPARE(model_.args.model, ModelKind::supervised);
        QCOMPARE(model_.args.minn, 2);
        QCOMPARE(model_.args.maxn, 4);
        QCOMPARE(model_.dict.nlabels, 176);
        QCOMPARE(model_.dict.nwords, 7235);
        QVERIFY(model_.input.quantized);
        QVERIFY(model_.dict.prune_index_size > 0);
        QCOMPARE(model_.input.rows, model_.dict.nwords + model_.dict.prune_index_size);
        QCOMPARE(model_.output.rows, int64_t{176});
        QVERIFY(model_.dict.ids.count("__label__en") == 1);
    }

    void hash_matches_fasttext() {
        // Values from the Python reference's fnv1a (signed-char quirk visible on non-ASCII).
        QCOMPARE(fasttext_hash(""), 2166136261u);
        QCOMPARE(fasttext_hash("a"), 3826002220u);
        QCOMPARE(fasttext_hash("\xc3\xa9t\xc3\xa9"), 200187927u);          // "été"
        QCOMPARE(fasttext_hash("\xe6\x97\xa5\xe6\x9c\xac"), 4164387409u);  // "日本"
        QCOMPARE(fasttext_hash("</s>"), 3617362777u);
    }

    void tokenizes_with_eos() {
        const auto t = tokenize_line("  hello\tworld \n");
        QCOMPARE(t.size(), size_t{3});
        QCOMPARE(t[0], std::string("hello"));
        QCOMPARE(t[2], std::string("</s>"));
    }

    void predictions_match_reference() { compare_with_reference(model_, kReference, 10); }

    // Quantized output matrix with quantized norms, a shorter last sub-quantizer, a pruned
    // dictionary and hierarchical softmax over tied label counts (make_synthetic_model.py).
    void quantized_output_matches_reference() {
        const std::string dir = TB_FIXTURES_DIR "/fasttext/";
        const Model m = read_model(dir + "quantized.ftz");
        QVERIFY(m.input.quantized && !m.input.qnorm && m.output.quantized && m.output.qnorm);
        QVERIFY(m.input.pq.lastdsub != m.input.pq.dsub);
        QCOMPARE(m.args.loss, Loss::hs);
        compare_with_reference(m, dir + "quantized_reference.json", 6);
    }

    // Dense matrices, softmax / one-vs-all, word bigrams, unpruned buckets: small models from
    // tests/reference/fasttext/make_synthetic_model.py, scored by the same Python reference.
    void dense_softmax_and_ova_match_reference() {
        for (const char* name : {"softmax", "ova"}) {
            const std::string dir = TB_FIXTURES_DIR "/fasttext/";
            const Model m = read_model(dir + name + ".bin");
            QVERIFY(!m.input.quantized && !m.output.quantized);
            QCOMPARE(m.args.word_ngrams, 2);
            QCOMPARE(m.dict.prune_index_size, int64_t{-1});
            compare_with_reference(m, dir + name + "_reference.json", 6);
        }
    }

    void obvious_languages_are_right() {
        const Predictor predictor(model_);
        const std::pair<const char*, const char*> cases[] = {
            {"The weather is lovely today and we are going for a walk in the park.", "__label__en"},
            {"Nous allons au marché demain matin pour acheter des légumes.", "__label__fr"},
            {"Wir fahren morgen mit dem Zug nach München.", "__label__de"},
            {"Мы поедем завтра в Москву на поезде.", "__label__ru"},
            {"我喜欢学习中文。", "__label__zh"},
        };
        for (const auto& [text, label] : cases) {
            const auto top = predictor.predict(text, 1);
            QVERIFY2(!top.empty() && top[0].label == label, text);
            QVERIFY(top[0].probability > 0.5);
        }
    }

    void malformed_files_are_named_errors() {
        const std::string bytes = file_bytes(kModel);
        std::string bad = bytes;
        bad[0] = 'X';
        QVERIFY(parse_error(bad).find("magic") != std::string::npos);
        QVERIFY(parse_error(bad).find("broken.ftz") != std::string::npos);
        bad = bytes;
        bad[4] = 11;
        QVERIFY(parse_error(bad).find("version") != std::string::npos);
        // Dictionary size (offset 64) larger than nwords + nlabels.
        bad = bytes;
        bad[64] = static_cast<char>(0x7f);
        QVERIFY(parse_error(bad).find("dictionary.size") != std::string::npos);
        // Truncated anywhere: header, dictionary, codes, centroids, output matrix.
        for (size_t cut : {size_t{3}, size_t{30}, size_t{70}, size_t{1000}, bytes.size() / 2,
                           bytes.size() - 5000, bytes.size() - 1}) {
            const std::string msg = parse_error(bytes.substr(0, cut));
            QVERIFY2(msg.find("broken.ftz") != std::string::npos &&
                         msg.find("byte offset") != std::string::npos,
                     msg.c_str());
        }
        QVERIFY(parse_error(bytes + "x").find("trailing") != std::string::npos);
        bool threw = false;
        try {
            read_model(TB_FIXTURES_DIR "/fasttext/missing.ftz");
        } catch (const Error&) {
            threw = true;
        }
        QVERIFY(threw);
    }

    // Matrix shapes and parameter counts (the model library's "Parameters") against the
    // independent Python reader (tests/reference/fasttext/matrix_shapes.py, committed output).
    void layout_matches_reference_shapes() {
        const std::string dir = TB_FIXTURES_DIR "/fasttext/";
        std::ifstream in(dir + "matrix_shapes.json");
        const auto reference = nlohmann::json::parse(in);
        QCOMPARE(reference.size(), size_t{4});
        for (const auto& [name, shapes] : reference.items()) {
            const Layout layout = read_layout(dir + name);
            QCOMPARE(layout.input.rows, shapes["input"][0].get<int64_t>());
            QCOMPARE(layout.input.cols, shapes["input"][1].get<int64_t>());
            QCOMPARE(layout.output.rows, shapes["output"][0].get<int64_t>());
            QCOMPARE(layout.output.cols, shapes["output"][1].get<int64_t>());
            QCOMPARE(layout.input.quantized, shapes["input_quantized"].get<bool>());
            QCOMPARE(layout.output.quantized, shapes["output_quantized"].get<bool>());
            QCOMPARE(layout.parameter_count(), shapes["parameters"].get<int64_t>());
            // The same as the fully read model's matrices.
            const Model m = read_model(dir + name);
            QCOMPARE(layout.input.rows, m.input.rows);
            QCOMPARE(layout.output.rows, m.output.rows);
            const auto entry = tb::model::describe_model_file(dir + name);
            QVERIFY(entry.supported);
            QCOMPARE(entry.parameter_count, shapes["parameters"].get<int64_t>());
        }
        // lid.176.ftz: 7235 words + 42765 kept n-gram rows of 2,000,000 buckets, dim 16, and
        // 176 labels: 50000 x 16 + 176 x 16.
        QCOMPARE(reference["lid.176.ftz"]["parameters"].get<int64_t>(),
                 int64_t{50000 * 16 + 176 * 16});
        const auto lid = tb::model::describe_model_file(kModel);
        bool explained = false;
        for (const auto& note : lid.notes)
            explained = explained || note.find(
                                         "input 50000 x 16 (7235 words + 42765 kept n-gram "
                                         "buckets of 2000000") != std::string::npos;
        QVERIFY(explained);
        // Unpruned dense models: nwords + bucket input rows.
        QCOMPARE(reference["softmax.bin"]["input"][0].get<int64_t>(),
                 reference["softmax.bin"]["nwords"].get<int64_t>() +
                     reference["softmax.bin"]["bucket"].get<int64_t>());
    }

    void layout_of_malformed_files_is_a_named_error() {
        const std::string bytes = file_bytes(kModel);
        QTemporaryDir tmp;
        const std::string path = tmp.path().toStdString() + "/broken.ftz";
        for (size_t cut :
             {size_t{70}, size_t{1000}, bytes.size() / 2, bytes.size() - 5000, bytes.size() - 1}) {
            std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes.substr(0, cut);
            try {
                read_layout(path);
                QFAIL("a truncated file must not give a layout");
            } catch (const Error& e) {
                const std::string msg = e.what();
                QVERIFY2(msg.find("broken.ftz") != std::string::npos, msg.c_str());
            }
            const auto entry = tb::model::describe_model_file(path);
            QVERIFY(!entry.supported);
            QCOMPARE(entry.parameter_count, int64_t{0});
        }
        std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes << "x";
        try {
            read_layout(path);
            QFAIL("trailing bytes must be an error");
        } catch (const Error& e) {
            QVERIFY(std::string(e.what()).find("trailing") != std::string::npos);
        }
    }

    void model_library_lists_fasttext_folders() {
        QTemporaryDir tmp;
        const std::string root = tmp.path().toStdString();
        std::filesystem::create_directories(root + "/lid");
        std::filesystem::copy_file(kModel, root + "/lid/lid.176.ftz");
        std::filesystem::create_directories(root + "/broken");
        {
            std::ofstream out(root + "/broken/model.bin", std::ios::binary);
            out << file_bytes(kModel).substr(0, 40);  // magic fine, args truncated
        }
        std::filesystem::create_directories(root + "/other");
        std::ofstream(root + "/other/data.bin") << "not a model";
        const auto entries = tb::model::scan_model_library({root}, false);
        QCOMPARE(entries.size(), size_t{2});
        const auto& broken = entries[0];
        QCOMPARE(broken.source_format, std::string("fasttext"));
        QVERIFY(!broken.supported);
        QVERIFY2(broken.reason.find("args") != std::string::npos, broken.reason.c_str());
        const auto& lid = entries[1];
        QVERIFY(lid.supported);
        QCOMPARE(lid.source_format, std::string("fasttext"));
        QCOMPARE(lid.hidden_size, int64_t{16});
        QCOMPARE(lid.labels, int64_t{176});
        QCOMPARE(lid.vocab_size, int64_t{7235});
        QCOMPARE(lid.parameter_count, int64_t{802816});  // matrix_shapes.json
        bool licence = false;
        for (const auto& n : lid.notes)
            licence = licence || n.find("CC-BY-SA-3.0") != std::string::npos;
        QVERIFY(licence);
    }

    void backbone_matches_fasttext_hidden_vector() {
        FastTextBackbone backbone(model_, false);
        QCOMPARE(backbone->output_size(), int64_t{16});
        const std::vector<std::string> texts = {"Bonjour tout le monde", "Guten Morgen"};
        const auto out = backbone->forward(texts);
        QCOMPARE(out.sizes().vec(), (std::vector<int64_t>{2, 16}));
        for (size_t i = 0; i < texts.size(); ++i) {
            const auto h = hidden_vector(model_, line_features(model_, texts[i]));
            const auto want = torch::tensor(h);
            QVERIFY(torch::allclose(out[static_cast<int64_t>(i)], want, 1e-5, 1e-6));
        }
    }

    void fine_tunes_a_new_head() {
        torch::manual_seed(0);
        FastTextBackbone backbone(model_, true);
        torch::nn::Linear head(backbone->output_size(), 2);
        // Sentiment-like task the language-ID model was never trained for.
        const std::vector<std::string> texts = {
            "great movie , loved it",   "wonderful and happy ending",
            "terrible film , hated it", "awful boring waste of time",
            "happy great fun",          "boring awful mess"};
        const auto target = torch::tensor({1, 1, 0, 0, 1, 0}, torch::kLong);
        std::vector<torch::Tensor> params = head->parameters();
        for (auto& p : backbone->parameters())
            params.push_back(p);
        torch::optim::Adam opt(params, torch::optim::AdamOptions(0.05));
        double first = 0, last = 0;
        for (int step = 0; step < 60; ++step) {
            opt.zero_grad();
            auto loss =
                torch::nn::functional::cross_entropy(head(backbone->forward(texts)), target);
            loss.backward();
            opt.step();
            if (step == 0)
                first = loss.item<double>();
            last = loss.item<double>();
        }
        QVERIFY2(last < 0.5 * first,
                 (std::to_string(first) + " -> " + std::to_string(last)).c_str());
    }
};

QTEST_APPLESS_MAIN(TstFastText)
#include "tst_fasttext.moc"
