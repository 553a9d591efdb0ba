// Round trips of HDF5 checkpoints, and proof that h5py and h5dump read them without tunebench.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <thread>

#include "common/error.h"
#include "io/checkpoint.h"

using tb::DType;
using tb::TensorBlob;
using tb::io::Checkpoint;

namespace {

template <typename T>
TensorBlob make_blob(const std::string& name, DType dtype, std::vector<std::int64_t> shape,
                     const std::vector<T>& values) {
    TensorBlob blob;
    blob.name = name;
    blob.dtype = dtype;
    blob.shape = std::move(shape);
    blob.bytes.resize(values.size() * sizeof(T));
    if (!values.empty())
        std::memcpy(blob.bytes.data(), values.data(), blob.bytes.size());
    return blob;
}

double half_to_double(std::uint16_t bits) {
    const int sign = (bits >> 15) != 0 ? -1 : 1;
    const int exponent = (bits >> 10) & 0x1f;
    const int mantissa = bits & 0x3ff;
    if (exponent == 0)
        return sign * std::ldexp(mantissa, -24);
    return sign * std::ldexp(1024 + mantissa, exponent - 25);
}

double bfloat16_to_double(std::uint16_t bits) {
    const std::uint32_t wide = static_cast<std::uint32_t>(bits) << 16;
    float value = 0;
    std::memcpy(&value, &wide, sizeof value);
    return value;
}

// Element values as doubles, decoded independently of the library under test.
std::vector<double> values_of(const TensorBlob& blob) {
    std::vector<double> out;
    const std::size_t n = static_cast<std::size_t>(blob.numel());
    const auto* p = blob.bytes.data();
    for (std::size_t i = 0; i < n; ++i) {
        auto read = [&](auto zero) {
            decltype(zero) v;
            std::memcpy(&v, p + i * sizeof v, sizeof v);
            return v;
        };
        switch (blob.dtype) {
            case DType::F64:
                out.push_back(read(double{}));
                break;
            case DType::F32:
                out.push_back(read(float{}));
                break;
            case DType::F16:
                out.push_back(half_to_double(read(std::uint16_t{})));
                break;
            case DType::BF16:
                out.push_back(bfloat16_to_double(read(std::uint16_t{})));
                break;
            case DType::I64:
                out.push_back(static_cast<double>(read(std::int64_t{})));
                break;
            case DType::I32:
                out.push_back(read(std::int32_t{}));
                break;
            case DType::I16:
                out.push_back(read(std::int16_t{}));
                break;
            case DType::I8:
                out.push_back(read(std::int8_t{}));
                break;
            case DType::U8:
            case DType::Bool:
                out.push_back(read(std::uint8_t{}));
                break;
        }
    }
    return out;
}

const char* numpy_dtype(DType dtype) {
    switch (dtype) {
        case DType::F64:
            return "float64";
        case DType::F32:
            return "float32";
        case DType::F16:
            return "float16";
        case DType::BF16:
            return "float32";  // h5py converts the custom 16-bit float on read
        case DType::I64:
            return "int64";
        case DType::I32:
            return "int32";
        case DType::I16:
            return "int16";
        case DType::I8:
            return "int8";
        case DType::U8:
            return "uint8";
        case DType::Bool:
            return "bool";
    }
    return "?";
}

// A checkpoint using every field, every dtype, a scalar, an empty tensor and Chinese text.
Checkpoint sample_checkpoint() {
    Checkpoint c;
    c.config_yaml =
        "dataset:\n  path: 数据/评论.csv\n  text_column: 文本\nmodel:\n  folder: "
        "bert-base-chinese\n"
        "training:\n  epochs: 3\n  lr: 2.0e-5\n";
    c.model = {
        make_blob<float>("bert.encoder.layer.0.attention.self.query.weight", DType::F32, {2, 3},
                         {1.5f, -2.25f, 0.f, 3.f, 1e-3f, -7.f}),
        make_blob<double>("bert.pooler.dense.bias", DType::F64, {3}, {0.1, -1e300, 42.0}),
        make_blob<std::uint16_t>("classifier.weight.f16", DType::F16, {2, 2},
                                 {0x3C00, 0xC100, 0x7BFF, 0x0001}),  // 1, -2.5, 65504, 2^-24
        make_blob<std::uint16_t>("classifier.weight.bf16", DType::BF16, {4},
                                 {0x3F80, 0xC020, 0x4049, 0x0000}),  // 1, -2.5, 3.140625, 0
        make_blob<std::int64_t>("bert.embeddings.position_ids", DType::I64, {1, 4},
                                {0, 1, 2, 9000000000LL}),
        make_blob<std::int32_t>("int32.tensor", DType::I32, {2}, {-2147483647, 7}),
        make_blob<std::int16_t>("int16.tensor", DType::I16, {3}, {-32768, 0, 32767}),
        make_blob<std::int8_t>("int8.tensor", DType::I8, {2}, {-128, 127}),
        make_blob<std::uint8_t>("uint8.tensor", DType::U8, {2, 1, 2}, {0, 1, 200, 255}),
        make_blob<std::uint8_t>("attention.mask", DType::Bool, {5}, {1, 0, 0, 1, 1}),
        make_blob<float>("logit_scale", DType::F32, {}, {2.5f}),  // 0-d
        make_blob<float>("empty.rows", DType::F32, {0, 3}, {}),
    };
    c.optimizer = {
        make_blob<float>("bert.pooler.dense.bias/exp_avg", DType::F32, {3}, {0.5f, 0.25f, 1.f}),
        make_blob<float>("bert.pooler.dense.bias/exp_avg_sq", DType::F32, {3}, {1.f, 2.f, 3.f}),
        make_blob<std::int64_t>("bert.pooler.dense.bias/step", DType::I64, {}, {120}),
        make_blob<float>("classifier.weight/exp_avg", DType::F32, {2}, {-1.f, 1.f}),
    };
    c.trainer.epoch = 2;
    c.trainer.global_step = 1234567890123LL;
    c.trainer.step_in_epoch = 17;
    c.trainer.best_metric = 0.8765;
    c.trainer.best_metric_name = "macro_f1";
    c.trainer.seed = 18446744073709551557ULL;  // above INT64_MAX: stored unsigned
    c.trainer.state = "cancelled";
    c.trainer.reason = "cancel";
    c.trainer.data_hash = "0123456789abcdef";
    c.trainer.config_hash = "fedcba9876543210";
    c.trainer.best_checkpoint = "/runs/r/checkpoints/epoch-001.h5";
    c.trainer.best_step = 600;
    c.trainer.early_stopping_best = 0.25;
    c.trainer.early_stopping_evals = 4;
    c.trainer.early_stopping_bad_evals = 3;
    c.trainer.skipped_steps = 2;
    c.trainer.loss_scale = 32768.0;
    c.trainer.loss_scale_good_steps = 11;
    c.rng = {make_blob<std::uint8_t>("torch_cpu", DType::U8, {6}, {1, 2, 3, 250, 0, 9}),
             make_blob<std::int64_t>("python_seed", DType::I64, {1}, {-5})};
    c.labels = {"正面", "负面", "中性", "neutral 😀", ""};
    c.vocab = {"[PAD]", "[UNK]", "[CLS]", "的", "##ing", "北京"};
    c.metrics = {
        {"train_loss", {2.5, 1.25, 0.625}}, {"eval_macro_f1", {0.5, 0.75}}, {"empty_series", {}}};
    c.created = "2024-05-01T12:34:56Z";
    return c;
}

void compare_blobs(const std::vector<TensorBlob>& got, const std::vector<TensorBlob>& want) {
    QCOMPARE(got.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        QCOMPARE(got[i].name, want[i].name);
        QCOMPARE(dtype_name(got[i].dtype), dtype_name(want[i].dtype));
        QCOMPARE(got[i].shape, want[i].shape);
        QVERIFY2(got[i].bytes == want[i].bytes, want[i].name.c_str());
    }
}

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

}  // namespace

