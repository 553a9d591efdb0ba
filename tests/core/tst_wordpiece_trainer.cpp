// WordPiece vocabulary training against Hugging Face's trainer (npm `tokenizers`, fixture made
// by tests/reference/text/gen_wordpiece_training.js) and the trainer's own options.
#include <QtTest>

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "text/basic_tokenizer.h"
#include "text/wordpiece.h"
#include "text/wordpiece_trainer.h"

using namespace tb::text;

namespace {

std::string fixture(const std::string& name) {
    return std::string(TB_FIXTURES_DIR) + "/text/" + name;
}

std::vector<std::string> read_lines(const std::string& path) {
    std::ifstream in(path);
    std::vector<std::string> lines;
    std::string line;
    while (std::getline(in, line)) {
        lines.push_back(line);
    }
    return lines;
}

// The reference's settings: the default WordPieceTrainer, which has no special tokens.
WordPieceTrainerOptions reference_options() {
    WordPieceTrainerOptions options;
    options.special_tokens.clear();
    return options;
}

Vocab train_on(const std::vector<std::string>& lines, const WordPieceTrainerOptions& options) {
    WordPieceTrainer trainer(options);
    for (const auto& line : lines) {
        trainer.feed(line);
    }
    return trainer.train();
}

std::vector<std::string> tokenize_words(const std::string& text, const Vocab& vocab) {
    std::vector<std::string> out;
    for (const auto& word : basic_tokenize(text, BasicTokenizerOptions{})) {
        for (auto& piece : wordpiece_split(word, vocab)) {
            out.push_back(std::move(piece));
        }
    }
    return out;
}

}  // namespace

class TestWordpieceTrainer : public QObject {
    Q_OBJECT

private slots:
    void matches_hugging_face();
    void special_tokens_first_and_size_cut();
    void min_frequency_stops_merges();
    void limit_alphabet_keeps_frequent_characters();
    void chinese_characters_are_words();
    void deterministic_and_covers_corpus();
};

void TestWordpieceTrainer::matches_hugging_face() {
    std::ifstream in(fixture("wordpiece_training_reference.json"));
    const auto ref = nlohmann::json::parse(in);
    const auto corpus = read_lines(fixture("wordpiece_training_corpus.txt"));
    const Vocab vocab = train_on(corpus, reference_options());
    const auto& tokens = vocab.tokens();

    // The alphabet (ids 0..n-1, code point order) is deterministic in the reference too.
    const auto alphabet = ref["alphabet"].get<std::vector<std::string>>();
    QVERIFY(tokens.size() > alphabet.size());
    QCOMPARE(std::vector<std::string>(tokens.begin(), tokens.begin() + alphabet.size()), alphabet);

    // The reference varies from run to run (hash-order tie-breaks): every token it always
    // produces is ours, every token of ours it produces in some run, and our size is in range.
    const std::set<std::string> ours(tokens.begin(), tokens.end());
    for (const auto& token : ref["always"]) {
        QVERIFY2(ours.count(token.get<std::string>()) == 1,
                 ("missing token " + token.get<std::string>()).c_str());
    }
    const auto ever = ref["ever"].get<std::set<std::string>>();
    for (const auto& token : tokens) {
        QVERIFY2(ever.count(token) == 1, ("token never made by the reference: " + token).c_str());
    }
    const auto sizes = ref["vocab_sizes"].get<std::vector<std::size_t>>();
    QVERIFY(tokens.size() >= *std::min_element(sizes.begin(), sizes.end()));
    QVERIFY(tokens.size() <= *std::max_element(sizes.begin(), sizes.end()));

    // Held-out texts tokenize exactly as with the reference's vocabulary (the same in all runs).
    std::vector<std::string> with_unk = tokens;
    with_unk.push_back("[UNK]");
    const Vocab lookup(with_unk);
    const auto heldout = ref["heldout"].get<std::vector<std::string>>();
    for (std::size_t i = 0; i < heldout.size(); ++i) {
        const auto expected = ref["tokenizations"][0][i].get<std::vector<std::string>>();
        QCOMPARE(tokenize_words(heldout[i], lookup), expected);
    }
}

void TestWordpieceTrainer::special_tokens_first_and_size_cut() {
    const auto corpus = read_lines(fixture("wordpiece_training_corpus.txt"));
    WordPieceTrainerOptions options;
    options.vocab_size = 600;
    const Vocab vocab = train_on(corpus, options);
    QCOMPARE(vocab.size(), std::int64_t{600});
    QCOMPARE(vocab.token(0), std::string("[PAD]"));
    QCOMPARE(vocab.token(1), std::string("[UNK]"));
    QCOMPARE(vocab.token(4), std::string("[MASK]"));
    QCOMPARE(vocab.token(5), std::string("!"));  // then the alphabet in code point order
    // The merges made are a prefix of the longer training's: a smaller size cuts the same list.
    options.vocab_size = 700;
    const Vocab longer = train_on(corpus, options);
    for (std::int64_t id = 0; id < vocab.size(); ++id) {
        QCOMPARE(longer.token(id), vocab.token(id));
    }
    options.vocab_size = 3;
    QVERIFY_THROWS_EXCEPTION(tb::Error, train_on(corpus, options));
}

void TestWordpieceTrainer::min_frequency_stops_merges() {
    WordPieceTrainerOptions options;
    options.special_tokens = {"[UNK]"};
    options.min_frequency = 3;
    const Vocab vocab = train_on({"low low low lower lowest newer newer"}, options);
    // "lo" (5x) and "low" (5x) merge; "ne"/"new"... (2x) stay below 3.
    QVERIFY(vocab.contains("low"));
    QVERIFY(!vocab.contains("ne"));
    QVERIFY(!vocab.contains("newer"));
    options.min_frequency = 0;
    QVERIFY(train_on({"low low low lower lowest newer newer"}, options).contains("newer"));
}

void TestWordpieceTrainer::limit_alphabet_keeps_frequent_characters() {
    WordPieceTrainerOptions options;
    options.special_tokens = {"[UNK]"};
    options.limit_alphabet = 2;
    const Vocab vocab = train_on({"aaa bb bb c"}, options);  // a:3 b:4 c:1
    QVERIFY(vocab.contains("a"));
    QVERIFY(vocab.contains("b"));
    QVERIFY(!vocab.contains("c"));
    QVERIFY(!vocab.contains("##c"));
}

void TestWordpieceTrainer::chinese_characters_are_words() {
    WordPieceTrainerOptions options;
    options.special_tokens = {"[UNK]"};
    const Vocab vocab = train_on({"北京北京 北京"}, options);
    // Each ideograph is a word of its own: no "##" piece and no merge across ideographs.
    QVERIFY(vocab.contains("北"));
    QVERIFY(!vocab.contains("##京"));
    QVERIFY(!vocab.contains("北京"));
}

void TestWordpieceTrainer::deterministic_and_covers_corpus() {
    const auto corpus = read_lines(fixture("wordpiece_training_corpus.txt"));
    WordPieceTrainerOptions options;
    options.vocab_size = 2000;
    const Vocab a = train_on(corpus, options);
    const Vocab b = train_on(corpus, options);
    QCOMPARE(a.tokens(), b.tokens());
    // Every character of the corpus is in the alphabet, so no corpus word becomes [UNK].
    for (const auto& line : corpus) {
        for (const auto& piece : tokenize_words(line, a)) {
            QVERIFY2(piece != "[UNK]", line.c_str());
        }
    }
}

QTEST_APPLESS_MAIN(TestWordpieceTrainer)
#include "tst_wordpiece_trainer.moc"
