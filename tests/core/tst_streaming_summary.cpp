// Streaming summary of a row index: equal to the in-memory path (read_table +
// build_text_dataset / build_multilabel_*, find_duplicates, find_rare_labels) on the fixtures and
// on generated files, across chunk boundaries; cancel; token counter; and the memory bound on a
// generated 50 MB file (peak RSS growth, /proc/self/status VmHWM).
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <random>
#include <string>

#include "common/error.h"
#include "data/dataset_checks.h"
#include "data/multilabel_dataset.h"
#include "data/row_index.h"
#include "data/streaming_summary.h"
#include "data/table.h"
#include "data/text_dataset.h"

using namespace tb::data;

namespace {

std::string fixture(const std::string& name) {
    return std::string(TB_FIXTURES_DIR "/") + name;
}

// Peak resident set size of this process in KiB (VmHWM), 0 if unknown.
long peak_rss_kib() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0)
            return std::stol(line.substr(6));
    return 0;
}

std::string describe(const DataProblem& p) {
    return p.kind + "@" + std::to_string(p.line) + ":" + std::to_string(p.column) + " " + p.message;
}

bool same_problems(const std::vector<DataProblem>& a, const std::vector<DataProblem>& b) {
    if (a.size() != b.size()) {
        qWarning("problem counts differ: %zu vs %zu", a.size(), b.size());
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (describe(a[i]) != describe(b[i]) || a[i].file != b[i].file) {
            qWarning("problem %zu differs:\n  %s\n  %s", i, describe(a[i]).c_str(),
                     describe(b[i]).c_str());
            return false;
        }
    }
    return true;
}

// The in-memory path's warnings: duplicates, then rare labels, stable-sorted by line.
std::vector<DataProblem> in_memory_warnings(const TextDataset& ds, std::size_t rare_min) {
    std::vector<DataProblem> out = find_duplicates(ds);
    for (auto& p : find_rare_labels(ds, rare_min))
        out.push_back(p);
    std::stable_sort(out.begin(), out.end(),
                     [](const DataProblem& a, const DataProblem& b) { return a.line < b.line; });
    return out;
}

// Compares the summary of `path` against the in-memory path for several chunk sizes.
void check_single_label(const std::string& path, const TextColumns& columns, LabelOrder order,
                        std::size_t rare_min = 5) {
    const Table table = read_table(path);
    const TextDataset ds = build_text_dataset(table, columns, order);
    const auto warnings = in_memory_warnings(ds, rare_min);
    const RowIndex index = build_row_index(path);
    for (std::size_t chunk : {std::size_t(1), std::size_t(3), std::size_t(4096)}) {
        StreamingSummaryOptions options;
        options.columns = columns;
        options.order = order;
        options.rare_min = rare_min;
        options.chunk_rows = chunk;
        options.read_ahead = chunk == 3 ? 2 : chunk == 1 ? 1 : 0;  // threads or not: same result
        const StreamingSummary s = summarize_rows(index, options);
        QCOMPARE(s.rows, table.rows.size());
        QCOMPARE(s.examples, ds.examples.size());
        QCOMPARE(s.labels.names(), ds.labels.names());
        QVERIFY(same_problems(s.problems, ds.problems));
        QCOMPARE(s.problem_count, ds.problems.size());
        QVERIFY(same_problems(s.warnings, warnings));
        QCOMPARE(s.example_labels, ds.label_ids());
        for (std::size_t i = 0; i < ds.examples.size(); ++i) {
            QCOMPARE(long(index.lines[s.example_rows[i]]), ds.examples[i].line);
            QCOMPARE(std::size_t(s.example_rows[i]), ds.examples[i].row);
        }
        std::vector<std::size_t> counts(std::size_t(ds.labels.size()), 0);
        for (int l : ds.label_ids())
            ++counts[std::size_t(l)];
        QCOMPARE(s.class_counts, counts);
        QCOMPARE(s.lengths.size(), ds.examples.size());
        QVERIFY(!s.lengths_in_tokens);
    }
}

}  // namespace

