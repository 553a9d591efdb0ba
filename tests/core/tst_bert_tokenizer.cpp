// BertTokenizer against Hugging Face's tokenizer (fixture), plus encoding, truncation, padding
// and batch behaviour.
#include <QtTest>

#include <fstream>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "text/bert_tokenizer.h"

using nlohmann::json;
using namespace tb::text;

namespace {

const std::string kFixtureDir = std::string(TB_FIXTURES_DIR) + "/text";

json load_reference() {
    std::ifstream in(kFixtureDir + "/bert_reference.json");
    return json::parse(in);
}

BasicTokenizerOptions options_from(const json& config) {
    BasicTokenizerOptions options;
    options.lowercase = config.at("lowercase").get<bool>();
    options.strip_accents = config.at("strip_accents").get<bool>() ? 1 : 0;
    options.tokenize_chinese_chars = config.at("tokenize_chinese_chars").get<bool>();
    return options;
}

std::string show(const std::vector<std::string>& tokens) {
    std::string out;
    for (const auto& t : tokens) {
        out += (out.empty() ? "" : " ") + t;
    }
    return "[" + out + "]";
}

std::string show(const std::vector<std::int64_t>& ids) {
    std::string out;
    for (auto id : ids) {
        out += (out.empty() ? "" : " ") + std::to_string(id);
    }
    return "[" + out + "]";
}

BertTokenizer uncased() {
    return BertTokenizer(Vocab::load(kFixtureDir + "/vocab.txt"), BasicTokenizerOptions{});
}

}  // namespace

class TestBertTokenizer : public QObject {
    Q_OBJECT

private slots:
    void fixture_parity_data();
    void fixture_parity();
    void fixture_encodings();
    void truncation_keeps_cls_and_sep();
    void padding_and_mask();
    void exact_fit_is_not_truncated();
    void empty_text_encodes_to_cls_sep();
    void max_length_below_two_is_an_error();
    void unknown_words_become_one_unk();
    void special_tokens_in_text_stay_whole();
    void missing_special_token_is_an_error();
    void custom_special_tokens_and_pad_id();
    void with_options_keeps_vocab_and_specials();
    void encode_batch_matches_sequential();
    void encode_batch_rethrows_errors();
};

// Every reference text, in every option combination: basic tokens, word pieces and ids.
void TestBertTokenizer::fixture_parity_data() {
    QTest::addColumn<int>("config_index");
    const json reference = load_reference();
    const auto& configs = reference.at("configs");
    for (std::size_t i = 0; i < configs.size(); ++i) {
        QTest::newRow(configs[i].at("name").get<std::string>().c_str()) << static_cast<int>(i);
    }
}

void TestBertTokenizer::fixture_parity() {
    QFETCH(int, config_index);
    const json reference = load_reference();
    const json& config = reference.at("configs").at(config_index);
    const std::string name = config.at("name");
    const BasicTokenizerOptions options = options_from(config);
    const BertTokenizer tokenizer(Vocab::load(kFixtureDir + "/vocab.txt"), options);

    const auto& cases = reference.at("cases");
    QVERIFY(cases.size() >= 40);
    QStringList mismatches;
    for (const auto& c : cases) {
        const std::string text = c.at("text");
        const json& expected = c.at("results").at(name);
        const auto basic = basic_tokenize(text, options);
        const auto tokens = tokenizer.tokenize(text);
        const auto enc = tokenizer.encode(text, /*max_length=*/4096);
        const auto want_basic = expected.at("basic").get<std::vector<std::string>>();
        const auto want_tokens = expected.at("tokens").get<std::vector<std::string>>();
        const auto want_ids = expected.at("ids").get<std::vector<std::int64_t>>();
        const QString label = QString::fromStdString(json(text).dump());
        if (basic != want_basic) {
            mismatches << label + " basic " + QString::fromStdString(show(basic)) +
                              " != " + QString::fromStdString(show(want_basic));
        }
        if (tokens != want_tokens) {
            mismatches << label + " tokens " + QString::fromStdString(show(tokens)) +
                              " != " + QString::fromStdString(show(want_tokens));
        }
        if (enc.input_ids != want_ids) {
            mismatches << label + " ids " + QString::fromStdString(show(enc.input_ids)) +
                              " != " + QString::fromStdString(show(want_ids));
        }
    }
    QVERIFY2(mismatches.isEmpty(), qPrintable(mismatches.join("\n")));
}

// Truncation and padding as the reference library does them (ids, mask, type ids).
void TestBertTokenizer::fixture_encodings() {
    const json reference = load_reference();
    const auto& cases = reference.at("encode_cases");
    QVERIFY(!cases.empty());
    for (const auto& c : cases) {
        json config;
        for (const auto& candidate : reference.at("configs")) {
            if (candidate.at("name") == c.at("config")) {
                config = candidate;
            }
        }
        QVERIFY(!config.is_null());
        const BertTokenizer tokenizer(Vocab::load(kFixtureDir + "/vocab.txt"),
                                      options_from(config));
        const auto enc = tokenizer.encode(c.at("text"), c.at("max_length").get<std::size_t>(),
                                          c.at("pad_to_max").get<bool>());
        const std::string label = c.at("text").get<std::string>().substr(0, 30);
        QVERIFY2(enc.input_ids == c.at("input_ids").get<std::vector<std::int64_t>>(),
                 label.c_str());
        QVERIFY2(enc.attention_mask == c.at("attention_mask").get<std::vector<std::int64_t>>(),
                 label.c_str());
        QVERIFY2(enc.token_type_ids == c.at("token_type_ids").get<std::vector<std::int64_t>>(),
                 label.c_str());
    }
}

