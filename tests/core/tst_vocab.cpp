// Vocab loading/saving and build_vocab (deterministic from-scratch vocabularies).
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <fstream>

#include "common/error.h"
#include "text/bert_tokenizer.h"
#include "text/vocab.h"

using namespace tb::text;

namespace {

std::string write_file(const QTemporaryDir& dir, const std::string& name,
                       const std::string& content) {
    const std::string path = dir.path().toStdString() + "/" + name;
    std::ofstream out(path, std::ios::binary);
    out << content;
    return path;
}

std::vector<std::string> corpus() {
    return {"The cat sat on the mat.",       "the dog sat",    "Le café est fermé.", "我爱北京",
            "cats and dogs; dogs and cats!", "the the the end"};
}

}  // namespace

class TestVocab : public QObject {
    Q_OBJECT

private slots:
    void load_lines_and_ids();
    void load_crlf_and_bom();
    void duplicates_map_to_last_line();
    void missing_file_names_path();
    void folder_and_empty_file_are_errors();
    void save_round_trip();
    void token_out_of_range_throws();
    void fixture_vocab_loads();
    void build_vocab_layout();
    void build_vocab_is_deterministic();
    void build_vocab_respects_limits();
    void build_vocab_covers_its_corpus();
};

void TestVocab::load_lines_and_ids() {
    QTemporaryDir dir;
    const auto path = write_file(dir, "vocab.txt", "[PAD]\n[UNK]\nhello\n##s\n");
    const Vocab vocab = Vocab::load(path);
    QCOMPARE(vocab.size(), std::int64_t(4));
    QCOMPARE(vocab.id("hello"), std::int64_t(2));
    QCOMPARE(vocab.id("##s"), std::int64_t(3));
    QCOMPARE(vocab.id("absent"), std::int64_t(-1));
    QVERIFY(!vocab.contains("absent"));
    QCOMPARE(vocab.token(1), std::string("[UNK]"));
    QCOMPARE(vocab.max_token_chars(), std::size_t(5));
    // No trailing newline: the last line still counts.
    const Vocab no_newline = Vocab::load(write_file(dir, "v2.txt", "a\nb"));
    QCOMPARE(no_newline.tokens(), (std::vector<std::string>{"a", "b"}));
    // An empty line in the middle is a token (it keeps later ids where HF has them).
    const Vocab gap = Vocab::load(write_file(dir, "v3.txt", "a\n\nb\n"));
    QCOMPARE(gap.id("b"), std::int64_t(2));
}

void TestVocab::load_crlf_and_bom() {
    QTemporaryDir dir;
    const Vocab vocab = Vocab::load(write_file(dir, "vocab.txt", "\xEF\xBB\xBF[PAD]\r\nhi\r\n"));
    QCOMPARE(vocab.tokens(), (std::vector<std::string>{"[PAD]", "hi"}));
}

void TestVocab::duplicates_map_to_last_line() {
    // Hugging Face (Python load_vocab and Rust WordPiece) both let the last line win.
    const Vocab vocab({"[PAD]", "foo", "bar", "foo"});
    QCOMPARE(vocab.id("foo"), std::int64_t(3));
    QCOMPARE(vocab.size(), std::int64_t(4));
    QCOMPARE(vocab.token(1), std::string("foo"));
}

void TestVocab::missing_file_names_path() {
    QTemporaryDir dir;
    const std::string path = dir.path().toStdString() + "/nope/vocab.txt";
    try {
        Vocab::load(path);
        QFAIL("loading a missing file succeeded");
    } catch (const tb::Error& e) {
        QCOMPARE(e.where().file, path);
        QVERIFY2(std::string(e.what()).find(path) != std::string::npos, e.what());
        QVERIFY2(e.message().find("vocab.txt") != std::string::npos, e.what());
    }
}

void TestVocab::folder_and_empty_file_are_errors() {
    QTemporaryDir dir;
    QVERIFY_THROWS_EXCEPTION(tb::Error, Vocab::load(dir.path().toStdString()));
    QVERIFY_THROWS_EXCEPTION(tb::Error, Vocab::load(write_file(dir, "empty.txt", "")));
    QVERIFY_THROWS_EXCEPTION(tb::Error, Vocab::load(write_file(dir, "blank.txt", "\n\n")));
}

void TestVocab::save_round_trip() {
    QTemporaryDir dir;
    const Vocab vocab({"[PAD]", "[UNK]", "café", "##é", "我"});
    const std::string path = dir.path().toStdString() + "/out.txt";
    vocab.save(path);
    const Vocab again = Vocab::load(path);
    QCOMPARE(again.tokens(), vocab.tokens());
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    QCOMPARE(bytes, std::string("[PAD]\n[UNK]\ncafé\n##é\n我\n"));
    QVERIFY_THROWS_EXCEPTION(tb::Error, vocab.save(dir.path().toStdString() + "/no/such/dir/v"));
}

