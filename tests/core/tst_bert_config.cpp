// BERT config.json parsing: HF defaults and values, architecture checks, errors with keys.
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#include "common/error.h"
#include "model/bert_config.h"

using namespace tb;
using namespace tb::model;

namespace {

// config.json of bert-base-uncased as Hugging Face publishes it.
const char* const kBertBaseUncased = R"({
  "architectures": ["BertForMaskedLM"],
  "attention_probs_dropout_prob": 0.1,
  "gradient_checkpointing": false,
  "hidden_act": "gelu",
  "hidden_dropout_prob": 0.1,
  "hidden_size": 768,
  "initializer_range": 0.02,
  "intermediate_size": 3072,
  "layer_norm_eps": 1e-12,
  "max_position_embeddings": 512,
  "model_type": "bert",
  "num_attention_heads": 12,
  "num_hidden_layers": 12,
  "pad_token_id": 0,
  "position_embedding_type": "absolute",
  "transformers_version": "4.6.0.dev0",
  "type_vocab_size": 2,
  "use_cache": true,
  "vocab_size": 30522
})";

Error parse_error(const std::string& text) {
    try {
        parse_bert_config(text, "cfg.json");
    } catch (const Error& e) {
        return e;
    }
    throw std::runtime_error("expected tb::Error for: " + text);
}

bool contains(const std::string& text, const std::string& fragment) {
    return text.find(fragment) != std::string::npos;
}

}  // namespace

class TestBertConfig : public QObject {
    Q_OBJECT

private slots:
    void parses_bert_base();
    void missing_keys_take_hf_defaults();
    void small_model_values();
    void classifier_dropout();
    void other_model_type_is_refused();
    void architectures_decide_without_model_type();
    void heads_must_divide_hidden_size();
    void wrong_types_name_the_key();
    void invalid_json_reports_line_and_column();
    void unsupported_features();
    void out_of_range_values();
    void load_from_file_and_missing_file();
    void to_config_json_round_trips();
};

void TestBertConfig::parses_bert_base() {
    BertConfig c = parse_bert_config(kBertBaseUncased, "bert-base/config.json");
    QCOMPARE(c.model_type, std::string("bert"));
    QCOMPARE(c.vocab_size, std::int64_t(30522));
    QCOMPARE(c.hidden_size, std::int64_t(768));
    QCOMPARE(c.num_hidden_layers, std::int64_t(12));
    QCOMPARE(c.num_attention_heads, std::int64_t(12));
    QCOMPARE(c.intermediate_size, std::int64_t(3072));
    QCOMPARE(c.hidden_act, std::string("gelu"));
    QCOMPARE(c.max_position_embeddings, std::int64_t(512));
    QCOMPARE(c.type_vocab_size, std::int64_t(2));
    QCOMPARE(c.layer_norm_eps, 1e-12);
    QCOMPARE(c.pad_token_id, std::int64_t(0));
    QCOMPARE(c.initializer_range, 0.02);
    QVERIFY(!c.classifier_dropout.has_value());
}

void TestBertConfig::missing_keys_take_hf_defaults() {
    BertConfig c = parse_bert_config(R"({"model_type": "bert"})", "c");
    BertConfig d;
    QCOMPARE(c.vocab_size, d.vocab_size);
    QCOMPARE(c.hidden_size, std::int64_t(768));
    QCOMPARE(c.hidden_dropout_prob, 0.1);
    QCOMPARE(c.attention_probs_dropout_prob, 0.1);
}

