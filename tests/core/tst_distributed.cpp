// Data-parallel equivalence on LibTorch's Gloo process group: 2 worker processes on loopback,
// each training on its shard of every global batch with gradients all-reduced, end with the
// same weights, losses and evaluation as one process trained on the whole batches.
#include <QtTest>

#include <QProcess>
#include <QTemporaryDir>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

namespace {

const char* const kLaunchVariables[] = {"MASTER_ADDR",    "MASTER_PORT",       "RANK",
                                        "WORLD_SIZE",     "LOCAL_RANK",        "SLURM_PROCID",
                                        "SLURM_NTASKS",   "SLURM_LOCALID",     "SLURM_JOB_NODELIST",
                                        "SLURM_NODELIST", "GLOO_SOCKET_IFNAME"};

// A port the kernel just handed out on loopback: free at this moment. Another process may still
// take it before rank 0 listens, so launches retry on "address in use".
int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
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
    return env;
}

struct Outcome {
    bool ok = false;
    bool port_taken = false;
    QString log;
};

// Starts one worker per environment and waits for all; a worker that hangs past `wait_ms`
// is killed (with its peers) so a stuck peer fails the test instead of blocking CI.
Outcome run_workers(const std::vector<QProcessEnvironment>& envs, const QStringList& args,
                    const std::vector<QString>& outputs, int wait_ms) {
    std::vector<std::unique_ptr<QProcess>> procs;
    for (std::size_t i = 0; i < envs.size(); ++i) {
        auto p = std::make_unique<QProcess>();
        p->setProcessEnvironment(envs[i]);
        p->setProcessChannelMode(QProcess::MergedChannels);
        p->start(QStringLiteral(TB_DISTRIBUTED_WORKER), QStringList{outputs[i]} + args);
        procs.push_back(std::move(p));
    }
    Outcome outcome;
    outcome.ok = true;
    QElapsedTimer clock;
    clock.start();
    for (std::size_t i = 0; i < procs.size(); ++i) {
        auto& p = *procs[i];
        const int left = std::max(1, wait_ms - static_cast<int>(clock.elapsed()));
        if (!p.waitForFinished(left)) {
            outcome.ok = false;
            outcome.log += QStringLiteral("worker %1 did not finish in time\n").arg(i);
            for (auto& q : procs)
                q->kill();
            for (auto& q : procs)
                q->waitForFinished(5000);
        }
        const QString text = QString::fromLocal8Bit(p.readAll());
        outcome.log +=
            QStringLiteral("--- worker %1 (exit %2):\n%3").arg(i).arg(p.exitCode()).arg(text);
        if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
            outcome.ok = false;
        if (text.contains(QLatin1String("in use")))
            outcome.port_taken = true;
    }
    return outcome;
}

nlohmann::json read_json(const QString& path) {
    std::ifstream in(path.toStdString());
    return nlohmann::json::parse(in);
}

double max_abs_diff(const std::vector<double>& a, const std::vector<double>& b) {
    double worst = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i)
        worst = std::max(worst, std::abs(a[i] - b[i]));
    return worst;
}

}  // namespace

