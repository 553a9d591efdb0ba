// Text-classification extras and multi-label: label<TAB>text files, sentence pairs, split
// columns, rare labels, duplicates, separator and 0/1 label columns, iterative stratification.
#include <QtTest>

#include <cmath>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "common/error.h"
#include "data/dataset_checks.h"
#include "data/iterative_split.h"
#include "data/multilabel_dataset.h"
#include "data/regression_rows.h"
#include "data/table.h"
#include "data/text_dataset.h"

using namespace tb::data;

class TstTextTasks : public QObject {
    Q_OBJECT

private slots:
    void label_text_files();
    void label_text_brown_sample();
    void sentence_pairs();
    void split_column();
    void rare_labels();
    void duplicates();
    void regression_duplicates();
    void multilabel_separator();
    void multilabel_zero_one_columns();
    void iterative_split_stratifies();
    void iterative_split_is_seeded();
    void iterative_split_edge_cases();
};

void TstTextTasks::label_text_files() {
    const Table t = parse_table("pos\tgood film\nneg\tbad\tand long\n\n正面\t很好看\n",
                                TableFormat::LabelText, "l.txt");
    QCOMPARE(t.columns, (std::vector<std::string>{"label", "text"}));
    QCOMPARE(t.rows.size(), std::size_t{3});
    QCOMPARE(t.rows[1][1], std::string("bad\tand long"));  // split at the first tab only
    QCOMPARE(t.row_lines[2], 4L);
    const TextDataset d = build_text_dataset(t, "text", "label", LabelOrder::FirstSeen);
    QCOMPARE(d.labels.size(), 3);
    QCOMPARE(table_format_from_name("label_text"), TableFormat::LabelText);
    QCOMPARE(table_format_name(TableFormat::LabelText), std::string("label_text"));
    try {
        parse_table("pos\tok\nno tab here\n", TableFormat::LabelText, "l.txt");
        QFAIL("expected tb::Error");
    } catch (const tb::Error& e) {
        QCOMPARE(e.where().line, 2L);
        QVERIFY(e.message().find("no tab") != std::string::npos);
    }
}

void TstTextTasks::label_text_brown_sample() {
    const Table t = read_table(std::string(TB_FIXTURES_DIR) + "/data/brown/brown_genre.tsv",
                               TableFormat::LabelText);
    const TextDataset d = build_text_dataset(t, "text", "label", LabelOrder::Sorted);
    QCOMPARE(d.examples.size(), std::size_t{60});
    QCOMPARE(d.labels.size(), 15);  // the 15 Brown genres
    QCOMPARE(d.labels.name(0), std::string("adventure"));
}

void TstTextTasks::sentence_pairs() {
    const Table t =
        parse_table("前提,假设,标签\n他在跑步,他在运动,蕴含\n天在下雨,,矛盾\n猫睡了,猫醒着,矛盾\n",
                    TableFormat::Csv, "nli.csv");
    const TextDataset d =
        build_text_dataset(t, TextColumns{"前提", "假设", "标签"}, LabelOrder::FirstSeen);
    QCOMPARE(d.text_pair_column, std::string("假设"));
    QCOMPARE(d.examples.size(), std::size_t{2});
    QCOMPARE(d.examples[0].text_pair, std::string("他在运动"));
    QCOMPARE(d.examples[1].row, std::size_t{2});
    QCOMPARE(d.problems.size(), std::size_t{1});
    QCOMPARE(d.problems[0].kind, std::string("empty_text"));
    QCOMPARE(d.problems[0].line, 3L);
    QCOMPARE(d.problems[0].column, 2L);
    QVERIFY_THROWS_EXCEPTION(
        tb::Error, build_text_dataset(t, TextColumns{"前提", "前提", "标签"}, LabelOrder::Sorted));
}

