// BertTokenizer::from_model_dir: vocab.txt errors and tokenizer_config.json handling.
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#include "common/error.h"
#include "text/bert_tokenizer.h"
#include "text/tokenizer_config.h"
#include "text/tokenizer_json.h"

#include <nlohmann/json.hpp>

using namespace tb::text;

namespace {

const std::string kVocab = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\nHello\ncafé\ncafe\n<u>\n";

std::string write_file(const QTemporaryDir& dir, const std::string& name,
                       const std::string& content) {
    const std::string path = dir.path().toStdString() + "/" + name;
    std::ofstream out(path, std::ios::binary);
    out << content;
    return path;
}

std::string e_message(const QTemporaryDir& dir) {
    try {
        BertTokenizer::from_model_dir(dir.path().toStdString());
    } catch (const tb::Error& e) {
        return e.message();
    }
    return {};
}

std::string read_fixture(const std::string& name) {
    std::ifstream in(std::string(TB_FIXTURES_DIR) + "/text/" + name, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

BertTokenizer load_with_config(const std::string& config_json) {
    QTemporaryDir dir;
    write_file(dir, "vocab.txt", kVocab);
    write_file(dir, "tokenizer_config.json", config_json);
    return BertTokenizer::from_model_dir(dir.path().toStdString());
}

}  // namespace

class TestTokenizerConfig : public QObject {
    Q_OBJECT

private slots:
    void missing_vocab_tells_what_to_put_there();
    void missing_folder_is_an_error();
    void defaults_without_config();
    void do_lower_case_false();
    void strip_accents_and_chinese_chars();
    void model_max_length_values();
    void special_tokens_from_config();
    void malformed_json_reports_line();
    void wrong_type_reports_key();
    void unsupported_settings_are_errors();
    void tokenizer_json_only_folder();
    void tokenizer_json_settings_and_overrides();
    void tokenizer_json_rejects_other_models();
};

void TestTokenizerConfig::missing_vocab_tells_what_to_put_there() {
    QTemporaryDir dir;
    write_file(dir, "config.json", "{}");
    const std::string expected_path = dir.path().toStdString() + "/vocab.txt";
    try {
        BertTokenizer::from_model_dir(dir.path().toStdString());
        QFAIL("a folder without vocab.txt was accepted");
    } catch (const tb::Error& e) {
        QCOMPARE(e.where().file, expected_path);
        QVERIFY2(std::string(e.what()).find(expected_path) != std::string::npos, e.what());
        QVERIFY2(e.message().find("put the model's vocab.txt there") != std::string::npos,
                 e.what());
    }
    QVERIFY2(e_message(dir).find("tokenizer.json") != std::string::npos,
             "the message should mention the tokenizer.json alternative");
}

void TestTokenizerConfig::missing_folder_is_an_error() {
    QTemporaryDir dir;
    const std::string missing = dir.path().toStdString() + "/no-model";
    try {
        BertTokenizer::from_model_dir(missing);
        QFAIL("a missing folder was accepted");
    } catch (const tb::Error& e) {
        QCOMPARE(e.where().file, missing);
    }
}

void TestTokenizerConfig::defaults_without_config() {
    QTemporaryDir dir;
    write_file(dir, "vocab.txt", kVocab);
    const auto tokenizer = BertTokenizer::from_model_dir(dir.path().toStdString());
    QCOMPARE(tokenizer.options().lowercase, true);
    QCOMPARE(tokenizer.options().strip_accents, -1);
    QCOMPARE(tokenizer.options().tokenize_chinese_chars, true);
    QCOMPARE(tokenizer.model_max_length(), std::int64_t(0));
    QCOMPARE(tokenizer.vocab().size(), std::int64_t(10));
    QCOMPARE(tokenizer.tokenize("Hello Café"), (std::vector<std::string>{"hello", "cafe"}));
}

void TestTokenizerConfig::do_lower_case_false() {
    const auto tokenizer = load_with_config(R"({"do_lower_case": false, "model_max_length": 512,
        "tokenizer_class": "BertTokenizer"})");
    QCOMPARE(tokenizer.options().lowercase, false);
    QCOMPARE(tokenizer.model_max_length(), std::int64_t(512));
    // strip_accents follows lowercase when not stated: accents kept.
    QCOMPARE(tokenizer.tokenize("Hello café"), (std::vector<std::string>{"Hello", "café"}));
}

void TestTokenizerConfig::strip_accents_and_chinese_chars() {
    const auto keep = load_with_config(R"({"do_lower_case": true, "strip_accents": false})");
    QCOMPARE(keep.options().strip_accents, 0);
    QCOMPARE(keep.tokenize("CAFÉ"), std::vector<std::string>{"café"});
    const auto follow = load_with_config(R"({"do_lower_case": true, "strip_accents": null})");
    QCOMPARE(follow.options().strip_accents, -1);
    QCOMPARE(follow.tokenize("CAFÉ"), std::vector<std::string>{"cafe"});
    const auto forced = load_with_config(R"({"do_lower_case": false, "strip_accents": true})");
    QCOMPARE(forced.options().strip_accents, 1);
    QCOMPARE(forced.tokenize("café"), std::vector<std::string>{"cafe"});
    const auto no_cjk = load_with_config(R"({"tokenize_chinese_chars": false})");
    QCOMPARE(no_cjk.options().tokenize_chinese_chars, false);
    QCOMPARE(no_cjk.tokenize("我爱"), std::vector<std::string>{"[UNK]"});
}

void TestTokenizerConfig::model_max_length_values() {
    // HF's placeholder for "no limit" is int(1e30); it means unknown here.
    QCOMPARE(load_with_config(R"({"model_max_length": 1000000000000000019884624838656})")
                 .model_max_length(),
             std::int64_t(0));
    QCOMPARE(load_with_config(R"({"model_max_length": 1e30})").model_max_length(), std::int64_t(0));
    QCOMPARE(load_with_config(R"({"model_max_length": 128.0})").model_max_length(),
             std::int64_t(128));
    QCOMPARE(load_with_config(R"({"model_max_length": null})").model_max_length(), std::int64_t(0));
    QVERIFY_THROWS_EXCEPTION(tb::Error, load_with_config(R"({"model_max_length": -5})"));
    QVERIFY_THROWS_EXCEPTION(tb::Error, load_with_config(R"({"model_max_length": "512"})"));
}

void TestTokenizerConfig::special_tokens_from_config() {
    // Both spellings HF writes: a plain string and a serialized AddedToken.
    const auto tokenizer = load_with_config(
        R"({"unk_token": {"__type": "AddedToken", "content": "<u>", "lstrip": false},
            "pad_token": "[PAD]", "mask_token": null})");
    QCOMPARE(tokenizer.special_tokens().unk, std::string("<u>"));
    QCOMPARE(tokenizer.special_tokens().mask, std::string("[MASK]"));
    QCOMPARE(tokenizer.tokenize("hello zzz"), (std::vector<std::string>{"hello", "<u>"}));
    // A configured token that the vocabulary lacks is reported.
    try {
        load_with_config(R"({"cls_token": "<s>"})");
        QFAIL("a cls_token missing from the vocabulary was accepted");
    } catch (const tb::Error& e) {
        QVERIFY2(std::string(e.what()).find("<s>") != std::string::npos, e.what());
        QVERIFY2(e.where().file.find("vocab.txt") != std::string::npos, e.what());
    }
}

