// MultiTensorAdamW must update parameters exactly as LibTorch's own torch::optim::AdamW does
// (bit for bit), across parameter groups, weight decay, parameters that skip steps (their own
// step counts), amsgrad and a learning-rate change, and keep the same state for checkpoints.
// clip_grad_norm must agree with torch::nn::utils::clip_grad_norm_.
#include <torch/torch.h>

#include <QtTest>

#include "train/grad_clip.h"
#include "train/multi_tensor_adamw.h"
#include "train/optimizer_state_key.h"

using tb::train::MultiTensorAdamW;

namespace {

std::vector<torch::Tensor> make_parameters() {
    torch::manual_seed(3);
    return {torch::randn({7, 5}).requires_grad_(), torch::randn({5}).requires_grad_(),
            torch::randn({3, 4, 2}).requires_grad_(), torch::randn({11}).requires_grad_()};
}

std::vector<torch::optim::OptimizerParamGroup> groups(const std::vector<torch::Tensor>& p,
                                                      const torch::optim::AdamWOptions& o) {
    auto decay = std::make_unique<torch::optim::AdamWOptions>(o);
    auto no_decay = std::make_unique<torch::optim::AdamWOptions>(o);
    no_decay->weight_decay(0.0);
    std::vector<torch::optim::OptimizerParamGroup> out;
    out.emplace_back(std::vector<torch::Tensor>{p[0], p[2]}, std::move(decay));
    out.emplace_back(std::vector<torch::Tensor>{p[1], p[3]}, std::move(no_decay));
    return out;
}

// Runs `steps` steps with the same gradients; parameter 3 has no gradient on odd steps (so its
// step count lags), and the learning rate changes half way.
void run(torch::optim::AdamW& optimizer, std::vector<torch::Tensor>& params, int steps) {
    torch::manual_seed(11);
    for (int s = 0; s < steps; ++s) {
        optimizer.zero_grad();
        for (std::size_t i = 0; i < params.size(); ++i) {
            if (i == 3 && s % 2 == 1) {
                params[i].mutable_grad() = torch::Tensor();  // no gradient: no step
                continue;
            }
            params[i].mutable_grad() = torch::randn_like(params[i]) * (1.0 + s);
        }
        if (s == steps / 2)
            for (auto& g : optimizer.param_groups())
                static_cast<torch::optim::AdamWOptions&>(g.options()).lr(3e-3);
        optimizer.step();
    }
}

}  // namespace

class TestMultiTensorAdamW : public QObject {
    Q_OBJECT

private slots:
    void matches_libtorch_adamw_data() {
        QTest::addColumn<bool>("amsgrad");
        QTest::newRow("adamw") << false;
        QTest::newRow("amsgrad") << true;
    }

    void matches_libtorch_adamw() {
        QFETCH(bool, amsgrad);
        const auto options = torch::optim::AdamWOptions(1e-2)
                                 .betas(std::make_tuple(0.8, 0.95))
                                 .eps(1e-6)
                                 .weight_decay(0.1)
                                 .amsgrad(amsgrad);
        auto ours = make_parameters();
        auto reference = make_parameters();
        const auto start = ours[0].detach().clone();
        MultiTensorAdamW fast(groups(ours, options), options);
        torch::optim::AdamW plain(groups(reference, options), options);
        run(fast, ours, 9);
        run(plain, reference, 9);
        QVERIFY(!torch::equal(ours[0], start));  // the check has teeth: parameters moved
        for (std::size_t i = 0; i < ours.size(); ++i)
            QVERIFY2(torch::equal(ours[i], reference[i]), qPrintable(QString("param %1").arg(i)));
        // Same state (what checkpoints save): moments and step counts per parameter.
        auto state_of = [](torch::optim::AdamW& o,
                           const torch::Tensor& p) -> torch::optim::AdamWParamState& {
            return static_cast<torch::optim::AdamWParamState&>(
                *o.state().at(tb::train::state_key(o.state(), p)));
        };
        for (std::size_t i = 0; i < ours.size(); ++i) {
            auto& a = state_of(fast, ours[i]);
            auto& b = state_of(plain, reference[i]);
            QCOMPARE(a.step(), b.step());
            QVERIFY(torch::equal(a.exp_avg(), b.exp_avg()));
            QVERIFY(torch::equal(a.exp_avg_sq(), b.exp_avg_sq()));
            if (amsgrad)
                QVERIFY(torch::equal(a.max_exp_avg_sq(), b.max_exp_avg_sq()));
        }
        std::vector<std::int64_t> fast_steps, plain_steps;
        for (const auto& [key, state] : fast.state())
            fast_steps.push_back(static_cast<torch::optim::AdamWParamState&>(*state).step());
        for (const auto& [key, state] : plain.state())
            plain_steps.push_back(static_cast<torch::optim::AdamWParamState&>(*state).step());
        std::sort(fast_steps.begin(), fast_steps.end());
        std::sort(plain_steps.begin(), plain_steps.end());
        QCOMPARE(fast_steps, plain_steps);
        QCOMPARE(fast_steps, (std::vector<std::int64_t>{5, 9, 9, 9}));
    }

    void clip_matches_libtorch_data() {
        QTest::addColumn<double>("max_norm");
        QTest::newRow("clips") << 0.5;
        QTest::newRow("below the bound") << 1e6;
        QTest::newRow("measure only") << std::numeric_limits<double>::infinity();
    }

    void clip_matches_libtorch() {
        QFETCH(double, max_norm);
        auto ours = make_parameters();
        auto reference = make_parameters();
        torch::manual_seed(5);
        for (std::size_t i = 0; i + 1 < ours.size(); ++i) {  // the last one has no gradient
            const auto g = torch::randn_like(ours[i]);
            ours[i].mutable_grad() = g.clone();
            reference[i].mutable_grad() = g.clone();
        }
        const double norm = tb::train::clip_grad_norm(ours, max_norm);
        const double expected = torch::nn::utils::clip_grad_norm_(reference, max_norm);
        QVERIFY(norm > 1.0);
        QVERIFY(std::abs(norm - expected) <= 1e-6 * expected);
        for (std::size_t i = 0; i + 1 < ours.size(); ++i)
            QVERIFY(torch::allclose(ours[i].grad(), reference[i].grad(), 1e-6, 1e-7));
        QVERIFY(!ours.back().grad().defined());
        if (max_norm < 1.0) {
            std::vector<torch::Tensor> grads;
            for (std::size_t i = 0; i + 1 < ours.size(); ++i)
                grads.push_back(ours[i].grad().flatten());
            QVERIFY(std::abs(torch::cat(grads).norm().item<double>() - max_norm) < 1e-4);
        }
        QCOMPARE(tb::train::clip_grad_norm({torch::zeros({2}).requires_grad_()}, 1.0), 0.0);
    }
};

QTEST_APPLESS_MAIN(TestMultiTensorAdamW)
#include "tst_multi_tensor_adamw.moc"
