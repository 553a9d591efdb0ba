// inspect_model_folder (errors, hub cache, shards, tokenizer settings), create_random_bert_folder.
#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "model/model_factory.h"
#include "model/model_folder.h"
#include "model/safetensors.h"

using namespace tb;
using namespace tb::model;
namespace fs = std::filesystem;

namespace {

const std::string kFixture = TB_FIXTURES_DIR "/model/tiny_bert";

void write_text(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

// A complete folder built from the committed fixture files.
fs::path copy_fixture(const QTemporaryDir& tmp, const std::string& name = "model") {
    const fs::path dir = fs::path(tmp.path().toStdString()) / name;
    fs::create_directories(dir);
    for (const char* f : {"config.json", "model.safetensors", "vocab.txt"})
        fs::copy_file(fs::path(kFixture) / f, dir / f);
    return dir;
}

Error inspect_error(const fs::path& dir) {
    try {
        inspect_model_folder(dir.string());
    } catch (const Error& e) {
        return e;
    }
    throw std::runtime_error("expected tb::Error for " + dir.string());
}

bool contains(const std::string& text, const std::string& fragment) {
    return text.find(fragment) != std::string::npos;
}

BertConfig tiny_config() {
    BertConfig c;
    c.vocab_size = 20;
    c.hidden_size = 16;
    c.num_hidden_layers = 2;
    c.num_attention_heads = 2;
    c.intermediate_size = 24;
    c.max_position_embeddings = 40;
    c.type_vocab_size = 2;
    return c;
}

std::vector<std::string> tiny_vocab() {
    std::vector<std::string> v = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
    for (int i = 0; v.size() < 20; ++i)
        v.push_back("w" + std::to_string(i));
    return v;
}

std::int64_t bert_parameter_count(const BertConfig& c) {
    const std::int64_t h = c.hidden_size, i = c.intermediate_size;
    const std::int64_t embeddings =
        (c.vocab_size + c.max_position_embeddings + c.type_vocab_size) * h + 2 * h;
    const std::int64_t layer = 4 * (h * h + h) + 2 * h + (h * i + i) + (i * h + h) + 2 * h;
    return embeddings + c.num_hidden_layers * layer + (h * h + h);
}

}  // namespace

class TestModelFolder : public QObject {
    Q_OBJECT

private slots:
    void inspects_fixture_folder();
    void missing_folder_and_file_path();
    void missing_config();
    void pickle_only_is_refused_with_conversion_advice();
    void no_weights();
    void no_vocabulary();
    void tokenizer_json_instead_of_vocab();
    void tokenizer_settings();
    void bad_weights_header_names_file();
    void non_bert_config_is_refused();
    void hub_cache_folder_resolves_snapshot();
    void sharded_weights();

