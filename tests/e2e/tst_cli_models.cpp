// `tunebench-cli models` and `embed` through the real binary: the library listing (JSON and
// text), and embeddings checked against the committed reference outputs of the fixtures.
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "cli_runner.h"

using json = nlohmann::json;

namespace {

using tb::e2e::Run;

Run cli(const QStringList& args, const QByteArray& stdin_data = {}, const QString& hf_home = {}) {
    return tb::e2e::cli(args, stdin_data, 120000, tb::e2e::withoutHubCache(hf_home));
}

const QString kModels = QStringLiteral(TB_FIXTURES_DIR "/model");

json expected_of(const char* name) {
    std::ifstream in((kModels + "/" + name + "/expected.json").toStdString());
    return json::parse(in);
}

std::vector<json> output_lines(const QByteArray& out) {
    std::vector<json> lines;
    for (const auto& line : out.split('\n'))
        if (!line.trimmed().isEmpty())
            lines.push_back(json::parse(line.toStdString()));
    return lines;
}

double max_abs_diff(const json& a, const std::vector<double>& b) {
    double worst = a.size() == b.size() ? 0.0 : 1e9;
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
        worst = std::max(worst, std::abs(a[i].get<double>() - b[i]));
    return worst;
}

// Mean over the first n token vectors of one row [tokens][hidden].
std::vector<double> mean_rows(const json& row, std::size_t n) {
    std::vector<double> mean(row[0].size(), 0.0);
    for (std::size_t t = 0; t < n; ++t)
        for (std::size_t h = 0; h < mean.size(); ++h)
            mean[h] += row[t][h].get<double>() / static_cast<double>(n);
    return mean;
}

std::vector<double> as_vector(const json& v) {
    return v.get<std::vector<double>>();
}

QByteArray ids_line(const json& ids, std::size_t n) {
    json row = json::array();
    for (std::size_t i = 0; i < n; ++i)
        row.push_back(ids[i]);
    return QByteArray::fromStdString(row.dump() + "\n");
}

}  // namespace

class TstCliModels : public QObject {
    Q_OBJECT

private slots:
    void models_lists_fixture_folders();
    void models_lists_hub_cache();
    void embed_matches_reference_outputs();
    void embed_text_uses_the_tokenizer();
    void embed_errors();
};

void TstCliModels::models_lists_fixture_folders() {
    const auto r = cli({"models", "--json", "--no-builtins", "--path", kModels});
    QVERIFY2(r.code == 0, r.err.constData());
    const json list = json::parse(r.out.toStdString());
    // tiny_{bert,roberta,distilbert,electra} and the transformers-written hf_tiny_{bert,
    // roberta,distilbert} parity folders.
    QCOMPARE(list.size(), std::size_t{7});
    std::map<std::string, json> by_family;  // the tiny_* folders by family
    for (const auto& e : list) {
        QVERIFY2(e["supported"].get<bool>(), e.dump().c_str());
        const std::string path = e["path"].get<std::string>();
        if (path.find("/hf_tiny_") == std::string::npos)
            by_family[e["family"].get<std::string>()] = e;
    }
    QCOMPARE(by_family.size(), std::size_t{4});
    QCOMPARE(by_family["RoBERTa"]["max_positions"].get<int>(), 38);
    QCOMPARE(by_family["DistilBERT"]["layers"].get<int>(), 3);
    QCOMPARE(by_family["ELECTRA"]["hidden_size"].get<int>(), 32);
    QVERIFY(by_family["BERT"]["parameters"].get<long long>() > 20000);
    QCOMPARE(by_family["BERT"]["tokenizer_files"], json::array({"vocab.txt"}));

    const auto text = cli({"models", "--no-builtins", "--path", kModels});
    QCOMPARE(text.code, 0);
    QVERIFY2(text.out.contains("DistilBERT (DistilBertModel)"), text.out.constData());
    QVERIFY(text.out.contains("layers, hidden 32"));
}

