// `tunebench-cli train` as 2 data-parallel processes (torchrun-style variables, Gloo on
// loopback) against the same experiment in 1 process: same final weights (float tolerance),
// same evaluation, and only rank 0 writes a run folder.
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "io/checkpoint.h"

namespace fs = std::filesystem;

namespace {

const char* const kLaunchVariables[] = {
    "MASTER_ADDR",    "MASTER_PORT",        "RANK",
    "WORLD_SIZE",     "LOCAL_RANK",         "SLURM_PROCID",
    "SLURM_NTASKS",   "SLURM_LOCALID",      "SLURM_JOB_NODELIST",
    "SLURM_NODELIST", "GLOO_SOCKET_IFNAME", "TUNEBENCH_DIST_BACKEND"};

QString cli_path() {
    return QStringLiteral(TB_BINARY_DIR "/app/tunebench-cli");
}

QString fixture(const char* name) {
    return QStringLiteral(TB_FIXTURES_DIR "/") + name;
}

int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
        socklen_t len = sizeof addr;
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
        port = ntohs(addr.sin_port);
    }
    ::close(fd);
    return port;
}

QProcessEnvironment clean_environment() {
    auto env = QProcessEnvironment::systemEnvironment();
    for (const char* name : kLaunchVariables)
        env.remove(name);
    env.insert("TUNEBENCH_DIST_TIMEOUT", "60");  // a stuck peer fails the run, not CI
    return env;
}

struct Result {
    bool ok = true;
    bool port_taken = false;
    QString log;
};

Result run_all(const std::vector<QProcessEnvironment>& envs, const QStringList& args,
               const QString& workdir) {
    std::vector<std::unique_ptr<QProcess>> procs;
    for (const auto& env : envs) {
        auto p = std::make_unique<QProcess>();
        p->setProcessEnvironment(env);
        p->setWorkingDirectory(workdir);
        p->start(cli_path(), args);
        procs.push_back(std::move(p));
    }
    Result result;
    for (std::size_t i = 0; i < procs.size(); ++i) {
        auto& p = *procs[i];
        if (!p.waitForFinished(240000)) {
            result.ok = false;
            for (auto& q : procs)
                q->kill();
            for (auto& q : procs)
                q->waitForFinished(5000);
        }
        const QString out = QString::fromLocal8Bit(p.readAllStandardOutput());
        const QString err = QString::fromLocal8Bit(p.readAllStandardError());
        result.log +=
            QStringLiteral("--- process %1 exit %2\n%3%4").arg(i).arg(p.exitCode()).arg(out, err);
        if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
            result.ok = false;
        if (err.contains(QLatin1String("in use")))
            result.port_taken = true;
    }
    return result;
}

std::vector<fs::path> run_folders(const fs::path& runs) {
    std::vector<fs::path> out;
    if (fs::exists(runs))
        for (const auto& e : fs::directory_iterator(runs))
            out.push_back(e.path());
    return out;
}

nlohmann::json read_json(const fs::path& path) {
    std::ifstream in(path);
    return nlohmann::json::parse(in);
}

std::vector<float> floats(const tb::TensorBlob& blob) {
    std::vector<float> v(static_cast<std::size_t>(blob.numel()));
    std::memcpy(v.data(), blob.bytes.data(), v.size() * sizeof(float));
    return v;
}

// The dev/test records of metrics.jsonl, without timings.
std::vector<nlohmann::json> evaluations(const fs::path& run) {
    std::vector<nlohmann::json> out;
    std::ifstream in(run / "metrics.jsonl");
    std::string line;
    while (std::getline(in, line)) {
        auto j = nlohmann::json::parse(line);
        if (j["kind"] == "dev" || j["kind"] == "test")
            out.push_back(j);
    }
    return out;
}

}  // namespace

class TstCliDistributed : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

    void write_experiment(const QString& dir) {
        std::ofstream(QDir(dir).filePath("exp.yaml").toStdString())
            << "name: dist\n"
            << "dataset:\n  path: " << fixture("e2e/tiny_sentiment.csv").toStdString() << "\n"
            << "model:\n  path: " << tmp_.filePath("model").toStdString()
            << "\n  max_length: 32\n  classifier_dropout: 0.0\n"
            << "training:\n  epochs: 2\n  batch_size: 8\n  learning_rate: 0.001\n"
            << "  device: cpu\n  seed: 5\n  prefetch_batches: 0\n"
            << "output:\n  runs_dir: runs\n";
    }