class TestStreamingSummary : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void fixturesEqualInMemory();
    void problemsAcrossChunks();
    void multiLabelEqualsInMemory();
    void splitColumnAndCharLengths();
    void tokenCounterAndCancel();
    void unknownColumnThrows();
    void memoryBoundOnLargeFile();

private:
    std::string write(const std::string& name, const std::string& text) {
        const std::string path = m_dir.filePath(QString::fromStdString(name)).toStdString();
        std::ofstream(path, std::ios::binary) << text;
        return path;
    }
    QTemporaryDir m_dir;
};

void TestStreamingSummary::fixturesEqualInMemory() {
    check_single_label(fixture("e2e/tiny_sentiment.csv"), TextColumns{"text", "", "label"},
                       LabelOrder::FirstSeen);
    check_single_label(fixture("data/reviews.tsv"), TextColumns{"sentence", "", "label"},
                       LabelOrder::Sorted);
    check_single_label(fixture("data/reviews_zh.csv"), TextColumns{"评论", "", "情感"},
                       LabelOrder::FirstSeen, 2);
    check_single_label(fixture("data/intents.jsonl"), TextColumns{"text", "", "intent"},
                       LabelOrder::Sorted);
    check_single_label(fixture("bad/split_unknown.csv"), TextColumns{"text", "", "label"},
                       LabelOrder::FirstSeen);
}

void TestStreamingSummary::problemsAcrossChunks() {
    // Empty texts, missing labels, exact and conflicting duplicates (also a pair text), a rare
    // label, quoted line breaks, CRLF: every problem at its file line.
    std::string csv = "text,pair,label\r\n";
    std::mt19937 engine(3);
    for (int i = 0; i < 300; ++i) {
        std::string text = "text " + std::to_string(engine() % 120);
        if (i % 37 == 5)
            text.clear();
        if (i % 53 == 7)
            text = "\"two\nlines " + std::to_string(i % 3) + "\"";
        std::string label = i % 41 == 9 ? "" : (i % 3 ? "pos" : "neg");
        if (i == 250)
            label = "rare";
        csv += text + ",p" + std::to_string(i % 2) + "," + label + "\r\n";
    }
    const std::string path = write("problems.csv", csv);
    check_single_label(path, TextColumns{"text", "", "label"}, LabelOrder::Sorted);
    check_single_label(path, TextColumns{"text", "pair", "label"}, LabelOrder::FirstSeen, 3);

    // The capped list keeps the first problems; the totals count all.
    StreamingSummaryOptions options;
    options.max_listed_problems = 2;
    options.chunk_rows = 16;
    const StreamingSummary s = summarize_rows(build_row_index(path), options);
    QCOMPARE(s.problems.size(), std::size_t(2));
    QVERIFY(s.problem_count > 2);
    QCOMPARE(s.problem_count, s.empty_text + s.missing_label + s.other_invalid);
    QVERIFY(s.duplicates > 2);
    QCOMPARE(s.warnings.size(), std::size_t(2));
}

