// Tests the Runs page on hand-made run folders: listing and states, checkpoint list without
// temporary files, live curves from a growing metrics log, and no Resume for broken files.
// Resuming a real run through the GUI is tested in tst_resume_gui.
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QtTest>

#include <filesystem>
#include <fstream>

#include "document/experiment_document.h"
#include "pages/runs_page.h"
#include "views/loss_plot.h"

using namespace tb::ui;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& p, const std::string& text, bool append = false) {
    std::ofstream(p, append ? std::ios::app | std::ios::binary : std::ios::binary) << text;
}

std::string trainLine(int step, double loss) {
    return R"json({"kind":"train","epoch":1,"step":)json" + std::to_string(step) +
           R"json(,"loss":)json" + std::to_string(loss) +
           R"json(,"learning_rate":1e-05,"grad_norm":1})json" + "\n";
}

fs::path makeRun(const fs::path& root, const std::string& name, const std::string& state,
                 const std::string& started) {
    const auto dir = root / name;
    fs::create_directories(dir / "checkpoints");
    write(dir / "run.json",
          R"json({"state":")json" + state + R"json(","started":")json" + started +
              R"json(","device":"cpu","experiment":"demo","best_checkpoint":")json" +
              (dir / "checkpoints" / "epoch-001.h5").string() + "\"}");
    return dir;
}

}  // namespace

class TestRunsPage : public QObject {
    Q_OBJECT
private slots:
    void listsRunsCheckpointsAndCurves() {
        const auto root = fs::temp_directory_path() / "tb_runs_page";
        fs::remove_all(root);
        const auto older = makeRun(root, "demo-1", "finished", "2026-11-26T01:00:00Z");
        const auto newer = makeRun(root, "demo-2", "cancelled", "2026-11-26T02:00:00Z");
        write(newer / "checkpoints" / "epoch-001.h5", "x");
        write(newer / "checkpoints" / "cancel-step-7.h5", "y");
        write(newer / "checkpoints" / "epoch-002.h5.tmp", "partial");  // never offered
        write(newer / "metrics.jsonl", trainLine(1, 0.9) + trainLine(2, 0.8));

        ExperimentDocument document;
        RunsPage page(&document);
        page.resize(1000, 600);
        page.setRunsDirectory(QString::fromStdString(root.string()));
        QCOMPARE(page.runsTable()->rowCount(), 2);
        QCOMPARE(page.runsTable()->item(0, 0)->text(), QStringLiteral("demo-2"));  // newest
        QCOMPARE(page.runsTable()->item(0, 1)->text(), QStringLiteral("cancelled"));
        QCOMPARE(page.runsTable()->item(1, 1)->text(), QStringLiteral("finished"));

        page.runsTable()->selectRow(0);
        QCOMPARE(page.selectedRun(), QString::fromStdString(newer.string()));
        QCOMPARE(page.checkpointList()->count(), 2);
        bool bestMarked = false;
        for (int i = 0; i < page.checkpointList()->count(); ++i) {
            const QString text = page.checkpointList()->item(i)->text();
            QVERIFY2(!text.contains(QStringLiteral(".tmp")), qPrintable(text));
            bestMarked |= text.startsWith(QStringLiteral("epoch-001.h5")) &&
                          text.contains(QStringLiteral("(best)"));
        }
        QVERIFY2(bestMarked, qPrintable(page.checkpointList()->item(0)->text() + " | " +
                                        page.checkpointList()->item(1)->text()));
        QTRY_COMPARE(page.lossPlot()->trainPointCount(), 2);

        // The run keeps writing (another process, another machine): the page follows.
        write(newer / "metrics.jsonl", trainLine(3, 0.7), /*append=*/true);
        QTRY_COMPARE_WITH_TIMEOUT(page.lossPlot()->trainPointCount(), 3, 5000);

        QVERIFY(!page.resumeButton()->isEnabled());  // nothing picked yet
        // These files are not checkpoints: the page says so instead of offering Resume.
        page.checkpointList()->setCurrentRow(0);
        QVERIFY(!page.resumeButton()->isEnabled());
        QVERIFY(page.findChildren<QLabel*>().size() > 0);
        bool explained = false;
        for (const QLabel* label : page.findChildren<QLabel*>())
            explained |= label->text().startsWith(QStringLiteral("Cannot resume"));
        QVERIFY(explained);
    }

    void opensARunOutsideTheRunsFolder() {
        const auto root = fs::temp_directory_path() / "tb_runs_page_remote";
        fs::remove_all(root);
        const auto remote = makeRun(root / "cluster", "job-17", "running", "2026-11-26T03:00:00Z");
        ExperimentDocument document;
        RunsPage page(&document);
        page.setRunsDirectory(QString::fromStdString((root / "local").string()));
        QCOMPARE(page.runsTable()->rowCount(), 0);
        page.selectRun(QString::fromStdString(remote.string()));
        QCOMPARE(page.runsTable()->rowCount(), 1);
        QCOMPARE(page.selectedRun(), QString::fromStdString(remote.string()));
        QCOMPARE(page.runsTable()->item(0, 1)->text(), QStringLiteral("running"));
    }
};

QTEST_MAIN(TestRunsPage)
#include "tst_runs_page.moc"
