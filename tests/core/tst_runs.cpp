// Tests reading run folders: the run catalog (run.json, ordering, broken files, stale runs)
// and following a growing metrics.jsonl (partial lines, truncation, replacement).
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <string>

#include "runs/metrics_tail.h"
#include "runs/run_catalog.h"

namespace fs = std::filesystem;

namespace {

fs::path fresh_dir(const std::string& name) {
    const auto dir = fs::temp_directory_path() / "tb_runs_test" / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

void write(const fs::path& p, const std::string& text, bool append = false) {
    std::ofstream out(p, append ? std::ios::app | std::ios::binary : std::ios::binary);
    out << text;
}

const char* kTrainLine =
    R"json({"kind":"train","epoch":1,"step":%STEP%,"loss":0.5,"learning_rate":2e-05,"grad_norm":1.5})json";

std::string train_line(int step) {
    std::string s = kTrainLine;
    s.replace(s.find("%STEP%"), 6, std::to_string(step));
    return s + "\n";
}

}  // namespace

class TestRuns : public QObject {
    Q_OBJECT
private slots:
    void readsRunJson() {
        const auto dir = fresh_dir("one") / "exp-20261126-010000";
        fs::create_directories(dir);
        write(
            dir / "run.json",
            R"json({"state":"finished","experiment":"exp","device":"cpu","started":"2026-11-26T01:00:00Z",
                  "ended":"2026-11-26T01:05:00Z","wall_seconds":300.5,
                  "last_checkpoint":"/x/epoch-002.h5","best_checkpoint":"/x/epoch-001.h5",
                  "resumed_from":{"run_dir":"/runs/parent","global_step":10}})json");
        const auto r = tb::runs::read_run_summary(dir.string());
        QCOMPARE(r.state, std::string("finished"));
        QCOMPARE(r.name, std::string("exp-20261126-010000"));
        QCOMPARE(r.experiment, std::string("exp"));
        QCOMPARE(r.wall_seconds, 300.5);
        QCOMPARE(r.best_checkpoint, std::string("/x/epoch-001.h5"));
        QCOMPARE(r.resumed_from, std::string("/runs/parent"));
        QVERIFY(r.problem.empty());
        QVERIFY(r.last_activity > 0);
    }

    void brokenRunJsonIsAProblemNotAnException() {
        const auto dir = fresh_dir("broken");
        write(dir / "run.json", "{\"state\": \"runn");  // cut off mid-write by a crash
        const auto r = tb::runs::read_run_summary(dir.string());
        QCOMPARE(r.state, std::string("unknown"));
        QVERIFY2(r.problem.find("not valid JSON") != std::string::npos, r.problem.c_str());
        const auto missing = tb::runs::read_run_summary((dir / "nope").string());
        QVERIFY(!missing.problem.empty());
    }

    void listsRunsNewestFirstAndIgnoresOtherFolders() {
        const auto root = fresh_dir("list");
        const std::vector<std::pair<std::string, std::string>> runs_started = {
            {"a", "2026-11-26T01:00:00Z"},
            {"b", "2026-11-26T03:00:00Z"},
            {"c", "2026-11-26T02:00:00Z"}};
        for (const auto& run : runs_started) {
            fs::create_directories(root / run.first);
            write(root / run.first / "run.json",
                  "{\"state\":\"finished\",\"started\":\"" + run.second + "\"}");
        }
        fs::create_directories(root / "not-a-run");
        write(root / "stray.txt", "x");
        const auto runs = tb::runs::list_runs(root.string());
        QCOMPARE(runs.size(), std::size_t(3));
        QCOMPARE(runs[0].name, std::string("b"));
        QCOMPARE(runs[1].name, std::string("c"));
        QCOMPARE(runs[2].name, std::string("a"));
        QVERIFY(tb::runs::list_runs((root / "absent").string()).empty());
    }

    void staleRunningRunIsMarked() {
        tb::runs::RunSummary r;
        r.state = "running";
        r.last_activity = 1000;
        QCOMPARE(tb::runs::display_state(r, 1000 + 60), std::string("running"));
        QCOMPARE(tb::runs::display_state(r, 1000 + 3600), std::string("running?"));
        r.state = "finished";
        QCOMPARE(tb::runs::display_state(r, 1000 + 3600), std::string("finished"));
    }

    void tailReturnsOnlyCompleteNewLines() {
        const auto dir = fresh_dir("tail");
        const auto log = dir / "metrics.jsonl";
        tb::runs::MetricsTail tail(log.string());
        QVERIFY(tail.poll().empty());  // not created yet
        write(log, train_line(1) + train_line(2));
        auto got = tail.poll();
        QCOMPARE(got.size(), std::size_t(2));
        QCOMPARE(got[1].step, std::int64_t(2));
        QCOMPARE(got[0].learning_rate, 2e-05);
        QVERIFY(tail.poll().empty());  // nothing new

        // A writer in the middle of a line: nothing until the line is complete.
        const std::string third = train_line(3);
        write(log, third.substr(0, 20), /*append=*/true);
        QVERIFY(tail.poll().empty());
        write(log, third.substr(20), /*append=*/true);
        got = tail.poll();
        QCOMPARE(got.size(), std::size_t(1));
        QCOMPARE(got[0].step, std::int64_t(3));
    }

    void tailParsesEvaluationsAndSkipsGarbage() {
        const auto dir = fresh_dir("eval");
        const auto log = dir / "metrics.jsonl";
        write(
            log,
            R"json({"kind":"dev","epoch":1,"step":5,"loss":0.4,"report":{"accuracy":0.75,"macro avg":{"f1":0.7,"precision":0.7,"recall":0.7}}})json"
            "\nnot json\n{\"no_kind\":1}\n");
        tb::runs::MetricsTail tail(log.string());
        const auto got = tail.poll();
        QCOMPARE(got.size(), std::size_t(1));
        QCOMPARE(got[0].kind, std::string("dev"));
        QCOMPARE(got[0].accuracy, 0.75);
        QCOMPARE(got[0].macro_f1, 0.7);
        QVERIFY(std::isnan(got[0].learning_rate));
        QCOMPARE(tail.skipped_lines(), std::int64_t(2));
    }

    void tailStartsOverWhenTheFileIsReplaced() {
        const auto dir = fresh_dir("replace");
        const auto log = dir / "metrics.jsonl";
        write(log, train_line(1) + train_line(2) + train_line(3));
        tb::runs::MetricsTail tail(log.string());
        QCOMPARE(tail.poll().size(), std::size_t(3));
        // A new file under the same name (e.g. copied again from a cluster) that is shorter.
        const auto tmp = dir / "metrics.jsonl.new";
        write(tmp, train_line(1));
        fs::rename(tmp, log);
        const auto got = tail.poll();
        QVERIFY(tail.restarted());
        QCOMPARE(got.size(), std::size_t(1));
        QCOMPARE(got[0].step, std::int64_t(1));
    }
};

QTEST_APPLESS_MAIN(TestRuns)
#include "tst_runs.moc"
