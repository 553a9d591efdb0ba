// stratified_split: pinned results (from tests/fixtures/data/split_reference.py, an independent
// Python implementation), determinism, stratification, exact counts and fraction validation.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <vector>

#include "common/error.h"
#include "data/split.h"

using tb::data::SplitFractions;
using tb::data::SplitIndices;
using tb::data::stratified_split;
using Indices = std::vector<std::size_t>;

namespace {

const std::vector<int> kLabels = {0, 1, 2, 0, 1, 0, 0, 2, 1, 0, 0, 1, 0, 2, 0, 1, 0, 0, 1, 2};

std::vector<int> make_labels(const std::vector<std::size_t>& per_class) {
    // Classes interleaved, as they would be in a real file.
    std::vector<int> labels;
    std::vector<std::size_t> left = per_class;
    bool any = true;
    while (any) {
        any = false;
        for (std::size_t c = 0; c < left.size(); ++c) {
            if (left[c] == 0)
                continue;
            labels.push_back(static_cast<int>(c));
            --left[c];
            any = true;
        }
    }
    return labels;
}

std::map<int, std::size_t> class_counts(const std::vector<int>& labels, const Indices& part) {
    std::map<int, std::size_t> counts;
    for (std::size_t i : part)
        ++counts[labels[i]];
    return counts;
}

}  // namespace

class TstSplit : public QObject {
    Q_OBJECT

private slots:
    void matches_reference();
    void same_seed_same_split();
    void different_seed_different_split();
    void keeps_class_proportions();
    void partitions_every_index();
    void rounding_per_class();
    void degenerate_inputs();
    void invalid_fractions_throw();
};

void TstSplit::matches_reference() {
    const SplitIndices a = stratified_split(kLabels, {0.6, 0.2, 0.2}, 42);
    QCOMPARE(a.train, (Indices{0, 1, 3, 4, 5, 7, 8, 9, 12, 13, 15, 17}));
    QCOMPARE(a.dev, (Indices{6, 11, 16, 19}));
    QCOMPARE(a.test, (Indices{2, 10, 14, 18}));

    const SplitIndices b = stratified_split(kLabels, {0.6, 0.2, 0.2}, 7);
    QCOMPARE(b.train, (Indices{0, 1, 2, 3, 4, 9, 12, 13, 14, 15, 16, 18}));
    QCOMPARE(b.dev, (Indices{7, 10, 11, 17}));
    QCOMPARE(b.test, (Indices{5, 6, 8, 19}));

    const SplitIndices c = stratified_split({-1, -1, -1, 3, 3, 3, 3}, {0.5, 0.25, 0.25}, 2024);
    QCOMPARE(c.train, (Indices{2, 3, 6}));
    QCOMPARE(c.dev, (Indices{0, 5}));
    QCOMPARE(c.test, (Indices{1, 4}));
}

void TstSplit::same_seed_same_split() {
    const std::vector<int> labels = make_labels({300, 120, 45, 7});
    const SplitIndices a = stratified_split(labels, {}, 1234);
    const SplitIndices b = stratified_split(labels, {}, 1234);
    QCOMPARE(a.train, b.train);
    QCOMPARE(a.dev, b.dev);
    QCOMPARE(a.test, b.test);
}

void TstSplit::different_seed_different_split() {
    const std::vector<int> labels = make_labels({300, 120, 45, 7});
    const SplitIndices a = stratified_split(labels, {}, 1);
    const SplitIndices b = stratified_split(labels, {}, 2);
    QVERIFY(a.dev != b.dev);
    QVERIFY(a.test != b.test);
    // Same sizes per class: only membership changes with the seed.
    QCOMPARE(class_counts(labels, a.dev), class_counts(labels, b.dev));
}

void TstSplit::keeps_class_proportions() {
    const std::vector<int> labels = make_labels({100, 50, 20});
    const SplitIndices s = stratified_split(labels, {0.8, 0.1, 0.1}, 99);
    QCOMPARE(class_counts(labels, s.train),
             (std::map<int, std::size_t>{{0, 80}, {1, 40}, {2, 16}}));
    QCOMPARE(class_counts(labels, s.dev), (std::map<int, std::size_t>{{0, 10}, {1, 5}, {2, 2}}));
    QCOMPARE(class_counts(labels, s.test), (std::map<int, std::size_t>{{0, 10}, {1, 5}, {2, 2}}));
}

