// Train page: hyperparameters, run buttons, live progress, loss curves and the run log.
#include "pages/train_page.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStyle>
#include <QVBoxLayout>

#include <climits>

#include "controller/training_controller.h"
#include "document/experiment_document.h"
#include "train/devices.h"
#include "util/format.h"
#include "views/loss_plot.h"
#include "widgets/error_banner.h"
#include "widgets/scientific_spin_box.h"

namespace tb::ui {

using tb::train::RunState;

namespace {

constexpr int kRefreshIntervalMs = 100;
constexpr int kMaxLogLines = 5000;

QLabel* valueLabel(QWidget* parent) {
    auto* label = new QLabel(QStringLiteral("–"), parent);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QDoubleSpinBox* doubleBox(double min, double max, int decimals, double step, QWidget* parent) {
    auto* box = new QDoubleSpinBox(parent);
    box->setRange(min, max);
    box->setDecimals(decimals);
    box->setSingleStep(step);
    box->setKeyboardTracking(false);
    return box;
}

}  // namespace

TrainPage::TrainPage(ExperimentDocument* document, TrainingController* controller, QWidget* parent)
    : QWidget(parent),
      m_document(document),
      m_controller(controller),
      m_banner(new ErrorBanner(this)),
      m_paramsBox(new QGroupBox(tr("Hyperparameters"), this)),
      m_epochs(new QSpinBox(this)),
      m_batchSize(new QSpinBox(this)),
      m_learningRate(new ScientificSpinBox(this)),
      m_weightDecay(doubleBox(0.0, 1.0, 4, 0.01, this)),
      m_warmupRatio(doubleBox(0.0, 1.0, 3, 0.05, this)),
      m_maxGradNorm(doubleBox(0.0, 100.0, 2, 0.5, this)),
      m_seed(new QSpinBox(this)),
      m_device(new QComboBox(this)),
      m_start(new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), tr("Start"), this)),
      m_pause(new QPushButton(style()->standardIcon(QStyle::SP_MediaPause), tr("Pause"), this)),
      m_resume(
          new QPushButton(style()->standardIcon(QStyle::SP_MediaSeekForward), tr("Resume"), this)),
      m_cancel(new QPushButton(style()->standardIcon(QStyle::SP_MediaStop), tr("Cancel"), this)),
      m_saveCheckpoint(new QPushButton(style()->standardIcon(QStyle::SP_DialogSaveButton),
                                       tr("Save checkpoint now"), this)),
      m_progress(new QProgressBar(this)),
      m_state(valueLabel(this)),
      m_epoch(valueLabel(this)),
      m_loss(valueLabel(this)),
      m_lr(valueLabel(this)),
      m_elapsed(valueLabel(this)),
      m_eta(valueLabel(this)),
      m_devScore(valueLabel(this)),
      m_runDir(valueLabel(this)),
      m_checkpoint(valueLabel(this)),
      m_plot(new LossPlot(this)),
      m_log(new QPlainTextEdit(this)) {
    // Hyperparameters. Object names let tests and style sheets find the fields.
    m_epochs->setObjectName(QStringLiteral("epochs"));
    m_batchSize->setObjectName(QStringLiteral("batchSize"));
    m_learningRate->setObjectName(QStringLiteral("learningRate"));
    m_seed->setObjectName(QStringLiteral("seed"));
    m_device->setObjectName(QStringLiteral("device"));
    m_epochs->setRange(1, 1000);
    m_batchSize->setRange(1, 4096);
    m_learningRate->setRange(1e-8, 1.0);
    m_seed->setRange(0, INT_MAX);
    m_maxGradNorm->setSpecialValueText(tr("off"));
    for (QSpinBox* box : {m_epochs, m_batchSize, m_seed})
        box->setKeyboardTracking(false);
    m_device->addItem(tr("Auto (CUDA if available)"), QStringLiteral("auto"));
    // What this machine has: the CPU and each GPU with its memory.
    for (const auto& d : tb::train::list_compute_devices()) {
        QString text = toQt(d.name);
        if (d.memory_bytes > 0)
            text += QStringLiteral(" — ") + formatBytes(d.memory_bytes);
        m_device->addItem(text, toQt(d.id));
    }
    auto* form = new QFormLayout(m_paramsBox);
    form->addRow(tr("Epochs:"), m_epochs);
    form->addRow(tr("Batch size:"), m_batchSize);
    form->addRow(tr("Learning rate:"), m_learningRate);
    form->addRow(tr("Weight decay:"), m_weightDecay);
    form->addRow(tr("Warmup ratio:"), m_warmupRatio);
    form->addRow(tr("Max grad norm:"), m_maxGradNorm);
    form->addRow(tr("Seed:"), m_seed);
    form->addRow(tr("Device:"), m_device);

    // Run controls and status.
    auto* buttons = new QGridLayout;
    buttons->addWidget(m_start, 0, 0);
    buttons->addWidget(m_pause, 0, 1);
    buttons->addWidget(m_resume, 1, 0);
    buttons->addWidget(m_cancel, 1, 1);
    buttons->addWidget(m_saveCheckpoint, 2, 0, 1, 2);
    m_saveCheckpoint->setToolTip(
        tr("Write a checkpoint after the current step without stopping the run"));
    m_progress->setFormat(tr("not started"));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setTextVisible(true);

    auto* statusBox = new QGroupBox(tr("Run"), this);
    auto* statusForm = new QFormLayout(statusBox);
    statusForm->addRow(buttons);
    statusForm->addRow(m_progress);
    statusForm->addRow(tr("State:"), m_state);
    statusForm->addRow(tr("Epoch:"), m_epoch);
    statusForm->addRow(tr("Loss:"), m_loss);
    statusForm->addRow(tr("Learning rate:"), m_lr);
    statusForm->addRow(tr("Elapsed:"), m_elapsed);
    statusForm->addRow(tr("ETA:"), m_eta);
    statusForm->addRow(tr("Last dev:"), m_devScore);

    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_paramsBox);
    leftLayout->addWidget(statusBox);
    leftLayout->addStretch(1);
    left->setFixedWidth(300);

    // Plot above the log; run folder and checkpoint as text below.
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(kMaxLogLines);
    m_log->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_log->setPlaceholderText(tr("The run log appears here."));
    auto* rightSplitter = new QSplitter(Qt::Vertical, this);
    rightSplitter->addWidget(m_plot);
    rightSplitter->addWidget(m_log);
    rightSplitter->setStretchFactor(0, 3);
    rightSplitter->setStretchFactor(1, 1);
    rightSplitter->setChildrenCollapsible(false);
    rightSplitter->setSizes({520, 200});
    m_runDir->setWordWrap(true);
    m_checkpoint->setWordWrap(true);
    auto* paths = new QFormLayout;
    paths->addRow(tr("Run folder:"), m_runDir);
    paths->addRow(tr("Last checkpoint:"), m_checkpoint);
    auto* right = new QVBoxLayout;
    right->addWidget(rightSplitter, 1);
    right->addLayout(paths);

    auto* columns = new QHBoxLayout;
    columns->addWidget(left);
    columns->addLayout(right, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(columns, 1);

    // Each field writes only its own setting.
    auto edit = [this](auto apply) {
        if (m_syncing)
            return;
        m_document->update(apply);
    };
    connect(m_epochs, qOverload<int>(&QSpinBox::valueChanged), this,
            [=](int v) { edit([v](tb::io::ExperimentConfig& c) { c.training.epochs = v; }); });
    connect(m_batchSize, qOverload<int>(&QSpinBox::valueChanged), this,
            [=](int v) { edit([v](tb::io::ExperimentConfig& c) { c.training.batch_size = v; }); });
    connect(m_learningRate, qOverload<double>(&QDoubleSpinBox::valueChanged), this, [=](double v) {
        edit([v](tb::io::ExperimentConfig& c) { c.training.learning_rate = v; });
    });
    connect(m_weightDecay, qOverload<double>(&QDoubleSpinBox::valueChanged), this, [=](double v) {
        edit([v](tb::io::ExperimentConfig& c) { c.training.weight_decay = v; });
    });
    connect(m_warmupRatio, qOverload<double>(&QDoubleSpinBox::valueChanged), this, [=](double v) {
        edit([v](tb::io::ExperimentConfig& c) { c.training.warmup_ratio = v; });
    });
    connect(m_maxGradNorm, qOverload<double>(&QDoubleSpinBox::valueChanged), this, [=](double v) {
        edit([v](tb::io::ExperimentConfig& c) { c.training.max_grad_norm = v; });
    });
    connect(m_seed, qOverload<int>(&QSpinBox::valueChanged), this, [=](int v) {
        edit([v](tb::io::ExperimentConfig& c) { c.training.seed = static_cast<std::uint64_t>(v); });
    });
    connect(m_device, qOverload<int>(&QComboBox::activated), this, [=] {
        const std::string device = m_device->currentData().toString().toStdString();
        edit([device](tb::io::ExperimentConfig& c) { c.training.device = device; });
    });

    connect(m_start, &QPushButton::clicked, this, &TrainPage::startRun);
    connect(m_pause, &QPushButton::clicked, m_controller, &TrainingController::pause);
    connect(m_resume, &QPushButton::clicked, m_controller, &TrainingController::resume);
    connect(m_cancel, &QPushButton::clicked, m_controller, &TrainingController::cancel);
    connect(m_saveCheckpoint, &QPushButton::clicked, m_controller,
            &TrainingController::requestCheckpoint);

    connect(m_controller, &TrainingController::stateChanged, this, &TrainPage::updateButtons);
    connect(m_controller, &TrainingController::runStarted, this, &TrainPage::onRunStarted);
    connect(m_controller, &TrainingController::stepReported, this, &TrainPage::onStep);
    connect(m_controller, &TrainingController::evalReported, this, &TrainPage::onEval);
    connect(m_controller, &TrainingController::checkpointSaved, this, &TrainPage::onCheckpoint);
    connect(m_controller, &TrainingController::logLine, this, &TrainPage::appendLog);
    connect(m_controller, &TrainingController::runFailed, this, [this](const QString& message) {
        m_banner->showMessage(tr("The run failed."), message);
    });
    connect(m_controller, &TrainingController::runFinished, this, &TrainPage::onRunFinished);
    connect(m_document, &ExperimentDocument::changed, this, &TrainPage::syncFromDocument);

    m_refreshTimer.setInterval(kRefreshIntervalMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &TrainPage::refreshProgress);

    syncFromDocument();
    updateButtons(m_controller->state());
}