private slots:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        QProcess init;
        init.start(cli_path(), {"init-model", "--corpus", fixture("e2e/tiny_sentiment.csv"),
                                "--out", tmp_.filePath("model"), "--hidden", "32", "--layers", "1",
                                "--heads", "2", "--intermediate", "64", "--max-positions", "64",
                                "--vocab-size", "400", "--seed", "3"});
        QVERIFY(init.waitForFinished(120000));
        QCOMPARE(init.exitCode(), 0);
        // Dropout draws random masks per process: without it the 1- and 2-process runs compute
        // the same function and must agree to float rounding.
        const auto config_path = fs::path(tmp_.filePath("model").toStdString()) / "config.json";
        auto config = read_json(config_path);
        config["hidden_dropout_prob"] = 0.0;
        config["attention_probs_dropout_prob"] = 0.0;
        std::ofstream(config_path) << config.dump(2);
    }

    void twoProcessesTrainLikeOne() {
        const QString single_dir = tmp_.filePath("single"), dist_dir = tmp_.filePath("dist");
        QVERIFY(QDir().mkpath(single_dir) && QDir().mkpath(dist_dir));
        write_experiment(single_dir);
        write_experiment(dist_dir);

        const auto single = run_all({clean_environment()}, {"train", "exp.yaml"}, single_dir);
        QVERIFY2(single.ok, qPrintable(single.log));

        Result pair;
        for (int attempt = 0; attempt < 3; ++attempt) {
            const QString port = QString::number(free_port());
            std::vector<QProcessEnvironment> envs;
            for (int r = 0; r < 2; ++r) {
                auto env = clean_environment();
                env.insert("MASTER_ADDR", "127.0.0.1");
                env.insert("MASTER_PORT", port);
                env.insert("WORLD_SIZE", "2");
                env.insert("RANK", QString::number(r));
                env.insert("LOCAL_RANK", QString::number(r));
                envs.push_back(env);
            }
            pair = run_all(envs, {"train", "exp.yaml"}, dist_dir);
            if (pair.ok || !pair.port_taken)
                break;
            fs::remove_all(fs::path(dist_dir.toStdString()) / "runs");
        }
        QVERIFY2(pair.ok, qPrintable(pair.log));

        // Only rank 0 wrote a run folder.
        const auto single_runs = run_folders(fs::path(single_dir.toStdString()) / "runs");
        const auto dist_runs = run_folders(fs::path(dist_dir.toStdString()) / "runs");
        QCOMPARE(single_runs.size(), std::size_t{1});
        QCOMPARE(dist_runs.size(), std::size_t{1});

        const auto single_status = read_json(single_runs[0] / "run.json");
        const auto dist_status = read_json(dist_runs[0] / "run.json");
        QCOMPARE(dist_status["state"].get<std::string>(), std::string("finished"));
        const auto a = tb::io::load_checkpoint(single_status["last_checkpoint"].get<std::string>());
        const auto b = tb::io::load_checkpoint(dist_status["last_checkpoint"].get<std::string>());
        QCOMPARE(a.trainer.global_step, b.trainer.global_step);
        QVERIFY(a.trainer.global_step > 0);
        QCOMPARE(a.model.size(), b.model.size());
        double worst = 0.0;
        for (std::size_t t = 0; t < a.model.size(); ++t) {
            QCOMPARE(a.model[t].name, b.model[t].name);
            const auto x = floats(a.model[t]), y = floats(b.model[t]);
            QCOMPARE(x.size(), y.size());
            for (std::size_t i = 0; i < x.size(); ++i)
                worst = std::max(worst, static_cast<double>(std::abs(x[i] - y[i])));
        }
        qInfo("largest weight difference, 2 processes vs 1: %.3g", worst);
        QVERIFY2(worst <= 1e-5, qPrintable(QString::number(worst)));

        // Sharded evaluation gives the single-process metrics.
        const auto ea = evaluations(single_runs[0]), eb = evaluations(dist_runs[0]);
        QCOMPARE(ea.size(), eb.size());
        QVERIFY(!ea.empty());
        for (std::size_t i = 0; i < ea.size(); ++i) {
            QCOMPARE(ea[i]["kind"], eb[i]["kind"]);
            QCOMPARE(ea[i]["step"], eb[i]["step"]);
            QCOMPARE(ea[i]["report"]["confusion_matrix"], eb[i]["report"]["confusion_matrix"]);
            QVERIFY(std::abs(ea[i]["loss"].get<double>() - eb[i]["loss"].get<double>()) <= 1e-5);
        }
    }
};

QTEST_GUILESS_MAIN(TstCliDistributed)
#include "tst_cli_distributed.moc"
