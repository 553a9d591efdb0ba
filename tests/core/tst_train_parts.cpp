// Unit behaviour of the trainer's parts: LR schedule, epoch order, collation, RunControl.
// LibTorch headers first: Qt's `slots` macro breaks them if QtTest comes before.
#include "common/error.h"
#include "train/batch_prefetcher.h"
#include "train/batching.h"
#include "train/checkpoint_policy.h"
#include "train/loss_function.h"
#include "train/lr_schedule.h"
#include "train/metric_tracker.h"
#include "train/mixed_precision.h"
#include "train/optimizer_setup.h"
#include "train/run_control.h"
#include "train/task_model_setup.h"

#include <QtTest>

#include <QTemporaryDir>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

using namespace tb::train;

class TstTrainParts : public QObject {
    Q_OBJECT
private slots:
    void headFollowsTheTaskOrIsChecked();
    void linearWarmupThenDecay() {
        LinearWarmupDecay s(1.0, 10, 110);
        QCOMPARE(s.lr_at(0), 0.0);
        QCOMPARE(s.lr_at(5), 0.5);
        QCOMPARE(s.lr_at(10), 1.0);
        QCOMPARE(s.lr_at(60), 0.5);
        QCOMPARE(s.lr_at(110), 0.0);
        QCOMPARE(s.lr_at(200), 0.0);  // never negative past the end
        LinearWarmupDecay no_warmup(2.0, 0, 4);
        QCOMPARE(no_warmup.lr_at(0), 2.0);
        QCOMPARE(no_warmup.lr_at(2), 1.0);
    }

    void cosineAndConstantSchedules() {
        LrSchedule cosine(LrSchedule::Kind::Cosine, 1.0, 10, 110);
        QCOMPARE(cosine.lr_at(5), 0.5);  // warmup is linear for every kind
        QCOMPARE(cosine.lr_at(10), 1.0);
        QVERIFY(std::abs(cosine.lr_at(60) - 0.5) < 1e-15);  // half-way: cos(pi/2)
        QVERIFY(std::abs(cosine.lr_at(35) - 0.5 * (1 + std::cos(M_PI * 0.25))) < 1e-15);
        QCOMPARE(cosine.lr_at(110), 0.0);
        LrSchedule constant(LrSchedule::Kind::Constant, 2.0, 4, 100);
        QCOMPARE(constant.lr_at(2), 1.0);
        QCOMPARE(constant.lr_at(4), 2.0);
        QCOMPARE(constant.lr_at(99), 2.0);
    }

    void epochBatchesGroupedByLength() {
        std::vector<std::size_t> lengths;
        for (std::size_t i = 0; i < 1000; ++i)
            lengths.push_back(3 + (i * 7919) % 61);
        const auto plain = epoch_batches(lengths, 8, 3, 0, false);
        const auto grouped = epoch_batches(lengths, 8, 3, 0, true);
        QCOMPARE(grouped, epoch_batches(lengths, 8, 3, 0, true));   // reproducible
        QVERIFY(grouped != epoch_batches(lengths, 8, 3, 1, true));  // differs per epoch
        QCOMPARE(plain.size(), std::size_t(125));
        QCOMPARE(grouped.size(), plain.size());
        // Still a permutation of all examples; much less padding than plain batches.
        std::vector<std::size_t> all;
        std::size_t pad_plain = 0, pad_grouped = 0;
        auto padding = [&](const std::vector<std::size_t>& b) {
            std::size_t longest = 0, sum = 0;
            for (auto i : b) {
                longest = std::max(longest, lengths[i]);
                sum += lengths[i];
            }
            return longest * b.size() - sum;
        };
        for (const auto& b : grouped) {
            all.insert(all.end(), b.begin(), b.end());
            pad_grouped += padding(b);
        }
        for (const auto& b : plain)
            pad_plain += padding(b);
        std::sort(all.begin(), all.end());
        for (std::size_t i = 0; i < all.size(); ++i)
            QCOMPARE(all[i], i);
        QVERIFY2(pad_grouped * 5 < pad_plain,
                 qPrintable(QString("%1 vs %2").arg(pad_grouped).arg(pad_plain)));
        // Plain batches are consecutive slices of epoch_order.
        const auto order = epoch_order(1000, 3, 0);
        QCOMPARE(plain.front(), std::vector<std::size_t>(order.begin(), order.begin() + 8));
    }

