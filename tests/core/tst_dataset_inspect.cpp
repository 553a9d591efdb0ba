// inspect_dataset on valid data of every task: detected task, counts, classes/tags, scheme,
// warnings, split-column counts and de-identification counts (the JSON of docs/cli.md).
#include <QtTest>

#include <cmath>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "data/dataset_inspect.h"

using tb::data::inspect_dataset;
using tb::data::InspectRequest;

namespace {

std::string data(const std::string& name) {
    return std::string(TB_FIXTURES_DIR) + "/data/" + name;
}

}  // namespace

class TstDatasetInspect : public QObject {
    Q_OBJECT

private slots:
    void token_classification();
    void text_with_warnings_split_and_deid();
    void multi_label();
    void images();
    void regression_pairs();
};

void TstDatasetInspect::token_classification() {
    InspectRequest r;
    r.path = data("ner/conll2003_bio.conll");
    const auto out = inspect_dataset(r);
    QCOMPARE(out["task"].get<std::string>(), std::string("token_classification"));
    QCOMPARE(out["scheme"].get<std::string>(), std::string("bio"));
    QCOMPARE(out["sentences"].get<int>(), 3);
    QCOMPARE(out["tokens"].get<int>(), 12);
    QCOMPARE(out["num_tags"].get<int>(), 6);
    QCOMPARE(out["tags"][0]["name"].get<std::string>(), std::string("O"));
    QVERIFY(out["ok"].get<bool>());
    r.path = data("brown/brown_pos.txt");
    const auto brown = inspect_dataset(r);
    QCOMPARE(brown["format"].get<std::string>(), std::string("tagged"));
    QCOMPARE(brown["scheme"].get<std::string>(), std::string("plain"));
    QCOMPARE(brown["sentences"].get<int>(), 60);
}

void TstDatasetInspect::text_with_warnings_split_and_deid() {
    QTemporaryDir tmp;
    const std::string path = tmp.path().toStdString() + "/t.csv";
    std::ofstream(path) << "文本,标签,split\n"
                           "联系 a@b.com,正面,train\n"
                           "打 13812345678,负面,train\n"
                           "好,正面,dev\n"
                           "好,正面,test\n";
    InspectRequest r;
    r.path = path;
    r.text_column = "文本";
    r.label_column = "标签";
    r.split_column = "split";
    r.deidentify = true;
    r.min_examples_per_label = 2;
    const auto out = inspect_dataset(r);
    QCOMPARE(out["task"].get<std::string>(), std::string("text_classification"));
    QCOMPARE(out["num_labels"].get<int>(), 2);
    QCOMPARE(out["split"]["train"].get<int>(), 2);
    QCOMPARE(out["split"]["dev"].get<int>(), 1);
    QCOMPARE(out["deidentified"]["email"].get<int>(), 1);
    QCOMPARE(out["deidentified"]["phone"].get<int>(), 1);
    QCOMPARE(out["warnings"].size(), std::size_t{2});  // rare 负面, duplicate 好
    QCOMPARE(out["warnings"][0]["kind"].get<std::string>(), std::string("rare_label"));
    QCOMPARE(out["warnings"][1]["kind"].get<std::string>(), std::string("duplicate"));
    QCOMPARE(out["warnings"][1]["line"].get<int>(), 5);
    QVERIFY(out["ok"].get<bool>());  // warnings do not fail
}

void TstDatasetInspect::multi_label() {
    QTemporaryDir tmp;
    const std::string path = tmp.path().toStdString() + "/m.tsv";
    std::ofstream(path) << "text\ttags\na\tx;y\nb\ty\n";
    InspectRequest r;
    r.path = path;
    r.label_column = "tags";
    r.label_separator = ";";
    const auto out = inspect_dataset(r);
    QCOMPARE(out["task"].get<std::string>(), std::string("multi_label"));
    QCOMPARE(out["num_labels"].get<int>(), 2);
    QCOMPARE(out["labels"][1]["count"].get<int>(), 2);
    QVERIFY(out["ok"].get<bool>());
}

void TstDatasetInspect::images() {
    InspectRequest r;
    r.path = data("images/folder");
    const auto folder = inspect_dataset(r);
    QCOMPARE(folder["task"].get<std::string>(), std::string("image_classification"));
    QCOMPARE(folder["examples"].get<int>(), 5);
    r.path = data("images/fashion-10-images-idx3-ubyte.gz");
    r.labels_path = data("images/fashion-10-labels-idx1-ubyte");
    const auto idx = inspect_dataset(r);
    QCOMPARE(idx["format"].get<std::string>(), std::string("idx"));
    QCOMPARE(idx["examples"].get<int>(), 10);
    QCOMPARE(idx["height"].get<int>(), 28);
    r.path = data("hdf5/int_labels.h5");
    r.labels_path.clear();
    const auto h5 = inspect_dataset(r);
    QCOMPARE(h5["format"].get<std::string>(), std::string("hdf5"));
    QCOMPARE(h5["examples"].get<int>(), 6);
    QCOMPARE(h5["feature_shape"], (nlohmann::json{2, 3}));
    QCOMPARE(h5["labels"][2]["count"].get<int>(), 3);
    r.path = data("images/labels.csv");
    r.labels_path.clear();
    r.task = "image_classification";
    const auto table = inspect_dataset(r);
    QCOMPARE(table["format"].get<std::string>(), std::string("table"));
    QCOMPARE(table["num_labels"].get<int>(), 2);
}

// Regression with a pair column (the Data page's fixture): problems, duplicate pairs, statistics
// (numpy.mean and numpy.std of the 17 valid scores).
void TstDatasetInspect::regression_pairs() {
    InspectRequest r;
    r.path = std::string(TB_FIXTURES_DIR) + "/ui/sts_pairs.csv";
    r.task = "regression";
    r.text_column = "sentence1";
    r.text_pair_column = "sentence2";
    r.label_column = "score";
    const auto out = inspect_dataset(r);
    QCOMPARE(out["task"].get<std::string>(), std::string("regression"));
    QCOMPARE(out["rows"].get<int>(), 19);
    QCOMPARE(out["examples"].get<int>(), 17);
    QCOMPARE(out["targets"]["count"].get<int>(), 17);
    QCOMPARE(out["targets"]["min"].get<double>(), 0.1);
    QCOMPARE(out["targets"]["max"].get<double>(), 5.0);
    QVERIFY(std::abs(out["targets"]["mean"].get<double>() - 2.9352941176470586) < 1e-12);
    QVERIFY(std::abs(out["targets"]["std"].get<double>() - 1.841016719248805) < 1e-12);
    QCOMPARE(out["problems"].size(), std::size_t(2));
    QCOMPARE(out["problems"][1]["kind"].get<std::string>(), std::string("invalid_number"));
    QCOMPARE(out["problems"][1]["line"].get<int>(), 11);
    QCOMPARE(out["warnings"].size(), std::size_t(4));
    QCOMPARE(out["warnings"][3]["kind"].get<std::string>(), std::string("conflicting_duplicate"));
    QCOMPARE(out["warnings"][3]["line"].get<int>(), 12);
    QVERIFY(!out["ok"].get<bool>());
}

QTEST_MAIN(TstDatasetInspect)
#include "tst_dataset_inspect.moc"
