// h5py (no tunebench code) reads a multi-megabyte checkpoint as documented in
// docs/checkpoint-format.md: the tensors tunebench streams past HDF5 land exactly where HDF5's
// own metadata says they are. tst_checkpoint covers every dtype and field on small tensors.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>

#include "checkpoint_kill_content.h"
#include "io/checkpoint.h"

namespace {

double sum_of(const tb::TensorBlob& blob) {
    double sum = 0;
    for (std::size_t i = 0; i < blob.bytes.size() / sizeof(float); ++i) {
        float v = 0;
        std::memcpy(&v, blob.bytes.data() + i * sizeof(float), sizeof v);
        sum += v;
    }
    return sum;
}

}  // namespace

class TstCheckpointH5py : public QObject {
    Q_OBJECT

private slots:
    void h5pyReadsAStreamedCheckpoint();
};

void TstCheckpointH5py::h5pyReadsAStreamedCheckpoint() {
    const QString python = QStringLiteral(TB_SYSTEM_PYTHON);
    if (python.isEmpty() || !QFileInfo(python).isExecutable())
        QSKIP("no system python3");
    QProcess probe;
    probe.start(python, {"-c", "import h5py, numpy"});
    if (!probe.waitForFinished(60000) || probe.exitCode() != 0)
        QSKIP("python3 has no h5py");

    QTemporaryDir dir;
    const std::string path = dir.filePath("large.h5").toStdString();
    const tb::io::Checkpoint want = tb::kill_test::checkpoint_for(41);
    tb::io::save_checkpoint(want, path);

    QProcess reader;
    reader.start(python,
                 {QStringLiteral(TB_SOURCE_DIR "/tests/reference/checkpoint/read_checkpoint.py"),
                  QString::fromStdString(path)});
    QVERIFY(reader.waitForFinished(120000));
    QVERIFY2(reader.exitCode() == 0, reader.readAllStandardError().constData());
    const QJsonObject out = QJsonDocument::fromJson(reader.readAllStandardOutput()).object();
    QCOMPARE(out["root_attrs"].toObject()["format"].toString(), QString("tunebench-checkpoint"));
    QCOMPARE(out["trainer_attrs"].toObject()["global_step"].toInt(), 41);
    QCOMPARE(out["config_yaml"].toString(), QString::fromStdString(want.config_yaml));

    auto check = [](const QJsonArray& got, const std::vector<tb::TensorBlob>& tensors) {
        QCOMPARE(got.size(), static_cast<qsizetype>(tensors.size()));
        for (std::size_t i = 0; i < tensors.size(); ++i) {
            const QJsonArray entry = got[static_cast<qsizetype>(i)].toArray();
            const QJsonObject info = entry[1].toObject();
            QCOMPARE(entry[0].toString(), QString::fromStdString(tensors[i].name));
            QCOMPARE(info["dtype"].toString(), QString("float32"));
            QCOMPARE(info["shape"].toArray(), QJsonArray{static_cast<qint64>(tensors[i].numel())});
            // numpy sums pairwise, this loop in order: equal up to rounding.
            const double want_sum = sum_of(tensors[i]);
            const double got_sum = info["sum"].toDouble();
            QVERIFY2(std::abs(got_sum - want_sum) <= 1e-9 * (1 + std::abs(want_sum)),
                     qPrintable(QString("%1: %2 vs %3")
                                    .arg(QString::fromStdString(tensors[i].name))
                                    .arg(got_sum, 0, 'g', 17)
                                    .arg(want_sum, 0, 'g', 17)));
        }
    };
    check(out["model"].toArray(), want.model);
    check(out["optimizer"].toArray(), want.optimizer);
    const QJsonArray loss = out["metrics"].toObject()["train_loss"].toObject()["values"].toArray();
    QCOMPARE(loss, QJsonArray{want.metrics.at("train_loss")[0]});
}

QTEST_APPLESS_MAIN(TstCheckpointH5py)
#include "tst_checkpoint_h5py.moc"