class TstCheckpoint : public QObject {
    Q_OBJECT

private slots:
    void roundTripsEveryFieldAndDtype();
    void setsCreatedAndVersionOnSave();
    void roundTripsEmptyCheckpoint();
    void roundTripsLargeTensorAndConfig();
    void replacesAnExistingCheckpoint();
    void savesAndLoadsFromSeveralThreads();
    void h5pyReadsTheCheckpoint();
    void h5dumpReadsTheCheckpoint();
    void loadsACheckpointWrittenByH5py();

private:
    QTemporaryDir dir_;
    std::string path(const char* name) const { return dir_.filePath(name).toStdString(); }
};

void TstCheckpoint::roundTripsEveryFieldAndDtype() {
    const Checkpoint want = sample_checkpoint();
    tb::io::save_checkpoint(want, path("all.h5"));
    const Checkpoint got = tb::io::load_checkpoint(path("all.h5"));

    QCOMPARE(got.config_yaml, want.config_yaml);
    compare_blobs(got.model, want.model);
    compare_blobs(got.optimizer, want.optimizer);
    compare_blobs(got.rng, want.rng);
    QCOMPARE(got.trainer.epoch, want.trainer.epoch);
    QCOMPARE(got.trainer.global_step, want.trainer.global_step);
    QCOMPARE(got.trainer.step_in_epoch, want.trainer.step_in_epoch);
    QCOMPARE(got.trainer.best_metric, want.trainer.best_metric);
    QCOMPARE(got.trainer.best_metric_name, want.trainer.best_metric_name);
    QCOMPARE(got.trainer.seed, want.trainer.seed);
    QCOMPARE(got.trainer.state, want.trainer.state);
    QCOMPARE(got.trainer.reason, want.trainer.reason);
    QCOMPARE(got.trainer.data_hash, want.trainer.data_hash);
    QCOMPARE(got.trainer.config_hash, want.trainer.config_hash);
    QCOMPARE(got.trainer.best_checkpoint, want.trainer.best_checkpoint);
    QCOMPARE(got.trainer.best_step, want.trainer.best_step);
    QCOMPARE(got.trainer.early_stopping_best, want.trainer.early_stopping_best);
    QCOMPARE(got.trainer.early_stopping_evals, want.trainer.early_stopping_evals);
    QCOMPARE(got.trainer.early_stopping_bad_evals, want.trainer.early_stopping_bad_evals);
    QCOMPARE(got.trainer.skipped_steps, want.trainer.skipped_steps);
    QCOMPARE(got.trainer.loss_scale, want.trainer.loss_scale);
    QCOMPARE(got.trainer.loss_scale_good_steps, want.trainer.loss_scale_good_steps);
    QCOMPARE(got.labels, want.labels);
    QCOMPARE(got.vocab, want.vocab);
    QCOMPARE(got.metrics, want.metrics);
    QCOMPARE(got.created, want.created);
    QCOMPARE(got.tunebench_version, std::string(TUNEBENCH_VERSION));
    QVERIFY(!QFile::exists(qs(path("all.h5.tmp"))));
}