void TestTokenizerConfig::malformed_json_reports_line() {
    QTemporaryDir dir;
    const auto path =
        write_file(dir, "tokenizer_config.json", "{\n  \"do_lower_case\": true,\n  oops\n}\n");
    try {
        read_tokenizer_config(path);
        QFAIL("malformed JSON was accepted");
    } catch (const tb::Error& e) {
        QCOMPARE(e.where().file, path);
        QCOMPARE(e.where().line, 3L);
    }
}

void TestTokenizerConfig::wrong_type_reports_key() {
    try {
        load_with_config(R"({"do_lower_case": "yes"})");
        QFAIL("a string do_lower_case was accepted");
    } catch (const tb::Error& e) {
        QCOMPARE(e.where().key, std::string("do_lower_case"));
        QVERIFY(e.where().file.find("tokenizer_config.json") != std::string::npos);
    }
    QVERIFY_THROWS_EXCEPTION(tb::Error, load_with_config("[1, 2]"));
    QVERIFY_THROWS_EXCEPTION(tb::Error, load_with_config(R"({"unk_token": 3})"));
}

void TestTokenizerConfig::unsupported_settings_are_errors() {
    try {
        load_with_config(R"({"do_basic_tokenize": false})");
        QFAIL("do_basic_tokenize=false was accepted");
    } catch (const tb::Error& e) {
        QCOMPARE(e.where().key, std::string("do_basic_tokenize"));
    }
    QCOMPARE(load_with_config(R"({"do_basic_tokenize": true})").options().lowercase, true);
}

