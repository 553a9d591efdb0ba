// Writing tables back (CSV/TSV/JSONL) reads back the same cells, and new dataset versions get
// fresh names next to the original without ever replacing an existing file.
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <string>
#include <vector>

#include "common/error.h"
#include "data/table.h"
#include "data/table_writer.h"

using tb::data::format_table;
using tb::data::next_version_path;
using tb::data::parse_table;
using tb::data::Table;
using tb::data::TableFormat;

class TstTableWriter : public QObject {
    Q_OBJECT

private slots:
    void round_trip_data();
    void round_trip();
    void csv_quoting_is_minimal();
    void version_names();
    void never_overwrites();
};

namespace {

Table tricky_table() {
    Table t;
    t.source = "mem";
    t.columns = {"text", "label", "备注"};
    t.rows = {{"plain", "pos", ""},
              {"Hello, world", "neg", "逗号，"},
              {"She said \"hi\"", "pos", "x"},
              {"line one\nline two", "neg", "y"},
              {"tab\there", "pos", "\"starts with quote"},
              {"中文文本", "正面", "z"}};
    return t;
}

}  // namespace

void TstTableWriter::round_trip_data() {
    QTest::addColumn<int>("format");
    QTest::newRow("csv") << int(TableFormat::Csv);
    QTest::newRow("tsv") << int(TableFormat::Tsv);
    QTest::newRow("jsonl") << int(TableFormat::Jsonl);
}

void TstTableWriter::round_trip() {
    QFETCH(int, format);
    const Table original = tricky_table();
    const std::string text = format_table(original, TableFormat(format));
    const Table back = parse_table(text, TableFormat(format), "written");
    QCOMPARE(back.columns, original.columns);
    QCOMPARE(back.rows.size(), original.rows.size());
    for (std::size_t i = 0; i < original.rows.size(); ++i)
        QCOMPARE(back.rows[i], original.rows[i]);
}

void TstTableWriter::csv_quoting_is_minimal() {
    Table t;
    t.columns = {"a", "b"};
    t.rows = {{"x", "y,z"}, {"q\"q", ""}};
    t.format = TableFormat::Csv;
    QCOMPARE(format_table(t), std::string("a,b\nx,\"y,z\"\n\"q\"\"q\",\n"));
}

void TstTableWriter::version_names() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string base = dir.path().toStdString();
    QCOMPARE(next_version_path(base + "/data.csv"), base + "/data.v2.csv");
    std::ofstream(base + "/data.v2.csv") << "x\n";
    QCOMPARE(next_version_path(base + "/data.csv"), base + "/data.v3.csv");
    QCOMPARE(next_version_path(base + "/data.v2.csv"), base + "/data.v3.csv");
    QCOMPARE(next_version_path(base + "/data.v9.jsonl"), base + "/data.v10.jsonl");
    QCOMPARE(next_version_path(base + "/my.vote.csv"), base + "/my.vote.v2.csv");
    QCOMPARE(next_version_path(base + "/noext"), base + "/noext.v2");
}

void TstTableWriter::never_overwrites() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.path().toStdString() + "/taken.csv";
    std::ofstream(path) << "original\n";
    Table t = tricky_table();
    t.format = TableFormat::Csv;
    QVERIFY_THROWS_EXCEPTION(tb::Error, tb::data::write_new_table_file(t, path));
    std::ifstream in(path);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    QCOMPARE(content, std::string("original\n"));

    const std::string fresh = dir.path().toStdString() + "/fresh.csv";
    tb::data::write_new_table_file(t, fresh);
    const Table back = tb::data::read_table(fresh);
    QCOMPARE(back.rows.size(), t.rows.size());
    QCOMPARE(back.rows[5][1], std::string("正面"));
}

QTEST_MAIN(TstTableWriter)
#include "tst_table_writer.moc"
