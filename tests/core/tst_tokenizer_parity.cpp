// Every tokenizer against Hugging Face's tokenizers (tests/fixtures/text/tokenizer_parity.json,
// made by tests/reference/text/gen_tokenizer_parity.js): ids, type ids, attention mask,
// offsets (code points) and word ids on a mixed corpus, for WordPiece (uncased, cased) and
// byte-level BPE (from tokenizer.json and from vocab.json + merges.txt, with and without
// add_prefix_space, and GPT-2's framing), single texts, pairs, truncation and padding.
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "text/bert_tokenizer.h"
#include "text/bpe_tokenizer.h"
#include "text/tokenizer.h"

using nlohmann::json;
using namespace tb::text;

namespace {

const std::string kFixtureDir = std::string(TB_FIXTURES_DIR) + "/text";

json load_json(const std::string& path) {
    std::ifstream in(path);
    return json::parse(in);
}

std::string show(const std::vector<std::int64_t>& v) {
    std::string out;
    for (auto x : v) {
        out += (out.empty() ? "" : " ") + std::to_string(x);
    }
    return "[" + out + "]";
}

std::string show(const std::vector<TokenSpan>& v) {
    std::string out;
    for (auto s : v) {
        out += (out.empty() ? "" : " ") + std::to_string(s.begin) + ":" + std::to_string(s.end);
    }
    return "[" + out + "]";
}

std::vector<TokenSpan> spans_of(const json& offsets) {
    std::vector<TokenSpan> out;
    for (const auto& o : offsets) {
        out.push_back({o.at(0).get<std::int64_t>(), o.at(1).get<std::int64_t>()});
    }
    return out;
}

// Compares every field; returns "" when equal, else what differs.
std::string diff(const Encoding& enc, const json& want) {
    std::string out;
    auto check = [&](const char* name, const std::vector<std::int64_t>& got) {
        const auto expected = want.at(name).get<std::vector<std::int64_t>>();
        if (got != expected) {
            out += std::string(" ") + name + " " + show(got) + " != " + show(expected);
        }
    };
    check("ids", enc.input_ids);
    check("type_ids", enc.token_type_ids);
    check("attention_mask", enc.attention_mask);
    check("word_ids", enc.word_ids);
    check("sequence_ids", enc.sequence_ids);
    const auto offsets = spans_of(want.at("offsets"));
    if (enc.offsets != offsets) {
        out += " offsets " + show(enc.offsets) + " != " + show(offsets);
    }
    return out;
}

// The fixture's vocab.json + merges.txt with tokenizer_config.json changed by `edit`.
template <class Edit>
std::string copy_bpe(const std::string& dir, Edit&& edit) {
    namespace fs = std::filesystem;
    fs::create_directories(dir);
    for (const char* name : {"vocab.json", "merges.txt"}) {
        fs::copy_file(kFixtureDir + "/bpe/" + name, dir + "/" + name,
                      fs::copy_options::overwrite_existing);
    }
    json config = load_json(kFixtureDir + "/bpe/tokenizer_config.json");
    edit(config);
    std::ofstream(dir + "/tokenizer_config.json") << config.dump();
    return dir;
}

}  // namespace

class TestTokenizerParity : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void parity_data();
    void parity();
    void loader_picks_the_family();
    void batch_equals_sequential();
    void offset_units();
    void encode_words_numbers_given_words();
    void unsupported_models_are_refused();
    void invalid_utf8_gives_valid_spans();

private:
    json reference_;
    json corpus_;
    QTemporaryDir temp_;
    std::map<std::string, std::shared_ptr<Tokenizer>> tokenizers_;
};

