// inspect of text and multi-label tables in one streaming pass gives the JSON of the whole-file
// path (apart from its memory figure) on valid files of every table format and on the
// malformed ones of tests/fixtures/bad: same counts, labels, warnings, split counts, masked
// counts, and the same problems or error at the same file, line and column.
#include <QtTest>

#include <fstream>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "data/dataset_inspect.h"
#include "data/dataset_inspect_streaming.h"

using tb::data::inspect_dataset;
using tb::data::InspectRequest;

namespace {

std::string fixture(const std::string& name) {
    return std::string(TB_FIXTURES_DIR) + "/" + name;
}

// Request for `path` with the columns `configure` sets.
InspectRequest request(const std::string& path,
                       const std::function<void(InspectRequest&)>& configure) {
    InspectRequest r;
    r.path = path;
    if (configure)
        configure(r);
    return r;
}

}  // namespace

class TstDatasetInspectStreaming : public QObject {
    Q_OBJECT

private slots:
    void same_json_as_whole_file_data();
    void same_json_as_whole_file();
    void large_files_stream_by_default();
    void problems_beyond_the_listing_are_counted();
};

void TstDatasetInspectStreaming::same_json_as_whole_file_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("setup");
    auto row = [](const char* name, const std::string& path, int setup) {
        QTest::newRow(name) << QString::fromStdString(path) << setup;
    };
    // setup: 0 table only, 1 text+label columns, 2 pair, 3 multi-label separator,
    // 4 multi-label 0/1 columns, 5 split column, 6 Chinese columns + de-identification
    row("tsv table only", fixture("data/reviews.tsv"), 0);
    row("tsv", fixture("data/reviews.tsv"), 1);
    row("chinese bom", fixture("data/reviews_zh.csv"), 6);
    row("jsonl", fixture("data/intents.jsonl"), 1);
    row("pairs", fixture("data/tasks/pairs.csv"), 2);
    row("multi-label", fixture("data/tasks/topics_multilabel.csv"), 3);
    row("ragged", fixture("bad/csv_ragged.csv"), 1);
    row("header only", fixture("bad/csv_header_only.csv"), 1);
    row("empty", fixture("bad/csv_empty.csv"), 1);
    row("unterminated quote", fixture("bad/csv_unterminated_quote.csv"), 1);
    row("latin1", fixture("bad/csv_latin1.csv"), 1);
    row("nul byte", fixture("bad/csv_nul_byte.csv"), 1);
    row("utf32", fixture("bad/csv_utf32_bom.csv"), 1);
    row("utf16 read whole", fixture("data/utf16le.csv"), 1);
    row("utf16 unpaired surrogate", fixture("bad/csv_utf16_unpaired_surrogate.csv"), 1);
    row("split unknown", fixture("bad/split_unknown.csv"), 5);
    row("bad 0/1 flag", fixture("bad/multilabel_bad_flag.csv"), 4);
    row("multi-label empty text", fixture("bad/multilabel_empty_text.csv"), 3);
    row("bad json", fixture("bad/jsonl_bad_json.jsonl"), 1);
    row("label text", fixture("bad/label_text_no_tab.txt"), 1);
    row("unknown column", fixture("data/reviews.tsv"), 5);
}