void TestVocab::token_out_of_range_throws() {
    const Vocab vocab({"a"});
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, vocab.token(1));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, vocab.token(-1));
}

void TestVocab::fixture_vocab_loads() {
    const Vocab vocab = Vocab::load(std::string(TB_FIXTURES_DIR) + "/text/vocab.txt");
    QCOMPARE(vocab.token(0), std::string("[PAD]"));
    QVERIFY(vocab.contains("##izer"));
    QVERIFY(vocab.contains("我"));
    QVERIFY(vocab.size() > 300);
}

void TestVocab::build_vocab_layout() {
    const Vocab vocab = build_vocab(corpus(), BasicTokenizerOptions{}, 1000, 2);
    const auto& t = vocab.tokens();
    QCOMPARE(std::vector<std::string>(t.begin(), t.begin() + 5),
             (std::vector<std::string>{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}));
    // Characters come next, most frequent first, each plain then "##".
    const std::string top_char = t[5];
    QCOMPARE(t[6], "##" + top_char);
    QCOMPARE(top_char, std::string("t"));  // the most frequent character of corpus()
    // Whole words seen at least twice, lowercased, most frequent first ("the" x6).
    QVERIFY(vocab.contains("the"));
    QVERIFY(vocab.contains("cats"));
    QVERIFY(vocab.contains("dogs"));
    QVERIFY(!vocab.contains("mat"));  // seen once
    QVERIFY(!vocab.contains("The"));  // lowercased
    QVERIFY(vocab.contains("e"));     // é stripped to e under lowercase
    QVERIFY(!vocab.contains("é"));
    QVERIFY(vocab.contains("我") && vocab.contains("##我"));
    QVERIFY(vocab.id("the") < vocab.id("cats"));  // 6 times before 2 times
}

void TestVocab::build_vocab_is_deterministic() {
    auto texts = corpus();
    const Vocab a = build_vocab(texts, BasicTokenizerOptions{}, 1000, 1);
    std::reverse(texts.begin(), texts.end());
    const Vocab b = build_vocab(texts, BasicTokenizerOptions{}, 1000, 1);
    QCOMPARE(a.tokens(), b.tokens());
    const Vocab c = build_vocab(corpus(), BasicTokenizerOptions{}, 1000, 1);
    QCOMPARE(a.tokens(), c.tokens());
    // Ties are broken by string: "cat", "dog" and "sat" have equal counts here.
    const Vocab ties = build_vocab({"sat dog cat", "cat dog sat"}, BasicTokenizerOptions{}, 100, 2);
    const auto& t = ties.tokens();
    const auto pos = [&](const std::string& s) {
        return std::find(t.begin(), t.end(), s) - t.begin();
    };
    QVERIFY(pos("cat") < pos("dog"));
    QVERIFY(pos("dog") < pos("sat"));
}

void TestVocab::build_vocab_respects_limits() {
    const Vocab small = build_vocab(corpus(), BasicTokenizerOptions{}, 12, 1);
    QCOMPARE(small.size(), std::int64_t(12));
    QCOMPARE(small.token(4), std::string("[MASK]"));
    QVERIFY_THROWS_EXCEPTION(tb::Error, build_vocab(corpus(), BasicTokenizerOptions{}, 4));
    const Vocab only_specials = build_vocab({}, BasicTokenizerOptions{}, 50);
    QCOMPARE(only_specials.size(), std::int64_t(5));
    // Cased options keep case.
    BasicTokenizerOptions cased;
    cased.lowercase = false;
    const Vocab cased_vocab = build_vocab(corpus(), cased, 1000, 1);
    QVERIFY(cased_vocab.contains("The"));
    QVERIFY(cased_vocab.contains("é"));
}

void TestVocab::build_vocab_covers_its_corpus() {
    const Vocab vocab = build_vocab(corpus(), BasicTokenizerOptions{}, 1000, 2);
    const BertTokenizer tokenizer(vocab, BasicTokenizerOptions{});
    for (const auto& text : corpus()) {
        for (const auto& piece : tokenizer.tokenize(text)) {
            QVERIFY2(piece != "[UNK]", text.c_str());
        }
    }
    QCOMPARE(tokenizer.tokenize("the cats"), (std::vector<std::string>{"the", "cats"}));
    QCOMPARE(tokenizer.tokenize("mat"), (std::vector<std::string>{"m", "##a", "##t"}));
}

QTEST_APPLESS_MAIN(TestVocab)
#include "tst_vocab.moc"