void TrainPage::syncFromDocument() {
    m_syncing = true;
    const auto& t = m_document->config().training;
    m_epochs->setValue(t.epochs);
    m_batchSize->setValue(t.batch_size);
    m_learningRate->setValue(t.learning_rate);
    m_weightDecay->setValue(t.weight_decay);
    m_warmupRatio->setValue(t.warmup_ratio);
    m_maxGradNorm->setValue(t.max_grad_norm);
    m_seed->setValue(static_cast<int>(std::min<std::uint64_t>(t.seed, INT_MAX)));
    const QString device = toQt(t.device);
    if (m_device->findData(device) < 0)
        m_device->addItem(device.toUpper(), device);
    m_device->setCurrentIndex(m_device->findData(device));
    m_syncing = false;
}

void TrainPage::startRun() {
    m_banner->clearMessage();
    if (m_beforeStart)
        m_beforeStart();
    if (!m_controller->start(m_document->config()))
        m_banner->showMessage(tr("Cannot start."), m_controller->lastError());
}

void TrainPage::updateButtons(RunState state) {
    const bool active =
        state == RunState::Running || state == RunState::Paused || state == RunState::Cancelling;
    m_start->setEnabled(!active);
    m_pause->setEnabled(state == RunState::Running);
    m_resume->setEnabled(state == RunState::Paused);
    m_cancel->setEnabled(state == RunState::Running || state == RunState::Paused);
    m_saveCheckpoint->setEnabled(state == RunState::Running);
    m_paramsBox->setEnabled(!active);
    m_state->setText(runStateText(state));
}

