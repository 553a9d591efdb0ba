// Streaming row index: rows and lines agree with the in-memory reader for every buffer size
// (so rows, quotes and UTF-8 sequences split across reads are handled), reads by offset keep the
// file's line numbers, progress reaches the file size, cancellation stops, encoding errors say
// where.
#include <QtTest>

#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "common/error.h"
#include "data/row_index.h"
#include "data/table.h"

using namespace tb::data;

namespace {

std::string write_temp(const QTemporaryDir& dir, const std::string& name,
                       const std::string& content) {
    const std::string path = dir.path().toStdString() + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
}

const char* const kCsv =
    "\xEF\xBB\xBFid,文本,label\r\n"
    "1,\"multi\r\nline, with comma\",pos\r\n"
    "\r\n"
    "2,\"he said \"\"hi\"\"\",neg\r\n"
    "3,中文文本很长很长,正面\r\n"
    "4,\"\",neg\n"
    "5,last,pos";

}  // namespace

class TstRowIndex : public QObject {
    Q_OBJECT

private slots:
    void matches_in_memory_reader_data();
    void matches_in_memory_reader();
    void random_files_match_in_memory_reader();
    void reads_any_range();
    void errors_keep_file_lines();
    void progress_and_cancel();
    void encoding_errors_located();
    void empty_and_header_only();
};

void TstRowIndex::matches_in_memory_reader_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("content");
    QTest::newRow("csv") << "a.csv" << QByteArray(kCsv);
    QTest::newRow("tsv") << "a.tsv"
                         << QByteArray("text\tlabel\nsays \"hi\" ok\tpos\n\"quoted\ttab\"\tneg\n");
    QTest::newRow("jsonl") << "a.jsonl"
                           << QByteArray(
                                  "{\"text\": \"好\", \"label\": 1}\n   \n\n"
                                  "{\"text\": \"b\\nc\", \"label\": 0}\r\n{\"x\": 1}");
    QTest::newRow("label_text") << "a.txt" << QByteArray("pos\t好电影\n\nneg\tbad film\n");
}

void TstRowIndex::matches_in_memory_reader() {
    QFETCH(QString, name);
    QFETCH(QByteArray, content);
    QTemporaryDir dir;
    const std::string path = write_temp(dir, name.toStdString(), content.toStdString());
    const TableFormat format = name == "a.txt" ? TableFormat::LabelText : detect_table_format(path);
    const Table expected = read_table(path, format);
    for (std::size_t buffer : {16, 17, 19, 23, 64, 1 << 20}) {
        const RowIndex index = build_row_index(path, format, {}, buffer);
        QCOMPARE(index.format, format);
        QVERIFY(!index.cancelled);
        QCOMPARE(index.rows(), expected.rows.size());
        QCOMPARE(index.data_end, static_cast<std::uint64_t>(content.size()));
        for (std::size_t r = 0; r < index.rows(); ++r)
            QCOMPARE(static_cast<long>(index.lines[r]), expected.row_lines[r]);
        const Table all = read_rows(index, 0, index.rows());
        QCOMPARE(all.rows, expected.rows);
        QCOMPARE(all.row_lines, expected.row_lines);
        if (format != TableFormat::Jsonl)
            QCOMPARE(index.columns, expected.columns);
    }
}

// Seeded random CSV and TSV files whose quotes, separators, line breaks and multi-byte
// characters fall at every position of the indexer's eight-byte steps: same rows and lines as
// the in-memory reader.
void TstRowIndex::random_files_match_in_memory_reader() {
    const std::vector<std::string> pieces = {
        "a", "bc", "defghij", "0123456789abcdef", "中", "é", " ", ",", "\t", "\"", "\n", "\r\n"};
    std::mt19937 engine(7);
    QTemporaryDir dir;
    for (int file = 0; file < 120; ++file) {
        const bool tsv = file % 3 == 2;
        const char separator = tsv ? '\t' : ',';
        std::string content = tsv ? "text\tlabel\n" : "text,label\n";
        const int rows = 1 + int(engine() % 20);
        for (int r = 0; r < rows; ++r) {
            std::string field;
            const int n = int(engine() % 12);
            for (int k = 0; k < n; ++k) {
                const std::string& piece = pieces[engine() % pieces.size()];
                // TSV has no quoting: keep its fields free of tabs, quotes and line breaks.
                if (tsv && (piece == "\t" || piece == "\"" || piece == "\n" || piece == "\r\n"))
                    continue;
                field += piece;
            }
            if (field.empty())
                field = "x";
            if (!tsv) {
                std::string quoted = "\"";
                for (char c : field)
                    quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
                field = quoted + "\"";
            }
            content += field + separator + "l" + std::to_string(r % 3) +
                       (engine() % 4 == 0 ? "\r\n" : "\n");
            if (engine() % 6 == 0)
                content += "\n";  // a blank line between rows
        }
        const std::string path =
            write_temp(dir, "r" + std::to_string(file) + (tsv ? ".tsv" : ".csv"), content);
        const Table expected = read_table(path);
        const RowIndex index = build_row_index(path);
        QCOMPARE(index.rows(), expected.rows.size());
        for (std::size_t r = 0; r < index.rows(); ++r)
            QCOMPARE(static_cast<long>(index.lines[r]), expected.row_lines[r]);
        QCOMPARE(read_rows(index, 0, index.rows()).rows, expected.rows);
    }
}

