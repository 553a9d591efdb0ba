// The Trainer on image classification: a folder-per-class dataset of small generated images
// (written here as BMP files) and an IDX file train a small CNN / an MLP above the majority
// baseline; a resumed run with augmentation is bit-identical to a straight one; the
// preprocessing travels with the checkpoint into eval/predict; a corrupt image is reported by
// path (skipped or fatal per dataset.skip_invalid_rows). One MLP training step (preprocessing,
// loss, gradients, RMSprop update) matches PyTorch (tests/reference/vision/mlp_step_reference.py).
#include <torch/torch.h>

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "data/image_dataset.h"
#include "io/checkpoint.h"
#include "model/keras/keras_import.h"
#include "model/safetensors.h"
#include "model/vision/image_model_factory.h"
#include "model/vision/mlp.h"
#include "model/weight_loading.h"
#include "train/batching.h"
#include "train/image_source.h"
#include "train/inference_session.h"
#include "train/loss_function.h"
#include "train/optimizer_setup.h"
#include "train/resume_plan.h"
#include "train/run_model.h"
#include "train/trainer.h"

namespace fs = std::filesystem;
using namespace tb;

namespace {

struct Recorder : train::TrainingObserver {
    std::vector<train::StepMetrics> steps;
    std::vector<train::EvalReport> evals;
    std::vector<std::string> logs;
    std::function<void(const train::CheckpointInfo&)> on_checkpoint_hook;
    void on_step(const train::StepMetrics& m) override { steps.push_back(m); }
    void on_eval(const train::EvalReport& e) override { evals.push_back(e); }
    void on_log(const std::string& line) override { logs.push_back(line); }
    void on_checkpoint(const train::CheckpointInfo& c) override {
        if (on_checkpoint_hook)
            on_checkpoint_hook(c);
    }
};

void put16(std::ofstream& out, std::uint16_t v) {
    out.put(static_cast<char>(v & 0xff)).put(static_cast<char>(v >> 8));
}
void put32(std::ofstream& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
        out.put(static_cast<char>((v >> (8 * i)) & 0xff));
}

// A 24-bit BMP (bottom-up rows padded to 4 bytes) of grey values `grey` (row-major, w x h).
void write_bmp(const std::string& path, int w, int h, const std::vector<std::uint8_t>& grey) {
    const int row = (w * 3 + 3) / 4 * 4;
    std::ofstream out(path, std::ios::binary);
    out.put('B').put('M');
    put32(out, static_cast<std::uint32_t>(54 + row * h));
    put32(out, 0);
    put32(out, 54);
    put32(out, 40);
    put32(out, static_cast<std::uint32_t>(w));
    put32(out, static_cast<std::uint32_t>(h));
    put16(out, 1);
    put16(out, 24);
    for (int i = 0; i < 6; ++i)
        put32(out, 0);
    for (int y = h - 1; y >= 0; --y) {
        for (int x = 0; x < w; ++x)
            for (int k = 0; k < 3; ++k)
                out.put(static_cast<char>(grey[static_cast<std::size_t>(y * w + x)]));
        for (int p = w * 3; p < row; ++p)
            out.put(0);
    }
}

// Class 0 "horizontal": a bright row band; 1 "vertical": a bright column band; 2 "dots": sparse
// bright pixels. Low noise everywhere; sizes vary so images get resized.
std::vector<std::uint8_t> make_pattern(int cls, int w, int h, std::mt19937& rng) {
    std::uniform_int_distribution<int> noise(0, 60);
    std::vector<std::uint8_t> g(static_cast<std::size_t>(w * h));
    for (auto& v : g)
        v = static_cast<std::uint8_t>(noise(rng));
    if (cls == 0) {
        const int y0 = std::uniform_int_distribution<int>(1, h - 4)(rng);
        for (int y = y0; y < y0 + 3; ++y)
            for (int x = 0; x < w; ++x)
                g[static_cast<std::size_t>(y * w + x)] = 230;
    } else if (cls == 1) {
        const int x0 = std::uniform_int_distribution<int>(1, w - 4)(rng);
        for (int y = 0; y < h; ++y)
            for (int x = x0; x < x0 + 3; ++x)
                g[static_cast<std::size_t>(y * w + x)] = 230;
    } else {
        std::uniform_int_distribution<int> pick(0, w * h - 1);
        for (int i = 0; i < w * h / 6; ++i)
            g[static_cast<std::size_t>(pick(rng))] = 230;
    }
    return g;
}

const char* const kClasses[] = {"horizontal", "vertical", "dots"};

void make_image_folder(const std::string& root, int per_class) {
    std::mt19937 rng(7);
    for (int c = 0; c < 3; ++c) {
        const std::string dir = root + "/" + kClasses[c];
        fs::create_directories(dir);
        for (int i = 0; i < per_class; ++i) {
            const int w = i % 2 ? 12 : 16, h = i % 3 ? 12 : 14;
            char name[32];
            std::snprintf(name, sizeof name, "/%03d.bmp", i);
            write_bmp(dir + name, w, h, make_pattern(c, w, h, rng));
        }
    }
}

// Plain (uncompressed) IDX files: images N x 10 x 10 and labels N.
void make_idx(const std::string& images, const std::string& labels, int n) {
    std::mt19937 rng(11);
    std::ofstream img(images, std::ios::binary), lab(labels, std::ios::binary);
    auto be32 = [](std::ofstream& out, std::uint32_t v) {
        for (int i = 3; i >= 0; --i)
            out.put(static_cast<char>((v >> (8 * i)) & 0xff));
    };
    be32(img, 0x00000803);
    be32(img, static_cast<std::uint32_t>(n));
    be32(img, 10);
    be32(img, 10);
    be32(lab, 0x00000801);
    be32(lab, static_cast<std::uint32_t>(n));
    for (int i = 0; i < n; ++i) {
        const int cls = i % 3;
        const auto g = make_pattern(cls, 10, 10, rng);
        img.write(reinterpret_cast<const char*>(g.data()), static_cast<std::streamsize>(g.size()));
        lab.put(static_cast<char>(cls));
    }
}

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

double test_accuracy(const Recorder& rec) {
    for (auto it = rec.evals.rbegin(); it != rec.evals.rend(); ++it)
        if (it->split == "test")
            return it->report.accuracy;
    return -1.0;
}

}  // namespace