// A folder with only tokenizer.json (saved by Hugging Face's tokenizers from the fixture vocab,
// uncased) tokenizes exactly like the reference.
void TestTokenizerConfig::tokenizer_json_only_folder() {
    QTemporaryDir dir;
    write_file(dir, "tokenizer.json", read_fixture("tokenizer.json"));
    const auto tokenizer = BertTokenizer::from_model_dir(dir.path().toStdString());
    const auto vocab = Vocab::load(std::string(TB_FIXTURES_DIR) + "/text/vocab.txt");
    QCOMPARE(tokenizer.vocab().tokens(), vocab.tokens());
    QCOMPARE(tokenizer.options().lowercase, true);
    QCOMPARE(tokenizer.options().strip_accents, 1);
    QCOMPARE(tokenizer.special_tokens().cls, std::string("[CLS]"));
    QCOMPARE(tokenizer.special_tokens().sep, std::string("[SEP]"));

    const auto reference = nlohmann::json::parse(read_fixture("bert_reference.json"));
    int compared = 0;
    for (const auto& c : reference.at("cases")) {
        const auto want = c.at("results").at("uncased").at("ids").get<std::vector<std::int64_t>>();
        const std::string text = c.at("text");
        QVERIFY2(tokenizer.encode(text, 4096).input_ids == want, text.c_str());
        ++compared;
    }
    QVERIFY(compared >= 40);
}

void TestTokenizerConfig::tokenizer_json_settings_and_overrides() {
    auto doc = nlohmann::json::parse(read_fixture("tokenizer.json"));
    doc["normalizer"]["lowercase"] = false;
    doc["normalizer"]["strip_accents"] = nullptr;
    doc["post_processor"] = {
        {"type", "BertProcessing"}, {"sep", {"[SEP]", 3}}, {"cls", {"[CLS]", 2}}};
    doc["padding"] = {{"pad_token", "[PAD]"}, {"pad_id", 0}};
    QTemporaryDir dir;
    write_file(dir, "tokenizer.json", doc.dump());
    const auto cased = BertTokenizer::from_model_dir(dir.path().toStdString());
    QCOMPARE(cased.options().lowercase, false);
    QCOMPARE(cased.options().strip_accents, -1);
    QCOMPARE(cased.tokenize("Hello"), std::vector<std::string>{"Hello"});
    // tokenizer_config.json wins over tokenizer.json, as in transformers.
    write_file(dir, "tokenizer_config.json", R"({"do_lower_case": true, "model_max_length": 64})");
    const auto lowered = BertTokenizer::from_model_dir(dir.path().toStdString());
    QCOMPARE(lowered.options().lowercase, true);
    QCOMPARE(lowered.model_max_length(), std::int64_t(64));
    QCOMPARE(lowered.tokenize("Hello"), std::vector<std::string>{"hello"});
    // vocab.txt, when present, is preferred to tokenizer.json.
    write_file(dir, "vocab.txt", kVocab);
    QCOMPARE(BertTokenizer::from_model_dir(dir.path().toStdString()).vocab().size(),
             std::int64_t(10));
}

void TestTokenizerConfig::tokenizer_json_rejects_other_models() {
    const auto base = nlohmann::json::parse(read_fixture("tokenizer.json"));
    const auto expect_key = [&](nlohmann::json doc, const std::string& key) {
        QTemporaryDir dir;
        const auto path = write_file(dir, "tokenizer.json", doc.dump());
        try {
            read_tokenizer_json(path);
            QFAIL(("accepted a tokenizer.json with a bad " + key).c_str());
        } catch (const tb::Error& e) {
            QCOMPARE(e.where().key, key);
            QCOMPARE(e.where().file, path);
        }
    };
    auto bpe = base;
    bpe["model"]["type"] = "BPE";
    expect_key(bpe, "model.type");
    auto normalizer = base;
    normalizer["normalizer"] = {{"type", "NFKC"}};
    expect_key(normalizer, "normalizer.type");
    auto no_clean = base;
    no_clean["normalizer"]["clean_text"] = false;
    expect_key(no_clean, "normalizer.clean_text");
    auto pre = base;
    pre["pre_tokenizer"] = {{"type", "Whitespace"}};
    expect_key(pre, "pre_tokenizer");
    auto gap = base;
    gap["model"]["vocab"].erase("[unused0]");
    expect_key(gap, "model.vocab");
    auto prefix = base;
    prefix["model"]["continuing_subword_prefix"] = "@@";
    expect_key(prefix, "model.continuing_subword_prefix");
    auto roberta = base;
    roberta["post_processor"] = {{"type", "RobertaProcessing"}};
    expect_key(roberta, "post_processor.type");
}

QTEST_APPLESS_MAIN(TestTokenizerConfig)
#include "tst_tokenizer_config.moc"