void TestStreamingSummary::multiLabelEqualsInMemory() {
    std::string csv = "text,tags,a,b,c\n";
    const char* sets[] = {"b|a", "c", "", "a; b", "c|a|b", "b"};
    for (int i = 0; i < 50; ++i)
        csv += (i % 11 == 4 ? std::string() : "t" + std::to_string(i)) + "," + sets[i % 6] + "," +
               std::to_string(i % 2) + "," + (i == 17 ? "maybe" : std::to_string(i % 3 == 0)) +
               ",1\n";
    const std::string path = write("multi.csv", csv);
    const Table table = read_table(path);
    const RowIndex index = build_row_index(path);
    for (LabelOrder order : {LabelOrder::FirstSeen, LabelOrder::Sorted}) {
        const MultiLabelDataset ds = build_multilabel_dataset(table, "text", "tags", "|", order);
        StreamingSummaryOptions options;
        options.columns = TextColumns{"text", "", "tags"};
        options.multi_label = true;
        options.order = order;
        options.chunk_rows = 4;
        const StreamingSummary s = summarize_rows(index, options);
        QCOMPARE(s.labels.names(), ds.labels.names());
        QVERIFY(same_problems(s.problems, ds.problems));
        QCOMPARE(s.examples, ds.examples.size());
        QCOMPARE(s.class_counts, ds.label_counts());
        for (std::size_t i = 0; i < ds.examples.size(); ++i)
            QCOMPARE(s.labels_of(i), ds.examples[i].labels);
        QCOMPARE(s.duplicates, std::size_t(0));
    }
    // 0/1 columns.
    const MultiLabelDataset flags = build_multilabel_from_columns(table, "text", {"c", "b", "a"});
    StreamingSummaryOptions options;
    options.columns.text = "text";
    options.multi_label = true;
    options.label_columns = {"c", "b", "a"};
    options.chunk_rows = 7;
    const StreamingSummary s = summarize_rows(index, options);
    QCOMPARE(s.labels.names(), flags.labels.names());
    QVERIFY(same_problems(s.problems, flags.problems));
    QCOMPARE(s.class_counts, flags.label_counts());
    for (std::size_t i = 0; i < flags.examples.size(); ++i)
        QCOMPARE(s.labels_of(i), flags.examples[i].labels);
}

void TestStreamingSummary::splitColumnAndCharLengths() {
    const std::string path = fixture("bad/split_unknown.csv");
    const Table table = read_table(path);
    const TextDataset ds = build_text_dataset(table, "text", "label", LabelOrder::FirstSeen);
    std::vector<DataProblem> unknown;
    const SplitIndices split = split_from_column(table, "split", ds, &unknown);
    StreamingSummaryOptions options;
    options.split_column = "split";
    options.chunk_rows = 1;
    const StreamingSummary s = summarize_rows(build_row_index(path), options);
    std::vector<DataProblem> expected = ds.problems;
    expected.insert(expected.end(), unknown.begin(), unknown.end());
    QVERIFY(same_problems(s.problems, expected));
    QCOMPARE(s.example_split.size(), ds.examples.size());
    const std::vector<std::size_t>* parts[3] = {&split.train, &split.dev, &split.test};
    for (std::uint8_t p = 0; p < 3; ++p)
        for (std::size_t i : *parts[p])
            QCOMPARE(s.example_split[i], p);

    // Characters, not bytes: Chinese text counts one per character.
    const std::string zh = write("zh.csv", "text,label\n电影很好,正面\nok,负面\n");
    const StreamingSummary z = summarize_rows(build_row_index(zh), StreamingSummaryOptions{});
    QCOMPARE(z.lengths, (std::vector<int>{4, 2}));
    QCOMPARE(z.min_chars, std::size_t(2));
    QCOMPARE(z.max_chars, std::size_t(4));
    QCOMPARE(z.mean_chars, 3.0);

    // Texts of every length up to 40 mixing 1- to 4-byte characters (the count goes eight
    // bytes at a time): the characters as decoded one by one.
    std::string csv = "text,label\n";
    std::vector<int> expected_chars;
    const char* const pieces[] = {"a", "é", "中", "😀"};
    for (int n = 1; n <= 40; ++n) {
        std::string text;
        for (int k = 0; k < n; ++k)
            text += pieces[(n * 7 + k * 3) % 4];
        csv += text + ",x\n";
        expected_chars.push_back(n);
    }
    const std::string mixed = write("mixed.csv", csv);
    QCOMPARE(summarize_rows(build_row_index(mixed), StreamingSummaryOptions{}).lengths,
             expected_chars);
}

