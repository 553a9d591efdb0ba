// kill -9 during checkpoint saves: a writer process saving in a loop is SIGKILLed at random
// moments; every file the folder scan calls complete must load and hold exactly one written
// iteration, the newest must be the last save that finished, and saving there again works.
// TB_KILL_COUNT sets the number of kills (default 8; the "long" variant runs 60) and
// TB_KILL_SEED the random seed (printed, so a failure can be replayed).
#include <QTemporaryDir>
#include <QtTest>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <random>
#include <thread>

#include "checkpoint_kill_content.h"
#include "common/error.h"
#include "io/checkpoint_scan.h"

extern char** environ;

namespace {

long env_number(const char* name, long fallback) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? std::strtol(value, nullptr, 10) : fallback;
}

// The last iteration the writer logged as finished, or -1.
std::int64_t last_logged(const std::string& dir) {
    std::ifstream in(dir + "/progress.log");
    std::int64_t last = -1, value = 0;
    std::string line;
    while (std::getline(in, line))
        if (!line.empty() && std::sscanf(line.c_str(), "%ld", &value) == 1)
            last = value;
    return last;
}

pid_t start_writer(const std::string& dir, std::int64_t first) {
    const std::string exe = TB_KILL_WRITER;
    const std::string first_text = std::to_string(first);
    std::vector<char*> argv = {const_cast<char*>(exe.c_str()), const_cast<char*>(dir.c_str()),
                               const_cast<char*>(first_text.c_str()), nullptr};
    pid_t pid = -1;
    if (::posix_spawn(&pid, exe.c_str(), nullptr, nullptr, argv.data(), environ) != 0)
        return -1;
    return pid;
}

}  // namespace

class TstCheckpointKill : public QObject {
    Q_OBJECT

private slots:
    void killDuringSaves();
};

void TstCheckpointKill::killDuringSaves() {
    const long kills = env_number("TB_KILL_COUNT", 8);
    const auto seed = static_cast<std::uint32_t>(
        env_number("TB_KILL_SEED", static_cast<long>(std::random_device{}() & 0x7fffffff)));
    qInfo("kills: %ld, seed: %u (replay with TB_KILL_SEED=%u)", kills, seed, seed);
    std::mt19937 rng(seed);
    // One save of the ~6.5 MB checkpoint takes tens of milliseconds here; delays spread over
    // several saves land at every phase (building the file, writing, fsync, rename).
    std::uniform_int_distribution<int> delay_ms(0, 400);

    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const std::string dir = tmp.path().toStdString();
    std::int64_t next = 0, previous_latest = -1;
    int kills_with_temp = 0;
    for (long k = 0; k < kills; ++k) {
        const pid_t pid = start_writer(dir, next);
        QVERIFY2(pid > 0, "cannot start the writer");
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
        QVERIFY(::kill(pid, SIGKILL) == 0);
        int status = 0;
        QVERIFY(::waitpid(pid, &status, 0) == pid);
        QVERIFY2(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
                 "the writer stopped on its own (an error?)");

        const auto scan = tb::io::list_checkpoints(dir);
        if (!scan.temp_files.empty())
            ++kills_with_temp;
        // Atomic saves never leave a damaged .h5: everything is either complete or a .tmp.
        for (const auto& problem : scan.damaged)
            QFAIL(qPrintable(QString::fromStdString(problem.path + ": " + problem.reason)));
        // Every complete file holds exactly the iteration its step says, byte for byte.
        for (const auto& info : scan.complete) {
            const tb::io::Checkpoint got = tb::io::load_checkpoint(info.path);
            QCOMPARE(got.trainer.global_step, info.global_step);
            QCOMPARE(info.path, dir + "/" + tb::kill_test::file_name(info.global_step));
            QCOMPARE(tb::kill_test::checksum(got),
                     tb::kill_test::checksum(tb::kill_test::checkpoint_for(info.global_step)));
        }
        // The newest complete one is the last save that finished: the last one logged or known
        // from the previous round (a save can finish just before its log line is written), or
        // the one after it. It never goes back.
        const auto latest = tb::io::find_latest_complete_checkpoint(dir);
        const std::int64_t confirmed = std::max(last_logged(dir), previous_latest);
        if (latest) {
            QVERIFY2(latest->global_step == confirmed || latest->global_step == confirmed + 1,
                     qPrintable(QString("newest %1, last known complete %2")
                                    .arg(latest->global_step)
                                    .arg(confirmed)));
            previous_latest = latest->global_step;
            next = latest->global_step + 1;
        } else {
            QVERIFY2(confirmed < 0, "a completed save is missing");
        }
    }
    qInfo("kills that left a .tmp (a save in progress): %d of %ld", kills_with_temp, kills);

    // A following save in the same folder succeeds and becomes the newest.
    tb::io::save_checkpoint(tb::kill_test::checkpoint_for(next),
                            dir + "/" + tb::kill_test::file_name(next));
    const auto cleaned = tb::io::list_checkpoints(dir, /*remove_temp_files=*/true);
    QVERIFY(cleaned.damaged.empty());
    QCOMPARE(cleaned.complete.back().global_step, next);
    QCOMPARE(tb::kill_test::checksum(tb::io::load_checkpoint(cleaned.complete.back().path)),
             tb::kill_test::checksum(tb::kill_test::checkpoint_for(next)));
    QVERIFY(tb::io::list_checkpoints(dir).temp_files.empty());
}

QTEST_APPLESS_MAIN(TstCheckpointKill)
#include "tst_checkpoint_kill.moc"