    void prefetcherKeepsOrder() {
        EncodedSplit split;
        for (int i = 0; i < 37; ++i) {
            split.input_ids.push_back(std::vector<std::int64_t>(1 + i % 5, i));
            split.labels.push_back(i % 3);
            split.lines.push_back(i);
        }
        std::vector<std::size_t> lengths(37, 1);
        const auto plan = epoch_batches(lengths, 4, 9, 0, false);
        for (int depth : {0, 1, 3}) {
            BatchPrefetcher batches(split, plan, /*first=*/2, /*pad_id=*/0, torch::kCPU, depth);
            for (std::size_t i = 2; i < plan.size(); ++i) {
                QVERIFY(batches.has_next());
                const Batch b = batches.next();
                const Batch expected = collate(split, plan[i], 0, torch::kCPU);
                QVERIFY(torch::equal(b.input_ids, expected.input_ids));
                QVERIFY(torch::equal(b.labels, expected.labels));
            }
            QVERIFY(!batches.has_next());
        }
        // Destroyed with batches still queued: the worker stops cleanly.
        BatchPrefetcher abandoned(split, plan, 0, 0, torch::kCPU, 2);
        QVERIFY(abandoned.next().size() > 0);
    }

    void lossMatchesTorchReference() {
        // Reference: tests/reference/train/loss_reference.py (torch 1.13, reduction="sum").
        const auto logits =
            torch::tensor({1.0, -0.5, 0.25, 0.1, 0.2, 0.3, -1.0, 2.0, 0.5, 0.0, 0.0, 1.5})
                .reshape({4, 3});
        const auto labels = torch::tensor({0, 2, 1, 2}, torch::kInt64);
        LossFunction weighted({1.0, 2.0, 0.5}, 0.1, torch::kCPU);
        QVERIFY(std::abs(weighted.sum(logits, labels).item<double>() - 2.1769790649414062) < 1e-6);
        LossFunction plain({}, 0.0, torch::kCPU);
        QVERIFY(std::abs(plain.sum(logits, labels).item<double>() - 2.1402111053466797) < 1e-6);
        // sklearn.utils.class_weight.compute_class_weight("balanced", ...) for 0,0,0,1,2,2.
        tb::io::TrainingConfig t;
        t.class_weights = "balanced";
        const auto w = class_weights(t, {0, 0, 0, 1, 2, 2}, 3);
        QCOMPARE(w.size(), std::size_t(3));
        QVERIFY(std::abs(w[0] - 2.0 / 3.0) < 1e-12);
        QCOMPARE(w[1], 2.0);
        QCOMPARE(w[2], 1.0);
        t.class_weights = "list";
        t.class_weight_values = {1.0, 2.0};
        QVERIFY_THROWS_EXCEPTION(tb::Error, class_weights(t, {0, 1, 2}, 3));
    }

    void metricTrackerDirections() {
        MetricTracker f1("dev_macro_f1", 0.01);
        QVERIFY(f1.update(0.5));
        QVERIFY(!f1.update(0.505));  // within min_delta
        QVERIFY(f1.update(0.6));
        QVERIFY(!f1.update(0.4));
        QCOMPARE(f1.evaluations_since_best(), std::int64_t(1));
        QCOMPARE(f1.best(), 0.6);
        MetricTracker loss("dev_loss");
        QVERIFY(loss.update(1.0));
        QVERIFY(loss.update(0.9));
        QVERIFY(!loss.update(0.95));
        QVERIFY(!higher_is_better("dev_loss"));
        QVERIFY(higher_is_better("dev_accuracy"));
    }

    void lossScalerBacksOffAndGrows() {
        LossScaler scaler(/*enabled=*/true, /*initial_scale=*/8.0, /*growth_interval=*/2);
        auto p = torch::zeros({2}, torch::requires_grad());
        p.mutable_grad() = torch::tensor({8.0f, 16.0f});
        QVERIFY(scaler.unscale({p}));
        QCOMPARE(p.grad()[1].item<float>(), 2.0f);
        scaler.update(true);
        scaler.update(true);
        QCOMPARE(scaler.scale(), 16.0);  // grew after 2 good steps
        p.mutable_grad() = torch::tensor({std::numeric_limits<float>::infinity(), 1.0f});
        QVERIFY(!scaler.unscale({p}));
        scaler.update(false);
        QCOMPARE(scaler.scale(), 8.0);  // halved on overflow
        LossScaler off(false);
        QCOMPARE(off.scale(), 1.0);
        QVERIFY(off.unscale({p}));  // disabled: never reports overflow
    }