    void create_random_folder_then_inspect();
    void create_is_reproducible_per_seed();
    void create_refuses_non_empty_folder();
    void create_validates_vocabulary();
};

void TestModelFolder::inspects_fixture_folder() {
    ModelFolderInfo info = inspect_model_folder(kFixture);
    QCOMPARE(info.path, kFixture);
    QCOMPARE(info.config_path, kFixture + "/config.json");
    QCOMPARE(info.weights_path, kFixture + "/model.safetensors");
    QCOMPARE(info.weight_files, std::vector<std::string>{kFixture + "/model.safetensors"});
    QCOMPARE(info.vocab_path, kFixture + "/vocab.txt");
    QCOMPARE(info.config.hidden_size, std::int64_t(32));
    QCOMPARE(info.parameter_count, bert_parameter_count(info.config));
    QCOMPARE(info.weights_bytes,
             static_cast<std::int64_t>(fs::file_size(kFixture + "/model.safetensors")));
    QVERIFY(info.do_lower_case);
    QCOMPARE(info.model_max_length, std::int64_t(64));
    QCOMPARE(info.notes.size(), std::size_t(1));
    QVERIFY(contains(info.notes[0], "lowercase assumed"));
}

void TestModelFolder::missing_folder_and_file_path() {
    QTemporaryDir tmp;
    Error missing = inspect_error(fs::path(tmp.path().toStdString()) / "nothing");
    QVERIFY(contains(missing.message(), "does not exist"));
    QVERIFY(contains(missing.where().file, "nothing"));
    Error file = inspect_error(fs::path(kFixture) / "config.json");
    QVERIFY(contains(file.message(), "not a folder"));
}

void TestModelFolder::missing_config() {
    QTemporaryDir tmp;
    fs::path dir = copy_fixture(tmp);
    fs::remove(dir / "config.json");
    Error e = inspect_error(dir);
    QVERIFY(contains(e.message(), "no config.json"));
    QVERIFY(contains(e.message(), "snapshots"));
    QCOMPARE(e.where().file, dir.string());
}

void TestModelFolder::pickle_only_is_refused_with_conversion_advice() {
    QTemporaryDir tmp;
    fs::path dir = copy_fixture(tmp);
    fs::remove(dir / "model.safetensors");
    write_text(dir / "pytorch_model.bin", "PK\x03\x04 not really a zip");
    Error e = inspect_error(dir);
    QVERIFY2(contains(e.message(), "pickle files can execute arbitrary code when loaded"),
             e.what());
    QVERIFY2(contains(e.message(), "from safetensors.torch import save_file"), e.what());
    QVERIFY2(contains(e.message(), "safe_serialization=True"), e.what());
    QCOMPARE(e.where().file, (dir / "pytorch_model.bin").string());

    // With both present the safetensors file is used and the pickle merely noted.
    fs::copy_file(fs::path(kFixture) / "model.safetensors", dir / "model.safetensors");
    ModelFolderInfo info = inspect_model_folder(dir.string());
    QCOMPARE(info.weights_path, (dir / "model.safetensors").string());
    bool noted = false;
    for (const auto& n : info.notes)
        noted |= contains(n, "pytorch_model.bin ignored");
    QVERIFY(noted);
}

void TestModelFolder::no_weights() {
    QTemporaryDir tmp;
    fs::path dir = copy_fixture(tmp);
    fs::remove(dir / "model.safetensors");
    Error e = inspect_error(dir);
    QVERIFY2(contains(e.message(), "no model.safetensors"), e.what());
    write_text(dir / "tf_model.h5", "x");
    QVERIFY(contains(inspect_error(dir).message(), "TensorFlow"));
}

void TestModelFolder::no_vocabulary() {
    QTemporaryDir tmp;
    fs::path dir = copy_fixture(tmp);
    fs::remove(dir / "vocab.txt");
    Error e = inspect_error(dir);
    QVERIFY2(contains(e.message(), "no vocab.txt"), e.what());
}

void TestModelFolder::tokenizer_json_instead_of_vocab() {
    QTemporaryDir tmp;
    fs::path dir = copy_fixture(tmp);
    fs::remove(dir / "vocab.txt");
    write_text(dir / "tokenizer.json",
               R"({"normalizer": {"type": "BertNormalizer", "lowercase": false},
                   "model": {"type": "WordPiece", "vocab": {"[PAD]": 0}}})");
    ModelFolderInfo info = inspect_model_folder(dir.string());
    QVERIFY(info.vocab_path.empty());
    QCOMPARE(info.tokenizer_json_path, (dir / "tokenizer.json").string());
    QVERIFY(!info.do_lower_case);
    QVERIFY(info.notes.empty());
}

void TestModelFolder::tokenizer_settings() {
    QTemporaryDir tmp;
    fs::path dir = copy_fixture(tmp);
    write_text(dir / "tokenizer_config.json",
               R"({"do_lower_case": false, "model_max_length": 32})");
    ModelFolderInfo info = inspect_model_folder(dir.string());
    QVERIFY(!info.do_lower_case);
    QCOMPARE(info.model_max_length, std::int64_t(32));
    QCOMPARE(info.tokenizer_config_path, (dir / "tokenizer_config.json").string());
    QVERIFY(info.notes.empty());

    // HF's "unlimited" marker is a huge float; the position table is the limit then, and a
    // stated limit beyond it is capped with a note.
    write_text(dir / "tokenizer_config.json",
               R"({"do_lower_case": true, "model_max_length": 1000000000000000019884624838656})");
    QCOMPARE(inspect_model_folder(dir.string()).model_max_length, std::int64_t(64));
    write_text(dir / "tokenizer_config.json", R"({"model_max_length": 512})");
    info = inspect_model_folder(dir.string());
    QCOMPARE(info.model_max_length, std::int64_t(64));
    QCOMPARE(info.notes.size(), std::size_t(2));

    write_text(dir / "tokenizer_config.json", "{broken");
    QCOMPARE(inspect_error(dir).where().file, (dir / "tokenizer_config.json").string());
}