void TstCheckpoint::setsCreatedAndVersionOnSave() {
    Checkpoint c;
    c.tunebench_version = "0.0.0-not-this";  // the writing build's version wins
    tb::io::save_checkpoint(c, path("created.h5"));
    const Checkpoint got = tb::io::load_checkpoint(path("created.h5"));
    QVERIFY2(QRegularExpression("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$")
                 .match(qs(got.created))
                 .hasMatch(),
             got.created.c_str());
    const QDateTime created = QDateTime::fromString(qs(got.created), Qt::ISODate);
    QVERIFY(std::abs(created.secsTo(QDateTime::currentDateTimeUtc())) < 600);
    QCOMPARE(got.tunebench_version, std::string(TUNEBENCH_VERSION));
}

void TstCheckpoint::roundTripsEmptyCheckpoint() {
    tb::io::save_checkpoint(Checkpoint{}, path("empty.h5"));
    const Checkpoint got = tb::io::load_checkpoint(path("empty.h5"));
    QVERIFY(got.model.empty() && got.optimizer.empty() && got.rng.empty());
    QVERIFY(got.labels.empty() && got.vocab.empty() && got.metrics.empty());
    QCOMPARE(got.config_yaml, std::string());
    QCOMPARE(got.trainer.state, std::string("running"));
    QCOMPARE(got.trainer.global_step, std::int64_t{0});
}

