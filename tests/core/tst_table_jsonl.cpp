// JSON Lines parsing: key order, value conversion, blank lines, and errors with the line and
// the character column where the JSON parser stopped.
#include <QtTest>

#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "data/table.h"

using tb::data::parse_table;
using tb::data::Table;
using tb::data::TableFormat;

using Rows = std::vector<std::vector<std::string>>;
using Names = std::vector<std::string>;
using Lines = std::vector<long>;

namespace {

std::optional<tb::Error> parse_error(const std::string& content) {
    try {
        parse_table(content, TableFormat::Jsonl, "bad.jsonl");
    } catch (const tb::Error& e) {
        return e;
    }
    return std::nullopt;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

#define CHECK_ERROR(content, line_, column_, part)                    \
    do {                                                              \
        const std::optional<tb::Error> error_ = parse_error(content); \
        QVERIFY2(error_.has_value(), "expected a tb::Error");         \
        QCOMPARE(error_->where().file, std::string("bad.jsonl"));     \
        QCOMPARE(error_->where().line, long{line_});                  \
        QCOMPARE(error_->where().column, long{column_});              \
        QVERIFY2(contains(error_->message(), part), error_->what());  \
    } while (false)

class TstTableJsonl : public QObject {
    Q_OBJECT

private slots:
    void columns_in_first_seen_order();
    void value_conversion();
    void bom_and_crlf();
    void chinese_keys_and_values();
    void invalid_json();
    void not_an_object();
    void empty_input();
    void deep_nesting_is_rejected();
    void empty_key();
    void fixture_file();
};

void TstTableJsonl::columns_in_first_seen_order() {
    const std::string content =
        "{\"text\":\"hi\",\"label\":\"pos\",\"score\":1.5}\n"
        "\n"
        "   \n"
        "{\"label\":\"neg\",\"text\":\"yo\",\"extra\":true}\n"
        "{\"text\":\"z\",\"label\":null}";
    const Table table = parse_table(content, TableFormat::Jsonl, "x.jsonl");
    QVERIFY(table.format == TableFormat::Jsonl);
    QCOMPARE(table.columns, (Names{"text", "label", "score", "extra"}));
    QCOMPARE(table.rows,
             (Rows{{"hi", "pos", "1.5", ""}, {"yo", "neg", "", "true"}, {"z", "", "", ""}}));
    QCOMPARE(table.row_lines, (Lines{1, 4, 5}));
}

void TstTableJsonl::value_conversion() {
    const Table table = parse_table(
        "{\"a\":1,\"b\":false,\"c\":[\"x\",2],\"d\":{\"k\":\"v\"},\"e\":\"tab\\there\",\"f\":-3e2}",
        TableFormat::Jsonl, "v.jsonl");
    QCOMPARE(table.rows,
             (Rows{{"1", "false", "[\"x\",2]", "{\"k\":\"v\"}", "tab\there", "-300.0"}}));
}

void TstTableJsonl::bom_and_crlf() {
    const Table table = parse_table("\xEF\xBB\xBF{\"t\":\"a\"}\r\n\r\n{\"t\":\"b\"}\r\n",
                                    TableFormat::Jsonl, "b.jsonl");
    QCOMPARE(table.columns, (Names{"t"}));
    QCOMPARE(table.rows, (Rows{{"a"}, {"b"}}));
    QCOMPARE(table.row_lines, (Lines{1, 3}));
}

void TstTableJsonl::chinese_keys_and_values() {
    const Table table =
        parse_table("{\"文本\":\"很好\",\"标签\":\"正面\"}\n{\"标签\":\"负面\",\"文本\":\"差\"}\n",
                    TableFormat::Jsonl, "zh.jsonl");
    QCOMPARE(table.columns, (Names{"文本", "标签"}));
    QCOMPARE(table.rows, (Rows{{"很好", "正面"}, {"差", "负面"}}));
}

void TstTableJsonl::invalid_json() {
    CHECK_ERROR("{\"text\":\"ok\"}\n{\"text\": x}\n", 2, 10, "invalid JSON");
    // Truncated line: the parser stops one past the last character.
    CHECK_ERROR("{\"a\": 1\n", 1, 8, "unexpected end of input");
    // Columns are characters: "好" is the 8th character of the line but its 12th byte.
    CHECK_ERROR("{\"文本\": 好}\n", 1, 8, "invalid JSON");
    CHECK_ERROR("\n\n{\"a\": \"unterminated}\n", 3, 21, "invalid JSON");
    // The location prefix is ours; nlohmann's own "line 1, column N" would be wrong for line 3.
    const auto error = parse_error("\n\n{\"a\" 1}\n");
    QVERIFY(error);
    QVERIFY2(!contains(error->message(), "json.exception"), error->what());
    QVERIFY2(!contains(error->message(), "line 1"), error->what());
}

void TstTableJsonl::not_an_object() {
    CHECK_ERROR("[1, 2]\n", 1, 1, "a JSON array");
    CHECK_ERROR("{\"a\":1}\n  \"text\"\n", 2, 3, "a JSON string");
    CHECK_ERROR("42\n", 1, 1, "one JSON object");
    CHECK_ERROR("null\n", 1, 1, "JSON null");
}

void TstTableJsonl::empty_input() {
    for (const std::string content : {"", "\n \n\t\n", "\xEF\xBB\xBF"}) {
        const auto error = parse_error(content);
        QVERIFY(error);
        QCOMPARE(error->where().file, std::string("bad.jsonl"));
        QVERIFY2(contains(error->message(), "no JSON objects"), error->what());
    }
}

void TstTableJsonl::deep_nesting_is_rejected() {
    const std::string deep = "{\"a\":" + std::string(100000, '[') + "\n";
    CHECK_ERROR(deep, 1, 1, "nested deeper");
    // Moderate nesting is fine and kept as JSON text.
    const std::string ok = "{\"a\":" + std::string(10, '[') + std::string(10, ']') + "}";
    const Table table = parse_table(ok, TableFormat::Jsonl, "ok.jsonl");
    QCOMPARE(table.rows[0][0], std::string(10, '[') + std::string(10, ']'));
}

void TstTableJsonl::empty_key() {
    CHECK_ERROR("{\"a\":1}\n {\"\":1}\n", 2, 2, "empty key");
    // Objects without any key give no columns.
    CHECK_ERROR("\n{}\n{ }\n", 2, 1, "every object in the file is empty");
}

void TstTableJsonl::fixture_file() {
    const Table table = tb::data::read_table(std::string(TB_FIXTURES_DIR) + "/data/intents.jsonl");
    QVERIFY(table.format == TableFormat::Jsonl);
    QCOMPARE(table.columns, (Names{"text", "intent", "id"}));
    QCOMPARE(table.rows.size(), std::size_t{5});
    QCOMPARE(table.rows[4], (std::vector<std::string>{"明天北京天气怎么样", "weather", "5"}));
    QCOMPARE(table.row_lines, (Lines{1, 2, 3, 5, 6}));
}

QTEST_APPLESS_MAIN(TstTableJsonl)
#include "tst_table_jsonl.moc"
