// "Pretrain a language model" dialog: options <-> widgets, starting, progress, the outcome.
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>

#include <algorithm>
#include <climits>

#include "pretrain/pretrain_command_line.h"
#include "pretrain/pretrain_dialog.h"
#include "util/format.h"
#include "views/loss_plot.h"
#include "widgets/error_banner.h"
#include "widgets/scientific_spin_box.h"

namespace tb::ui {

tb::pretrain::PretrainOptions PretrainDialog::options() const {
    tb::pretrain::PretrainOptions o;
    for (int i = 0; i < m_corpus->count(); ++i)
        o.corpus_files.push_back(m_corpus->item(i)->text().toStdString());
    o.text_column = m_textColumn->text().trimmed().toStdString();
    o.out_dir = m_outDir->text().trimmed().toStdString();
    if (m_continue->isChecked())
        o.from_dir = m_fromDir->text().trimmed().toStdString();
    o.vocab_size = static_cast<std::size_t>(m_vocabSize->value());
    o.min_frequency = static_cast<std::size_t>(m_minFrequency->value());
    o.limit_alphabet = static_cast<std::size_t>(m_limitAlphabet->value());
    o.lowercase = m_lowercase->isChecked();
    o.layers = m_layers->value();
    o.hidden = m_hidden->value();
    o.heads = m_heads->value();
    o.intermediate = m_intermediate->value();
    o.max_length = m_maxLength->value();
    o.epochs = m_epochs->value();
    o.steps = m_bySteps->isChecked() ? m_steps->value() : 0;
    o.batch_size = m_batchSize->value();
    o.learning_rate = m_learningRate->value();
    o.warmup_ratio = m_warmup->value();
    o.weight_decay = m_weightDecay->value();
    o.masking.mask_probability = m_maskProbability->value();
    o.masking.whole_word = m_wholeWord->isChecked();
    o.seed = static_cast<std::uint64_t>(m_seed->value());
    o.device = m_device->currentText().trimmed().toStdString();
    o.log_every = m_logEvery->value();
    o.init_only = m_initOnly->isChecked();
    return o;
}

void PretrainDialog::setOptions(const tb::pretrain::PretrainOptions& o) {
    m_filling = true;
    m_corpus->clear();
    for (const auto& file : o.corpus_files)
        m_corpus->addItem(QString::fromStdString(file));
    m_textColumn->setText(QString::fromStdString(o.text_column));
    m_outDir->setText(QString::fromStdString(o.out_dir));
    m_fromDir->setText(QString::fromStdString(o.from_dir));
    (o.from_dir.empty() ? m_newModel : m_continue)->setChecked(true);
    m_vocabSize->setValue(static_cast<int>(o.vocab_size));
    m_minFrequency->setValue(static_cast<int>(o.min_frequency));
    m_limitAlphabet->setValue(static_cast<int>(o.limit_alphabet));
    m_lowercase->setChecked(o.lowercase);
    m_layers->setValue(o.layers);
    m_hidden->setValue(o.hidden);
    m_heads->setValue(o.heads);
    m_intermediate->setValue(o.intermediate);
    m_maxLength->setValue(o.max_length);
    m_epochs->setValue(o.epochs);
    // Steps start at one epoch's worth of nothing known: show a round number until chosen.
    m_steps->setValue(o.steps > 0 ? static_cast<int>(o.steps) : 1000);
    (o.steps > 0 ? m_bySteps : m_byEpochs)->setChecked(true);
    m_epochs->setEnabled(o.steps <= 0);
    m_steps->setEnabled(o.steps > 0);
    m_batchSize->setValue(o.batch_size);
    m_learningRate->setValue(o.learning_rate);
    m_warmup->setValue(o.warmup_ratio);
    m_weightDecay->setValue(o.weight_decay);
    m_maskProbability->setValue(o.masking.mask_probability);
    m_wholeWord->setChecked(o.masking.whole_word);
    m_seed->setValue(static_cast<int>(o.seed));
    m_device->setCurrentText(QString::fromStdString(o.device));
    m_logEvery->setValue(o.log_every);
    m_initOnly->setChecked(o.init_only);
    m_filling = false;
    updateModelMode();  // also updates the command line
}

void PretrainDialog::setCorpusFiles(const QStringList& files) {
    m_corpus->clear();
    m_corpus->addItems(files);
    updateCommandLine();
}

bool PretrainDialog::start() {
    if (m_runner->isRunning())
        return false;
    m_banner->clearMessage();
    const auto o = options();
    m_reports = 0;
    m_lastOutDir.clear();
    m_lastCancelled = false;
    m_useModel->setEnabled(false);
    m_plot->clear();
    m_log->clear();
    m_log->appendPlainText(shellCommandLine(QStringLiteral("tunebench-cli"), pretrainArguments(o)));
    if (!m_runner->start(o))
        return false;
    m_progress->setTextVisible(false);
    m_progress->setRange(0, 0);  // busy until the first step is reported
    m_status->setText(
        o.from_dir.empty()
            ? tr("Reading the corpus and training the vocabulary (a cancel takes effect when "
                 "training starts)…")
            : tr("Reading the corpus and loading the model…"));
    setRunning(true);
    return true;
}

void PretrainDialog::cancel() {
    if (!m_runner->isRunning() || m_runner->isCancelling())
        return;
    m_runner->cancel();
    m_cancel->setEnabled(false);
    m_status->setText(
        tr("Stopping after the current step; the model as trained so far is then written…"));
}

void PretrainDialog::reject() {
    if (m_runner->isRunning()) {
        m_closeWhenDone = true;
        cancel();
        return;  // closes in onFinished, once the core has written the folder
    }
    QDialog::reject();
}

void PretrainDialog::setRunning(bool running) {
    m_settings->setEnabled(!running);
    m_start->setEnabled(!running);
    m_cancel->setEnabled(running);
}

void PretrainDialog::onProgress(const tb::pretrain::PretrainProgress& p) {
    ++m_reports;
    const int total = static_cast<int>(std::min<std::int64_t>(p.total_steps, INT_MAX));
    m_progress->setTextVisible(true);
    m_progress->setRange(0, std::max(1, total));
    m_progress->setValue(static_cast<int>(std::min<std::int64_t>(p.step, total)));
    const double perStep = p.step > 0 ? p.elapsed_s / static_cast<double>(p.step) : 0.0;
    const double eta = perStep * static_cast<double>(p.total_steps - p.step);
    m_plot->addTrainLoss(p.step, p.loss);
    if (m_runner->isCancelling())
        return;  // keep saying that it stops
    m_status->setText(tr("Step %1 / %2 · epoch %3 · masked-LM loss %4 · learning rate %5 · "
                         "elapsed %6 · remaining about %7")
                          .arg(p.step)
                          .arg(p.total_steps)
                          .arg(p.epoch)
                          .arg(p.loss, 0, 'f', 4)
                          .arg(p.learning_rate, 0, 'e', 2)
                          .arg(formatDuration(p.elapsed_s), formatDuration(eta)));
}

void PretrainDialog::onFinished(const PretrainOutcome& outcome) {
    setRunning(false);
    const auto& r = outcome.result;
    if (outcome.failed) {
        m_progress->setRange(0, 1);
        m_progress->setValue(0);
        m_progress->setTextVisible(false);
        m_banner->showMessage(tr("Pretraining could not run; nothing was written."), outcome.error);
        m_status->setText(tr("Failed: %1").arg(outcome.error));
    } else {
        m_lastOutDir = outcome.outDir;
        m_lastCancelled = outcome.cancelled;
        const QString dir = QDir::toNativeSeparators(outcome.outDir);
        if (m_progress->maximum() == 0)
            m_progress->setRange(0, 1);
        if (outcome.cancelled && r.steps == 0 && options().from_dir.empty()) {
            m_status->setText(tr("Cancelled before the first step. %1 holds the initialised "
                                 "model, NOT pretrained (marked so in its weights; "
                                 "pretraining.json: \"completed\": false).")
                                  .arg(dir));
        } else if (outcome.cancelled) {
            m_status->setText(tr("Cancelled after %1 steps. As the run stops, the model as "
                                 "trained so far was written to %2, marked as stopped early "
                                 "(pretraining.json: \"completed\": false). Masked-LM loss "
                                 "%3 → %4.")
                                  .arg(r.steps)
                                  .arg(dir)
                                  .arg(r.first_loss, 0, 'f', 4)
                                  .arg(r.final_loss, 0, 'f', 4));
        } else if (r.steps == 0) {
            m_progress->setValue(m_progress->maximum());
            m_status->setText(tr("Wrote %1: the initialised model (vocabulary %2), NOT pretrained.")
                                  .arg(dir)
                                  .arg(r.vocab_size));
        } else {
            m_progress->setValue(m_progress->maximum());
            m_status->setText(tr("Pretrained %1: %2 steps, vocabulary %3, masked-LM loss %4 → "
                                 "%5.")
                                  .arg(dir)
                                  .arg(r.steps)
                                  .arg(r.vocab_size)
                                  .arg(r.first_loss, 0, 'f', 4)
                                  .arg(r.final_loss, 0, 'f', 4));
        }
        m_useModel->setEnabled(true);
        m_useModel->setDefault(true);
    }
    if (m_closeWhenDone) {
        m_closeWhenDone = false;
        QDialog::reject();
    }
}

}  // namespace tb::ui