void TstTextTasks::split_column() {
    const Table t = parse_table(
        "text,label,split\na,x,train\nb,y,TRAIN\nc,x,validation\nd,y, test\ne,x,holdout\n",
        TableFormat::Csv, "s.csv");
    const TextDataset d = build_text_dataset(t, "text", "label", LabelOrder::FirstSeen);
    std::vector<DataProblem> problems;
    const SplitIndices s = split_from_column(t, "split", d, &problems);
    QCOMPARE(s.train, (std::vector<std::size_t>{0, 1}));
    QCOMPARE(s.dev, (std::vector<std::size_t>{2}));
    QCOMPARE(s.test, (std::vector<std::size_t>{3}));
    QCOMPARE(problems.size(), std::size_t{1});
    QCOMPARE(problems[0].kind, std::string("unknown_split"));
    QCOMPARE(problems[0].line, 6L);
    QCOMPARE(problems[0].column, 3L);
    QVERIFY_THROWS_EXCEPTION(tb::Error, split_from_column(t, "fold", d, nullptr));
}

void TstTextTasks::rare_labels() {
    const Table t =
        parse_table("text,label\na,x\nb,x\nc,x\nd,y\ne,z\nf,z\n", TableFormat::Csv, "r.csv");
    const TextDataset d = build_text_dataset(t, "text", "label", LabelOrder::FirstSeen);
    const auto problems = find_rare_labels(d, 3);
    QCOMPARE(problems.size(), std::size_t{2});
    QCOMPARE(problems[0].kind, std::string("rare_label"));
    QCOMPARE(problems[0].line, 5L);  // first 'y'
    QVERIFY(problems[0].message.find("'y' has only 1 example ") != std::string::npos);
    QCOMPARE(problems[1].line, 6L);
    QVERIFY(find_rare_labels(d, 1).empty());
}

void TstTextTasks::duplicates() {
    const Table t = parse_table("text,label\n好电影,pos\n坏,neg\n 好电影 ,pos\n好电影,neg\n",
                                TableFormat::Csv, "d.csv");
    const TextDataset d = build_text_dataset(t, "text", "label", LabelOrder::FirstSeen);
    const auto problems = find_duplicates(d);
    QCOMPARE(problems.size(), std::size_t{2});
    QCOMPARE(problems[0].kind, std::string("duplicate"));
    QCOMPARE(problems[0].line, 4L);
    QVERIFY(problems[0].message.find("line 2") != std::string::npos);
    QCOMPARE(problems[1].kind, std::string("conflicting_duplicate"));
    QCOMPARE(problems[1].line, 5L);
}

// Regression rows: the key is the text pair (trimmed), the target decides duplicate vs conflict;
// equal numbers written differently ("0.4", "0.40") are the same target.
void TstTextTasks::regression_duplicates() {
    const Table t = parse_table(
        "a,b,y\n"
        "one,two,0.4\n"     // 2
        "one,three,0.4\n"   // 3: other pair text
        " one ,two,0.40\n"  // 4: duplicate of 2
        "one,two,1e0\n"     // 5: conflicting with 2
        "one,,0.4\n"        // 6: empty pair text (a problem row, never a duplicate)
        "one,three,x\n",    // 7: not a number (a problem row)
        TableFormat::Csv, "r.csv");
    const RegressionRows paired = read_regression_rows(t, "a", "b", "y");
    QCOMPARE(paired.problems.size(), std::size_t{2});
    const auto problems = find_duplicates(paired);
    QCOMPARE(problems.size(), std::size_t{2});
    QCOMPARE(problems[0].kind, std::string("duplicate"));
    QCOMPARE(problems[0].line, 4L);
    QCOMPARE(problems[0].file, std::string("r.csv"));
    QCOMPARE(problems[0].message, std::string("the same text pair as line 2 with the same target"));
    QCOMPARE(problems[1].kind, std::string("conflicting_duplicate"));
    QCOMPARE(problems[1].line, 5L);
    QCOMPARE(problems[1].message,
             std::string("the same text pair as line 2 but with the target 1 (line 2 has 0.4)"));
    // Without the pair column all four valid rows share the text "one".
    const auto single = find_duplicates(read_regression_rows(t, "a", "", "y"));
    QCOMPARE(single.size(), std::size_t{4});
    QCOMPARE(single[0].line, 3L);
    QCOMPARE(single[0].kind, std::string("duplicate"));
    QCOMPARE(single[0].message, std::string("the same text as line 2 with the same target"));
    QCOMPARE(single[2].line, 5L);
    QCOMPARE(single[2].kind, std::string("conflicting_duplicate"));
    QCOMPARE(single[3].line, 6L);  // the empty pair is not read without the pair column
    QCOMPARE(format_target_value(2.5), std::string("2.5"));
    QCOMPARE(format_target_value(-0.0), std::string("0"));
    QCOMPARE(format_target_value(1e-7), std::string("1e-07"));
}