void TstDatasetInspectStreaming::same_json_as_whole_file() {
    QFETCH(QString, path);
    QFETCH(int, setup);
    const InspectRequest base = request(path.toStdString(), [&](InspectRequest& r) {
        const bool jsonl = path.endsWith(".jsonl");
        const bool label_text = path.endsWith(".txt");
        if (setup == 1 || setup == 5) {
            r.text_column = path.endsWith(".tsv") ? "sentence" : "text";
            r.label_column = jsonl ? "label" : "label";
            if (path.contains("intents"))
                r.label_column = "intent";
            if (label_text) {
                r.format = "label_text";
                r.text_column = "text";
            }
        }
        if (setup == 2) {
            r.text_column = "text";
            r.text_pair_column = "text_b";
            r.label_column = "label";
        }
        if (setup == 3) {
            r.task = "multi_label";
            r.text_column = "text";
            r.label_column = path.contains("empty") ? "tags" : "labels";
            r.label_separator = "|";
        }
        if (setup == 4) {
            r.task = "multi_label";
            r.text_column = "text";
            r.label_columns = {"a", "b"};
        }
        if (setup == 5)
            r.split_column = "split";
        if (setup == 6) {
            r.text_column = "评论";
            r.label_column = "情感";
            r.deidentify = true;
            r.min_examples_per_label = 3;
        }
    });
    InspectRequest whole = base;
    whole.stream_above_bytes = UINT64_MAX;
    InspectRequest streamed = base;
    streamed.stream_above_bytes = 0;
    const nlohmann::json expected = inspect_dataset(whole);
    nlohmann::json got = inspect_dataset(streamed);
    const bool parsed = expected.contains("format");  // else a fatal error, read before streaming
    // UTF-16 files are converted in memory, never streamed.
    if (parsed && path.contains("utf16le")) {
        QVERIFY(!got.contains("memory_bytes"));
    } else if (parsed) {
        QVERIFY2(got.contains("memory_bytes"), got.dump(2).c_str());
        QVERIFY(got["memory_bytes"].get<std::size_t>() > 0 || got["rows"].get<std::size_t>() == 0);
        got.erase("memory_bytes");
    }
    QVERIFY2(got == expected,
             ("whole file:\n" + expected.dump(2) + "\nstreamed:\n" + got.dump(2)).c_str());
}

// A table over the threshold streams; under it, it is read whole (no memory figure).
void TstDatasetInspectStreaming::large_files_stream_by_default() {
    QTemporaryDir tmp;
    const std::string path = tmp.path().toStdString() + "/big.csv";
    {
        std::ofstream out(path);
        out << "text,label\n";
        for (int i = 0; i < 20000; ++i)
            out << "row number " << i << " of a longer file," << (i % 3 == 0 ? "a" : "b") << "\n";
    }
    InspectRequest r;
    r.path = path;
    r.text_column = "text";
    r.label_column = "label";
    r.stream_above_bytes = 100000;
    const auto streamed = inspect_dataset(r);
    QVERIFY(streamed.contains("memory_bytes"));
    QCOMPARE(streamed["examples"].get<int>(), 20000);
    QCOMPARE(streamed["labels"][0]["count"].get<int>(), 6667);
    r.stream_above_bytes = 10u << 20;
    QVERIFY(!inspect_dataset(r).contains("memory_bytes"));
    // Regression is always read whole.
    r.task = "regression";
    r.stream_above_bytes = 0;
    QVERIFY(!inspect_dataset(r).contains("memory_bytes"));
}

// Only `max_listed` problems are listed; problems_total counts every one, and "ok" is false.
void TstDatasetInspectStreaming::problems_beyond_the_listing_are_counted() {
    QTemporaryDir tmp;
    const std::string path = tmp.path().toStdString() + "/empty_texts.csv";
    {
        std::ofstream out(path);
        out << "text,label\n";
        for (int i = 0; i < 30; ++i)
            out << (i % 2 == 0 ? "" : "some text") << ",a\n";
    }
    InspectRequest r;
    r.path = path;
    r.text_column = "text";
    r.label_column = "label";
    const auto out = tb::data::inspect_table_streaming(r, "text_classification", 10);
    QCOMPARE(out["problems"].size(), std::size_t{10});
    QCOMPARE(out["problems"][9]["line"].get<int>(), 20);
    QCOMPARE(out["problems_total"].get<int>(), 15);
    QCOMPARE(out["examples"].get<int>(), 15);
    QVERIFY(!out["ok"].get<bool>());
}

QTEST_APPLESS_MAIN(TstDatasetInspectStreaming)
#include "tst_dataset_inspect_streaming.moc"
