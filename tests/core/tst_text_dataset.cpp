// build_text_dataset: examples from chosen columns, label maps, and every skipped row reported
// as a problem with its line and 1-based column.
#include <QtTest>

#include <string>
#include <vector>

#include "common/error.h"
#include "data/table.h"
#include "data/text_dataset.h"

using tb::data::build_text_dataset;
using tb::data::LabelMap;
using tb::data::LabelOrder;
using tb::data::parse_table;
using tb::data::Table;
using tb::data::TableFormat;
using tb::data::TextDataset;

class TstTextDataset : public QObject {
    Q_OBJECT

private slots:
    void examples_keep_source_lines();
    void problems_are_reported();
    void unicode_whitespace_is_empty();
    void given_label_map();
    void label_whitespace_is_trimmed();
    void bad_columns_throw();
};

void TstTextDataset::examples_keep_source_lines() {
    const Table table =
        parse_table("id,text,label\n1,good film,pos\n2,\"multi\nline\",neg\n3,fine,pos\n",
                    TableFormat::Csv, "d.csv");
    const TextDataset data = build_text_dataset(table, "text", "label", LabelOrder::Sorted);
    QCOMPARE(data.source, std::string("d.csv"));
    QCOMPARE(data.text_column, std::string("text"));
    QCOMPARE(data.label_column, std::string("label"));
    QCOMPARE(data.labels.names(), (std::vector<std::string>{"neg", "pos"}));
    QCOMPARE(data.examples.size(), std::size_t{3});
    QCOMPARE(data.examples[1].text, std::string("multi\nline"));
    QCOMPARE(data.examples[1].label, 0);
    QCOMPARE(data.examples[2].line, 5L);
    QCOMPARE(data.label_ids(), (std::vector<int>{1, 0, 1}));
    QVERIFY(data.problems.empty());
}

void TstTextDataset::problems_are_reported() {
    const Table table = parse_table(
        "text,label\n"
        "good,pos\n"    // 2
        ",neg\n"        // 3: empty text
        "ok,\n"         // 4: missing label
        "   ,\n"        // 5: both
        "bad,neg\n"     // 6
        "\"\n\",pos\n"  // 7: only a newline
        "hi,neu\n",     // 9
        TableFormat::Csv, "p.csv");
    const TextDataset data = build_text_dataset(table, "text", "label", LabelOrder::FirstSeen);
    QCOMPARE(data.examples.size(), std::size_t{3});
    QCOMPARE(data.labels.names(), (std::vector<std::string>{"pos", "neg", "neu"}));
    QCOMPARE(data.problems.size(), std::size_t{5});
    struct Expected {
        const char* kind;
        long line;
        long column;
    };
    const Expected expected[] = {{"empty_text", 3, 1},
                                 {"missing_label", 4, 2},
                                 {"empty_text", 5, 1},
                                 {"missing_label", 5, 2},
                                 {"empty_text", 7, 1}};
    for (std::size_t i = 0; i < data.problems.size(); ++i) {
        QCOMPARE(data.problems[i].kind, std::string(expected[i].kind));
        QCOMPARE(data.problems[i].line, expected[i].line);
        QCOMPARE(data.problems[i].column, expected[i].column);
        QCOMPARE(data.problems[i].file, std::string("p.csv"));
        QVERIFY(!data.problems[i].message.empty());
    }
    QVERIFY(data.problems[0].message.find("'text'") != std::string::npos);
    QVERIFY(data.problems[1].message.find("'label'") != std::string::npos);
}

void TstTextDataset::unicode_whitespace_is_empty() {
    // U+3000 ideographic space, U+00A0 no-break space, U+200B zero-width space, tab.
    const Table table = parse_table(
        "text\tlabel\n\xE3\x80\x80\xC2\xA0\tpos\n\xE2\x80\x8B \tneg\n\xE3\x80\x80好\tpos\n",
        TableFormat::Tsv, "ws.tsv");
    const TextDataset data = build_text_dataset(table, "text", "label", LabelOrder::FirstSeen);
    QCOMPARE(data.problems.size(), std::size_t{2});
    QCOMPARE(data.problems[0].line, 2L);
    QCOMPARE(data.problems[1].line, 3L);
    QCOMPARE(data.examples.size(), std::size_t{1});
    QCOMPARE(data.examples[0].text, std::string("\xE3\x80\x80好"));  // text is kept as written
}

void TstTextDataset::given_label_map() {
    const LabelMap train_labels(std::vector<std::string>{"neg", "pos"});
    const Table table = parse_table(
        "{\"t\":\"a\",\"y\":\"pos\"}\n{\"t\":\"b\",\"y\":\"meh\"}\n"
        "{\"y\":\"neg\",\"t\":\"c\"}\n{\"t\":\"d\"}\n",
        TableFormat::Jsonl, "dev.jsonl");
    const TextDataset data =
        build_text_dataset(table, "t", "y", LabelOrder::FirstSeen, &train_labels);
    QCOMPARE(data.labels.names(), train_labels.names());  // the given map, not a new one
    QCOMPARE(data.label_ids(), (std::vector<int>{1, 0}));
    QCOMPARE(data.problems.size(), std::size_t{2});
    QCOMPARE(data.problems[0].kind, std::string("unknown_label"));
    QCOMPARE(data.problems[0].line, 2L);
    QCOMPARE(data.problems[0].column, 2L);
    QVERIFY(data.problems[0].message.find("'meh'") != std::string::npos);
    QVERIFY(data.problems[0].message.find("'neg', 'pos'") != std::string::npos);
    QCOMPARE(data.problems[1].kind, std::string("missing_label"));
    QCOMPARE(data.problems[1].line, 4L);

    // An empty map means "build one".
    const LabelMap none;
    const TextDataset built = build_text_dataset(table, "t", "y", LabelOrder::Sorted, &none);
    QCOMPARE(built.labels.names(), (std::vector<std::string>{"meh", "neg", "pos"}));
    QCOMPARE(built.examples.size(), std::size_t{3});
}

void TstTextDataset::label_whitespace_is_trimmed() {
    const Table table =
        parse_table("text,label\na, pos\nb,pos \nc,neg\nd,\xE3\x80\x80正面\xC2\xA0\ne,正面\n",
                    TableFormat::Csv, "t.csv");
    const TextDataset data = build_text_dataset(table, "text", "label", LabelOrder::FirstSeen);
    QCOMPARE(data.labels.names(), (std::vector<std::string>{"pos", "neg", "正面"}));
    QCOMPARE(data.label_ids(), (std::vector<int>{0, 0, 1, 2, 2}));
}

void TstTextDataset::bad_columns_throw() {
    const Table table = parse_table("text,label\na,b\n", TableFormat::Csv, "c.csv");
    try {
        build_text_dataset(table, "sentence", "label", LabelOrder::FirstSeen);
        QFAIL("expected a tb::Error");
    } catch (const tb::Error& e) {
        QCOMPARE(e.where().file, std::string("c.csv"));
        QVERIFY(e.message().find("'sentence'") != std::string::npos);
        QVERIFY(e.message().find("'text', 'label'") != std::string::npos);
    }
    QVERIFY_THROWS_EXCEPTION(tb::Error,
                             build_text_dataset(table, "text", "text", LabelOrder::FirstSeen));
}

QTEST_APPLESS_MAIN(TstTextDataset)
#include "tst_text_dataset.moc"