void TestBertTokenizer::truncation_keeps_cls_and_sep() {
    const auto tokenizer = uncased();
    const auto& v = tokenizer.vocab();
    const auto enc = tokenizer.encode("the quick brown fox jumps", /*max_length=*/5);
    const std::vector<std::int64_t> want = {v.id("[CLS]"), v.id("the"), v.id("quick"),
                                            v.id("brown"), v.id("[SEP]")};
    QCOMPARE(enc.input_ids, want);
    QCOMPARE(enc.attention_mask, std::vector<std::int64_t>(5, 1));
    QCOMPARE(enc.token_type_ids, std::vector<std::int64_t>(5, 0));

    // Truncation cuts word pieces, not words: "unaffable" = un ##aff ##able.
    const auto cut = tokenizer.encode("unaffable", /*max_length=*/4);
    const std::vector<std::int64_t> want_cut = {v.id("[CLS]"), v.id("un"), v.id("##aff"),
                                                v.id("[SEP]")};
    QCOMPARE(cut.input_ids, want_cut);

    // Only [CLS] [SEP] fit.
    const auto minimal = tokenizer.encode("hello world", /*max_length=*/2);
    QCOMPARE(minimal.input_ids, (std::vector<std::int64_t>{v.id("[CLS]"), v.id("[SEP]")}));
}

void TestBertTokenizer::padding_and_mask() {
    const auto tokenizer = uncased();
    const auto& v = tokenizer.vocab();
    const auto padded = tokenizer.encode("Hello world", /*max_length=*/8, /*pad_to_max=*/true);
    const std::int64_t pad = v.id("[PAD]");
    QCOMPARE(tokenizer.pad_id(), pad);
    const std::vector<std::int64_t> want = {
        v.id("[CLS]"), v.id("hello"), v.id("world"), v.id("[SEP]"), pad, pad, pad, pad};
    QCOMPARE(padded.input_ids, want);
    QCOMPARE(padded.attention_mask, (std::vector<std::int64_t>{1, 1, 1, 1, 0, 0, 0, 0}));
    QCOMPARE(padded.token_type_ids, std::vector<std::int64_t>(8, 0));

    const auto unpadded = tokenizer.encode("Hello world", /*max_length=*/8);
    QCOMPARE(unpadded.input_ids.size(), std::size_t(4));
    QCOMPARE(unpadded.attention_mask.size(), std::size_t(4));
    QCOMPARE(unpadded.token_type_ids.size(), std::size_t(4));
}

void TestBertTokenizer::exact_fit_is_not_truncated() {
    const auto tokenizer = uncased();
    const auto enc = tokenizer.encode("hello , world", /*max_length=*/5, /*pad_to_max=*/true);
    QCOMPARE(enc.input_ids.size(), std::size_t(5));
    QCOMPARE(tokenizer.vocab().token(enc.input_ids[3]), std::string("world"));
    QCOMPARE(enc.attention_mask, std::vector<std::int64_t>(5, 1));
}

void TestBertTokenizer::empty_text_encodes_to_cls_sep() {
    const auto tokenizer = uncased();
    for (const std::string text : {"", " \t\n ", "\x01\x02"}) {
        const auto enc = tokenizer.encode(text, 16);
        QCOMPARE(enc.input_ids, (std::vector<std::int64_t>{tokenizer.vocab().id("[CLS]"),
                                                           tokenizer.vocab().id("[SEP]")}));
        QVERIFY(tokenizer.tokenize(text).empty());
    }
}

void TestBertTokenizer::max_length_below_two_is_an_error() {
    const auto tokenizer = uncased();
    QVERIFY_THROWS_EXCEPTION(tb::Error, tokenizer.encode("hello", 1));
    QVERIFY_THROWS_EXCEPTION(tb::Error, tokenizer.encode("hello", 0));
}

void TestBertTokenizer::unknown_words_become_one_unk() {
    const auto tokenizer = uncased();
    // "hello" matches, but the whole word is unknown once one position has no piece.
    QCOMPARE(tokenizer.tokenize("hello€ ok"), (std::vector<std::string>{"[UNK]", "ok"}));
    QCOMPARE(tokenizer.tokenize("\xF0\x9F\x98\x80"), (std::vector<std::string>{"[UNK]"}));
    // 100 code points are fine, 101 are not; counted in code points, not bytes.
    std::string hundred;
    for (int i = 0; i < 50; ++i) {
        hundred += "ab";
    }
    QCOMPARE(tokenizer.tokenize(hundred).size(), std::size_t(50));
    QCOMPARE(tokenizer.tokenize(hundred + "a"), (std::vector<std::string>{"[UNK]"}));
    const BertTokenizer cased(tokenizer.vocab(), BasicTokenizerOptions{false, 0, true});
    std::string accented;  // 100 x "é": 200 bytes, 100 code points
    for (int i = 0; i < 100; ++i) {
        accented += "\xC3\xA9";
    }
    QCOMPARE(cased.tokenize(accented).size(), std::size_t(100));
    QCOMPARE(cased.tokenize(accented + "\xC3\xA9"), (std::vector<std::string>{"[UNK]"}));
    const auto enc = tokenizer.encode("hello€", 8);
    QCOMPARE(enc.input_ids[1], tokenizer.vocab().id("[UNK]"));
}

