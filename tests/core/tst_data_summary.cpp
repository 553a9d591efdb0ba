// summarize() and error_to_json(): the JSON shape `tunebench-cli inspect` prints.
#include <QtTest>

#include <nlohmann/json.hpp>

#include <string>

#include "common/error.h"
#include "data/data_summary.h"
#include "data/table.h"
#include "data/text_dataset.h"

using nlohmann::json;
using tb::data::LabelOrder;
using tb::data::TableFormat;

class TstDataSummary : public QObject {
    Q_OBJECT

private slots:
    void table_only();
    void with_dataset();
    void clean_dataset_is_ok();
    void parse_error_as_problem();
};

void TstDataSummary::table_only() {
    const auto table = tb::data::parse_table("文本\t标签\n好\tpos\n", TableFormat::Tsv, "a.tsv");
    const json s = tb::data::summarize(table, nullptr);
    QCOMPARE(s.at("file").get<std::string>(), std::string("a.tsv"));
    QCOMPARE(s.at("format").get<std::string>(), std::string("tsv"));
    QCOMPARE(s.at("rows").get<int>(), 1);
    QCOMPARE(s.at("columns"), (json{"文本", "标签"}));
    QCOMPARE(s.at("problems"), json::array());
    QCOMPARE(s.at("ok").get<bool>(), true);
    QVERIFY(!s.contains("labels"));
    QVERIFY(!s.contains("text_column"));
    QVERIFY(!s.contains("examples"));
}

void TstDataSummary::with_dataset() {
    const auto table = tb::data::parse_table("text,label\na,pos\nb,neg\n,pos\nc,pos\nd,\n",
                                             TableFormat::Csv, "d.csv");
    const auto data = tb::data::build_text_dataset(table, "text", "label", LabelOrder::Sorted);
    const json s = tb::data::summarize(table, &data);
    QCOMPARE(s.at("format").get<std::string>(), std::string("csv"));
    QCOMPARE(s.at("rows").get<int>(), 5);
    QCOMPARE(s.at("text_column").get<std::string>(), std::string("text"));
    QCOMPARE(s.at("label_column").get<std::string>(), std::string("label"));
    const json labels =
        json::array({{{"name", "neg"}, {"count", 1}}, {{"name", "pos"}, {"count", 2}}});
    QCOMPARE(s.at("labels"), labels);
    QCOMPARE(s.at("num_labels").get<int>(), 2);
    QCOMPARE(s.at("examples").get<int>(), 3);
    QCOMPARE(s.at("ok").get<bool>(), false);
    const json problems = s.at("problems");
    QCOMPARE(problems.size(), std::size_t{2});
    QCOMPARE(problems[0].at("kind").get<std::string>(), std::string("empty_text"));
    QCOMPARE(problems[0].at("file").get<std::string>(), std::string("d.csv"));
    QCOMPARE(problems[0].at("line").get<long>(), 4L);
    QCOMPARE(problems[0].at("column").get<long>(), 1L);
    QVERIFY(!problems[0].at("message").get<std::string>().empty());
    QCOMPARE(problems[1].at("kind").get<std::string>(), std::string("missing_label"));
    QCOMPARE(problems[1].at("line").get<long>(), 6L);
    QCOMPARE(problems[1].at("column").get<long>(), 2L);
    QCOMPARE(problems[1].size(), std::size_t{5});  // kind, file, line, column, message
}

void TstDataSummary::clean_dataset_is_ok() {
    const auto table = tb::data::parse_table("{\"t\":\"x\",\"y\":1}\n{\"t\":\"z\",\"y\":0}\n",
                                             TableFormat::Jsonl, "c.jsonl");
    const auto data = tb::data::build_text_dataset(table, "t", "y", LabelOrder::FirstSeen);
    const json s = tb::data::summarize(table, &data);
    QCOMPARE(s.at("format").get<std::string>(), std::string("jsonl"));
    QCOMPARE(s.at("ok").get<bool>(), true);
    QCOMPARE(s.at("labels")[0].at("name").get<std::string>(), std::string("1"));
    QCOMPARE(s.at("problems"), json::array());
}

void TstDataSummary::parse_error_as_problem() {
    try {
        tb::data::parse_table("a,b\n1,2,3\n", TableFormat::Csv, "bad.csv");
        QFAIL("expected a tb::Error");
    } catch (const tb::Error& e) {
        const json p = tb::data::error_to_json(e);
        QCOMPARE(p.at("kind").get<std::string>(), std::string("parse_error"));
        QCOMPARE(p.at("file").get<std::string>(), std::string("bad.csv"));
        QCOMPARE(p.at("line").get<long>(), 2L);
        QCOMPARE(p.at("column").get<long>(), 5L);
        // The plain sentence: the location is in the other fields.
        QCOMPARE(p.at("message").get<std::string>(), e.message());
        QVERIFY(p.at("message").get<std::string>().find("bad.csv") == std::string::npos);
        QCOMPARE(p.size(), std::size_t{5});
    }
}

QTEST_APPLESS_MAIN(TstDataSummary)
#include "tst_data_summary.moc"
