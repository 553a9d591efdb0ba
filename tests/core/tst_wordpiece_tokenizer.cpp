// Basic tokenizer and WordPiece rules, including the cases where Hugging Face's Python and
// Rust tokenizers disagree (the fixture avoids those; the choices made are pinned here).
#include <QtTest>

#include "text/basic_tokenizer.h"
#include "text/vocab.h"
#include "text/wordpiece.h"

using namespace tb::text;

namespace {

using Tokens = std::vector<std::string>;

BasicTokenizerOptions lower() {
    return BasicTokenizerOptions{};
}
BasicTokenizerOptions cased() {
    return BasicTokenizerOptions{false, -1, true};
}

}  // namespace

class TestWordpieceTokenizer : public QObject {
    Q_OBJECT

private slots:
    void cleaning_and_whitespace();
    void punctuation_split();
    void chinese_ranges();
    void accents_follow_lowercase_unless_forced();
    void invalid_utf8_is_dropped();
    void python_only_behaviours();
    void greedy_longest_match();
    void unknown_and_length_limit();
};

void TestWordpieceTokenizer::cleaning_and_whitespace() {
    // Control and format characters vanish and join their neighbours; \t \n \r and Zs split.
    QCOMPARE(basic_tokenize("a\tb\nc\rd", lower()), (Tokens{"a", "b", "c", "d"}));
    QCOMPARE(basic_tokenize("a\x01"
                            "b",
                            lower()),
             (Tokens{"ab"}));
    QCOMPARE(basic_tokenize(std::string("a\0b", 3), lower()), (Tokens{"ab"}));
    QCOMPARE(basic_tokenize("a\xC2\xA0"
                            "b\xE3\x80\x80"
                            "c",
                            lower()),
             (Tokens{"a", "b", "c"}));
    QCOMPARE(basic_tokenize("zero\xE2\x80\x8Bwidth", lower()), (Tokens{"zerowidth"}));
    QCOMPARE(basic_tokenize("a\xEF\xBF\xBD"
                            "b",
                            lower()),
             (Tokens{"ab"}));
    // \v, \f and NEL are control characters (dropped), not separators.
    QCOMPARE(basic_tokenize("a\vb\fc\xC2\x85"
                            "d",
                            lower()),
             (Tokens{"abcd"}));
    // Line and paragraph separators split (Python's str.split, Rust's is_whitespace).
    QCOMPARE(basic_tokenize("a\xE2\x80\xA8"
                            "b\xE2\x80\xA9"
                            "c",
                            lower()),
             (Tokens{"a", "b", "c"}));
    QVERIFY(basic_tokenize("", lower()).empty());
    QVERIFY(basic_tokenize(" \t\r\n ", lower()).empty());
}

void TestWordpieceTokenizer::punctuation_split() {
    // ASCII symbols count as punctuation even when Unicode calls them symbols ($ + < = > ^ ` | ~).
    QCOMPARE(basic_tokenize("a$b+c^d`e|f~g", lower()),
             (Tokens{"a", "$", "b", "+", "c", "^", "d", "`", "e", "|", "f", "~", "g"}));
    // Non-ASCII symbols do not (€ is Sc); Unicode punctuation does (¿ « — are P*).
    QCOMPARE(basic_tokenize("5€ ¿x «y» a—b", lower()),
             (Tokens{"5€", "¿", "x", "«", "y", "»", "a", "—", "b"}));
    QCOMPARE(basic_tokenize("...", lower()), (Tokens{".", ".", "."}));
}

void TestWordpieceTokenizer::chinese_ranges() {
    QCOMPARE(basic_tokenize("我爱abc北京", lower()), (Tokens{"我", "爱", "abc", "北", "京"}));
    // Kana and Hangul are not split per character.
    QCOMPARE(basic_tokenize("こんにちは", cased()), (Tokens{"こんにちは"}));
    QCOMPARE(basic_tokenize("안녕", cased()), (Tokens{"안녕"}));
    BasicTokenizerOptions no_split = lower();
    no_split.tokenize_chinese_chars = false;
    QCOMPARE(basic_tokenize("我爱abc", no_split), (Tokens{"我爱abc"}));
    // Range edges: U+3400 and U+2A6DF are inside; Kangxi radical U+2F00 is outside.
    QCOMPARE(basic_tokenize("a\xE3\x90\x80"
                            "b",
                            lower()),
             (Tokens{"a", "\xE3\x90\x80", "b"}));
    QCOMPARE(basic_tokenize("a\xF0\xAA\x9B\x9F"
                            "b",
                            lower()),
             (Tokens{"a", "\xF0\xAA\x9B\x9F", "b"}));
    QCOMPARE(basic_tokenize("a\xE2\xBC\x80"
                            "b",
                            cased()),
             (Tokens{"a\xE2\xBC\x80"
                     "b"}));
}

