// Malformed CSV/TSV input and bad encodings: each case checks the exact line and column (in
// characters) that the tb::Error reports, and the key words of its message.
#include <QtTest>

#include <optional>
#include <string>

#include "common/error.h"
#include "data/table.h"
#include "data/text_encoding.h"

using tb::data::parse_table;
using tb::data::Table;
using tb::data::TableFormat;

namespace {

std::optional<tb::Error> parse_error(const std::string& content,
                                     TableFormat format = TableFormat::Csv,
                                     const std::string& source = "bad.csv") {
    try {
        parse_table(content, format, source);
    } catch (const tb::Error& e) {
        return e;
    }
    return std::nullopt;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

// Checks file, line, column and that the message contains `part`.
#define CHECK_ERROR(content, format, line_, column_, part)                    \
    do {                                                                      \
        const std::optional<tb::Error> error_ = parse_error(content, format); \
        QVERIFY2(error_.has_value(), "expected a tb::Error");                 \
        QCOMPARE(error_->where().file, std::string("bad.csv"));               \
        QCOMPARE(error_->where().line, long{line_});                          \
        QCOMPARE(error_->where().column, long{column_});                      \
        QVERIFY2(contains(error_->message(), part), error_->what());          \
        QVERIFY(contains(error_->what(), "bad.csv:"));                        \
    } while (false)

class TstTableErrors : public QObject {
    Q_OBJECT

private slots:
    void unterminated_quote();
    void quote_inside_unquoted_field();
    void text_after_closing_quote();
    void field_count_mismatch();
    void bad_header();
    void empty_file();
    void utf16_and_utf32_bom();
    void utf16_files_are_read();
    void invalid_utf8();
    void nul_byte();
};

void TstTableErrors::unterminated_quote() {
    // Reported where the quote opened, not at the end of the file.
    CHECK_ERROR("text,label\n\"abc,pos\nxyz,neg\n", TableFormat::Csv, 2, 1, "never closed");
    CHECK_ERROR("a,b\n1,\"x\n", TableFormat::Csv, 2, 3, "never closed");
    CHECK_ERROR("a\tb\n1\t\"x\n", TableFormat::Tsv, 2, 3, "never closed");
    const auto error = parse_error("a,b\r\n1,\"x\r\n2,3\r\n4,5\r\n");
    QVERIFY(error);
    QCOMPARE(error->where().line, 2L);
    QCOMPARE(error->where().column, 3L);
    QVERIFY2(contains(error->message(), "lines 2-5"), error->what());
}

void TstTableErrors::quote_inside_unquoted_field() {
    CHECK_ERROR("a,b\nab\"c,1\n", TableFormat::Csv, 2, 3, "inside an unquoted field");
    // Columns count characters, not bytes: the quote is the 3rd character.
    CHECK_ERROR("a,b\n中文\"c,1\n", TableFormat::Csv, 2, 3, "inside an unquoted field");
    CHECK_ERROR("a,b\n1, \"x\"\n", TableFormat::Csv, 2, 4, "a space before the opening quote");
}

void TstTableErrors::text_after_closing_quote() {
    CHECK_ERROR("a,b\n\"ab\"c,1\n", TableFormat::Csv, 2, 5, "after the closing quote");
    CHECK_ERROR("a,b\n1,\"x\" \n", TableFormat::Csv, 2, 6, "after the closing quote");
    CHECK_ERROR("a\tb\n\"ab\"c\t1\n", TableFormat::Tsv, 2, 5, "after the closing quote");
}

void TstTableErrors::field_count_mismatch() {
    // Too few: at the end of the row. Too many: where the first extra field starts.
    CHECK_ERROR("a,b,c\n1,2,3\n1,2\n", TableFormat::Csv, 3, 4, "expected 3 fields");
    CHECK_ERROR("a,b,c\n1,2\n", TableFormat::Csv, 2, 4, "found 2");
    CHECK_ERROR("a,b\n1,2,3\n", TableFormat::Csv, 2, 5, "found 3");
    CHECK_ERROR("a,b\r\n1,2,3\r\n", TableFormat::Csv, 2, 5, "expected 2 fields");
    CHECK_ERROR("a\tb\nx\n", TableFormat::Tsv, 2, 2, "found 1");
    // The extra field is on the second line of a row that starts on line 2.
    CHECK_ERROR("a,b\n\"x\ny\",1,2\n", TableFormat::Csv, 3, 6, "expected 2 fields");
    // A whitespace-only line is a row, not an empty line.
    CHECK_ERROR("a,b\n1,2\n  \n", TableFormat::Csv, 3, 3, "found 1");
}

void TstTableErrors::bad_header() {
    CHECK_ERROR("a,b,a\n1,2,3\n", TableFormat::Csv, 1, 5, "duplicate column name 'a'");
    CHECK_ERROR("a,,c\n1,2,3\n", TableFormat::Csv, 1, 3, "column 2 of the header");
    CHECK_ERROR("\xEF\xBB\xBF,text\n0,hi\n", TableFormat::Csv, 1, 1, "index=False");
    CHECK_ERROR("名字,名字\n", TableFormat::Csv, 1, 4, "duplicate column name '名字'");
}

void TstTableErrors::empty_file() {
    for (const std::string content : {"", "\xEF\xBB\xBF", "\n\n\r\n"}) {
        const auto error = parse_error(content);
        QVERIFY(error);
        QCOMPARE(error->where().file, std::string("bad.csv"));
        QVERIFY2(contains(error->message(), "empty"), error->what());
    }
}

void TstTableErrors::utf16_and_utf32_bom() {
    CHECK_ERROR(std::string("\xFF\xFEt\0e\0x\0t\0", 10), TableFormat::Csv, 1, 1, "UTF-16LE");
    CHECK_ERROR(std::string("\xFE\xFF\0t\0e", 6), TableFormat::Csv, 1, 1, "UTF-16BE");
    CHECK_ERROR(std::string("\xFF\xFE\0\0t\0\0\0", 8), TableFormat::Csv, 1, 1, "UTF-32LE");
    CHECK_ERROR(std::string("\0\0\xFE\xFF", 4), TableFormat::Jsonl, 1, 1, "UTF-32BE");
    const auto error = parse_error(std::string("\xFF\xFEt\0", 4));
    QVERIFY(error);
    QVERIFY(contains(error->message(), "Convert"));
    QVERIFY(contains(error->message(), "UTF-8"));
}

// UTF-16 files with a byte order mark (Excel's "Unicode Text", Notepad's "Unicode") are read as
// UTF-8; broken UTF-16 names line, column and the byte offset in the file.
void TstTableErrors::utf16_files_are_read() {
    // A real UTF-16 file from disk (written by the fixture's generator: Notepad-style with BOM).
    const Table t = tb::data::read_table(std::string(TB_FIXTURES_DIR) + "/data/utf16le.csv");
    QCOMPARE(t.columns, (std::vector<std::string>{"text", "label"}));
    QCOMPARE(t.rows, (std::vector<std::vector<std::string>>{{"bonjour", "pos"}}));
    QCOMPARE(t.row_lines, (std::vector<long>{2}));

    // Little and big endian, a surrogate pair (emoji), Chinese, CRLF: the UTF-8 of the same text.
    const std::u16string text = u"文本,标签\r\n好😀,正面\n";
    const std::string utf8 = "文本,标签\r\n好😀,正面\n";
    for (const bool little : {true, false}) {
        std::string bytes = little ? "\xFF\xFE" : "\xFE\xFF";
        for (char16_t u : text) {
            const char lo = static_cast<char>(u & 0xFF), hi = static_cast<char>(u >> 8);
            bytes += little ? std::string{lo, hi} : std::string{hi, lo};
        }
        QCOMPARE(tb::data::utf16_as_utf8(bytes, "u.csv"), utf8);
        // The head of a file: a pair or code unit cut off at its end is dropped, not reported.
        const std::size_t pair_at = 2 + 2 * 7;  // 文本,标签\r\n好 = 7 units
        QCOMPARE(tb::data::utf16_as_utf8(bytes.substr(0, pair_at + 2), "u.csv", true),
                 std::string("文本,标签\r\n好"));
        QCOMPARE(tb::data::utf16_as_utf8(bytes.substr(0, pair_at + 3), "u.csv", true),
                 std::string("文本,标签\r\n好"));
    }
    // UTF-8 (with its BOM) and UTF-32 are left as they are.
    QCOMPARE(tb::data::utf16_as_utf8("\xEF\xBB\xBF"
                                     "a,b\n",
                                     "u.csv"),
             std::string("\xEF\xBB\xBF"
                         "a,b\n"));
    const std::string utf32("\xFF\xFE\0\0a\0\0\0", 8);
    QCOMPARE(tb::data::utf16_as_utf8(utf32, "u.csv"), utf32);

    auto error_of = [](const std::string& bytes) -> std::string {
        try {
            tb::data::utf16_as_utf8(bytes, "u.csv");
        } catch (const tb::Error& e) {
            return std::to_string(e.where().line) + ":" + std::to_string(e.where().column) + " " +
                   e.message();
        }
        return "no error";
    };
    // "a\nb" then a lone low surrogate (offset 8), a high one before "c", an odd byte.
    const std::string head(
        "\xFF\xFE"
        "a\0\n\0b\0",
        8);
    QVERIFY2(contains(error_of(head + std::string("\x00\xDC", 2)),
                      "2:2 invalid UTF-16 at byte offset 8: a low surrogate"),
             error_of(head + std::string("\x00\xDC", 2)).c_str());
    QVERIFY(contains(error_of(head + std::string("\x3D\xD8"
                                                 "c\0",
                                                 4)),
                     "2:2 invalid UTF-16 at byte offset 8: a high surrogate not followed"));
    QVERIFY(contains(error_of(head + std::string("\x3D\xD8", 2)), "a high surrogate at the end"));
    QVERIFY(contains(error_of(head + "c"),
                     "2:2 invalid UTF-16 at byte offset 8: an odd number of bytes"));
}

void TstTableErrors::invalid_utf8() {
    // "好吗" is 6 bytes; the 0xFF follows it: offset 11 + 6 = 17, character column 3.
    CHECK_ERROR("text,label\n好吗\xFF,pos\n", TableFormat::Csv, 2, 3, "byte offset 17");
    CHECK_ERROR("text,label\n好吗\xFF,pos\n", TableFormat::Csv, 2, 3, "0xFF");
    // The BOM counts in the offset (it is a byte of the file) but not in the column.
    CHECK_ERROR("\xEF\xBB\xBF\x61\xC0\xAF\n", TableFormat::Csv, 1, 2, "byte offset 4");
    // Overlong form, UTF-16 surrogate, code point above U+10FFFF, truncated sequence at the end.
    CHECK_ERROR("a\n\xC1\xBF\n", TableFormat::Csv, 2, 1, "byte offset 2");
    CHECK_ERROR("a\r\nx\xED\xA0\x80\n", TableFormat::Csv, 2, 2, "byte offset 4");
    CHECK_ERROR("a\nx\xF4\x90\x80\x80\n", TableFormat::Jsonl, 2, 2, "byte offset 3");
    CHECK_ERROR("a\nxy\xE4\xB8", TableFormat::Tsv, 2, 3, "byte offset 4");
    // The whole file's encoding is checked before parsing, so a bad byte is reported even when
    // a structural error comes earlier.
    CHECK_ERROR("a,b\n1,2,3\n\x80\n", TableFormat::Csv, 3, 1, "invalid UTF-8");
}

void TstTableErrors::nul_byte() {
    CHECK_ERROR(std::string("a,b\n1,\0\n", 8), TableFormat::Csv, 2, 3, "NUL byte");
}

QTEST_APPLESS_MAIN(TstTableErrors)
#include "tst_table_errors.moc"
