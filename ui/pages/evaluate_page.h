// Evaluate page: pick a dev-epoch or the final test report; confusion heatmap + per-class table.
#pragma once

#include <QVector>
#include <QWidget>

#include "controller/metatypes.h"

class QComboBox;
class QLabel;

namespace tb::ui {

class ClassMetricsTable;
class ConfusionHeatmap;
class TrainingController;

// Keeps every report of the current run; a new report is selected as it arrives.
class EvaluatePage : public QWidget {
    Q_OBJECT

public:
    explicit EvaluatePage(TrainingController* controller, QWidget* parent = nullptr);

    void addReport(const tb::train::EvalReport& report);
    void clearReports();

    int reportCount() const { return m_reports.size(); }
    QComboBox* reportCombo() const { return m_choice; }
    ConfusionHeatmap* heatmap() const { return m_heatmap; }
    // Shown instead of the heatmap for reports without a class confusion matrix (entity-level
    // NER scores, multi-label per-label scores).
    QLabel* matrixNote() const { return m_matrixNote; }
    ClassMetricsTable* metricsTable() const { return m_table; }
    QString headline() const;

private:
    void showReport(int index);
    void showRegression(const tb::train::EvalReport& report);

    QComboBox* m_choice;
    QLabel* m_headline;
    ConfusionHeatmap* m_heatmap;
    QLabel* m_matrixTitle;
    QLabel* m_matrixNote;
    ClassMetricsTable* m_table;
    QVector<tb::train::EvalReport> m_reports;
};

}  // namespace tb::ui
