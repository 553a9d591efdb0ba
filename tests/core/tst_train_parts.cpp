// Unit behaviour of the trainer's parts: LR schedule, epoch order, collation, RunControl.
// LibTorch headers first: Qt's `slots` macro breaks them if QtTest comes before.
#include "train/batching.h"
#include "train/checkpoint_writer.h"
#include "train/lr_schedule.h"
#include "train/optimizer_setup.h"
#include "train/run_control.h"

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

    void pruneKeepsNewestByEpochNumberAndTheBest() {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        for (const char* name :
             {"epoch-001.h5", "epoch-999.h5", "epoch-1000.h5", "cancel-step-5.h5"})
            std::ofstream(dir + "/" + name) << "x";
        prune_epoch_checkpoints(dir, /*keep=*/1, /*protect=*/dir + "/epoch-001.h5");
        namespace fs = std::filesystem;
        QVERIFY(fs::exists(dir + "/epoch-1000.h5"));  // numerically newest, though it sorts first
        QVERIFY(!fs::exists(dir + "/epoch-999.h5"));
        QVERIFY(fs::exists(dir + "/epoch-001.h5"));      // the best is protected
        QVERIFY(fs::exists(dir + "/cancel-step-5.h5"));  // not an epoch checkpoint
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

QTEST_APPLESS_MAIN(TstTrainParts)
#include "tst_train_parts.moc"