void TrainPage::onRunStarted(const tb::train::RunInfo& info) {
    m_info = info;
    m_haveStep = false;
    m_plot->clear();
    m_progress->setFormat(tr("step %v / %m"));
    m_progress->setRange(0, static_cast<int>(std::max<std::int64_t>(1, info.total_steps)));
    m_progress->setValue(0);
    m_runDir->setText(toQt(info.run_dir));
    m_checkpoint->setText(QStringLiteral("–"));
    m_devScore->setText(QStringLiteral("–"));
    m_epoch->setText(tr("0 / %1").arg(info.epochs));
    appendLog(tr("Run started on %1: %2 training / %3 dev / %4 test examples, %5 steps, %6 "
                 "parameters (%7 trainable).")
                  .arg(toQt(info.device))
                  .arg(info.train_examples)
                  .arg(info.dev_examples)
                  .arg(info.test_examples)
                  .arg(info.total_steps)
                  .arg(formatCount(info.parameters), formatCount(info.trainable_parameters)));
    m_refreshTimer.start();
}

void TrainPage::onStep(const tb::train::StepMetrics& metrics) {
    m_lastStep = metrics;
    m_haveStep = true;
    m_plot->addTrainLoss(metrics.step, metrics.loss);
}

void TrainPage::onEval(const tb::train::EvalReport& report) {
    if (report.split == "dev") {
        m_plot->addDevLoss(report.step, report.loss);
        m_devScore->setText(tr("epoch %1: loss %2, accuracy %3, macro-F1 %4")
                                .arg(report.epoch)
                                .arg(report.loss, 0, 'f', 4)
                                .arg(report.report.accuracy, 0, 'f', 3)
                                .arg(report.report.macro.f1, 0, 'f', 3));
        m_devScore->setWordWrap(true);
    }
}