void TestWordpieceTokenizer::accents_follow_lowercase_unless_forced() {
    QCOMPARE(basic_tokenize("Café NAÏVE", lower()), (Tokens{"cafe", "naive"}));
    QCOMPARE(basic_tokenize("Café NAÏVE", cased()), (Tokens{"Café", "NAÏVE"}));
    BasicTokenizerOptions keep = lower();
    keep.strip_accents = 0;
    QCOMPARE(basic_tokenize("Café NAÏVE", keep), (Tokens{"café", "naïve"}));
    BasicTokenizerOptions strip_cased = cased();
    strip_cased.strip_accents = 1;
    QCOMPARE(basic_tokenize("Café NAÏVE", strip_cased), (Tokens{"Cafe", "NAIVE"}));
    // İ lowercases to i + U+0307 (full mapping, as Python and Rust); stripping removes the dot.
    QCOMPARE(basic_tokenize("İ", keep), (Tokens{"i\xCC\x87"}));
    QCOMPARE(basic_tokenize("İ", lower()), (Tokens{"i"}));
    // Hangul syllables decompose to conjoining jamo under NFD (letters, so they stay).
    QCOMPARE(basic_tokenize("안", lower()), (Tokens{"\xE1\x84\x8B\xE1\x85\xA1\xE1\x86\xAB"}));
    // Canonical reordering before stripping: marks are removed whatever their order.
    QCOMPARE(basic_tokenize("a\xCC\x81\xCC\xA3", lower()), (Tokens{"a"}));
}

void TestWordpieceTokenizer::invalid_utf8_is_dropped() {
    // Bad bytes become U+FFFD, which cleaning removes, as HF does after a lenient decode.
    QCOMPARE(basic_tokenize("ab\xFF"
                            "cd",
                            lower()),
             (Tokens{"abcd"}));
    QCOMPARE(basic_tokenize("ab\xC0\xAF"
                            "cd",
                            lower()),
             (Tokens{"abcd"}));  // overlong
    QCOMPARE(basic_tokenize("ab\xED\xA0\x80"
                            "cd",
                            lower()),
             (Tokens{"abcd"}));  // surrogate
    QCOMPARE(basic_tokenize("ab\xF4\x90\x80\x80"
                            "cd",
                            lower()),
             (Tokens{"abcd"}));                                     // > U+10FFFF
    QCOMPARE(basic_tokenize("abc\xC3", lower()), (Tokens{"abc"}));  // truncated
}

// Where the fixture's reference (Rust tokenizers) and Python's BertTokenizer differ.
void TestWordpieceTokenizer::python_only_behaviours() {
    // CJK Extension C..F start at U+2B820 in Python's table; Rust starts at U+2B920. We follow
    // Python: U+2B820 is an ideograph of its own.
    QCOMPARE(basic_tokenize("a\xF0\xAB\xA0\xA0"
                            "b",
                            lower()),
             (Tokens{"a", "\xF0\xAB\xA0\xA0", "b"}));
    // Unassigned code points (Cn) are control characters to Python and are deleted; the Rust
    // library keeps U+0378.
    QCOMPARE(basic_tokenize("x\xCD\xB8y", lower()), (Tokens{"xy"}));
    // Known differences kept on purpose (we match the Rust/fast tokenizer here):
    // Python's str.lower() turns a word-final capital sigma into final sigma U+03C2.
    QCOMPARE(basic_tokenize("ΟΔΟΣ", lower()), (Tokens{"οδοσ"}));
    // Recent Python versions compose (NFC) before splitting; decomposed input stays as is.
    QCOMPARE(basic_tokenize("e\xCC\x81", cased()), (Tokens{"e\xCC\x81"}));
}

void TestWordpieceTokenizer::greedy_longest_match() {
    const Vocab vocab({"[UNK]", "un", "una", "##aff", "##a", "##ff", "##able", "##ffable", "a"});
    // Longest first at each position: "una" wins over "un", then "##ffable" over "##ff".
    QCOMPARE(wordpiece_split("unaffable", vocab), (Tokens{"una", "##ffable"}));
    QCOMPARE(wordpiece_split("a", vocab), (Tokens{"a"}));
    // Greedy does not backtrack: "unaff" -> "una" then "##ff".
    QCOMPARE(wordpiece_split("unaff", vocab), (Tokens{"una", "##ff"}));
    std::vector<std::int64_t> ids;
    wordpiece_ids("unaffable", vocab, 0, ids);
    QCOMPARE(ids, (std::vector<std::int64_t>{2, 7}));
    // Pieces never cut a multi-byte character.
    const Vocab cjk({"[UNK]", "日", "##本", "日本語"});
    QCOMPARE(wordpiece_split("日本", cjk), (Tokens{"日", "##本"}));
    QCOMPARE(wordpiece_split("日本語", cjk), (Tokens{"日本語"}));
}

void TestWordpieceTokenizer::unknown_and_length_limit() {
    const Vocab vocab({"[UNK]", "a", "##a", "b"});
    QCOMPARE(wordpiece_split("ab", vocab), (Tokens{"[UNK]"}));  // no "##b"
    QCOMPARE(wordpiece_split("ab", vocab, "<unk>"), (Tokens{"<unk>"}));
    QCOMPARE(wordpiece_split(std::string(100, 'a'), vocab).size(), std::size_t(100));
    QCOMPARE(wordpiece_split(std::string(101, 'a'), vocab), (Tokens{"[UNK]"}));
    QCOMPARE(wordpiece_split("aaa", vocab, "[UNK]", 2), (Tokens{"[UNK]"}));
    std::vector<std::int64_t> ids = {42};
    wordpiece_ids("ab", vocab, 0, ids);
    QCOMPARE(ids, (std::vector<std::int64_t>{42, 0}));  // earlier ids untouched, one unk added
}

QTEST_APPLESS_MAIN(TestWordpieceTokenizer)
#include "tst_wordpiece_tokenizer.moc"