void TestTokenizerParity::initTestCase() {
    reference_ = load_json(kFixtureDir + "/tokenizer_parity.json");
    corpus_ = load_json(kFixtureDir + "/parity_corpus.json");
    QVERIFY(corpus_.size() >= 50);
    BasicTokenizerOptions uncased;
    uncased.lowercase = true;
    uncased.strip_accents = 1;
    BasicTokenizerOptions cased;
    cased.lowercase = false;
    cased.strip_accents = 0;
    tokenizers_["wordpiece_uncased"] =
        std::make_shared<BertTokenizer>(Vocab::load(kFixtureDir + "/vocab.txt"), uncased);
    tokenizers_["wordpiece_cased"] =
        std::make_shared<BertTokenizer>(Vocab::load(kFixtureDir + "/vocab.txt"), cased);
    tokenizers_["bpe"] = load_tokenizer(kFixtureDir + "/bpe_json");
    tokenizers_["bpe (vocab.json)"] = load_tokenizer(kFixtureDir + "/bpe");
    const std::string temp = temp_.path().toStdString();
    tokenizers_["bpe_prefix_space"] = load_tokenizer(
        copy_bpe(temp + "/bpe_prefix_space", [](json& c) { c["add_prefix_space"] = true; }));
    // GPT-2: tokenizer_class alone decides (no special tokens, untrimmed offsets).
    tokenizers_["bpe_gpt2"] = load_tokenizer(copy_bpe(temp + "/bpe_gpt2", [](json& c) {
        c = {{"tokenizer_class", "GPT2Tokenizer"}};
    }));
}

void TestTokenizerParity::parity_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("config");
    for (const char* name :
         {"wordpiece_uncased", "wordpiece_cased", "bpe", "bpe (vocab.json)", "bpe_prefix_space"}) {
        const QString config = QString(name).section(' ', 0, 0);
        QTest::newRow(name) << QString(name) << config;
    }
}

void TestTokenizerParity::parity() {
    QFETCH(QString, name);
    QFETCH(QString, config);
    const Tokenizer& tokenizer = *tokenizers_.at(name.toStdString());
    QStringList mismatches;
    int single = 0, truncated = 0;
    for (const auto& c : reference_.at("single")) {
        if (c.at("config") != config.toStdString()) {
            continue;
        }
        ++single;
        const std::string text = corpus_.at(c.at("text").get<std::size_t>());
        const std::string problem = diff(tokenizer.encode(text), c);
        if (!problem.empty()) {
            mismatches << QString::fromStdString(json(text).dump() + problem);
        }
    }
    for (const auto& c : reference_.at("truncation")) {
        if (c.at("config") != config.toStdString()) {
            continue;
        }
        ++truncated;
        EncodeOptions options;
        if (!c.at("max_length").is_null()) {
            options.max_length = c.at("max_length").get<std::size_t>();
        }
        const std::string strategy = c.at("strategy");
        options.truncation = strategy == "OnlyFirst"    ? TruncationStrategy::OnlyFirst
                             : strategy == "OnlySecond" ? TruncationStrategy::OnlySecond
                                                        : TruncationStrategy::LongestFirst;
        options.padding = c.at("pad_to_max").get<bool>() ? Padding::ToMaxLength : Padding::None;
        const std::string a = corpus_.at(c.at("a").get<std::size_t>());
        const bool pair = !c.at("b").is_null();
        const std::string b =
            pair ? corpus_.at(c.at("b").get<std::size_t>()).get<std::string>() : std::string();
        const std::string label = c.dump().substr(0, 90);
        if (c.contains("error")) {
            bool threw = false;
            try {
                pair ? tokenizer.encode_pair(a, b, options) : tokenizer.encode(a, options);
            } catch (const tb::Error&) {
                threw = true;
            }
            if (!threw) {
                mismatches << QString::fromStdString(label + " did not throw");
            }
            continue;
        }
        const Encoding enc =
            pair ? tokenizer.encode_pair(a, b, options) : tokenizer.encode(a, options);
        const std::string problem = diff(enc, c);
        if (!problem.empty()) {
            mismatches << QString::fromStdString(label + problem);
        }
    }
    QCOMPARE(single, static_cast<int>(corpus_.size()));
    QVERIFY(truncated >= 10);
    QVERIFY2(mismatches.isEmpty(), qPrintable(mismatches.join("\n")));
}