void TestBertConfig::small_model_values() {
    BertConfig c = parse_bert_config(R"({"model_type":"bert","vocab_size":100,"hidden_size":32,
        "num_hidden_layers":2,"num_attention_heads":4,"intermediate_size":64,
        "hidden_act":"gelu_new","hidden_dropout_prob":0,"attention_probs_dropout_prob":0.25,
        "max_position_embeddings":64,"type_vocab_size":1,"layer_norm_eps":1e-5,
        "pad_token_id":3,"initializer_range":0.5})",
                                     "c");
    QCOMPARE(c.vocab_size, std::int64_t(100));
    QCOMPARE(c.hidden_act, std::string("gelu_new"));
    QCOMPARE(c.hidden_dropout_prob, 0.0);
    QCOMPARE(c.attention_probs_dropout_prob, 0.25);
    QCOMPARE(c.type_vocab_size, std::int64_t(1));
    QCOMPARE(c.layer_norm_eps, 1e-5);
    QCOMPARE(c.pad_token_id, std::int64_t(3));
    QCOMPARE(c.initializer_range, 0.5);
}

void TestBertConfig::classifier_dropout() {
    QVERIFY(!parse_bert_config(R"({"classifier_dropout": null})", "c").classifier_dropout);
    auto c = parse_bert_config(R"({"classifier_dropout": 0.3})", "c");
    QVERIFY(c.classifier_dropout.has_value());
    QCOMPARE(*c.classifier_dropout, 0.3);
    QCOMPARE(parse_error(R"({"classifier_dropout": 2})").where().key,
             std::string("classifier_dropout"));
}