void TrainPage::onCheckpoint(const tb::train::CheckpointInfo& checkpoint) {
    QString why = toQt(checkpoint.reason);
    if (checkpoint.reason == "epoch")
        why = tr("end of epoch");
    else if (checkpoint.reason == "cancel")
        why = tr("at cancel");
    else if (checkpoint.reason == "request")
        why = tr("on request");
    m_checkpoint->setText(tr("%1 — epoch %2, step %3, %4")
                              .arg(toQt(checkpoint.path))
                              .arg(checkpoint.epoch)
                              .arg(checkpoint.step)
                              .arg(why));
}

void TrainPage::onRunFinished(const tb::train::RunResult& result) {
    m_refreshTimer.stop();
    refreshProgress();
    if (!result.run_dir.empty())
        m_runDir->setText(toQt(result.run_dir));
    if (!result.last_checkpoint.empty() && m_checkpoint->text() == QStringLiteral("–"))
        m_checkpoint->setText(toQt(result.last_checkpoint));
    m_eta->setText(QStringLiteral("–"));
    m_elapsed->setText(formatDuration(result.wall_seconds));
    appendLog(tr("Run %1 after %2.")
                  .arg(runStateText(result.state).toLower(), formatDuration(result.wall_seconds)));
}

void TrainPage::refreshProgress() {
    if (!m_haveStep)
        return;
    const auto& m = m_lastStep;
    if (m.total_steps > 0 && m_progress->maximum() != m.total_steps)
        m_progress->setMaximum(static_cast<int>(m.total_steps));
    m_progress->setValue(static_cast<int>(m.step));
    m_epoch->setText(tr("%1 / %2").arg(m.epoch).arg(m_info.epochs));
    m_loss->setText(QString::number(m.loss, 'f', 4));
    m_lr->setText(QString::number(m.learning_rate, 'e', 2));
    m_elapsed->setText(formatDuration(m.elapsed_seconds));
    m_eta->setText(formatDuration(m.eta_seconds));
}

void TrainPage::appendLog(const QString& line) {
    m_log->appendPlainText(line);
}

}  // namespace tb::ui