void TestTokenizerParity::loader_picks_the_family() {
    const auto wordpiece = load_tokenizer(std::string(TB_FIXTURES_DIR) + "/text");
    QCOMPARE(QString::fromStdString(wordpiece->kind()), QString("WordPiece"));
    QCOMPARE(wordpiece->cls_id(), wordpiece->token_to_id("[CLS]"));
    const auto& bpe = *tokenizers_.at("bpe");
    QCOMPARE(QString::fromStdString(bpe.kind()), QString("BPE"));
    QCOMPARE(bpe.cls_id(), 0);
    QCOMPARE(bpe.pad_id(), 1);
    QCOMPARE(bpe.sep_id(), 2);
    QCOMPARE(bpe.mask_id(), 4);
    QCOMPARE(bpe.vocab_size(), tokenizers_.at("bpe (vocab.json)")->vocab_size());
    QCOMPARE(QString::fromStdString(bpe.id_to_token(bpe.token_to_id("Ġthe"))), QString("Ġthe"));
    QCOMPARE(tokenizers_.at("bpe (vocab.json)")->model_max_length(), 512);
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, bpe.id_to_token(bpe.vocab_size()));
}

void TestTokenizerParity::batch_equals_sequential() {
    std::vector<std::string> texts;
    for (int repeat = 0; repeat < 4; ++repeat) {
        for (const auto& t : corpus_) {
            texts.push_back(t.get<std::string>());
        }
    }
    EncodeOptions options;
    options.max_length = 24;
    options.padding = Padding::ToLongest;
    for (const auto& [name, tokenizer] : tokenizers_) {
        const auto batch = tokenizer->encode_batch(texts, options, /*num_threads=*/3);
        QCOMPARE(batch.size(), texts.size());
        std::size_t longest = 0;
        for (const auto& enc : batch) {
            longest = std::max(longest, enc.input_ids.size());
        }
        for (std::size_t i = 0; i < texts.size(); ++i) {
            EncodeOptions single = options;
            single.padding = Padding::None;
            const Encoding one = tokenizer->encode(texts[i], single);
            QCOMPARE(batch[i].input_ids.size(), longest);
            QVERIFY(
                std::equal(one.input_ids.begin(), one.input_ids.end(), batch[i].input_ids.begin()));
            QVERIFY(std::equal(one.offsets.begin(), one.offsets.end(), batch[i].offsets.begin()));
            for (std::size_t k = one.input_ids.size(); k < longest; ++k) {
                QCOMPARE(batch[i].input_ids[k], tokenizer->pad_id());
                QCOMPARE(batch[i].attention_mask[k], 0);
                QCOMPARE(batch[i].word_ids[k], -1);
            }
        }
    }
}

// "é😀x": code points 0 1 2, UTF-16 units 0 1 3, bytes 0 2 6.
void TestTokenizerParity::offset_units() {
    const Tokenizer& bpe = *tokenizers_.at("bpe");
    const std::string text = "\xC3\xA9\xF0\x9F\x98\x80x";
    EncodeOptions options;
    options.add_special_tokens = false;
    auto last = [&](OffsetUnit unit) {
        options.offset_unit = unit;
        return bpe.encode(text, options).offsets.back();
    };
    QCOMPARE(last(OffsetUnit::CodePoints), (TokenSpan{2, 3}));
    QCOMPARE(last(OffsetUnit::Utf16), (TokenSpan{3, 4}));
    QCOMPARE(last(OffsetUnit::Bytes), (TokenSpan{6, 7}));
    options.offset_unit = OffsetUnit::Utf16;
    const auto wp = tokenizers_.at("wordpiece_cased")->encode("\xF0\x9F\x98\x80 a", options);
    QCOMPARE(wp.offsets.back(), (TokenSpan{3, 4}));
}