void TestBertConfig::other_model_type_is_refused() {
    for (const char* type : {"roberta", "gpt2", "distilbert"}) {
        Error e = parse_error(std::string(R"({"model_type": ")") + type + R"("})");
        QCOMPARE(e.where().key, std::string("model_type"));
        QCOMPARE(e.where().file, std::string("cfg.json"));
        QVERIFY2(contains(e.message(), type), e.what());
        QVERIFY2(contains(e.message(), "supported: BERT encoders"), e.what());
        QVERIFY2(contains(e.message(), "BertForSequenceClassification"), e.what());
    }
}

void TestBertConfig::architectures_decide_without_model_type() {
    parse_bert_config(R"({"architectures": ["BertModel"]})", "c");
    parse_bert_config(R"({"architectures": ["BertForSequenceClassification"]})", "c");
    parse_bert_config(R"({"hidden_size": 768})", "c");  // original Google configs
    Error e = parse_error(R"({"architectures": ["RobertaForMaskedLM"]})");
    QCOMPARE(e.where().key, std::string("architectures"));
    QVERIFY(contains(e.message(), "RobertaForMaskedLM"));
    QVERIFY(contains(e.message(), "supported"));
}

void TestBertConfig::heads_must_divide_hidden_size() {
    Error e = parse_error(R"({"model_type":"bert","hidden_size":100,"num_attention_heads":12})");
    QCOMPARE(e.where().key, std::string("num_attention_heads"));
    QVERIFY2(contains(e.message(), "'hidden_size' (100)"), e.what());
    QVERIFY2(contains(e.message(), "'num_attention_heads' (12)"), e.what());
}

void TestBertConfig::wrong_types_name_the_key() {
    QCOMPARE(parse_error(R"({"hidden_size": "768"})").where().key, std::string("hidden_size"));
    QCOMPARE(parse_error(R"({"hidden_size": 768.5})").where().key, std::string("hidden_size"));
    QCOMPARE(parse_error(R"({"layer_norm_eps": "small"})").where().key,
             std::string("layer_norm_eps"));
    QCOMPARE(parse_error(R"({"hidden_act": 3})").where().key, std::string("hidden_act"));
    QCOMPARE(parse_error(R"({"model_type": 3})").where().key, std::string("model_type"));
    QVERIFY(contains(parse_error("[1, 2]").message(), "JSON object"));
}

void TestBertConfig::invalid_json_reports_line_and_column() {
    Error e = parse_error("{\n  \"hidden_size\": 768,\n  \"vocab_size\": ,\n}");
    QCOMPARE(e.where().line, 3L);
    QVERIFY(e.where().column > 1);
    QVERIFY(contains(e.message(), "not valid JSON"));
}

void TestBertConfig::unsupported_features() {
    Error act = parse_error(R"({"hidden_act": "swish"})");
    QCOMPARE(act.where().key, std::string("hidden_act"));
    QVERIFY(contains(act.message(), "swish"));
    Error pos = parse_error(R"({"position_embedding_type": "relative_key"})");
    QCOMPARE(pos.where().key, std::string("position_embedding_type"));
    for (const char* ok : {"gelu", "gelu_new", "gelu_pytorch_tanh", "relu"})
        parse_bert_config(std::string(R"({"hidden_act": ")") + ok + R"("})", "c");
}

void TestBertConfig::out_of_range_values() {
    QCOMPARE(parse_error(R"({"vocab_size": 0})").where().key, std::string("vocab_size"));
    QCOMPARE(parse_error(R"({"num_hidden_layers": -1})").where().key,
             std::string("num_hidden_layers"));
    QCOMPARE(parse_error(R"({"hidden_dropout_prob": 1.5})").where().key,
             std::string("hidden_dropout_prob"));
    QCOMPARE(parse_error(R"({"vocab_size": 10, "pad_token_id": 10})").where().key,
             std::string("pad_token_id"));
    QCOMPARE(parse_error(R"({"layer_norm_eps": 0})").where().key, std::string("layer_norm_eps"));
}

void TestBertConfig::load_from_file_and_missing_file() {
    QTemporaryDir dir;
    const std::string path = dir.path().toStdString() + "/config.json";
    std::ofstream(path) << kBertBaseUncased;
    QCOMPARE(load_bert_config(path).hidden_size, std::int64_t(768));
    try {
        load_bert_config(dir.path().toStdString() + "/nope.json");
        QFAIL("no error");
    } catch (const Error& e) {
        QVERIFY(contains(e.where().file, "nope.json"));
    }
    std::ofstream(path) << R"({"model_type": "t5"})";
    try {
        load_bert_config(path);
        QFAIL("no error");
    } catch (const Error& e) {
        QCOMPARE(e.where().file, path);
    }
}

void TestBertConfig::to_config_json_round_trips() {
    BertConfig c;
    c.vocab_size = 1234;
    c.hidden_size = 48;
    c.num_hidden_layers = 3;
    c.num_attention_heads = 6;
    c.intermediate_size = 96;
    c.hidden_act = "relu";
    c.hidden_dropout_prob = 0.05;
    c.attention_probs_dropout_prob = 0.0;
    c.max_position_embeddings = 128;
    c.type_vocab_size = 3;
    c.layer_norm_eps = 1e-6;
    c.pad_token_id = 7;
    c.initializer_range = 0.04;
    c.classifier_dropout = 0.2;
    const std::string text = to_config_json(c);
    QVERIFY(contains(text, R"("architectures": [)"));
    QVERIFY(contains(text, R"("BertModel")"));
    QVERIFY(contains(text, R"("model_type": "bert")"));
    BertConfig back = parse_bert_config(text, "round");
    QCOMPARE(back.vocab_size, c.vocab_size);
    QCOMPARE(back.hidden_size, c.hidden_size);
    QCOMPARE(back.num_hidden_layers, c.num_hidden_layers);
    QCOMPARE(back.num_attention_heads, c.num_attention_heads);
    QCOMPARE(back.intermediate_size, c.intermediate_size);
    QCOMPARE(back.hidden_act, c.hidden_act);
    QCOMPARE(back.hidden_dropout_prob, c.hidden_dropout_prob);
    QCOMPARE(back.attention_probs_dropout_prob, c.attention_probs_dropout_prob);
    QCOMPARE(back.max_position_embeddings, c.max_position_embeddings);
    QCOMPARE(back.type_vocab_size, c.type_vocab_size);
    QCOMPARE(back.layer_norm_eps, c.layer_norm_eps);
    QCOMPARE(back.pad_token_id, c.pad_token_id);
    QCOMPARE(back.initializer_range, c.initializer_range);
    QCOMPARE(*back.classifier_dropout, 0.2);
    QVERIFY(contains(to_config_json(BertConfig{}), R"("classifier_dropout": null)"));
}

QTEST_APPLESS_MAIN(TestBertConfig)
#include "tst_bert_config.moc"
