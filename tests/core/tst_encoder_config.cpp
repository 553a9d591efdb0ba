// config.json of every encoder family: key mapping, family defaults, refusals with reasons.
#include <QtTest>

#include <fstream>

#include "common/error.h"
#include "model/encoder_config.h"

using namespace tb;
using namespace tb::model;

namespace {

Error parse_error(const std::string& text) {
    try {
        parse_encoder_config(text, "cfg.json");
    } catch (const Error& e) {
        return e;
    }
    throw std::runtime_error("expected tb::Error for: " + text);
}

bool contains(const std::string& text, const std::string& fragment) {
    return text.find(fragment) != std::string::npos;
}

}  // namespace

class TestEncoderConfig : public QObject {
    Q_OBJECT

private slots:
    void bert_is_unchanged();
    void roberta_family();
    void distilbert_keys_are_mapped();
    void distilbert_errors_use_its_key_names();
    void electra_embedding_size();
    void architectures_decide_without_model_type();
    void unsupported_types_say_why();
    void config_json_round_trip();
};

void TestEncoderConfig::bert_is_unchanged() {
    BertConfig c = parse_encoder_config(R"({"model_type": "bert", "hidden_size": 64,
        "num_attention_heads": 4, "architectures": ["BertForMaskedLM"]})",
                                        "c");
    QCOMPARE(encoder_family(c), EncoderFamily::Bert);
    QCOMPARE(c.hidden_size, std::int64_t{64});
    QCOMPARE(checkpoint_prefix(c), std::string("bert."));
    QCOMPARE(c.architectures.at(0), std::string("BertForMaskedLM"));
    QCOMPARE(max_input_length(c), std::int64_t{512});
}

void TestEncoderConfig::roberta_family() {
    // roberta-base as published.
    BertConfig c = parse_encoder_config(R"({"architectures": ["RobertaForMaskedLM"],
        "attention_probs_dropout_prob": 0.1, "bos_token_id": 0, "eos_token_id": 2,
        "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "hidden_size": 768,
        "initializer_range": 0.02, "intermediate_size": 3072, "layer_norm_eps": 1e-05,
        "max_position_embeddings": 514, "model_type": "roberta", "num_attention_heads": 12,
        "num_hidden_layers": 12, "pad_token_id": 1, "type_vocab_size": 1, "vocab_size": 50265})",
                                        "c");
    QCOMPARE(encoder_family(c), EncoderFamily::Roberta);
    QVERIFY(uses_padding_aware_positions(c));
    QCOMPARE(max_input_length(c), std::int64_t{512});
    QCOMPARE(c.type_vocab_size, std::int64_t{1});
    QCOMPARE(checkpoint_prefix(c), std::string("roberta."));
    QCOMPARE(c.layer_norm_eps, 1e-5);
    for (const char* t : {"xlm-roberta", "camembert"}) {
        BertConfig x = parse_encoder_config(std::string(R"({"model_type": ")") + t + "\"}", "c");
        QCOMPARE(encoder_family(x), EncoderFamily::Roberta);
        QCOMPARE(x.pad_token_id, std::int64_t{1});  // family default
        QCOMPARE(x.model_type, std::string(t));
    }
    Error e = parse_error(R"({"model_type": "roberta", "max_position_embeddings": 2})");
    QCOMPARE(e.where().key, std::string("max_position_embeddings"));
}

void TestEncoderConfig::distilbert_keys_are_mapped() {
    // distilbert-base-uncased as published.
    BertConfig c = parse_encoder_config(R"({"activation": "gelu",
        "architectures": ["DistilBertForMaskedLM"], "attention_dropout": 0.1, "dim": 768,
        "dropout": 0.1, "hidden_dim": 3072, "initializer_range": 0.02,
        "max_position_embeddings": 512, "model_type": "distilbert", "n_heads": 12,
        "n_layers": 6, "pad_token_id": 0, "qa_dropout": 0.1, "seq_classif_dropout": 0.2,
        "sinusoidal_pos_embds": false, "tie_weights_": true, "vocab_size": 30522})",
                                        "c");
    QCOMPARE(encoder_family(c), EncoderFamily::DistilBert);
    QCOMPARE(c.hidden_size, std::int64_t{768});
    QCOMPARE(c.num_hidden_layers, std::int64_t{6});
    QCOMPARE(c.num_attention_heads, std::int64_t{12});
    QCOMPARE(c.intermediate_size, std::int64_t{3072});
    QCOMPARE(c.layer_norm_eps, 1e-12);
    QCOMPARE(c.type_vocab_size, std::int64_t{0});
    QCOMPARE(*c.classifier_dropout, 0.2);
    QVERIFY(!c.sinusoidal_pos_embds);
    QCOMPARE(checkpoint_prefix(c), std::string("distilbert."));
    QVERIFY(
        parse_encoder_config(R"({"model_type": "distilbert", "sinusoidal_pos_embds": true})", "c")
            .sinusoidal_pos_embds);
}