class TstTrainerImages : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    std::string folder_;

    io::ExperimentConfig config(const std::string& architecture, int epochs) {
        io::ExperimentConfig c;
        c.name = "images";
        c.dataset.path = folder_;
        c.dataset.task = "image_classification";
        c.dataset.image_width = 12;
        c.dataset.image_height = 12;
        c.dataset.image_channels = 1;
        c.dataset.image_resize = "stretch";
        c.dataset.normalize_mean = {0.5};
        c.dataset.normalize_std = {0.5};
        c.dataset.train_fraction = 0.6;
        c.dataset.dev_fraction = 0.2;
        c.dataset.test_fraction = 0.2;
        c.model.architecture = architecture;
        c.training.epochs = epochs;
        c.training.batch_size = 8;
        c.training.learning_rate = 2e-3;
        c.training.warmup_ratio = 0.0;
        c.training.weight_decay = 0.0;
        c.training.seed = 3;
        c.training.device = "cpu";
        c.training.log_every_steps = 1;
        c.output.runs_dir = tmp_.path().toStdString() + "/runs";
        return c;
    }

private slots:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        folder_ = tmp_.path().toStdString() + "/shapes";
        make_image_folder(folder_, 20);
    }

    // 60 images, 3 balanced classes: the majority baseline is 1/3.
    void smallCnnLearnsImageFolder() {
        auto c = config("small_cnn", 8);
        Recorder rec;
        train::RunControl control;
        const auto result = train::Trainer(c, rec, control).run();
        QVERIFY2(result.state == train::RunState::Finished, result.error.c_str());
        const double acc = test_accuracy(rec);
        QVERIFY2(acc >= 0.75, qPrintable(QString("test accuracy %1").arg(acc)));
        QVERIFY(rec.steps.back().loss < rec.steps.front().loss);
        // The report covers the three classes by folder name, sorted.
        const auto& report = rec.evals.back().report;
        QCOMPARE(report.labels, (std::vector<std::string>{"dots", "horizontal", "vertical"}));
        const auto status = nlohmann::json::parse(read_text(result.run_dir + "/run.json"));
        QCOMPARE(status["image_preprocessing"]["width"].get<int>(), 12);
        QCOMPARE(status["image_preprocessing"]["resize"].get<std::string>(),
                 std::string("stretch"));
        QVERIFY(!status["data_hash"].get<std::string>().empty());
        QVERIFY(fs::exists(result.run_dir + "/metrics.csv"));
        QVERIFY(fs::exists(result.run_dir + "/split.json"));

        // Eval/predict take the preprocessing from the checkpoint: an edited experiment file
        // cannot change them, and predictions on the files match the folder's evaluation.
        auto session = train::InferenceSession::open(result.run_dir);
        QCOMPARE(session->task(), std::string("sequence_classification"));
        QCOMPARE(session->config().dataset.image_width, 12);
        QCOMPARE(session->config().dataset.image_resize, std::string("stretch"));
        QCOMPARE(session->config().dataset.normalize_mean, std::vector<double>{0.5});
        const auto scored = session->evaluate_file(folder_);
        QCOMPARE(scored.skipped_rows, std::int64_t(0));
        QVERIFY2(scored.report.accuracy >= 0.75,
                 qPrintable(QString("folder accuracy %1").arg(scored.report.accuracy)));
        const auto scan = data::scan_image_folder(folder_);
        std::vector<std::string> paths;
        for (const auto& e : scan.examples)
            paths.push_back(e.path);
        const auto predictions = session->predict(paths);
        QCOMPARE(predictions.size(), scored.predictions.size());
        for (std::size_t i = 0; i < predictions.size(); ++i) {
            QCOMPARE(predictions[i].label, scored.predictions[i]);
            QCOMPARE(predictions[i].probabilities.size(), std::size_t(3));
        }
        // Weights differ between runs with other seeds but the same seed repeats exactly.
        Recorder again;
        train::RunControl control2;
        const auto rerun = train::Trainer(c, again, control2).run();
        QCOMPARE(again.steps.back().loss, rec.steps.back().loss);
        QCOMPARE(io::load_checkpoint(rerun.last_checkpoint).trainer.data_hash,
                 io::load_checkpoint(result.last_checkpoint).trainer.data_hash);
    }

    // The classic seed experiment's shape: an MLP with dropout, RMSprop, on IDX data.
    void mlpLearnsIdx() {
        const std::string images = tmp_.path().toStdString() + "/imgs-idx3-ubyte";
        const std::string labels = tmp_.path().toStdString() + "/labels-idx1-ubyte";
        make_idx(images, labels, 90);
        auto c = config("mlp", 6);
        c.dataset.path = images;
        c.dataset.labels_path = labels;
        c.dataset.format = "idx";
        c.dataset.image_width = 10;
        c.dataset.image_height = 10;
        c.training.optimizer = "rmsprop";
        c.training.learning_rate = 1e-3;
        c.training.schedule = "constant";
        Recorder rec;
        train::RunControl control;
        const auto result = train::Trainer(c, rec, control).run();
        QVERIFY2(result.state == train::RunState::Finished, result.error.c_str());
        const double acc = test_accuracy(rec);
        QVERIFY2(acc >= 0.75, qPrintable(QString("test accuracy %1").arg(acc)));
        const auto session = train::InferenceSession::open(result.last_checkpoint);
        QCOMPARE(session->labels(), (std::vector<std::string>{"0", "1", "2"}));
    }

    // Stopped mid-epoch and resumed: weights, optimizer state and losses are bit-identical to a
    // straight run, with every augmentation on and images decoded on the prefetch thread.
    void resumeWithAugmentationIsExact() {
        auto c = config("small_cnn", 2);
        c.dataset.augment_horizontal_flip = true;
        c.dataset.augment_rotation_degrees = 10.0;
        c.dataset.augment_random_resized_crop = true;
        c.dataset.augment_crop_min_scale = 0.6;
        c.dataset.augment_color_jitter = 0.2;
        c.training.prefetch_batches = 2;
        c.output.checkpoint_every_steps = 3;
        c.output.keep_last_checkpoints = 10;
        Recorder straight;
        train::RunControl control;
        const auto full = train::Trainer(c, straight, control).run();
        QVERIFY2(full.state == train::RunState::Finished, full.error.c_str());

        train::RunControl stop;
        Recorder first_rec;
        first_rec.on_checkpoint_hook = [&](const train::CheckpointInfo& info) {
            if (info.step == 3)
                stop.cancel();
        };
        const auto first = train::Trainer(c, first_rec, stop).run();
        QCOMPARE(int(first.state), int(train::RunState::Cancelled));
        train::TrainerOptions options;
        options.resume_from = train::plan_resume(first.run_dir, "3").checkpoint;
        Recorder resumed_rec;
        train::RunControl control3;
        const auto resumed = train::Trainer(c, resumed_rec, control3, options).run();
        QVERIFY2(resumed.state == train::RunState::Finished, resumed.error.c_str());
        QCOMPARE(resumed_rec.steps.size() + 3, straight.steps.size());
        for (std::size_t i = 0; i < resumed_rec.steps.size(); ++i)
            QVERIFY(resumed_rec.steps[i].loss == straight.steps[i + 3].loss);
        const auto a = io::load_checkpoint(full.last_checkpoint);
        const auto b = io::load_checkpoint(resumed.last_checkpoint);
        QCOMPARE(a.model.size(), b.model.size());
        for (std::size_t i = 0; i < a.model.size(); ++i)
            QVERIFY2(a.model[i].bytes == b.model[i].bytes, a.model[i].name.c_str());
        for (std::size_t i = 0; i < a.optimizer.size(); ++i)
            QVERIFY2(a.optimizer[i].bytes == b.optimizer[i].bytes, a.optimizer[i].name.c_str());
        // Augmentation changes the training batches: the losses differ from an unaugmented run.
        auto plain = c;
        plain.dataset.augment_horizontal_flip = false;
        plain.dataset.augment_rotation_degrees = 0.0;
        plain.dataset.augment_random_resized_crop = false;
        plain.dataset.augment_color_jitter = 0.0;
        plain.training.max_steps = 2;
        Recorder plain_rec;
        train::RunControl control4;
        train::Trainer(plain, plain_rec, control4).run();
        QVERIFY(plain_rec.steps[1].loss != straight.steps[1].loss);
    }

    // The image path of a training step against PyTorch: same weights and pixels give the same
    // normalised input, loss, gradients and RMSprop update.
    void mlpStepMatchesTorch() {
        const std::string dir = tmp_.path().toStdString() + "/torch_ref";
        fs::create_directories(dir);
        QProcess python;
        python.start(QStringLiteral(TB_SYSTEM_PYTHON),
                     {QStringLiteral(TB_SOURCE_DIR "/tests/reference/vision/mlp_step_reference.py"),
                      QString::fromStdString(dir)});
        QVERIFY(python.waitForFinished(120000));
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
        auto read = [&](const std::string& file, const std::string& name) {
            return model::to_torch(model::SafetensorsFile::open(dir + "/" + file).read(name));
        };
        model::vision::MlpOptions options;
        options.in_features = 64;
        options.hidden = {32, 32};
        options.num_classes = 3;
        auto mlp = std::make_shared<model::vision::Mlp>(options);
        model::vision::load_image_weights(*mlp, {dir + "/weights.safetensors"});

        const auto pixels = read("batch.safetensors", "pixels");
        const auto labels = read("batch.safetensors", "labels");
        auto arrays = std::make_shared<data::ImageArrayDataset>();
        arrays->count = 6;
        arrays->width = arrays->height = 8;
        arrays->channels = 1;
        const auto bytes = pixels.to(torch::kUInt8).contiguous();
        arrays->pixels.assign(bytes.data_ptr<std::uint8_t>(),
                              bytes.data_ptr<std::uint8_t>() + bytes.numel());
        auto source = std::make_shared<train::ImageSource>();
        source->arrays = arrays;
        source->transform.width = source->transform.height = 8;
        source->transform.channels = 1;
        source->transform.mode = data::ResizeMode::Stretch;
        source->transform.mean = {0.5f};
        source->transform.std = {0.5f};
        train::EncodedSplit split;
        split.images = source;
        for (std::int64_t i = 0; i < 6; ++i) {
            split.image_ids.push_back(static_cast<std::size_t>(i));
            split.labels.push_back(static_cast<int>(labels[i].item<std::int64_t>()));
        }
        const auto batch = train::collate(split, {0, 1, 2, 3, 4, 5}, 0, torch::kCPU, /*epoch=*/0);
        const auto expected_input = ((pixels / 255.0 - 0.5) / 0.5).unsqueeze(1);
        QVERIFY((batch.images - expected_input).abs().max().item<double>() < 1e-6);

        auto run = train::make_image_run_model(mlp);
        run->module().eval();  // dropout off, as in the reference
        const train::LossFunction loss_fn({}, 0.0, torch::kCPU);
        const auto loss = loss_fn.sum(run->forward(batch), batch.labels) / 6.0;
        const double want = read("expected.safetensors", "loss").item<double>();
        QVERIFY2(std::abs(loss.item<double>() - want) < 1e-6,
                 qPrintable(QString("loss %1 vs torch %2").arg(loss.item<double>()).arg(want)));
        loss.backward();
        std::vector<train::NamedParameter> parameters;
        for (const auto& p : mlp->named_parameters()) {
            parameters.push_back({p.key(), p.value()});
            const double diff = (p.value().grad() - read("expected.safetensors", "grad." + p.key()))
                                    .abs()
                                    .max()
                                    .item<double>();
            QVERIFY2(diff < 1e-6, qPrintable(QString::fromStdString(p.key()) +
                                             QString(" gradient differs by %1").arg(diff)));
        }
        io::TrainingConfig t;
        t.optimizer = "rmsprop";
        t.rmsprop_alpha = 0.9;
        t.eps = 1e-7;
        t.weight_decay = 0.0;
        t.momentum = 0.0;
        auto optimizer = train::make_optimizer(t, parameters, 0.01);
        optimizer->step();
        for (const auto& p : parameters) {
            const double diff = (p.tensor - read("expected.safetensors", "after." + p.name))
                                    .abs()
                                    .max()
                                    .item<double>();
            QVERIFY2(diff < 1e-6, qPrintable(QString::fromStdString(p.name) +
                                             QString(" after RMSprop differs by %1").arg(diff)));
        }
    }

    // model.path = an image model folder: its backbone weights load, its 5-class head is
    // replaced by a 3-class one, and with freeze_backbone only the head changes in training.
    void modelFolderWithFrozenBackbone() {
        const std::string dir = tmp_.path().toStdString() + "/cnn_folder";
        fs::create_directories(dir);
        torch::manual_seed(123);
        model::vision::ImageModelSpec spec;
        spec.architecture = "small_cnn";
        spec.num_classes = 5;
        spec.in_channels = 1;
        spec.height = spec.width = 12;
        auto pretrained = model::vision::make_image_model(spec);
        std::vector<TensorBlob> blobs;
        for (const auto& p : pretrained->named_parameters())
            blobs.push_back(model::from_torch(p.key(), p.value()));
        model::write_safetensors(dir + "/model.safetensors", blobs);
        std::ofstream(dir + "/config.json")
            << R"({"architecture": "small_cnn", "num_classes": 5, "input_shape": [1, 12, 12],
                   "weights_format": "tunebench"})";
        auto c = config("", 2);
        c.model.path = dir;
        c.model.freeze_backbone = true;
        Recorder rec;
        train::RunControl control;
        const auto result = train::Trainer(c, rec, control).run();
        QVERIFY2(result.state == train::RunState::Finished, result.error.c_str());
        const auto ckpt = io::load_checkpoint(result.last_checkpoint);
        std::map<std::string, const TensorBlob*> saved;
        for (const auto& b : ckpt.model)
            saved[b.name] = &b;
        for (const auto& b : blobs) {
            QVERIFY2(saved.count(b.name), b.name.c_str());
            if (b.name.rfind("fc.", 0) == 0)
                QCOMPARE(saved[b.name]->shape[0], std::int64_t(3));  // the new head
            else
                QVERIFY2(saved[b.name]->bytes == b.bytes, b.name.c_str());  // frozen, as loaded
        }
        bool noted = false;
        for (const auto& line : rec.logs)
            noted = noted || line.find("backbone frozen") != std::string::npos;
        QVERIFY(noted);
    }

    // A Keras-imported backbone with batch norm (the synthetic TF.js fixture, cut at 'add'),
    // frozen: its batch norms stay in eval mode in training, so the running statistics in the
    // checkpoint are bit-identical to the imported ones (they would drift with train-mode batch
    // norm, and the evaluator's eval()/train() round trip must not undo it), and the head learns
    // a brightness-separable RGB set above the majority baseline (1/2).
    void frozenKerasBackboneKeepsBatchNormStatistics() {
        const std::string root = tmp_.path().toStdString();
        const std::string data = root + "/bright_dark";
        std::mt19937 rng(5);
        std::uniform_int_distribution<int> noise(0, 40);
        for (const std::string cls : {"bright", "dark"}) {
            fs::create_directories(data + "/" + cls);
            for (int i = 0; i < 16; ++i) {
                std::vector<std::uint8_t> g(12 * 10);
                for (auto& v : g)
                    v = static_cast<std::uint8_t>((cls == "bright" ? 190 : 20) + noise(rng));
                char name[32];
                std::snprintf(name, sizeof name, "/%03d.bmp", i);
                write_bmp(data + "/" + cls + name, 12, 10, g);
            }
        }
        const std::string folder = root + "/keras_synthetic";
        model::keras::TfjsImportOptions options;
        options.cut = "add";
        model::keras::import_tfjs_model(TB_FIXTURES_DIR "/tfjs/synthetic", folder, options);

        auto c = config("", 40);
        c.dataset.path = data;
        c.dataset.image_channels = 3;
        c.dataset.image_height = 10;
        c.dataset.image_width = 12;
        c.dataset.normalize_mean = {0.0, 0.0, 0.0};
        c.dataset.normalize_std = {1.0, 1.0, 1.0};
        c.dataset.train_fraction = 0.5;
        c.dataset.dev_fraction = 0.25;
        c.dataset.test_fraction = 0.25;
        c.training.learning_rate = 0.1;
        c.model.path = folder;
        c.model.freeze_backbone = true;
        Recorder rec;
        train::RunControl control;
        const auto result = train::Trainer(c, rec, control).run();
        QVERIFY2(result.state == train::RunState::Finished, result.error.c_str());

        const auto imported = model::SafetensorsFile::open(folder + "/model.safetensors");
        const auto ckpt = io::load_checkpoint(result.last_checkpoint);
        int statistics = 0;
        for (const auto& b : ckpt.model) {
            if (b.name.find("running_") == std::string::npos)
                continue;
            QVERIFY2(imported.find(b.name), b.name.c_str());
            QVERIFY2(imported.read(b.name).bytes == b.bytes, b.name.c_str());
            ++statistics;
        }
        QVERIFY(statistics >= 2);  // running_mean and running_var of the 'bn' layer
        const double acc = test_accuracy(rec);
        QVERIFY2(acc > 0.5, qPrintable(QString("test accuracy %1, loss %2 -> %3")
                                           .arg(acc)
                                           .arg(rec.steps.front().loss)
                                           .arg(rec.steps.back().loss)));
        double dev = 0;
        for (const auto& e : rec.evals)
            if (e.split == "dev")
                dev = e.report.accuracy;
        QVERIFY2(dev > 0.5, qPrintable(QString("dev accuracy %1").arg(dev)));
    }

    // HDF5 X (N x H x W floats in [0, 1]) and y arrays written by h5py train as images.
    void hdf5ArraysTrain() {
        const std::string path = tmp_.path().toStdString() + "/arrays.h5";
        QProcess python;
        python.start(QStringLiteral(TB_SYSTEM_PYTHON),
                     {"-c",
                      "import sys, h5py, numpy as np\n"
                      "r = np.random.default_rng(5)\n"
                      "y = np.arange(90) % 3\n"
                      "X = r.uniform(0, 0.2, (90, 10, 10)).astype('float32')\n"
                      "for i, c in enumerate(y):\n"
                      "    k = r.integers(1, 7)\n"
                      "    if c == 0: X[i, k:k+3, :] = 0.9\n"
                      "    if c == 1: X[i, :, k:k+3] = 0.9\n"
                      "    if c == 2: X[i, r.integers(0, 10, 15), r.integers(0, 10, 15)] = 0.9\n"
                      "with h5py.File(sys.argv[1], 'w') as f:\n"
                      "    f['X'] = X\n"
                      "    f['y'] = y\n",
                      QString::fromStdString(path)});
        QVERIFY(python.waitForFinished(60000));
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
        auto c = config("mlp", 6);
        c.dataset.path = path;
        c.dataset.image_width = c.dataset.image_height = 10;
        Recorder rec;
        train::RunControl control;
        const auto result = train::Trainer(c, rec, control).run();
        QVERIFY2(result.state == train::RunState::Finished, result.error.c_str());
        const double acc = test_accuracy(rec);
        QVERIFY2(acc >= 0.75, qPrintable(QString("test accuracy %1").arg(acc)));
    }

    void corruptImageIsReportedByPath() {
        const std::string root = tmp_.path().toStdString() + "/with_bad";
        make_image_folder(root, 8);
        const std::string bad = root + "/dots/broken.png";
        std::ofstream(bad, std::ios::binary) << "this is not a PNG file";
        auto c = config("mlp", 1);
        c.dataset.path = root;
        c.dataset.skip_invalid_rows = true;
        Recorder rec;
        train::RunControl control;
        const auto skipped = train::Trainer(c, rec, control).run();
        QVERIFY2(skipped.state == train::RunState::Finished, skipped.error.c_str());
        bool logged = false;
        for (const auto& line : rec.logs)
            logged = logged || (line.find("broken.png") != std::string::npos &&
                                line.find("skipping 1") != std::string::npos);
        QVERIFY(logged);

        c.dataset.skip_invalid_rows = false;
        Recorder rec2;
        train::RunControl control2;
        const auto stopped = train::Trainer(c, rec2, control2).run();
        QCOMPARE(int(stopped.state), int(train::RunState::Failed));
        QVERIFY2(stopped.error.find(bad) != std::string::npos, stopped.error.c_str());
    }
};

QTEST_MAIN(TstTrainerImages)
#include "tst_trainer_images.moc"
