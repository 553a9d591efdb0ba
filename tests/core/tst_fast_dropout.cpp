// fast_dropout: the statistics of a dropout mask and the reproducibility a resumable run needs.
#include <ATen/Context.h>
#include <torch/torch.h>

#include <QtTest>

#include <cmath>

#include "common/error.h"
#include "model/fast_dropout.h"

using tb::model::fast_dropout;

class TestFastDropout : public QObject {
    Q_OBJECT
private slots:
    void keepsTheRequestedFractionAndScalesKeptValues();
    void neighbouringElementsAreIndependent();
    void sameMasksForAnyThreadCountAndAfterRestoringTheGenerator();
    void gradientIsTheScaledMask();
    void evalModeAndZeroProbabilityAreIdentity();
    void refusesProbabilitiesOutsideTheRange();
};

void TestFastDropout::keepsTheRequestedFractionAndScalesKeptValues() {
    torch::manual_seed(1);
    for (const double p : {0.1, 0.5, 0.9}) {
        const std::int64_t n = 1 << 20;
        const auto x = torch::full({n}, 2.0);
        const auto y = fast_dropout(x, p);
        const auto kept = y.ne(0);
        const double fraction = kept.to(torch::kDouble).mean().item<double>();
        // Binomial(n, 1 - p): 6 standard deviations is a false alarm once in ~5e8 runs.
        const double sigma = std::sqrt(p * (1 - p) / static_cast<double>(n));
        QVERIFY2(std::abs(fraction - (1 - p)) < 6 * sigma,
                 qPrintable(QString("p=%1 kept %2").arg(p).arg(fraction)));
        const auto values = y.masked_select(kept);
        QVERIFY(torch::allclose(values, torch::full_like(values, 2.0 / (1 - p)), 1e-6, 0));
    }
}

void TestFastDropout::neighbouringElementsAreIndependent() {
    // Elements 2i and 2i+1 share one 64-bit hash (its two halves), and consecutive draws come
    // from consecutive seeds: both kinds of neighbours must be uncorrelated.
    torch::manual_seed(7);
    const double p = 0.5;
    const std::int64_t n = 1 << 20;
    const auto a = fast_dropout(torch::ones({n}), p).ne(0).to(torch::kDouble);
    const auto b = fast_dropout(torch::ones({n}), p).ne(0).to(torch::kDouble);
    const double sigma = std::sqrt(0.25 * 0.75 / static_cast<double>(n / 2));
    const double both_pairs =
        (a.slice(0, 0, n, 2) * a.slice(0, 1, n, 2)).mean().item<double>();  // P = 0.25
    QVERIFY2(std::abs(both_pairs - 0.25) < 6 * sigma, qPrintable(QString::number(both_pairs)));
    const double both_draws = (a * b).mean().item<double>();
    QVERIFY2(std::abs(both_draws - 0.25) < 6 * sigma, qPrintable(QString::number(both_draws)));
    QVERIFY(!torch::equal(a, b));
}

void TestFastDropout::sameMasksForAnyThreadCountAndAfterRestoringTheGenerator() {
    const auto x = torch::randn({64, 1000});
    const int threads = torch::get_num_threads();
    torch::manual_seed(3);
    torch::set_num_threads(1);
    const auto one_thread = fast_dropout(x, 0.3);
    torch::manual_seed(3);
    torch::set_num_threads(std::max(2, threads));
    const auto many_threads = fast_dropout(x, 0.3);
    torch::set_num_threads(threads);
    QVERIFY(torch::equal(one_thread, many_threads));

    auto generator = at::globalContext().defaultGenerator(torch::kCPU);
    const auto state = generator.get_state();
    const auto first = fast_dropout(x, 0.3);
    generator.set_state(state);
    QVERIFY(torch::equal(fast_dropout(x, 0.3), first));
    QVERIFY(!torch::equal(fast_dropout(x, 0.3), first));  // the generator moved on
}

void TestFastDropout::gradientIsTheScaledMask() {
    torch::manual_seed(5);
    const auto x = torch::randn({8, 33}, torch::requires_grad());
    const auto y = fast_dropout(x, 0.25);
    y.sum().backward();
    const auto expected = y.ne(0).to(torch::kFloat) / 0.75;
    QVERIFY(torch::allclose(x.grad(), expected, 1e-6, 0));
}

void TestFastDropout::evalModeAndZeroProbabilityAreIdentity() {
    const auto x = torch::randn({4, 5});
    tb::model::Dropout dropout(0.4);
    dropout->eval();
    QVERIFY(torch::equal(dropout(x), x));
    QVERIFY(torch::equal(fast_dropout(x, 0.0), x));
    dropout->train();
    QVERIFY(!torch::equal(dropout(torch::ones({1000})), torch::ones({1000})));
}

void TestFastDropout::refusesProbabilitiesOutsideTheRange() {
    QVERIFY_THROWS_EXCEPTION(tb::Error, tb::model::Dropout(1.0));
    QVERIFY_THROWS_EXCEPTION(tb::Error, fast_dropout(torch::ones({2}), -0.1));
}

QTEST_APPLESS_MAIN(TestFastDropout)
#include "tst_fast_dropout.moc"