void TestEncoderConfig::distilbert_errors_use_its_key_names() {
    Error e = parse_error(R"({"model_type": "distilbert", "dim": 100, "n_heads": 12})");
    QCOMPARE(e.where().key, std::string("n_heads"));
    QVERIFY2(contains(e.message(), "'dim'"), e.what());
    e = parse_error(R"({"model_type": "distilbert", "n_layers": "six"})");
    QCOMPARE(e.where().key, std::string("n_layers"));
    e = parse_error(R"({"model_type": "distilbert", "activation": "swish"})");
    QCOMPARE(e.where().key, std::string("activation"));
    e = parse_error(R"({"model_type": "distilbert", "sinusoidal_pos_embds": 1})");
    QCOMPARE(e.where().key, std::string("sinusoidal_pos_embds"));
}

void TestEncoderConfig::electra_embedding_size() {
    // google/electra-small-discriminator's shape.
    BertConfig c = parse_encoder_config(R"({"architectures": ["ElectraForPreTraining"],
        "embedding_size": 128, "hidden_size": 256, "intermediate_size": 1024,
        "model_type": "electra", "num_attention_heads": 4, "num_hidden_layers": 12})",
                                        "c");
    QCOMPARE(encoder_family(c), EncoderFamily::Electra);
    QCOMPARE(c.embedding_size, std::int64_t{128});
    QCOMPARE(c.hidden_size, std::int64_t{256});
    QCOMPARE(parse_encoder_config(R"({"model_type": "electra"})", "c").embedding_size,
             std::int64_t{128});
    QCOMPARE(parse_error(R"({"model_type": "electra", "embedding_size": 0})").where().key,
             std::string("embedding_size"));
}

void TestEncoderConfig::architectures_decide_without_model_type() {
    QCOMPARE(encoder_family(parse_encoder_config(R"({"architectures": ["RobertaModel"]})", "c")),
             EncoderFamily::Roberta);
    QCOMPARE(encoder_family(parse_encoder_config(
                 R"({"architectures": ["XLMRobertaForSequenceClassification"]})", "c")),
             EncoderFamily::Roberta);
    QCOMPARE(encoder_family(parse_encoder_config(R"({"architectures": ["BertModel"]})", "c")),
             EncoderFamily::Bert);
    QCOMPARE(encoder_family(parse_encoder_config(R"({"hidden_size": 768})", "c")),
             EncoderFamily::Bert);
    Error e = parse_error(R"({"architectures": ["GPT2LMHeadModel"]})");
    QCOMPARE(e.where().key, std::string("architectures"));
    QVERIFY(contains(e.message(), "GPT2LMHeadModel"));
}

void TestEncoderConfig::unsupported_types_say_why() {
    Error e = parse_error(R"({"model_type": "gpt2"})");
    QCOMPARE(e.where().key, std::string("model_type"));
    QCOMPARE(e.where().file, std::string("cfg.json"));
    QVERIFY2(contains(e.message(), "decoder-only"), e.what());
    QVERIFY2(contains(e.message(), "distilbert"), e.what());
    QVERIFY(contains(parse_error(R"({"model_type": "t5"})").message(), "encoder-decoder"));
    QVERIFY(contains(parse_error(R"({"model_type": "deberta-v2"})").message(), "relative"));
    QVERIFY(contains(parse_error(R"({"model_type": "foo"})").message(), "not supported"));
    QVERIFY(unsupported_reason("roberta").empty());
    QVERIFY(!unsupported_reason("llama").empty());
    Error bad = parse_error("{\n  \"model_type\": \"bert\",\n  oops\n}");
    QCOMPARE(bad.where().line, 3L);
}

void TestEncoderConfig::config_json_round_trip() {
    for (const char* text :
         {R"({"model_type": "roberta", "hidden_size": 64, "num_attention_heads": 4,
              "max_position_embeddings": 130, "type_vocab_size": 1})",
          R"({"model_type": "distilbert", "dim": 64, "n_heads": 4, "n_layers": 3,
              "hidden_dim": 100, "sinusoidal_pos_embds": true, "activation": "relu"})",
          R"({"model_type": "electra", "embedding_size": 32, "hidden_size": 64})"}) {
        BertConfig a = parse_encoder_config(text, "a");
        BertConfig b = parse_encoder_config(to_encoder_config_json(a), "b");
        QCOMPARE(b.model_type, a.model_type);
        QCOMPARE(b.hidden_size, a.hidden_size);
        QCOMPARE(b.num_hidden_layers, a.num_hidden_layers);
        QCOMPARE(b.intermediate_size, a.intermediate_size);
        QCOMPARE(b.max_position_embeddings, a.max_position_embeddings);
        QCOMPARE(b.pad_token_id, a.pad_token_id);
        QCOMPARE(b.embedding_size, a.embedding_size);
        QCOMPARE(b.sinusoidal_pos_embds, a.sinusoidal_pos_embds);
        QCOMPARE(b.hidden_act, a.hidden_act);
    }
}

QTEST_APPLESS_MAIN(TestEncoderConfig)
#include "tst_encoder_config.moc"