void TstCheckpoint::roundTripsLargeTensorAndConfig() {
    std::vector<float> values(1 << 20);
    for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = static_cast<float>(i % 1000) * 0.5f - 100.f;
    Checkpoint c;
    c.model = {make_blob<float>("bert.embeddings.word_embeddings.weight", DType::F32, {1024, 1024},
                                values)};
    std::string yaml;
    while (yaml.size() < 300 * 1024)
        yaml += "# 注释 comment line to make the YAML large\n";
    c.config_yaml = yaml;
    tb::io::save_checkpoint(c, path("big.h5"));
    QVERIFY(QFileInfo(qs(path("big.h5"))).size() > 4 * 1024 * 1024);
    const Checkpoint got = tb::io::load_checkpoint(path("big.h5"));
    compare_blobs(got.model, c.model);
    QCOMPARE(got.config_yaml, yaml);
}

void TstCheckpoint::replacesAnExistingCheckpoint() {
    Checkpoint first = sample_checkpoint();
    tb::io::save_checkpoint(first, path("replace.h5"));
    Checkpoint second;
    second.labels = {"only"};
    second.trainer.global_step = 99;
    tb::io::save_checkpoint(second, path("replace.h5"));
    const Checkpoint got = tb::io::load_checkpoint(path("replace.h5"));
    QCOMPARE(got.labels, second.labels);
    QCOMPARE(got.trainer.global_step, std::int64_t{99});
    QVERIFY(got.model.empty());
    QVERIFY(!QFile::exists(qs(path("replace.h5.tmp"))));
}

// The trainer saves on its worker thread while the GUI may load another checkpoint.
void TstCheckpoint::savesAndLoadsFromSeveralThreads() {
    const Checkpoint want = sample_checkpoint();
    std::vector<std::string> failures(4);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < failures.size(); ++t) {
        threads.emplace_back([&, t] {
            try {
                const std::string file = path("thread") + std::to_string(t) + ".h5";
                for (int round = 0; round < 5; ++round) {
                    Checkpoint c = want;
                    c.trainer.global_step = static_cast<std::int64_t>(t * 100 + round);
                    tb::io::save_checkpoint(c, file);
                    const Checkpoint got = tb::io::load_checkpoint(file);
                    if (got.trainer.global_step != c.trainer.global_step ||
                        got.model.size() != want.model.size() ||
                        got.model[0].bytes != want.model[0].bytes || got.labels != want.labels)
                        failures[t] = "round trip mismatch";
                }
                tb::io::load_checkpoint(path("thread_missing.h5"));
                failures[t] = "loading a missing file did not throw";
            } catch (const tb::Error& e) {
                if (e.message().find("No such file") == std::string::npos)
                    failures[t] = e.what();
            }
        });
    }
    for (auto& thread : threads)
        thread.join();
    for (const auto& failure : failures)
        QVERIFY2(failure.empty(), failure.c_str());
}