    void epochOrderIsSeededPermutation() {
        const auto a = epoch_order(100, 42, 0);
        QCOMPARE(a, epoch_order(100, 42, 0));
        QVERIFY(a != epoch_order(100, 42, 1));
        QVERIFY(a != epoch_order(100, 43, 0));
        auto sorted = a;
        std::sort(sorted.begin(), sorted.end());
        for (std::size_t i = 0; i < sorted.size(); ++i)
            QCOMPARE(sorted[i], i);
        QVERIFY(epoch_order(0, 1, 0).empty());
    }

    void collatePadsToLongestInBatch() {
        EncodedSplit split;
        split.input_ids = {{101, 5, 102}, {101, 6, 7, 8, 102}, {101, 102}};
        split.labels = {1, 0, 1};
        split.lines = {2, 3, 4};
        const auto b = collate(split, {0, 2}, /*pad_id=*/0, torch::kCPU);
        QCOMPARE(b.input_ids.size(1), 3L);  // longest of the two chosen, not of the split
        QCOMPARE(b.input_ids[1][2].item<std::int64_t>(), 0L);
        QCOMPARE(b.attention_mask.sum().item<std::int64_t>(), 5L);
        QCOMPARE(b.labels[1].item<std::int64_t>(), 1L);
    }

    void checkpointPolicyKeepsLastKAndTheBest() {
        tb::io::OutputConfig output;
        output.keep_last_checkpoints = 2;
        output.checkpoint_every_steps = 5;
        CheckpointPolicy policy(output);
        QVERIFY(policy.due_after_step(10));
        QVERIFY(!policy.due_after_step(11));
        QVERIFY(policy.add_rolling("a").empty());
        QVERIFY(policy.set_best("a").empty());
        QVERIFY(policy.add_rolling("b").empty());
        // "a" is the best: kept beyond the last 2.
        QVERIFY(policy.add_rolling("c").empty());
        QCOMPARE(policy.add_rolling("d"), std::vector<std::string>{"b"});
        // A new best makes the old one prunable.
        QCOMPARE(policy.set_best("d"), std::vector<std::string>{"a"});
        QCOMPARE(policy.add_rolling("e"), std::vector<std::string>{"c"});
        QCOMPARE(policy.add_rolling("f"), std::vector<std::string>{});  // d is best: kept
        QCOMPARE(policy.add_rolling("g"), std::vector<std::string>{"e"});
    }

    void weightDecayExclusions() {
        QVERIFY(excluded_from_weight_decay("bert.encoder.layer.0.output.dense.bias"));
        QVERIFY(excluded_from_weight_decay("bert.embeddings.LayerNorm.weight"));
        QVERIFY(!excluded_from_weight_decay("bert.encoder.layer.0.output.dense.weight"));
        QVERIFY(!excluded_from_weight_decay("classifier.weight"));
    }

    void runControlPauseCancel() {
        RunControl c;
        QVERIFY(c.checkpoint());
        c.pause();
        QVERIFY(c.is_paused());
        std::atomic<bool> returned{false};
        bool value = true;
        std::thread t([&] {
            value = c.checkpoint();
            returned = true;
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        QVERIFY(!returned.load());  // blocked while paused
        c.cancel();                 // wakes the paused thread
        t.join();
        QVERIFY(returned.load());
        QVERIFY(!value);
        QVERIFY(!c.checkpoint());  // stays cancelled
        c.request_checkpoint();
        QVERIFY(c.take_checkpoint_request());
        QVERIFY(!c.take_checkpoint_request());
    }
};

void TstTrainParts::headFollowsTheTaskOrIsChecked() {
    using tb::model::HeadKind;
    tb::io::ExperimentConfig c;
    c.dataset.task = "token_classification";
    QCOMPARE(tb::train::head_kind_for(c), HeadKind::TokenClassification);  // model.head: auto
    c.dataset.task = "multi_label";
    QCOMPARE(tb::train::head_kind_for(c), HeadKind::MultiLabel);
    c.model.head = "multi_label";
    QCOMPARE(tb::train::head_kind_for(c), HeadKind::MultiLabel);
    c.model.head = "token_classification";  // a head the task does not allow
    try {
        tb::train::head_kind_for(c);
        QFAIL("a token head on a multi-label dataset was accepted");
    } catch (const tb::Error& e) {
        QCOMPARE(e.where().key, std::string("model.head"));
        QVERIFY(e.message().find("multi_label") != std::string::npos);
    }
}

QTEST_APPLESS_MAIN(TstTrainParts)
#include "tst_train_parts.moc"