void TstSplit::partitions_every_index() {
    const std::vector<int> labels = make_labels({333, 101, 17, 1, 2});
    const SplitIndices s = stratified_split(labels, {0.7, 0.15, 0.15}, 5);
    QCOMPARE(s.train.size() + s.dev.size() + s.test.size(), labels.size());
    for (const Indices* part : {&s.train, &s.dev, &s.test}) {
        QVERIFY(std::is_sorted(part->begin(), part->end()));
    }
    Indices all;
    for (const Indices* part : {&s.train, &s.dev, &s.test}) {
        all.insert(all.end(), part->begin(), part->end());
    }
    std::sort(all.begin(), all.end());
    for (std::size_t i = 0; i < all.size(); ++i)
        QCOMPARE(all[i], i);  // each index exactly once
}

void TstSplit::rounding_per_class() {
    // 7 items at 0.8/0.1/0.1: exact 5.6/0.7/0.7 -> floors 5/0/0, the two leftovers go to the
    // largest remainders (dev, test): 5/1/1.
    const SplitIndices s = stratified_split(std::vector<int>(7, 4), {0.8, 0.1, 0.1}, 3);
    QCOMPARE(s.train.size(), std::size_t{5});
    QCOMPARE(s.dev.size(), std::size_t{1});
    QCOMPARE(s.test.size(), std::size_t{1});
    // A single example goes to the largest split.
    const SplitIndices one = stratified_split({9}, {0.8, 0.1, 0.1}, 3);
    QCOMPARE(one.train, (Indices{0}));
    // A zero fraction never receives anything, even a rounding leftover.
    const SplitIndices no_test = stratified_split(make_labels({11, 3}), {0.5, 0.5, 0.0}, 8);
    QVERIFY(no_test.test.empty());
    QCOMPARE(no_test.train.size() + no_test.dev.size(), std::size_t{14});
    // 0.7 + 0.2 + 0.1 is 0.9999999999999999 in doubles: accepted, counts still exact.
    const SplitIndices noisy = stratified_split(std::vector<int>(10, 0), {0.7, 0.2, 0.1}, 3);
    QCOMPARE(noisy.train.size(), std::size_t{7});
    QCOMPARE(noisy.dev.size(), std::size_t{2});
    QCOMPARE(noisy.test.size(), std::size_t{1});
}

void TstSplit::degenerate_inputs() {
    const SplitIndices empty = stratified_split({}, {}, 1);
    QVERIFY(empty.train.empty() && empty.dev.empty() && empty.test.empty());
    const SplitIndices all_train = stratified_split(make_labels({5, 5}), {1.0, 0.0, 0.0}, 1);
    QCOMPARE(all_train.train.size(), std::size_t{10});
    QVERIFY(all_train.dev.empty() && all_train.test.empty());
}

void TstSplit::invalid_fractions_throw() {
    const std::vector<int> labels = {0, 1};
    QVERIFY_THROWS_EXCEPTION(tb::Error, stratified_split(labels, {0.8, 0.1, 0.2}, 1));
    QVERIFY_THROWS_EXCEPTION(tb::Error, stratified_split(labels, {1.1, -0.1, 0.0}, 1));
    QVERIFY_THROWS_EXCEPTION(tb::Error, stratified_split(labels, {0.5, 0.5, 0.01}, 1));
    const double nan = std::numeric_limits<double>::quiet_NaN();
    QVERIFY_THROWS_EXCEPTION(tb::Error, stratified_split(labels, {nan, 0.5, 0.5}, 1));
    try {
        stratified_split(labels, {0.5, 0.3, 0.1}, 1);
        QFAIL("expected a tb::Error");
    } catch (const tb::Error& e) {
        QVERIFY2(std::string(e.what()).find("sum to 1") != std::string::npos, e.what());
    }
}

QTEST_APPLESS_MAIN(TstSplit)
#include "tst_split.moc"