void TestBertTokenizer::special_tokens_in_text_stay_whole() {
    const auto tokenizer = uncased();
    QCOMPARE(tokenizer.tokenize("Paris is the [MASK]."),
             (std::vector<std::string>{"paris", "is", "the", "[MASK]", "."}));
    // Case-sensitive and exact: "[mask]" is ordinary text.
    QCOMPARE(tokenizer.tokenize("[mask]"),
             (std::vector<std::string>{"[", "m", "##a", "##s", "##k", "]"}));
    QCOMPARE(tokenizer.tokenize("a[SEP][SEP]b"),
             (std::vector<std::string>{"a", "[SEP]", "[SEP]", "b"}));
    const auto enc = tokenizer.encode("[MASK]", 8);
    QCOMPARE(enc.input_ids[1], tokenizer.vocab().id("[MASK]"));
}

void TestBertTokenizer::missing_special_token_is_an_error() {
    try {
        BertTokenizer tokenizer(Vocab({"[PAD]", "[UNK]", "[SEP]", "hello"}), {});
        QFAIL("a vocabulary without [CLS] was accepted");
    } catch (const tb::Error& e) {
        QVERIFY2(std::string(e.what()).find("[CLS]") != std::string::npos, e.what());
    }
}

void TestBertTokenizer::custom_special_tokens_and_pad_id() {
    // Specials need not sit at BERT's usual ids, nor have BERT's names.
    const Vocab vocab({"hello", "<unk>", "world", "<s>", "</s>", "<pad>", "<mask>"});
    SpecialTokens specials;
    specials.unk = "<unk>";
    specials.cls = "<s>";
    specials.sep = "</s>";
    specials.pad = "<pad>";
    specials.mask = "<mask>";
    const BertTokenizer tokenizer(vocab, BasicTokenizerOptions{}, specials);
    QCOMPARE(tokenizer.pad_id(), std::int64_t(5));
    const auto enc = tokenizer.encode("hello <mask> world!", 8, /*pad_to_max=*/true);
    QCOMPARE(enc.input_ids, (std::vector<std::int64_t>{3, 0, 6, 2, 1, 4, 5, 5}));
    QCOMPARE(enc.attention_mask, (std::vector<std::int64_t>{1, 1, 1, 1, 1, 1, 0, 0}));
}

void TestBertTokenizer::with_options_keeps_vocab_and_specials() {
    const auto tokenizer = uncased();
    const auto cased = tokenizer.with_options(BasicTokenizerOptions{false, -1, true});
    QCOMPARE(cased.vocab().size(), tokenizer.vocab().size());
    QCOMPARE(cased.tokenize("Hello"), std::vector<std::string>{"Hello"});
    QCOMPARE(tokenizer.tokenize("Hello"), std::vector<std::string>{"hello"});
}

void TestBertTokenizer::encode_batch_matches_sequential() {
    const auto tokenizer = uncased();
    const json reference = load_reference();
    std::vector<std::string> texts;
    for (int round = 0; texts.size() < 1000; ++round) {
        for (const auto& c : reference.at("cases")) {
            texts.push_back(c.at("text").get<std::string>() + " " + std::to_string(round));
        }
    }
    texts.resize(1000);
    for (bool pad : {false, true}) {
        std::vector<Encoding> sequential;
        for (const auto& text : texts) {
            sequential.push_back(tokenizer.encode(text, 24, pad));
        }
        for (std::size_t threads : {0, 1, 3, 7, 2000}) {
            const auto batch = tokenizer.encode_batch(texts, 24, pad, threads);
            QCOMPARE(batch.size(), sequential.size());
            for (std::size_t i = 0; i < texts.size(); ++i) {
                QVERIFY2(batch[i].input_ids == sequential[i].input_ids, texts[i].c_str());
                QVERIFY(batch[i].attention_mask == sequential[i].attention_mask);
                QVERIFY(batch[i].token_type_ids == sequential[i].token_type_ids);
            }
        }
    }
    QVERIFY(tokenizer.encode_batch({}, 16).empty());
}

void TestBertTokenizer::encode_batch_rethrows_errors() {
    const auto tokenizer = uncased();
    const std::vector<std::string> texts(300, "hello world");
    QVERIFY_THROWS_EXCEPTION(tb::Error, tokenizer.encode_batch(texts, 1, false, 4));
}

QTEST_APPLESS_MAIN(TestBertTokenizer)
#include "tst_bert_tokenizer.moc"
