// Format names, format detection (extension, then content sniffing) and Table::column_index.
#include <QtTest>

#include <QTemporaryDir>

#include <fstream>
#include <string>

#include "common/error.h"
#include "data/table.h"

using tb::data::detect_table_format;
using tb::data::parse_table;
using tb::data::Table;
using tb::data::table_format_from_name;
using tb::data::table_format_name;
using tb::data::TableFormat;

class TstTableFormat : public QObject {
    Q_OBJECT

private slots:
    void names_round_trip();
    void unknown_name_throws();
    void detect_by_extension();
    void detect_by_content();
    void detect_errors();
    void auto_format_in_parse_table();
    void column_index();

private:
    std::string write(const std::string& name, const std::string& content) {
        const std::string path = dir_.path().toStdString() + "/" + name;
        std::ofstream(path, std::ios::binary) << content;
        return path;
    }

    QTemporaryDir dir_;
};

void TstTableFormat::names_round_trip() {
    for (TableFormat format :
         {TableFormat::Auto, TableFormat::Csv, TableFormat::Tsv, TableFormat::Jsonl}) {
        QVERIFY(table_format_from_name(table_format_name(format)) == format);
    }
    QCOMPARE(table_format_name(TableFormat::Jsonl), std::string("jsonl"));
    QVERIFY(table_format_from_name("tsv") == TableFormat::Tsv);
}

void TstTableFormat::unknown_name_throws() {
    try {
        table_format_from_name("xlsx");
        QFAIL("expected a tb::Error");
    } catch (const tb::Error& e) {
        QVERIFY(std::string(e.what()).find("'xlsx'") != std::string::npos);
        QVERIFY(std::string(e.what()).find("jsonl") != std::string::npos);
    }
}

void TstTableFormat::detect_by_extension() {
    // Detection by extension does not read the file (content would say otherwise).
    QVERIFY(detect_table_format(write("a.csv", "x\ty\n")) == TableFormat::Csv);
    QVERIFY(detect_table_format(write("a.TSV", "x,y\n")) == TableFormat::Tsv);
    QVERIFY(detect_table_format(write("a.tab", "x,y\n")) == TableFormat::Tsv);
    QVERIFY(detect_table_format(write("a.jsonl", "x,y\n")) == TableFormat::Jsonl);
    QVERIFY(detect_table_format(write("a.ndjson", "x,y\n")) == TableFormat::Jsonl);
    QVERIFY(detect_table_format("/no/such/dir/file.csv") == TableFormat::Csv);
}

void TstTableFormat::detect_by_content() {
    QVERIFY(detect_table_format(write("j.txt", "\xEF\xBB\xBF  {\"a\":1}\n")) == TableFormat::Jsonl);
    QVERIFY(detect_table_format(write("t.txt", "text\tlabel\nhi, there\tpos\n")) ==
            TableFormat::Tsv);
    QVERIFY(detect_table_format(write("c.txt", "text,label\nhi\tthere,pos\n")) == TableFormat::Csv);
    // A tab inside a quoted header name does not make it TSV.
    QVERIFY(detect_table_format(write("q.data", "\"a\tb\",c\n1,2\n")) == TableFormat::Csv);
    QVERIFY(detect_table_format(write("noext", "one\n")) == TableFormat::Csv);
    QVERIFY(detect_table_format(write("lines.json", "{\"a\":1}\n{\"a\":2}\n")) ==
            TableFormat::Jsonl);
}

void TstTableFormat::detect_errors() {
    try {
        detect_table_format(write("array.json", "[{\"a\":1}]"));
        QFAIL("expected a tb::Error");
    } catch (const tb::Error& e) {
        QVERIFY(e.message().find("JSON Lines") != std::string::npos);
    }
    try {
        detect_table_format(dir_.path().toStdString() + "/missing.txt");
        QFAIL("expected a tb::Error");
    } catch (const tb::Error& e) {
        QCOMPARE(e.where().file, dir_.path().toStdString() + "/missing.txt");
    }
    try {
        detect_table_format(dir_.path().toStdString());
        QFAIL("expected a tb::Error");
    } catch (const tb::Error& e) {
        QVERIFY(e.message().find("folder") != std::string::npos);
    }
}

void TstTableFormat::auto_format_in_parse_table() {
    QVERIFY(parse_table("a\tb\n1\t2\n", TableFormat::Auto, "mem").format == TableFormat::Tsv);
    QVERIFY(parse_table("{\"a\":1}", TableFormat::Auto, "mem").format == TableFormat::Jsonl);
    QVERIFY(parse_table("a,b\n", TableFormat::Auto, "mem").format == TableFormat::Csv);
    // The source's extension wins over the content.
    QVERIFY(parse_table("a\tb\n", TableFormat::Auto, "x.csv").format == TableFormat::Csv);
    const Table table = tb::data::read_table(write("auto.txt", "a\tb\n1\t2\n"));
    QVERIFY(table.format == TableFormat::Tsv);
    QCOMPARE(table.rows.size(), std::size_t{1});
}

void TstTableFormat::column_index() {
    const Table table = parse_table("text,Label,  score \n", TableFormat::Csv, "cols.csv");
    QCOMPARE(table.column_index("text"), std::size_t{0});
    QCOMPARE(table.column_index("  score "), std::size_t{2});
    try {
        table.column_index("label");
        QFAIL("expected a tb::Error");
    } catch (const tb::Error& e) {
        QCOMPARE(e.where().file, std::string("cols.csv"));
        const std::string message = e.message();
        QVERIFY2(message.find("no column named 'label'") != std::string::npos, e.what());
        QVERIFY2(message.find("did you mean 'Label'") != std::string::npos, e.what());
        QVERIFY2(message.find("'text', 'Label', '  score '") != std::string::npos, e.what());
    }
    try {
        table.column_index("score");
        QFAIL("expected a tb::Error");
    } catch (const tb::Error& e) {
        QVERIFY2(e.message().find("did you mean '  score '") != std::string::npos, e.what());
    }
    try {
        table.column_index("nothing");
        QFAIL("expected a tb::Error");
    } catch (const tb::Error& e) {
        QVERIFY2(e.message().find("did you mean") == std::string::npos, e.what());
    }
}

QTEST_APPLESS_MAIN(TstTableFormat)
#include "tst_table_format.moc"