void TstCheckpoint::h5pyReadsTheCheckpoint() {
    const QString python = QStringLiteral(TB_SYSTEM_PYTHON);
    if (python.isEmpty() || !QFileInfo(python).isExecutable())
        QSKIP("no system python3");
    QProcess probe;
    probe.start(python, {"-c", "import h5py, numpy"});
    if (!probe.waitForFinished(60000) || probe.exitCode() != 0)
        QSKIP("python3 has no h5py");

    const Checkpoint want = sample_checkpoint();
    tb::io::save_checkpoint(want, path("h5py.h5"));
    QProcess reader;
    reader.start(python,
                 {QStringLiteral(TB_SOURCE_DIR "/tests/reference/checkpoint/read_checkpoint.py"),
                  qs(path("h5py.h5"))});
    QVERIFY(reader.waitForFinished(120000));
    QVERIFY2(reader.exitCode() == 0, reader.readAllStandardError().constData());
    QJsonParseError parse_error;
    const QJsonObject out =
        QJsonDocument::fromJson(reader.readAllStandardOutput(), &parse_error).object();
    QVERIFY2(parse_error.error == QJsonParseError::NoError, qPrintable(parse_error.errorString()));

    const QJsonObject root = out["root_attrs"].toObject();
    QCOMPARE(root["format"].toString(), QString("tunebench-checkpoint"));
    QCOMPARE(root["format_version"].toInt(), tb::io::kCheckpointFormatVersion);
    QCOMPARE(root["created"].toString(), qs(want.created));
    QCOMPARE(root["tunebench_version"].toString(), QString(TUNEBENCH_VERSION));
    QCOMPARE(out["config_yaml"].toString(), qs(want.config_yaml));

    // Tensors: same order, shapes, numpy dtypes and values; dotted names are flat datasets.
    QCOMPARE(out["model_groups"].toInt(), 0);
    auto check_tensors = [](const QJsonArray& got, const std::vector<TensorBlob>& blobs) {
        QCOMPARE(got.size(), static_cast<qsizetype>(blobs.size()));
        for (std::size_t i = 0; i < blobs.size(); ++i) {
            const QJsonArray entry = got[static_cast<qsizetype>(i)].toArray();
            const TensorBlob& blob = blobs[i];
            QCOMPARE(entry[0].toString(), qs(blob.name));
            const QJsonObject info = entry[1].toObject();
            QCOMPARE(info["dtype"].toString(), QString(numpy_dtype(blob.dtype)));
            QJsonArray shape;
            for (auto d : blob.shape)
                shape.append(static_cast<qint64>(d));
            QCOMPARE(info["shape"].toArray(), shape);
            const std::vector<double> values = values_of(blob);
            QJsonArray expected_values;
            double sum = 0;
            for (double v : values) {
                expected_values.append(v);
                sum += v;
            }
            QCOMPARE(info["values"].toArray(), expected_values);
            QCOMPARE(info["sum"].toDouble(), sum);
            if (blob.dtype == DType::BF16)
                QCOMPARE(info["attrs"].toObject()["dtype"].toString(), QString("bfloat16"));
        }
    };
    check_tensors(out["model"].toArray(), want.model);
    check_tensors(out["optimizer"].toArray(), want.optimizer);
    check_tensors(out["rng"].toArray(), want.rng);

    const QJsonObject trainer = out["trainer_attrs"].toObject();
    QCOMPARE(trainer["epoch"].toInt(), want.trainer.epoch);
    QCOMPARE(trainer["global_step"].toVariant().toLongLong(), want.trainer.global_step);
    QCOMPARE(trainer["step_in_epoch"].toInt(), 17);
    QCOMPARE(trainer["best_metric"].toDouble(), want.trainer.best_metric);
    QCOMPARE(trainer["best_metric_name"].toString(), QString("macro_f1"));
    QCOMPARE(trainer["state"].toString(), QString("cancelled"));
    QVERIFY(trainer.contains("seed"));  // a JSON double cannot hold the exact uint64

    auto check_strings = [](const QJsonObject& got, const std::vector<std::string>& want) {
        QCOMPARE(got["encoding"].toString(), QString("utf-8"));
        QVERIFY(got["variable_length"].toBool());
        QStringList expected;
        for (const auto& s : want)
            expected << qs(s);
        QCOMPARE(got["values"].toVariant().toStringList(), expected);
    };
    check_strings(out["labels"].toObject(), want.labels);
    check_strings(out["vocab"].toObject(), want.vocab);

    const QJsonObject metrics = out["metrics"].toObject();
    QCOMPARE(metrics.size(), static_cast<qsizetype>(want.metrics.size()));
    for (const auto& [series, values] : want.metrics) {
        const QJsonObject m = metrics[qs(series)].toObject();
        QCOMPARE(m["dtype"].toString(), QString("float64"));
        QJsonArray expected;
        for (double v : values)
            expected.append(v);
        QCOMPARE(m["values"].toArray(), expected);
    }
}

