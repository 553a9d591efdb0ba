// LabelMap: first-seen and sorted orders, lookups, and the errors for bad label lists.
#include <QtTest>

#include <string>
#include <vector>

#include "common/error.h"
#include "data/label_map.h"

using tb::data::LabelMap;
using tb::data::LabelOrder;
using Names = std::vector<std::string>;

class TstLabelMap : public QObject {
    Q_OBJECT

private slots:
    void first_seen_order();
    void sorted_order();
    void numeric_labels_sort_by_value();
    void lookups();
    void explicit_names();
    void order_from_name();
};

void TstLabelMap::first_seen_order() {
    const LabelMap map =
        LabelMap::from_values({"pos", "neg", "", "pos", "neutral", "neg"}, LabelOrder::FirstSeen);
    QCOMPARE(map.names(), (Names{"pos", "neg", "neutral"}));
    QCOMPARE(map.size(), 3);
}

void TstLabelMap::sorted_order() {
    const LabelMap map = LabelMap::from_values(
        {"pos", "neg", "", "Pos", "neutral", "正面", "负面", "中性"}, LabelOrder::Sorted);
    // Byte order = code point order: upper case first, CJK after Latin (中 U+4E2D < 正 U+6B63
    // < 负 U+8D1F).
    QCOMPARE(map.names(), (Names{"Pos", "neg", "neutral", "pos", "中性", "正面", "负面"}));
}

void TstLabelMap::numeric_labels_sort_by_value() {
    const LabelMap map =
        LabelMap::from_values({"10", "2", "1", "-1", "0", "2"}, LabelOrder::Sorted);
    QCOMPARE(map.names(), (Names{"-1", "0", "1", "2", "10"}));
    // One non-integer label: plain string order for all.
    const LabelMap mixed = LabelMap::from_values({"10", "2", "x"}, LabelOrder::Sorted);
    QCOMPARE(mixed.names(), (Names{"10", "2", "x"}));
    // First-seen order is never re-sorted.
    const LabelMap seen = LabelMap::from_values({"10", "2"}, LabelOrder::FirstSeen);
    QCOMPARE(seen.names(), (Names{"10", "2"}));
}

void TstLabelMap::lookups() {
    const LabelMap map(Names{"b", "a", "标签"});
    QCOMPARE(map.index_of("b"), 0);
    QCOMPARE(map.index_of("a"), 1);
    QCOMPARE(map.index_of("标签"), 2);
    QCOMPARE(map.index_of("c"), -1);
    QCOMPARE(map.index_of(""), -1);
    QCOMPARE(map.name(2), std::string("标签"));
    QVERIFY_THROWS_EXCEPTION(tb::Error, map.name(3));
    QVERIFY_THROWS_EXCEPTION(tb::Error, map.name(-1));
    const LabelMap empty;
    QCOMPARE(empty.size(), 0);
    QCOMPARE(empty.index_of("a"), -1);
}

void TstLabelMap::explicit_names() {
    try {
        LabelMap(Names{"a", "b", "a"});
        QFAIL("expected a tb::Error");
    } catch (const tb::Error& e) {
        QVERIFY(e.message().find("duplicate label 'a'") != std::string::npos);
    }
    QVERIFY_THROWS_EXCEPTION(tb::Error, LabelMap(Names{"a", ""}));
}

void TstLabelMap::order_from_name() {
    QVERIFY(tb::data::label_order_from_name("first_seen") == LabelOrder::FirstSeen);
    QVERIFY(tb::data::label_order_from_name("sorted") == LabelOrder::Sorted);
    QVERIFY_THROWS_EXCEPTION(tb::Error, tb::data::label_order_from_name("alphabetical"));
}

QTEST_APPLESS_MAIN(TstLabelMap)
#include "tst_label_map.moc"