void TstCliModels::models_lists_hub_cache() {
    QTemporaryDir tmp;
    namespace fs = std::filesystem;
    const fs::path snap = fs::path(tmp.path().toStdString()) / "hub" / "models--acme--tiny-bert" /
                          "snapshots" / "c0ffee";
    fs::create_directories(snap);
    for (const auto& entry : fs::directory_iterator((kModels + "/tiny_bert").toStdString()))
        fs::copy_file(entry.path(), snap / entry.path().filename());
    fs::create_directories(snap.parent_path() / "../refs");
    std::ofstream((snap.parent_path().parent_path() / "refs" / "main").string()) << "c0ffee";
    const auto r = cli({"models", "--json", "--no-builtins"}, {}, tmp.path());
    QVERIFY2(r.code == 0, r.err.constData());
    const json list = json::parse(r.out.toStdString());
    QCOMPARE(list.size(), std::size_t{1});
    QCOMPARE(list[0]["repo_id"].get<std::string>(), std::string("acme/tiny-bert"));
    QCOMPARE(list[0]["source"].get<std::string>(), std::string("hub-cache"));
    QCOMPARE(
        cli({"models", "--json", "--no-hub-cache", "--no-builtins"}, {}, tmp.path()).out.trimmed(),
        QByteArray("[]"));
}

// --ids with the fixtures' unpadded first rows: embeddings equal the reference's outputs.
void TstCliModels::embed_matches_reference_outputs() {
    const json bert = expected_of("tiny_bert");
    const QByteArray row0 = ids_line(bert["inputs"]["input_ids"][0], 12);
    const QString bert_dir = kModels + "/tiny_bert";
    auto r = cli({"embed", "--model", bert_dir, "--ids", "--pooling", "pooler"}, row0);
    QVERIFY2(r.code == 0, r.err.constData());
    auto lines = output_lines(r.out);
    QCOMPARE(lines.size(), std::size_t{1});
    QVERIFY(max_abs_diff(lines[0], as_vector(bert["pooled"][0])) < 1e-4);

    r = cli({"embed", "--model", bert_dir, "--ids"}, row0 + row0);  // cls by default
    lines = output_lines(r.out);
    QCOMPARE(lines.size(), std::size_t{2});
    QVERIFY(max_abs_diff(lines[1], as_vector(bert["last_hidden_state"][0][0])) < 1e-4);

    // RoBERTa, mean pooling over layer 1; the second row (7 tokens) alone.
    const json roberta = expected_of("tiny_roberta");
    r = cli({"embed", "--model", kModels + "/tiny_roberta", "--ids", "--pooling", "mean", "--layer",
             "1"},
            ids_line(roberta["inputs"]["input_ids"][1], 7));
    QVERIFY2(r.code == 0, r.err.constData());
    lines = output_lines(r.out);
    QVERIFY(max_abs_diff(lines.at(0), mean_rows(roberta["hidden_states"][1][1], 7)) < 1e-4);

    // DistilBERT, mean over the last layer.
    const json distil = expected_of("tiny_distilbert");
    r = cli({"embed", "--model", kModels + "/tiny_distilbert", "--ids", "--pooling", "mean"},
            ids_line(distil["inputs"]["input_ids"][0], 12));
    lines = output_lines(r.out);
    QVERIFY(max_abs_diff(lines.at(0), mean_rows(distil["last_hidden_state"][0], 12)) < 1e-4);
}

void TstCliModels::embed_text_uses_the_tokenizer() {
    // tiny_bert's vocab: [PAD] [UNK] [CLS] [SEP] [MASK] tok0..tok94, so "tok12 tok40" is
    // [CLS]=2 tok12=17 tok40=45 [SEP]=3.
    const QString dir = kModels + "/tiny_bert";
    const auto text = cli({"embed", "--model", dir, "--pooling", "mean"}, "tok12 tok40\n");
    const auto ids =
        cli({"embed", "--model", dir, "--pooling", "mean", "--ids"}, "[2, 17, 45, 3]\n");
    QVERIFY2(text.code == 0, text.err.constData());
    QCOMPARE(text.out, ids.out);
    QCOMPARE(output_lines(text.out).at(0).size(), std::size_t{32});
}

void TstCliModels::embed_errors() {
    auto r = cli({"embed", "--model", kModels + "/tiny_distilbert", "--ids", "--pooling", "pooler"},
                 "[2, 3]\n");
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("no pooler"), r.err.constData());
    r = cli({"embed", "--model", kModels + "/tiny_bert", "--ids", "--layer", "7"}, "[2, 3]\n");
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("out of range"), r.err.constData());
    r = cli({"embed", "--model", kModels + "/tiny_bert", "--ids"}, "[2, 300]\n");
    QCOMPARE(r.code, 1);
    QVERIFY(r.err.contains("not in the vocabulary"));
    QCOMPARE(cli({"embed", "--model", kModels + "/tiny_bert", "--pooling", "max"}).code, 2);
}

QTEST_APPLESS_MAIN(TstCliModels)
#include "tst_cli_models.moc"
