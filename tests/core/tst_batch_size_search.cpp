// The "largest batch that fits" search, with trial functions whose answer is known.
#include <QtTest>

#include <stdexcept>

#include "common/error.h"
#include "train/batch_size_search.h"

using tb::train::search_largest_batch;

class TstBatchSizeSearch : public QObject {
    Q_OBJECT

private slots:
    void findsTheExactLargest();
    void neverTriesAboveAFailure();
    void stopsAtTheLimit();
    void reportsWhenNothingFits();
    void anExceptionMeansDoesNotFitWithItsMessage();
    void coarsePrecisionTakesFewerTrials();
    void rejectsBadArguments();
};

void TstBatchSizeSearch::findsTheExactLargest() {
    for (std::int64_t threshold : {1, 2, 3, 37, 64, 65, 100, 511}) {
        const auto s =
            search_largest_batch([&](std::int64_t n) { return n <= threshold; }, 1, 4096);
        QCOMPARE(s.largest, threshold);
        QVERIFY(!s.hit_limit);
    }
}

void TstBatchSizeSearch::neverTriesAboveAFailure() {
    const auto s = search_largest_batch([](std::int64_t n) { return n <= 37; }, 1, 4096);
    std::int64_t smallest_failure = 1 << 30;
    for (const auto& t : s.trials) {
        QVERIFY2(t.batch_size < smallest_failure, "tried a size above one that failed");
        if (!t.fits)
            smallest_failure = std::min(smallest_failure, t.batch_size);
        QCOMPARE(t.fits, t.batch_size <= 37);
    }
    // 1..64 doubling (7 trials), then bisecting (32, 64) down to 37/38.
    QCOMPARE(s.trials.front().batch_size, std::int64_t{1});
    QVERIFY(s.trials.size() <= 7 + 5);
}

void TstBatchSizeSearch::stopsAtTheLimit() {
    const auto s = search_largest_batch([](std::int64_t) { return true; }, 4, 100);
    QCOMPARE(s.largest, std::int64_t{100});
    QVERIFY(s.hit_limit);
    QCOMPARE(s.trials.back().batch_size, std::int64_t{100});  // 4, 8, ..., 64, then capped
    QCOMPARE(static_cast<int>(s.trials.size()), 6);
}

void TstBatchSizeSearch::reportsWhenNothingFits() {
    const auto s = search_largest_batch([](std::int64_t) { return false; }, 1, 64);
    QCOMPARE(s.largest, std::int64_t{0});
    QCOMPARE(static_cast<int>(s.trials.size()), 1);
    QCOMPARE(s.trials[0].note, std::string("does not fit"));
}

void TstBatchSizeSearch::anExceptionMeansDoesNotFitWithItsMessage() {
    const auto s = search_largest_batch(
        [](std::int64_t n) {
            if (n > 10)
                throw std::runtime_error("CUDA out of memory. Tried to allocate 2.00 GiB");
            return true;
        },
        1, 1024);
    QCOMPARE(s.largest, std::int64_t{10});
    bool saw = false;
    for (const auto& t : s.trials)
        saw = saw || t.note.find("out of memory") != std::string::npos;
    QVERIFY(saw);
}

void TstBatchSizeSearch::coarsePrecisionTakesFewerTrials() {
    auto fits = [](std::int64_t n) { return n <= 300; };
    const auto exact = search_largest_batch(fits, 1, 4096);
    const auto coarse = search_largest_batch(fits, 1, 4096, 8);
    QCOMPARE(exact.largest, std::int64_t{300});
    QVERIFY(coarse.largest <= 300 && coarse.largest > 300 - 8);
    QVERIFY(coarse.trials.size() < exact.trials.size());
}

void TstBatchSizeSearch::rejectsBadArguments() {
    auto fits = [](std::int64_t) { return true; };
    QVERIFY_THROWS_EXCEPTION(tb::Error, search_largest_batch(fits, 0, 8));
    QVERIFY_THROWS_EXCEPTION(tb::Error, search_largest_batch(fits, 16, 8));
    QVERIFY_THROWS_EXCEPTION(tb::Error, search_largest_batch(fits, 1, 8, 0));
}

QTEST_GUILESS_MAIN(TstBatchSizeSearch)
#include "tst_batch_size_search.moc"
