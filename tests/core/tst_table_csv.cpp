// CSV/TSV parsing of well-formed input: RFC 4180 quoting, line endings, BOM, empty lines,
// row line numbers, Chinese column names and values, and reading fixture files from disk.
#include <QtTest>

#include <string>
#include <vector>

#include "common/error.h"
#include "data/table.h"

using tb::data::parse_table;
using tb::data::read_table;
using tb::data::Table;
using tb::data::TableFormat;

using Rows = std::vector<std::vector<std::string>>;
using Names = std::vector<std::string>;
using Lines = std::vector<long>;

class TstTableCsv : public QObject {
    Q_OBJECT

private slots:
    void quoted_fields();
    void crlf_and_bom();
    void lone_cr_line_breaks();
    void empty_lines_are_skipped();
    void empty_fields();
    void header_only_has_no_rows();
    void tsv_quoting();
    void chinese_columns_and_values();
    void read_fixture_files();
};

void TstTableCsv::quoted_fields() {
    const std::string content =
        "text,label\n"
        "\"Hello, world\",pos\n"
        "\"She said \"\"hi\"\"\",neg\n"
        "\"line one\nline two\",pos\n"
        "\"\"\"\",neg\n"
        "last,pos";  // no final newline
    const Table table = parse_table(content, TableFormat::Csv, "q.csv");
    QCOMPARE(table.source, std::string("q.csv"));
    QVERIFY(table.format == TableFormat::Csv);
    QCOMPARE(table.columns, (Names{"text", "label"}));
    QCOMPARE(table.rows, (Rows{{"Hello, world", "pos"},
                               {"She said \"hi\"", "neg"},
                               {"line one\nline two", "pos"},
                               {"\"", "neg"},
                               {"last", "pos"}}));
    // A row's line is where it starts; the quoted newline pushes later rows down.
    QCOMPARE(table.row_lines, (Lines{2, 3, 4, 6, 7}));
}

void TstTableCsv::crlf_and_bom() {
    const std::string content =
        "\xEF\xBB\xBFtext,label\r\n"
        "a,1\r\n"
        "\"x\r\ny\",2\r\n"
        "\r\n\r\n";
    const Table table = parse_table(content, TableFormat::Csv, "crlf.csv");
    QCOMPARE(table.columns, (Names{"text", "label"}));  // BOM stripped from the first name
    QCOMPARE(table.rows, (Rows{{"a", "1"}, {"x\r\ny", "2"}}));
    QCOMPARE(table.row_lines, (Lines{2, 3}));
}

void TstTableCsv::lone_cr_line_breaks() {
    const Table table = parse_table("a,b\r1,2\r3,4", TableFormat::Csv, "cr.csv");
    QCOMPARE(table.rows, (Rows{{"1", "2"}, {"3", "4"}}));
    QCOMPARE(table.row_lines, (Lines{2, 3}));
}

void TstTableCsv::empty_lines_are_skipped() {
    const Table table = parse_table("a,b\n\n1,2\n\n\n3,4\n\n", TableFormat::Csv, "e.csv");
    QCOMPARE(table.rows, (Rows{{"1", "2"}, {"3", "4"}}));
    QCOMPARE(table.row_lines, (Lines{3, 6}));

    // Leading empty lines before the header are skipped too, and counted.
    const Table late = parse_table("\n\ntext\nhello\n", TableFormat::Csv, "late.csv");
    QCOMPARE(late.columns, (Names{"text"}));
    QCOMPARE(late.row_lines, (Lines{4}));
}

void TstTableCsv::empty_fields() {
    const Table table = parse_table("a,b,c\n,,\n\"\",x,\n1,2,", TableFormat::Csv, "f.csv");
    QCOMPARE(table.rows, (Rows{{"", "", ""}, {"", "x", ""}, {"1", "2", ""}}));
}

void TstTableCsv::header_only_has_no_rows() {
    const Table table = parse_table("a,b\n", TableFormat::Csv, "h.csv");
    QCOMPARE(table.columns, (Names{"a", "b"}));
    QVERIFY(table.rows.empty());
    QVERIFY(table.row_lines.empty());
}

void TstTableCsv::tsv_quoting() {
    const std::string content =
        "text\tlabel\n"
        "hello, world\tpos\n"
        "\"quoted\ttab\"\tneg\n"
        "He said \"hi\" twice\tpos\n";
    const Table table = parse_table(content, TableFormat::Tsv, "t.tsv");
    QVERIFY(table.format == TableFormat::Tsv);
    QCOMPARE(table.columns, (Names{"text", "label"}));
    // Commas are plain text in TSV; a quote that does not start a field is kept as text.
    QCOMPARE(
        table.rows,
        (Rows{{"hello, world", "pos"}, {"quoted\ttab", "neg"}, {"He said \"hi\" twice", "pos"}}));
}

void TstTableCsv::chinese_columns_and_values() {
    const std::string content =
        "文本,标签\n"
        "这部电影很好看,正面\n"
        "\"太差了，不推荐, 真的\",负面\n";
    const Table table = parse_table(content, TableFormat::Csv, "zh.csv");
    QCOMPARE(table.columns, (Names{"文本", "标签"}));
    QCOMPARE(table.column_index("标签"), std::size_t{1});
    QCOMPARE(table.rows[1][0], std::string("太差了，不推荐, 真的"));
    QCOMPARE(table.rows[1][1], std::string("负面"));
}

void TstTableCsv::read_fixture_files() {
    const std::string dir = std::string(TB_FIXTURES_DIR) + "/data/";
    const Table zh = read_table(dir + "reviews_zh.csv");
    QCOMPARE(zh.source, dir + "reviews_zh.csv");
    QVERIFY(zh.format == TableFormat::Csv);
    QCOMPARE(zh.columns, (Names{"评论", "情感"}));
    QCOMPARE(zh.rows.size(), std::size_t{6});
    QCOMPARE(zh.rows[2][0], std::string("剧情拖沓，\n演员也不行"));
    QCOMPARE(zh.row_lines, (Lines{2, 3, 4, 6, 8, 9}));
    QCOMPARE(zh.rows[4][0], std::string("他说\"值得一看\""));

    const Table tsv = read_table(dir + "reviews.tsv");
    QVERIFY(tsv.format == TableFormat::Tsv);
    QCOMPARE(tsv.columns, (Names{"sentence", "label"}));
    QCOMPARE(tsv.rows.size(), std::size_t{4});

    QCOMPARE(tsv.rows[2][0], std::string("the movie \"works\" , mostly"));

    // An explicit format wins over the extension: read as CSV, line 4's bare quotes are errors.
    try {
        read_table(dir + "reviews.tsv", TableFormat::Csv);
        QFAIL("expected a tb::Error");
    } catch (const tb::Error& e) {
        QCOMPARE(e.where().line, 4L);
        QCOMPARE(e.where().column, 11L);
    }

    bool threw = false;
    try {
        read_table(dir + "does_not_exist.csv");
    } catch (const tb::Error& e) {
        threw = true;
        QCOMPARE(e.where().file, dir + "does_not_exist.csv");
        QVERIFY(e.message().find("cannot open") != std::string::npos);
    }
    QVERIFY(threw);
}

QTEST_APPLESS_MAIN(TstTableCsv)
#include "tst_table_csv.moc"