void TstCheckpoint::h5dumpReadsTheCheckpoint() {
    const QString h5dump = QStandardPaths::findExecutable("h5dump");
    if (h5dump.isEmpty())
        QSKIP("h5dump is not installed");
    tb::io::save_checkpoint(sample_checkpoint(), path("h5dump.h5"));
    for (const QStringList& args :
         {QStringList{"-H", qs(path("h5dump.h5"))}, QStringList{qs(path("h5dump.h5"))}}) {
        QProcess dump;
        dump.start(h5dump, args);
        QVERIFY(dump.waitForFinished(60000));
        const QString text = QString::fromUtf8(dump.readAllStandardOutput());
        QVERIFY2(dump.exitCode() == 0, dump.readAllStandardError().constData());
        QVERIFY(text.contains("DATASET \"bert.encoder.layer.0.attention.self.query.weight\""));
        QVERIFY(text.contains("ATTRIBUTE \"format\""));
        QVERIFY(text.contains("GROUP \"bert.pooler.dense.bias\""));  // optimizer param group
    }
}

// Another program's writer: h5py's native bool/float16 types, big-endian numbers, no creation
// order (name order instead), fixed-length strings.
void TstCheckpoint::loadsACheckpointWrittenByH5py() {
    const QString python = QStringLiteral(TB_SYSTEM_PYTHON);
    if (python.isEmpty() || !QFileInfo(python).isExecutable())
        QSKIP("no system python3");
    QProcess probe;
    probe.start(python, {"-c", "import h5py, numpy"});
    if (!probe.waitForFinished(60000) || probe.exitCode() != 0)
        QSKIP("python3 has no h5py");
    QProcess writer;
    writer.start(python,
                 {QStringLiteral(TB_SOURCE_DIR "/tests/reference/checkpoint/write_checkpoint.py"),
                  qs(path("foreign.h5"))});
    QVERIFY(writer.waitForFinished(120000));
    QVERIFY2(writer.exitCode() == 0, writer.readAllStandardError().constData());

    const Checkpoint got = tb::io::load_checkpoint(path("foreign.h5"));
    QCOMPARE(got.created, std::string("2023-01-02T03:04:05Z"));
    QCOMPARE(got.tunebench_version, std::string("0.0.1"));
    QCOMPARE(got.config_yaml, std::string("training:\n  epochs: 1\n"));
    const std::vector<TensorBlob> want_model = {
        make_blob<std::uint8_t>("a.mask", DType::Bool, {3}, {1, 0, 1}),
        make_blob<float>("b.weight", DType::F32, {2, 2}, {1.5f, -2.f, 0.25f, 8.f}),
        make_blob<std::uint16_t>("c.half", DType::F16, {3}, {0x3C00, 0xC100, 0x7BFF}),
        make_blob<std::int64_t>("d.ids", DType::I64, {2}, {3, -4}),
        make_blob<double>("e.scalar", DType::F64, {}, {0.5}),
    };
    compare_blobs(got.model, want_model);
    compare_blobs(got.optimizer,
                  {make_blob<float>("b.weight/exp_avg", DType::F32, {2, 2}, {0, 0, 0, 0})});
    QVERIFY(got.rng.empty());
    QCOMPARE(got.trainer.epoch, 1);
    QCOMPARE(got.trainer.global_step, std::int64_t{7});
    QCOMPARE(got.trainer.step_in_epoch, std::int64_t{2});
    QCOMPARE(got.trainer.best_metric, 0.5);
    QCOMPARE(got.trainer.best_metric_name, std::string("accuracy"));
    QCOMPARE(got.trainer.seed, std::uint64_t{123});
    QCOMPARE(got.trainer.state, std::string("finished"));
    // Attributes added later are optional: absent ones load as their defaults.
    QCOMPARE(got.trainer.data_hash, std::string());
    QCOMPARE(got.trainer.best_step, std::int64_t{-1});
    QCOMPARE(got.trainer.skipped_steps, std::int64_t{0});
    QCOMPARE(got.labels, (std::vector<std::string>{"好", "坏"}));
    QCOMPARE(got.vocab, (std::vector<std::string>{"[PAD]", "[UNK]"}));
    QCOMPARE(got.metrics.at("eval_accuracy"), (std::vector<double>{0.25, 0.5}));
}

QTEST_APPLESS_MAIN(TstCheckpoint)
#include "tst_checkpoint.moc"