void TstTextTasks::multilabel_separator() {
    const Table t = parse_table(
        "text\ttags\n"
        "news about sport\tsport|news\n"
        "no tags\t\n"
        "体育新闻\t 体育 | news |\n"
        "\tsport\n",
        TableFormat::Tsv, "m.tsv");
    const MultiLabelDataset d =
        build_multilabel_dataset(t, "text", "tags", "|", LabelOrder::FirstSeen);
    QCOMPARE(d.labels.names(), (std::vector<std::string>{"sport", "news", "体育"}));
    QCOMPARE(d.examples.size(), std::size_t{3});
    QCOMPARE(d.examples[0].labels, (std::vector<int>{0, 1}));
    QCOMPARE(d.examples[1].labels, std::vector<int>{});
    QCOMPARE(d.examples[2].labels, (std::vector<int>{1, 2}));
    QCOMPARE(d.multi_hot(2), (std::vector<float>{0.0f, 1.0f, 1.0f}));
    QCOMPARE(d.label_counts(), (std::vector<std::size_t>{1, 2, 1}));
    QCOMPARE(d.problems.size(), std::size_t{1});
    QCOMPARE(d.problems[0].line, 5L);
    // Empty label cells as problems; semicolons; a given label map rejects unknown labels.
    const MultiLabelDataset strict =
        build_multilabel_dataset(t, "text", "tags", "|", LabelOrder::Sorted, nullptr, true);
    QCOMPARE(strict.problems.size(), std::size_t{2});
    QCOMPARE(strict.problems[0].kind, std::string("missing_label"));
    const Table semi = parse_table("text,tags\nx,a;b\ny,c\n", TableFormat::Csv, "s.csv");
    const LabelMap known({"a", "b"});
    const MultiLabelDataset dev =
        build_multilabel_dataset(semi, "text", "tags", ";", LabelOrder::Sorted, &known);
    QCOMPARE(dev.examples.size(), std::size_t{1});
    QCOMPARE(dev.problems[0].kind, std::string("unknown_label"));
    QVERIFY_THROWS_EXCEPTION(
        tb::Error, build_multilabel_dataset(semi, "text", "tags", "", LabelOrder::Sorted));
}

void TstTextTasks::multilabel_zero_one_columns() {
    const Table t = parse_table(
        "文本,体育,财经,科技\n比赛,1,0,0\n股票和芯片,0,true,1\n什么都不是,0,0,0\n坏值,1,2,0\n",
        TableFormat::Csv, "z.csv");
    const MultiLabelDataset d = build_multilabel_from_columns(t, "文本", {"体育", "财经", "科技"});
    QCOMPARE(d.labels.names(), (std::vector<std::string>{"体育", "财经", "科技"}));
    QCOMPARE(d.examples.size(), std::size_t{3});
    QCOMPARE(d.examples[1].labels, (std::vector<int>{1, 2}));
    QCOMPARE(d.examples[2].labels, std::vector<int>{});
    QCOMPARE(d.problems.size(), std::size_t{1});
    QCOMPARE(d.problems[0].kind, std::string("bad_value"));
    QCOMPARE(d.problems[0].line, 5L);
    QCOMPARE(d.problems[0].column, 3L);
    QVERIFY_THROWS_EXCEPTION(tb::Error, build_multilabel_from_columns(t, "文本", {"体育", "文本"}));
    QVERIFY_THROWS_EXCEPTION(tb::Error, build_multilabel_from_columns(t, "文本", {}));
}

