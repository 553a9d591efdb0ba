#include "pages/runs_page.h"

#include <QDateTime>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>

#include <cmath>

#include "document/experiment_document.h"
#include "runs/metrics_tail.h"
#include "runs/run_catalog.h"
#include "train/resume_plan.h"
#include "util/format.h"
#include "views/loss_plot.h"

namespace tb::ui {
namespace {

enum Column { NameColumn, StateColumn, StartedColumn, DeviceColumn, WallColumn, ColumnCount };

// Polling (not QFileSystemWatcher) because runs on network filesystems (NFS, SSHFS) do not
// deliver change notifications; once a second is cheap for an append-only log.
constexpr int kPollMs = 1000;

QString checkpointTitle(const QFileInfo& file, const QString& best) {
    QString title = file.fileName();
    if (file.absoluteFilePath() == QFileInfo(best).absoluteFilePath())
        title += QObject::tr("  (best)");
    return title + QStringLiteral("  —  ") + formatBytes(file.size()) + QStringLiteral(", ") +
           file.lastModified().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

}  // namespace

RunsPage::RunsPage(ExperimentDocument* document, QWidget* parent)
    : QWidget(parent),
      m_document(document),
      m_runs(new QTableWidget(0, ColumnCount, this)),
      m_checkpoints(new QListWidget(this)),
      m_details(new QLabel(this)),
      m_resume(new QPushButton(tr("Resume from checkpoint"), this)),
      m_resumeEpochs(new QSpinBox(this)),
      m_resumeInfo(new QLabel(this)),
      m_plot(new LossPlot(this)) {
    m_runs->setHorizontalHeaderLabels(
        {tr("Run"), tr("State"), tr("Started (UTC)"), tr("Device"), tr("Wall time")});
    m_runs->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_runs->setSelectionMode(QAbstractItemView::SingleSelection);
    m_runs->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_runs->verticalHeader()->hide();
    m_runs->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_runs->horizontalHeader()->setSectionResizeMode(NameColumn, QHeaderView::Stretch);
    m_runs->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_runs->setWordWrap(false);

    auto* refresh = new QPushButton(tr("Refresh"), this);
    auto* open = new QPushButton(tr("Open run folder…"), this);
    open->setToolTip(tr("Watch a run written elsewhere, e.g. by a cluster job"));
    auto* showFolder = new QPushButton(tr("Show in file manager"), this);
    m_resume->setEnabled(false);
    m_resume->setToolTip(
        tr("Continue training from the selected checkpoint in a new run "
           "folder; the original run is left as it is"));
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* listButtons = new QHBoxLayout;
    listButtons->addWidget(refresh);
    listButtons->addWidget(open);
    listButtons->addStretch();
    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(listButtons);
    leftLayout->addWidget(m_runs, 1);
    leftLayout->addWidget(new QLabel(tr("Checkpoints"), this));
    leftLayout->addWidget(m_checkpoints);
    m_resumeEpochs->setRange(1, 10000);
    m_resumeEpochs->setPrefix(tr("until epoch "));
    m_resumeEpochs->setEnabled(false);
    m_resumeEpochs->setToolTip(tr("Total epochs of the continued run; raise it to train longer"));
    m_resumeInfo->setWordWrap(true);
    leftLayout->addWidget(m_resumeInfo);
    auto* checkpointButtons = new QHBoxLayout;
    checkpointButtons->addWidget(m_resume);
    checkpointButtons->addWidget(m_resumeEpochs);
    checkpointButtons->addWidget(showFolder);
    checkpointButtons->addStretch();
    leftLayout->addLayout(checkpointButtons);

    auto* right = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_details);
    rightLayout->addWidget(m_plot, 1);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({600, 500});
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(refresh, &QPushButton::clicked, this, &RunsPage::refresh);
    connect(open, &QPushButton::clicked, this, &RunsPage::openFolder);
    connect(showFolder, &QPushButton::clicked, this, [this] {
        if (!m_selectedRun.isEmpty())
            QDesktopServices::openUrl(QUrl::fromLocalFile(m_selectedRun));
    });
    connect(m_runs, &QTableWidget::itemSelectionChanged, this, [this] {
        const auto rows = m_runs->selectionModel()->selectedRows();
        if (!rows.isEmpty())
            showRun(m_runs->item(rows.first().row(), NameColumn)->data(Qt::UserRole).toString());
    });
    connect(m_checkpoints, &QListWidget::currentRowChanged, this, &RunsPage::onCheckpointChosen);
    connect(m_resume, &QPushButton::clicked, this, [this] {
        if (!selectedCheckpoint().isEmpty())
            emit resumeRequested(m_selectedRun, selectedCheckpoint(), m_resumeEpochs->value());
    });
    connect(m_document, &ExperimentDocument::loaded, this, [this] {
        setRunsDirectory(m_document->resolvedPath(m_document->config().output.runs_dir));
    });
    m_pollTimer.setInterval(kPollMs);
    connect(&m_pollTimer, &QTimer::timeout, this, &RunsPage::pollMetrics);
    setRunsDirectory(m_document->resolvedPath(m_document->config().output.runs_dir));
}

RunsPage::~RunsPage() = default;

void RunsPage::setRunsDirectory(const QString& runsDir) {
    m_runsDir = runsDir;
    refresh();
}

void RunsPage::refresh() {
    std::vector<tb::runs::RunSummary> runs = tb::runs::list_runs(m_runsDir.toStdString());
    for (const QString& extra : m_extraRuns)
        runs.push_back(tb::runs::read_run_summary(extra.toStdString()));
    const QString keep = m_selectedRun;
    const auto now = QDateTime::currentSecsSinceEpoch();
    QSignalBlocker block(m_runs);
    m_runs->setRowCount(0);
    int keepRow = -1;
    for (const auto& r : runs) {
        const int row = m_runs->rowCount();
        m_runs->insertRow(row);
        auto* name = new QTableWidgetItem(toQt(r.name));
        name->setData(Qt::UserRole, toQt(r.path));
        name->setToolTip(toQt(r.path));
        m_runs->setItem(row, NameColumn, name);
        auto* state = new QTableWidgetItem(toQt(tb::runs::display_state(r, now)));
        if (!r.problem.empty())
            state->setToolTip(toQt(r.problem));
        else if (state->text() == QStringLiteral("running?"))
            state->setToolTip(
                tr("run.json says running, but nothing changed for over 10 "
                   "minutes: the process may have been killed"));
        else if (!r.error.empty())
            state->setToolTip(toQt(r.error));
        m_runs->setItem(row, StateColumn, state);
        // "2026-11-26T01:32:35Z" -> "2026-11-26 01:32" (UTC, as in run.json)
        QString started = toQt(r.started).left(16);
        started.replace(QLatin1Char('T'), QLatin1Char(' '));
        m_runs->setItem(row, StartedColumn, new QTableWidgetItem(started));
        m_runs->setItem(row, DeviceColumn, new QTableWidgetItem(toQt(r.device)));
        m_runs->setItem(
            row, WallColumn,
            new QTableWidgetItem(r.wall_seconds > 0 ? formatDuration(r.wall_seconds) : QString()));
        if (toQt(r.path) == keep)
            keepRow = row;
    }
    if (keepRow >= 0) {
        m_runs->selectRow(keepRow);
        listCheckpoints(keep);
    } else if (m_runs->rowCount() > 0) {
        block.unblock();
        m_runs->selectRow(0);  // the newest run: usually the one the user wants to look at
    }
}

void RunsPage::selectRun(const QString& runDir) {
    const QString clean = QDir::cleanPath(QFileInfo(runDir).absoluteFilePath());
    if (QFileInfo(clean).absolutePath() != QDir::cleanPath(m_runsDir) &&
        !m_extraRuns.contains(clean))
        m_extraRuns << clean;
    m_selectedRun.clear();
    refresh();
    for (int row = 0; row < m_runs->rowCount(); ++row) {
        if (m_runs->item(row, NameColumn)->data(Qt::UserRole).toString() == clean) {
            m_runs->selectRow(row);  // emits itemSelectionChanged -> showRun
            return;
        }
    }
}

QString RunsPage::selectedCheckpoint() const {
    const auto* item = m_checkpoints->currentItem();
    return item ? item->data(Qt::UserRole).toString() : QString();
}

void RunsPage::showRun(const QString& runDir) {
    if (runDir == m_selectedRun)
        return;
    m_selectedRun = runDir;
    const auto r = tb::runs::read_run_summary(runDir.toStdString());
    QString details = tr("<b>%1</b> — %2").arg(toQt(r.name).toHtmlEscaped(), toQt(r.state));
    if (!r.experiment.empty())
        details += tr("<br>experiment: %1, device: %2")
                       .arg(toQt(r.experiment).toHtmlEscaped(), toQt(r.device));
    if (!r.resumed_from.empty())
        details += tr("<br>resumed from: %1").arg(toQt(r.resumed_from).toHtmlEscaped());
    if (!r.error.empty())
        details +=
            tr("<br><span style='color:#b00020'>%1</span>").arg(toQt(r.error).toHtmlEscaped());
    if (!r.problem.empty())
        details +=
            tr("<br><span style='color:#b00020'>%1</span>").arg(toQt(r.problem).toHtmlEscaped());
    m_details->setText(details);
    listCheckpoints(runDir);
    m_plot->clear();
    m_tail = std::make_unique<tb::runs::MetricsTail>(
        QDir(runDir).filePath(QStringLiteral("metrics.jsonl")).toStdString());
    pollMetrics();
    m_pollTimer.start();
}

void RunsPage::listCheckpoints(const QString& runDir) {
    const QString current = selectedCheckpoint();
    const auto summary = tb::runs::read_run_summary(runDir.toStdString());
    QDir dir(QDir(runDir).filePath(QStringLiteral("checkpoints")));
    // Temporary files of a save in progress (or cut off by a crash) are never offered.
    const auto files = dir.entryInfoList({QStringLiteral("*.h5")}, QDir::Files, QDir::Time);
    QString listing = runDir + QLatin1Char('|') + toQt(summary.best_checkpoint);
    for (const QFileInfo& f : files)
        listing += QStringLiteral("|%1:%2:%3")
                       .arg(f.fileName())
                       .arg(f.size())
                       .arg(f.lastModified().toMSecsSinceEpoch());
    if (listing == m_checkpointListing)
        return;
    m_checkpointListing = listing;
    m_checkpoints->clear();
    for (const QFileInfo& f : files) {
        auto* item = new QListWidgetItem(checkpointTitle(f, toQt(summary.best_checkpoint)));
        item->setData(Qt::UserRole, f.absoluteFilePath());
        m_checkpoints->addItem(item);
        if (f.absoluteFilePath() == current)
            m_checkpoints->setCurrentItem(item);
    }
    onCheckpointChosen(m_checkpoints->currentRow());
}

void RunsPage::onCheckpointChosen(int row) {
    m_resume->setEnabled(false);
    m_resumeEpochs->setEnabled(false);
    m_resumeInfo->clear();
    if (row < 0)
        return;
    // Reads the checkpoint's header (not its tensors): what it continues from and how far the
    // original run meant to go, so the user sees both before pressing Resume.
    try {
        const auto plan = tb::train::plan_resume(selectedCheckpoint().toStdString());
        m_resumeEpochs->setMinimum(std::max(1, plan.epoch));
        m_resumeEpochs->setValue(std::max(plan.config.training.epochs, plan.epoch + 1));
        m_resumeInfo->setText(tr("Continues at epoch %1, step %2, with the same data, order and "
                                 "random state, in a new run folder.")
                                  .arg(plan.epoch)
                                  .arg(plan.global_step));
        m_resume->setEnabled(true);
        m_resumeEpochs->setEnabled(true);
    } catch (const std::exception& e) {
        m_resumeInfo->setText(
            tr("Cannot resume from this checkpoint: %1").arg(QString::fromUtf8(e.what())));
    }
}

void RunsPage::pollMetrics() {
    if (!m_tail)
        return;
    const auto records = m_tail->poll();
    if (m_tail->restarted())
        m_plot->clear();
    for (const auto& r : records) {
        if (std::isnan(r.loss))
            continue;
        if (r.kind == "train")
            m_plot->addTrainLoss(r.step, r.loss);
        else if (r.kind == "dev")
            m_plot->addDevLoss(r.step, r.loss);
    }
    if (!records.empty())
        listCheckpoints(m_selectedRun);  // new metrics usually come with new checkpoints
}

void RunsPage::openFolder() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open run folder"), m_runsDir);
    if (dir.isEmpty())
        return;
    if (QFileInfo::exists(QDir(dir).filePath(QStringLiteral("run.json"))))
        selectRun(dir);
    else
        setRunsDirectory(dir);  // a folder of runs rather than a run
}

}  // namespace tb::ui