void TstRowIndex::reads_any_range() {
    QTemporaryDir dir;
    const std::string path = write_temp(dir, "a.csv", kCsv);
    const Table expected = read_table(path);
    const RowIndex index = build_row_index(path);
    QCOMPARE(index.columns, (std::vector<std::string>{"id", "文本", "label"}));
    for (std::size_t first = 0; first < index.rows(); ++first) {
        for (std::size_t count = 1; first + count <= index.rows() + 1; ++count) {
            const Table part = read_rows(index, first, count);
            QCOMPARE(part.columns, expected.columns);
            const std::size_t n = std::min(count, index.rows() - first);
            QCOMPARE(part.rows.size(), n);
            for (std::size_t k = 0; k < n; ++k) {
                QCOMPARE(part.rows[k], expected.rows[first + k]);
                QCOMPARE(part.row_lines[k], expected.row_lines[first + k]);
            }
        }
    }
    QVERIFY(read_rows(index, 99, 5).rows.empty());
}

void TstRowIndex::errors_keep_file_lines() {
    QTemporaryDir dir;
    const std::string path = write_temp(dir, "r.csv", "a,b\n1,2\n\n3,4\n5,6,7\n8,9\n");
    const RowIndex index = build_row_index(path);
    QCOMPARE(index.rows(), std::size_t{4});
    QCOMPARE(read_rows(index, 0, 2).rows.size(), std::size_t{2});  // rows before it read fine
    try {
        read_rows(index, 1, 2);
        QFAIL("expected tb::Error");
    } catch (const tb::Error& e) {
        QCOMPARE(e.where().file, path);
        QCOMPARE(e.where().line, 5L);  // the ragged row's line in the file
    }
}

void TstRowIndex::progress_and_cancel() {
    QTemporaryDir dir;
    std::string content = "text,label\n";
    for (int i = 0; i < 2000; ++i)
        content += "row number " + std::to_string(i) + ",x\n";
    const std::string path = write_temp(dir, "p.csv", content);
    std::vector<std::uint64_t> seen;
    const RowIndex index = build_row_index(
        path, TableFormat::Auto,
        [&](std::uint64_t done, std::uint64_t total) {
            seen.push_back(done);
            return total == content.size();
        },
        4096);
    QCOMPARE(index.rows(), std::size_t{2000});
    QVERIFY(seen.size() >= content.size() / 4096);
    QCOMPARE(seen.back(), static_cast<std::uint64_t>(content.size()));
    for (std::size_t i = 1; i < seen.size(); ++i)
        QVERIFY(seen[i] >= seen[i - 1]);
    int calls = 0;
    const RowIndex stopped = build_row_index(
        path, TableFormat::Auto, [&](std::uint64_t, std::uint64_t) { return ++calls < 2; }, 4096);
    QVERIFY(stopped.cancelled);
    QCOMPARE(calls, 2);
    QVERIFY(stopped.rows() < 2000);
}

void TstRowIndex::encoding_errors_located() {
    QTemporaryDir dir;
    const std::string bad = write_temp(dir, "b.csv", "text,label\n好,pos\nab\xC3(,neg\n");
    try {
        build_row_index(bad, TableFormat::Auto, {}, 16);
        QFAIL("expected tb::Error");
    } catch (const tb::Error& e) {
        QCOMPARE(e.where().line, 3L);
        QCOMPARE(e.where().column, 3L);
        QVERIFY(e.message().find("byte offset 21") != std::string::npos);
    }
    const std::string utf16 = write_temp(dir, "u.csv", std::string("\xFF\xFEt\0e\0", 6));
    try {
        build_row_index(utf16);
        QFAIL("expected tb::Error");
    } catch (const tb::Error& e) {
        QVERIFY(e.message().find("UTF-16") != std::string::npos);
    }
    const std::string nul = write_temp(dir, "n.csv", std::string("a,b\n1,\0\n", 8));
    QVERIFY_THROWS_EXCEPTION(tb::Error, build_row_index(nul));
    const std::string cut = write_temp(dir, "c.csv", "a,b\n1,\xE4\xB8");
    QVERIFY_THROWS_EXCEPTION(tb::Error, build_row_index(cut));
}

void TstRowIndex::empty_and_header_only() {
    QTemporaryDir dir;
    QVERIFY_THROWS_EXCEPTION(tb::Error, build_row_index(write_temp(dir, "e.csv", "")));
    const RowIndex header = build_row_index(write_temp(dir, "h.csv", "text,label\n"));
    QCOMPARE(header.rows(), std::size_t{0});
    QCOMPARE(header.columns, (std::vector<std::string>{"text", "label"}));
    QVERIFY_THROWS_EXCEPTION(tb::Error, build_row_index(dir.path().toStdString()));
}

QTEST_MAIN(TstRowIndex)
#include "tst_row_index.moc"
