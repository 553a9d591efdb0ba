// Per-class precision / recall / F1 / support, laid out like scikit-learn's classification_report.
#pragma once

#include <QTableWidget>

#include "metrics/classification_report.h"

namespace tb::ui {

// Rows: one per class, then "accuracy" (F1 column = accuracy, support = total), "macro avg"
// and "weighted avg". Values with 3 decimals; read-only.
class ClassMetricsTable : public QTableWidget {
    Q_OBJECT

public:
    enum Column { LabelColumn, PrecisionColumn, RecallColumn, F1Column, SupportColumn };

    explicit ClassMetricsTable(QWidget* parent = nullptr);

    void setReport(const tb::metrics::ClassificationReport& report);
    void clearReport();

private:
    void addRow(const QString& label, const QString& precision, const QString& recall,
                const QString& f1, const QString& support, bool summary);
};

}  // namespace tb::ui