void TestModelFolder::bad_weights_header_names_file() {
    QTemporaryDir tmp;
    fs::path dir = copy_fixture(tmp);
    fs::resize_file(dir / "model.safetensors", 1000);
    Error e = inspect_error(dir);
    QCOMPARE(e.where().file, (dir / "model.safetensors").string());
}

void TestModelFolder::non_bert_config_is_refused() {
    QTemporaryDir tmp;
    fs::path dir = copy_fixture(tmp);
    write_text(dir / "config.json", R"({"model_type": "gpt2"})");
    Error e = inspect_error(dir);
    QCOMPARE(e.where().key, std::string("model_type"));
    QCOMPARE(e.where().file, (dir / "config.json").string());
}

void TestModelFolder::hub_cache_folder_resolves_snapshot() {
    QTemporaryDir tmp;
    const fs::path repo = fs::path(tmp.path().toStdString()) / "models--org--tiny";
    const fs::path snap_a = repo / "snapshots" / "aaaa";
    const fs::path snap_b = repo / "snapshots" / "bbbb";
    for (const auto& snap : {snap_a, snap_b}) {
        fs::create_directories(snap);
        for (const char* f : {"config.json", "model.safetensors", "vocab.txt"})
            fs::copy_file(fs::path(kFixture) / f, snap / f);
    }
    QVERIFY(contains(inspect_error(repo).message(), "several snapshots"));
    write_text(repo / "refs" / "main", "bbbb");
    ModelFolderInfo info = inspect_model_folder(repo.string());
    QCOMPARE(info.path, snap_b.string());
    QCOMPARE(info.weights_path, (snap_b / "model.safetensors").string());
    QVERIFY(contains(info.notes.front(), "bbbb"));
}

