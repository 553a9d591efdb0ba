// attention_matmul must equal torch::matmul, values and gradients, for the shapes attention
// uses (contiguous or not), and fall back to it where the threaded path does not apply.
#include <torch/torch.h>

#include <QtTest>

#include "model/attention_matmul.h"

using tb::model::attention_matmul;

class TestAttentionMatmul : public QObject {
    Q_OBJECT

private slots:
    void matches_matmul_data() {
        QTest::addColumn<bool>("transposed");
        QTest::newRow("q k^T (transposed view)") << true;
        QTest::newRow("p v (contiguous)") << false;
    }

    void matches_matmul() {
        QFETCH(bool, transposed);
        torch::manual_seed(4);
        // [batch, heads, seq, head_size] as attention has them, from a permuted projection.
        auto a = torch::randn({3, 7, 4, 16}).permute({0, 2, 1, 3}).requires_grad_();
        auto b_base = torch::randn({3, 4, 7, 16});
        auto b = (transposed ? b_base.permute({0, 1, 3, 2}) : torch::randn({3, 4, 16, 9}))
                     .requires_grad_();
        auto a2 = a.detach().clone().requires_grad_();
        auto b2 = b.detach().clone().requires_grad_();
        const auto ours = attention_matmul(a, b);
        const auto want = torch::matmul(a2, b2);
        QCOMPARE(ours.sizes(), want.sizes());
        QVERIFY(torch::allclose(ours, want, 1e-5, 1e-6));
        const auto upstream = torch::randn_like(want);
        (ours * upstream).sum().backward();
        (want * upstream).sum().backward();
        QVERIFY(torch::allclose(a.grad(), a2.grad(), 1e-5, 1e-6));
        QVERIFY(torch::allclose(b.grad(), b2.grad(), 1e-5, 1e-6));
        QVERIFY(a.grad().abs().sum().item<double>() > 0);
    }

    void falls_back_for_other_inputs() {
        // Doubles and single matrices take torch::matmul itself (exactly equal).
        auto a = torch::randn({2, 3, 5}, torch::kDouble);
        auto b = torch::randn({2, 5, 4}, torch::kDouble);
        QVERIFY(torch::equal(attention_matmul(a, b), torch::matmul(a, b)));
        auto m = torch::randn({5, 6});
        auto n = torch::randn({6, 2});
        QVERIFY(torch::equal(attention_matmul(m, n), torch::matmul(m, n)));
    }

    void no_grad_inputs() {
        torch::NoGradGuard no_grad;
        auto a = torch::randn({4, 8, 3});
        auto b = torch::randn({4, 3, 8});
        QVERIFY(torch::allclose(attention_matmul(a, b), torch::matmul(a, b), 1e-5, 1e-6));
    }
};

QTEST_APPLESS_MAIN(TestAttentionMatmul)
#include "tst_attention_matmul.moc"