namespace {

// 600 examples over 6 labels with very different frequencies (one rare), correlated pairs and
// some examples without labels.
std::vector<std::vector<int>> random_label_sets(std::uint64_t seed) {
    std::mt19937_64 engine(seed);
    const double p[6] = {0.5, 0.3, 0.2, 0.1, 0.05, 0.02};
    std::vector<std::vector<int>> sets(600);
    for (auto& s : sets) {
        for (int l = 0; l < 6; ++l) {
            if (static_cast<double>(engine() % 10000) / 10000.0 < p[l])
                s.push_back(l);
        }
        if (!s.empty() && s[0] == 0 && engine() % 2 == 0 &&
            std::find(s.begin(), s.end(), 1) == s.end())
            s.push_back(1);
    }
    return sets;
}

}  // namespace

void TstTextTasks::iterative_split_stratifies() {
    const auto sets = random_label_sets(7);
    const SplitFractions f{0.8, 0.1, 0.1};
    const SplitIndices s = iterative_stratified_split(sets, 6, f, 42);
    // Every example exactly once.
    std::set<std::size_t> all;
    for (const auto* part : {&s.train, &s.dev, &s.test})
        all.insert(part->begin(), part->end());
    QCOMPARE(all.size(), sets.size());
    QCOMPARE(s.train.size() + s.dev.size() + s.test.size(), sets.size());
    // Each label's examples are divided by the fractions within +-1 example per split.
    const double fr[3] = {f.train, f.dev, f.test};
    const std::vector<std::size_t>* parts[3] = {&s.train, &s.dev, &s.test};
    for (int l = 0; l < 6; ++l) {
        std::size_t total = 0;
        for (const auto& set : sets)
            total += std::count(set.begin(), set.end(), l);
        for (int j = 0; j < 3; ++j) {
            std::size_t in_split = 0;
            for (std::size_t i : *parts[j])
                in_split += std::count(sets[i].begin(), sets[i].end(), l);
            const double expected = static_cast<double>(total) * fr[j];
            QVERIFY2(std::fabs(static_cast<double>(in_split) - expected) <= 1.0,
                     qPrintable(QString("label %1 split %2: %3 vs %4")
                                    .arg(l)
                                    .arg(j)
                                    .arg(in_split)
                                    .arg(expected)));
        }
    }
    // Split sizes follow the fractions within +-1 as well.
    QVERIFY(std::fabs(static_cast<double>(s.dev.size()) - 60.0) <= 1.0);
}

void TstTextTasks::iterative_split_is_seeded() {
    const auto sets = random_label_sets(3);
    const SplitFractions f{0.6, 0.2, 0.2};
    const SplitIndices a = iterative_stratified_split(sets, 6, f, 1);
    const SplitIndices b = iterative_stratified_split(sets, 6, f, 1);
    const SplitIndices c = iterative_stratified_split(sets, 6, f, 2);
    QCOMPARE(a.train, b.train);
    QCOMPARE(a.dev, b.dev);
    QVERIFY(a.train != c.train);
}

void TstTextTasks::iterative_split_edge_cases() {
    const SplitIndices empty = iterative_stratified_split({}, 3, SplitFractions{}, 1);
    QVERIFY(empty.train.empty() && empty.dev.empty() && empty.test.empty());
    const SplitIndices no_test = iterative_stratified_split({{0}, {0}, {1}, {}, {0, 1}}, 2,
                                                            SplitFractions{0.6, 0.4, 0.0}, 5);
    QVERIFY(no_test.test.empty());
    QCOMPARE(no_test.train.size() + no_test.dev.size(), std::size_t{5});
    QVERIFY_THROWS_EXCEPTION(tb::Error, iterative_stratified_split({{3}}, 2, SplitFractions{}, 1));
    QVERIFY_THROWS_EXCEPTION(
        tb::Error, iterative_stratified_split({{0}}, 1, SplitFractions{0.5, 0.5, 0.5}, 1));
}

QTEST_MAIN(TstTextTasks)
#include "tst_text_tasks.moc"
