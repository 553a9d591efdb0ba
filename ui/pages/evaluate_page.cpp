// Evaluate page: pick a dev-epoch or the final test report; confusion heatmap + per-class table.
#include "pages/evaluate_page.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSplitter>
#include <QVBoxLayout>

#include "controller/training_controller.h"
#include "util/format.h"
#include "views/class_metrics_table.h"
#include "views/confusion_heatmap.h"

namespace tb::ui {

EvaluatePage::EvaluatePage(TrainingController* controller, QWidget* parent)
    : QWidget(parent),
      m_choice(new QComboBox(this)),
      m_headline(new QLabel(this)),
      m_heatmap(new ConfusionHeatmap(this)),
      m_matrixTitle(new QLabel(tr("Confusion matrix (colour = share of the true class)"), this)),
      m_matrixNote(new QLabel(this)),
      m_table(new ClassMetricsTable(this)) {
    m_choice->setMinimumContentsLength(28);
    m_choice->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    QFont big = m_headline->font();
    big.setPointSizeF(big.pointSizeF() * 1.25);
    m_headline->setFont(big);
    m_headline->setTextFormat(Qt::RichText);
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Report:"), this));
    top->addWidget(m_choice);
    top->addSpacing(16);
    top->addWidget(m_headline, 1);

    auto* heatmapPane = new QWidget(this);
    auto* heatmapLayout = new QVBoxLayout(heatmapPane);
    heatmapLayout->setContentsMargins(0, 0, 0, 0);
    heatmapLayout->addWidget(m_matrixTitle);
    heatmapLayout->addWidget(m_heatmap, 1);
    m_matrixNote->setWordWrap(true);
    m_matrixNote->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_matrixNote->hide();
    heatmapLayout->addWidget(m_matrixNote, 1);

    auto* tablePane = new QWidget(this);
    auto* tableLayout = new QVBoxLayout(tablePane);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addWidget(new QLabel(tr("Per-class metrics"), this));
    tableLayout->addWidget(m_table, 1);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(heatmapPane);
    splitter->addWidget(tablePane);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({600, 420});

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(splitter, 1);

    connect(m_choice, qOverload<int>(&QComboBox::currentIndexChanged), this,
            &EvaluatePage::showReport);
    if (controller) {
        connect(controller, &TrainingController::runStarted, this, &EvaluatePage::clearReports);
        connect(controller, &TrainingController::evalReported, this, &EvaluatePage::addReport);
    }
    showReport(-1);
}

void EvaluatePage::addReport(const tb::train::EvalReport& report) {
    m_reports.append(report);
    const QString text =
        report.split == "test"
            ? tr("Test — final (step %1)").arg(report.step)
            : tr("%1 — epoch %2 (step %3)")
                  .arg(toQt(report.split).left(1).toUpper() + toQt(report.split).mid(1))
                  .arg(report.epoch)
                  .arg(report.step);
    m_choice->addItem(text);
    m_choice->setCurrentIndex(m_choice->count() - 1);  // follow the newest report
}

void EvaluatePage::clearReports() {
    m_reports.clear();
    m_choice->clear();
    showReport(-1);
}

QString EvaluatePage::headline() const {
    return m_headline->text();
}

void EvaluatePage::showReport(int index) {
    if (index < 0 || index >= m_reports.size()) {
        m_heatmap->clear();
        m_table->clearReport();
        m_headline->setText(tr("No evaluation yet: results appear here during training."));
        m_choice->setEnabled(false);
        return;
    }
    m_choice->setEnabled(true);
    const auto& r = m_reports[index];
    if (r.task == "regression") {
        showRegression(r);
        return;
    }
    QStringList labels;
    for (const auto& l : r.report.labels)
        labels << toQt(l);
    m_heatmap->setMatrix(labels, r.report.confusion);
    m_table->setReport(r.report);
    // Entity-level and per-label scores have no "true class vs predicted class" table: an empty
    // or all-zero matrix would only mislead, so say what the table on the right holds instead.
    bool anyCell = false;
    for (const auto& row : r.report.confusion)
        for (const auto cell : row)
            anyCell = anyCell || cell != 0;
    QString note;
    if (r.task == "token_classification")
        note =
            tr("Token classification: the table scores whole entities (like seqeval) or, for "
               "tags without B-/I- prefixes, single words. A class-by-class confusion matrix "
               "does not apply to entity spans.");
    else if (r.task == "multi_label")
        note =
            tr("Multi-label: each label is its own yes/no decision, scored per label in the "
               "table (with micro, macro, weighted and samples averages). A single confusion "
               "matrix does not apply.");
    else if (!anyCell)
        note = tr("No confusion matrix for this report.");
    const bool showMatrix = note.isEmpty() || (anyCell && r.task == "sequence_classification");
    m_matrixTitle->setVisible(showMatrix);
    m_heatmap->setVisible(showMatrix);
    m_matrixNote->setVisible(!showMatrix);
    m_matrixNote->setText(note);
    m_headline->setText(tr("Accuracy <b>%1</b> &nbsp;·&nbsp; Macro-F1 <b>%2</b> &nbsp;·&nbsp; "
                           "loss %3 &nbsp;·&nbsp; %4 examples")
                            .arg(r.report.accuracy, 0, 'f', 3)
                            .arg(r.report.macro.f1, 0, 'f', 3)
                            .arg(r.loss, 0, 'f', 4)
                            .arg(r.report.total));
}

// Regression has no classes: the numbers go in the headline, the note says why the matrix and
// the per-class table are empty.
void EvaluatePage::showRegression(const tb::train::EvalReport& r) {
    auto score = [&](const char* name) {
        const auto it = r.scores.find(name);
        return it == r.scores.end() ? 0.0 : it->second;
    };
    m_heatmap->clear();
    m_table->clearReport();
    m_matrixTitle->setVisible(false);
    m_heatmap->setVisible(false);
    m_matrixNote->setVisible(true);
    m_matrixNote->setText(
        tr("Regression: one number per example, scored in the units of the labels — MSE %1, "
           "RMSE %2, MAE %3, R² %4, Pearson %5, Spearman %6. The loss is the MSE of the "
           "normalised targets. A confusion matrix and per-class scores do not apply.")
            .arg(score("mse"), 0, 'g', 5)
            .arg(score("rmse"), 0, 'g', 5)
            .arg(score("mae"), 0, 'g', 5)
            .arg(score("r2"), 0, 'f', 4)
            .arg(score("pearson"), 0, 'f', 4)
            .arg(score("spearman"), 0, 'f', 4));
    m_headline->setText(tr("RMSE <b>%1</b> &nbsp;·&nbsp; MAE <b>%2</b> &nbsp;·&nbsp; R² <b>%3</b> "
                           "&nbsp;·&nbsp; loss %4 &nbsp;·&nbsp; %5 examples")
                            .arg(score("rmse"), 0, 'g', 5)
                            .arg(score("mae"), 0, 'g', 5)
                            .arg(score("r2"), 0, 'f', 3)
                            .arg(r.loss, 0, 'f', 4)
                            .arg(r.report.total));
}

}  // namespace tb::ui