void TestStreamingSummary::tokenCounterAndCancel() {
    const std::string path = fixture("e2e/tiny_sentiment.csv");
    const RowIndex index = build_row_index(path);
    StreamingSummaryOptions options;
    options.chunk_rows = 50;
    std::size_t calls = 0;
    options.count_tokens = [&](const std::vector<std::string>& texts) {
        ++calls;
        std::vector<int> counts;
        for (const auto& t : texts)
            counts.push_back(int(std::count(t.begin(), t.end(), ' ')) + 3);
        return counts;
    };
    const StreamingSummary s = summarize_rows(index, options);
    QVERIFY(s.lengths_in_tokens);
    QCOMPARE(calls, std::size_t(3));  // 120 rows in chunks of 50
    const TextDataset ds =
        build_text_dataset(read_table(path), "text", "label", LabelOrder::FirstSeen);
    QCOMPARE(s.lengths.size(), ds.examples.size());
    for (std::size_t i = 0; i < ds.examples.size(); ++i) {
        const auto& t = ds.examples[i].text;
        QCOMPARE(s.lengths[i], int(std::count(t.begin(), t.end(), ' ')) + 3);
    }

    std::vector<std::size_t> seen;
    const StreamingSummary cancelled =
        summarize_rows(index, options, [&](std::size_t done, std::size_t total) {
            seen.push_back(done);
            return total == 120 && done < 100;
        });
    QVERIFY(cancelled.cancelled);
    QCOMPARE(seen, (std::vector<std::size_t>{50, 100}));
    QCOMPARE(cancelled.rows, std::size_t(100));
}

void TestStreamingSummary::unknownColumnThrows() {
    const RowIndex index = build_row_index(fixture("e2e/tiny_sentiment.csv"));
    StreamingSummaryOptions options;
    options.columns.label = "labl";
    try {
        summarize_rows(index, options);
        QFAIL("expected an error");
    } catch (const tb::Error& e) {
        QVERIFY2(std::string(e.what()).find("labl") != std::string::npos, e.what());
    }
    // Header only: the columns are still checked, and nothing is counted.
    const RowIndex header = build_row_index(write("header.csv", "text,label\n"));
    const StreamingSummary s = summarize_rows(header, StreamingSummaryOptions{});
    QCOMPARE(s.rows, std::size_t(0));
    options.columns.label = "nope";
    QVERIFY_THROWS_EXCEPTION(tb::Error, summarize_rows(header, options));
}

void TestStreamingSummary::memoryBoundOnLargeFile() {
    // ~50 MB of 100-300 byte rows: the summary must not hold the rows. Generated in 1 MB blocks
    // so that generating does not raise the peak either.
    const std::string path = m_dir.filePath(QStringLiteral("large.csv")).toStdString();
    std::size_t rows = 0;
    {
        std::ofstream out(path, std::ios::binary);
        out << "text,label\n";
        std::mt19937_64 engine(11);
        std::string block;
        std::size_t written = 0;
        while (written < (std::size_t(50) << 20)) {
            block.clear();
            while (block.size() < (std::size_t(1) << 20)) {
                block += "\"review " + std::to_string(rows) + " with a longish text, and a quote";
                block += std::string(engine() % 200, 'x') + "\"," + (engine() % 3 ? "pos" : "neg") +
                         "\n";
                ++rows;
            }
            out << block;
            written += block.size();
        }
    }
    const long before = peak_rss_kib();
    if (before == 0)
        QSKIP("/proc/self/status has no VmHWM here");
    const RowIndex index = build_row_index(path);
    StreamingSummaryOptions options;
    const StreamingSummary s = summarize_rows(index, options);
    QCOMPARE(s.rows, rows);
    QCOMPARE(s.examples, rows);
    QCOMPARE(s.class_counts[0] + s.class_counts[1], rows);
    const double file_mb = double(index.file_size) / double(1 << 20);
    const double growth_mb = double(peak_rss_kib() - before) / 1024.0;
    const double estimate_mb = double(streaming_memory_estimate(index)) / double(1 << 20);
    qInfo("file %.1f MiB, %zu rows; peak RSS growth %.1f MiB; stated estimate %.1f MiB", file_mb,
          rows, growth_mb, estimate_mb);
    // Generous (allocator slack; a read-ahead thread adds its malloc arena): rows x 40 B is ~13 MiB
    // here; holding the file would be 50+ MiB, its parsed cells far more.
    QVERIFY2(growth_mb < file_mb * 0.6, qPrintable(QString::number(growth_mb)));
    QVERIFY(estimate_mb < file_mb / 2.0);
}

QTEST_APPLESS_MAIN(TestStreamingSummary)
#include "tst_streaming_summary.moc"