class TstDistributed : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    nlohmann::json single(const QString& mode) {
        const QString out = dir_.filePath("single-" + mode + ".json");
        const auto outcome = run_workers({clean_environment()}, {mode, "20"}, {out}, 60000);
        if (!outcome.ok)
            qWarning().noquote() << outcome.log;
        return outcome.ok ? read_json(out) : nlohmann::json();
    }

    // Two ranks on loopback; `slurm` uses Slurm's variables instead of torchrun's.
    std::vector<nlohmann::json> pair(const QString& mode, bool slurm) {
        for (int attempt = 0; attempt < 3; ++attempt) {
            const QString port = QString::number(free_port());
            std::vector<QProcessEnvironment> envs;
            std::vector<QString> outs;
            for (int r = 0; r < 2; ++r) {
                auto env = clean_environment();
                env.insert("MASTER_PORT", port);
                if (slurm) {
                    env.insert("SLURM_PROCID", QString::number(r));
                    env.insert("SLURM_NTASKS", "2");
                    env.insert("SLURM_LOCALID", QString::number(r));
                    env.insert("SLURM_JOB_NODELIST", "127.0.0.1");
                } else {
                    env.insert("MASTER_ADDR", "127.0.0.1");
                    env.insert("RANK", QString::number(r));
                    env.insert("WORLD_SIZE", "2");
                    env.insert("LOCAL_RANK", QString::number(r));
                }
                envs.push_back(env);
                outs.push_back(dir_.filePath(QStringLiteral("%1-%2-rank%3.json")
                                                 .arg(mode, slurm ? "slurm" : "torchrun")
                                                 .arg(r)));
            }
            const auto outcome = run_workers(envs, {mode, "20"}, outs, 60000);
            if (outcome.ok)
                return {read_json(outs[0]), read_json(outs[1])};
            if (!outcome.port_taken) {
                qWarning().noquote() << outcome.log;
                return {};
            }
        }
        return {};
    }

    void compare_with_single(const std::vector<nlohmann::json>& ranks,
                             const nlohmann::json& single) {
        QCOMPARE(ranks.size(), std::size_t{2});
        QCOMPARE(single["world_size"].get<int>(), 1);
        for (int r = 0; r < 2; ++r) {
            const auto& got = ranks[static_cast<std::size_t>(r)];
            QCOMPARE(got["rank"].get<int>(), r);
            QCOMPARE(got["world_size"].get<int>(), 2);
            QCOMPARE(got["backend"].get<std::string>(), std::string("gloo"));
            const auto w = got["weights"].get<std::vector<double>>();
            const auto w1 = single["weights"].get<std::vector<double>>();
            QCOMPARE(w.size(), w1.size());
            const double dw = max_abs_diff(w, w1);
            QVERIFY2(dw <= 1e-6, qPrintable(QStringLiteral("weights differ by %1").arg(dw)));
            qInfo("rank %d: largest weight difference to one process %.3g", r, dw);
            const auto l = got["losses"].get<std::vector<double>>();
            QCOMPARE(l.size(), std::size_t{10});
            QVERIFY(max_abs_diff(l, single["losses"].get<std::vector<double>>()) <= 1e-6);
            // Evaluation: every example scored once, on exactly one rank.
            QCOMPARE(got["predictions"], single["predictions"]);
            QCOMPARE(got["correct"], single["correct"]);
            // A sum of 40 float32 losses: compare relative to its size.
            const double e = got["eval_loss"].get<double>(), e1 = single["eval_loss"].get<double>();
            QVERIFY2(
                std::abs(e - e1) <= 1e-6 * std::max(1.0, std::abs(e1)),
                qPrintable(
                    QStringLiteral("eval loss %1 vs %2").arg(e, 0, 'g', 17).arg(e1, 0, 'g', 17)));
        }
        // Both ranks apply the same reduced gradients: bit-identical replicas.
        QCOMPARE(ranks[0]["weights"], ranks[1]["weights"]);
        // Training moved the weights (a test that cannot fail proves nothing).
        QVERIFY(single["losses"].front().get<double>() != single["losses"].back().get<double>());
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QProcess probe;
        probe.start(QStringLiteral(TB_DISTRIBUTED_WORKER), {QStringLiteral("--backends")});
        QVERIFY(probe.waitForFinished(60000));
        if (!probe.readAllStandardOutput().split('\n').contains("gloo"))
            QSKIP("this LibTorch build has no Gloo process group (or its headers are missing)");
    }

    void twoRanksMatchOneProcessContiguous() {
        const auto single_run = single("contiguous");
        QVERIFY(!single_run.is_null());
        const auto ranks = pair("contiguous", /*slurm=*/false);
        QVERIFY(!ranks.empty());
        compare_with_single(ranks, single_run);
    }

    void twoRanksFromSlurmVariablesStrided() {
        const auto single_run = single("strided");
        QVERIFY(!single_run.is_null());
        const auto ranks = pair("strided", /*slurm=*/true);
        QVERIFY(!ranks.empty());
        compare_with_single(ranks, single_run);
    }

    // Rank 1 never starts: rank 0 must give up after its timeout with a message, not hang.
    void missingPeerFailsWithinTimeout() {
        auto env = clean_environment();
        env.insert("MASTER_ADDR", "127.0.0.1");
        env.insert("MASTER_PORT", QString::number(free_port()));
        env.insert("RANK", "0");
        env.insert("WORLD_SIZE", "2");
        const auto outcome =
            run_workers({env}, {"contiguous", "2"}, {dir_.filePath("lonely.json")}, 60000);
        QVERIFY(!outcome.ok);
        QVERIFY2(outcome.log.contains("rendezvous"), qPrintable(outcome.log));
        QVERIFY2(!outcome.log.contains("did not finish"), qPrintable(outcome.log));
    }
};

QTEST_GUILESS_MAIN(TstDistributed)
#include "tst_distributed.moc"