void TestModelFolder::sharded_weights() {
    QTemporaryDir tmp;
    fs::path dir = copy_fixture(tmp);
    auto whole = SafetensorsFile::open((dir / "model.safetensors").string());
    std::vector<TensorBlob> first, second;
    std::string weight_map;
    for (const auto& e : whole.entries()) {
        const bool in_first = e.name.rfind("embeddings.", 0) == 0;
        (in_first ? first : second).push_back(whole.read(e.name));
        weight_map +=
            std::string(weight_map.empty() ? "" : ",") + "\"" + e.name + "\": \"" +
            (in_first ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors") +
            "\"";
    }
    fs::remove(dir / "model.safetensors");
    write_safetensors((dir / "model-00001-of-00002.safetensors").string(), first);
    write_safetensors((dir / "model-00002-of-00002.safetensors").string(), second);
    write_text(dir / "model.safetensors.index.json",
               "{\"metadata\": {}, \"weight_map\": {" + weight_map + "}}");

    ModelFolderInfo info = inspect_model_folder(dir.string());
    QCOMPARE(info.weights_path, (dir / "model.safetensors.index.json").string());
    QCOMPARE(info.weight_files,
             (std::vector<std::string>{(dir / "model-00001-of-00002.safetensors").string(),
                                       (dir / "model-00002-of-00002.safetensors").string()}));
    QCOMPARE(info.parameter_count, bert_parameter_count(info.config));

    fs::remove(dir / "model-00002-of-00002.safetensors");
    Error e = inspect_error(dir);
    QVERIFY2(contains(e.message(), "model-00002-of-00002.safetensors"), e.what());
    QVERIFY2(contains(e.message(), "missing"), e.what());
}

void TestModelFolder::create_random_folder_then_inspect() {
    QTemporaryDir tmp;
    const std::string dir = tmp.path().toStdString() + "/demo/bert-tiny";
    const BertConfig config = tiny_config();
    create_random_bert_folder(dir, config, tiny_vocab(), /*seed=*/7, /*lowercase=*/false);

    ModelFolderInfo info = inspect_model_folder(dir);
    QCOMPARE(info.config.vocab_size, config.vocab_size);
    QCOMPARE(info.config.hidden_size, config.hidden_size);
    QCOMPARE(info.config.num_hidden_layers, config.num_hidden_layers);
    QCOMPARE(info.config.intermediate_size, config.intermediate_size);
    QCOMPARE(info.parameter_count, bert_parameter_count(config));
    QVERIFY(!info.do_lower_case);
    QCOMPARE(info.model_max_length, config.max_position_embeddings);
    // The folder says, wherever it is shown, that its weights are not pretrained.
    QCOMPARE(int(info.notes.size()), 1);
    QVERIFY2(info.notes[0].find("NOT pretrained") != std::string::npos, info.notes[0].c_str());
    QVERIFY(info.notes[0].find("seed 7") != std::string::npos);

    std::ifstream vocab(info.vocab_path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(vocab, line);)
        lines.push_back(line);
    QCOMPARE(lines, tiny_vocab());

    // HF BertModel names, unprefixed, float32, with HF's initialisation.
    auto file = SafetensorsFile::open(info.weights_path);
    QCOMPARE(file.metadata().at("format"), std::string("pt"));
    QVERIFY(file.find("embeddings.word_embeddings.weight"));
    QVERIFY(file.find("encoder.layer.1.attention.self.query.weight"));
    QVERIFY(file.find("pooler.dense.bias"));
    TensorBlob norm = file.read("encoder.layer.0.output.LayerNorm.weight");
    QCOMPARE(norm.dtype, DType::F32);
    std::vector<float> ones(static_cast<std::size_t>(norm.numel()));
    std::memcpy(ones.data(), norm.bytes.data(), norm.bytes.size());
    for (float v : ones)
        QCOMPARE(v, 1.0f);
    QVERIFY(!fs::exists(dir + ".tmp-" + std::to_string(::getpid())));
    QCOMPARE(QDir(QString::fromStdString(tmp.path().toStdString() + "/demo"))
                 .entryList(QDir::AllEntries | QDir::NoDotAndDotDot)
                 .size(),
             1);
}

void TestModelFolder::create_is_reproducible_per_seed() {
    QTemporaryDir tmp;
    const std::string base = tmp.path().toStdString();
    create_random_bert_folder(base + "/a", tiny_config(), tiny_vocab(), 11, true);
    create_random_bert_folder(base + "/b", tiny_config(), tiny_vocab(), 11, true);
    create_random_bert_folder(base + "/c", tiny_config(), tiny_vocab(), 12, true);
    auto read = [](const std::string& dir) {
        return SafetensorsFile::open(dir + "/model.safetensors")
            .read("encoder.layer.0.attention.self.key.weight")
            .bytes;
    };
    QVERIFY(read(base + "/a") == read(base + "/b"));
    QVERIFY(read(base + "/a") != read(base + "/c"));
}

void TestModelFolder::create_refuses_non_empty_folder() {
    QTemporaryDir tmp;
    const fs::path dir = fs::path(tmp.path().toStdString()) / "existing";
    write_text(dir / "keep.txt", "precious");
    try {
        create_random_bert_folder(dir.string(), tiny_config(), tiny_vocab(), 1, true);
        QFAIL("no error");
    } catch (const Error& e) {
        QVERIFY(contains(e.message(), "nothing is overwritten"));
    }
    std::ifstream in(dir / "keep.txt");
    std::string kept;
    std::getline(in, kept);
    QCOMPARE(kept, std::string("precious"));
    QVERIFY(!fs::exists(dir / "config.json"));

    // An existing empty folder is fine.
    const fs::path empty = fs::path(tmp.path().toStdString()) / "empty";
    fs::create_directories(empty);
    create_random_bert_folder(empty.string(), tiny_config(), tiny_vocab(), 1, true);
    QVERIFY(fs::exists(empty / "model.safetensors"));
}

void TestModelFolder::create_validates_vocabulary() {
    QTemporaryDir tmp;
    const std::string dir = tmp.path().toStdString() + "/v";
    auto short_vocab = tiny_vocab();
    short_vocab.pop_back();
    QVERIFY_THROWS_EXCEPTION(Error,
                             create_random_bert_folder(dir, tiny_config(), short_vocab, 1, true));
    auto no_cls = tiny_vocab();
    no_cls[2] = "CLS";
    QVERIFY_THROWS_EXCEPTION(Error, create_random_bert_folder(dir, tiny_config(), no_cls, 1, true));
    auto dup = tiny_vocab();
    dup[6] = dup[5];
    QVERIFY_THROWS_EXCEPTION(Error, create_random_bert_folder(dir, tiny_config(), dup, 1, true));
    BertConfig bad = tiny_config();
    bad.num_attention_heads = 3;
    QVERIFY_THROWS_EXCEPTION(Error, create_random_bert_folder(dir, bad, tiny_vocab(), 1, true));
    QVERIFY(!fs::exists(dir));
}

QTEST_APPLESS_MAIN(TestModelFolder)
#include "tst_model_folder.moc"