void TestTokenizerParity::encode_words_numbers_given_words() {
    const std::vector<std::string> words = {"Hello", ",", "unaffable", "world"};
    for (const char* name : {"wordpiece_uncased", "bpe_prefix_space"}) {
        const Tokenizer& tokenizer = *tokenizers_.at(name);
        const Encoding enc = tokenizer.encode_words(words);
        QCOMPARE(enc.word_ids.front(), -1);  // [CLS] / <s>
        QCOMPARE(enc.word_ids.back(), -1);
        std::int64_t previous = -1;
        for (std::size_t i = 1; i + 1 < enc.word_ids.size(); ++i) {
            QVERIFY(enc.word_ids[i] == previous || enc.word_ids[i] == previous + 1);
            previous = enc.word_ids[i];
            QVERIFY(enc.offsets[i].begin >= 0);
            const auto& word = words[static_cast<std::size_t>(enc.word_ids[i])];
            QVERIFY(enc.offsets[i].end <= static_cast<std::int64_t>(word.size()));
        }
        QCOMPARE(previous, 3);
    }
    // Words glued by the basic tokenizer's rules give the joined text's ids.
    const Tokenizer& wp = *tokenizers_.at("wordpiece_uncased");
    QCOMPARE(wp.encode_words(words).input_ids, wp.encode("Hello , unaffable world").input_ids);
    // A byte-level BPE with add_prefix_space: each word as if preceded by a space.
    const Tokenizer& bpe = *tokenizers_.at("bpe_prefix_space");
    QCOMPARE(bpe.encode_words({"the", "nation"}).input_ids, bpe.encode("the nation").input_ids);
}

void TestTokenizerParity::unsupported_models_are_refused() {
    const std::string dir = temp_.path().toStdString();
    std::filesystem::create_directories(dir + "/sp");
    std::ofstream(dir + "/sp/spiece.model") << "x";
    try {
        load_tokenizer(dir + "/sp");
        QFAIL("a SentencePiece folder loaded");
    } catch (const tb::Error& e) {
        QVERIFY(QString(e.what()).contains("spiece.model"));
        QVERIFY(QString(e.what()).contains("not supported yet"));
    }
    std::filesystem::create_directories(dir + "/unigram");
    std::ofstream(dir + "/unigram/tokenizer.json")
        << R"({"model": {"type": "Unigram", "vocab": [["a", 0.0]]}})";
    try {
        load_tokenizer(dir + "/unigram");
        QFAIL("a Unigram tokenizer.json loaded");
    } catch (const tb::Error& e) {
        QVERIFY(QString(e.what()).contains("tokenizer.json"));
        QVERIFY(QString(e.what()).contains("Unigram"));
    }
    try {
        load_tokenizer(dir + "/nothing-here");
        QFAIL("a missing folder loaded");
    } catch (const tb::Error& e) {
        QVERIFY(QString(e.what()).contains("not found"));
    }
}

// Random bytes (mostly invalid UTF-8): no crash, spans inside the text and ordered, and in
// code points never past the number of characters.
void TestTokenizerParity::invalid_utf8_gives_valid_spans() {
    std::uint32_t state = 12345;
    auto next = [&]() {
        state = state * 1664525u + 1013904223u;
        return state >> 24;
    };
    const char* pieces[] = {"\xC3\xA9", " ",     "a",  "\xF0\x9F\x98\x80",
                            "<mask>",   "[CLS]", "'s", "\x80",
                            "\xE4\xB8", "  ",    "\t", "1"};
    for (int round = 0; round < 300; ++round) {
        std::string text;
        const int n = static_cast<int>(next() % 24);
        for (int k = 0; k < n; ++k) {
            if (next() % 3 == 0) {
                text += static_cast<char>(next());
            } else {
                text += pieces[next() % 12];
            }
        }
        for (const auto& [name, tokenizer] : tokenizers_) {
            for (OffsetUnit unit : {OffsetUnit::Bytes, OffsetUnit::CodePoints, OffsetUnit::Utf16}) {
                EncodeOptions options;
                options.offset_unit = unit;
                const Encoding enc = tokenizer->encode(text, options);
                const auto limit = static_cast<std::int64_t>(text.size());
                for (const auto& span : enc.offsets) {
                    QVERIFY2(span.begin >= 0 && span.begin <= span.end && span.end <= limit,
                             name.c_str());
                }
            }
        }
    }
}

QTEST_APPLESS_MAIN(TestTokenizerParity)
#include "tst_tokenizer_parity.moc"
