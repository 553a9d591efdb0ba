// Per-class precision / recall / F1 / support, laid out like scikit-learn's classification_report.
#include "views/class_metrics_table.h"

#include <QHeaderView>

namespace tb::ui {

namespace {
QString fixed3(double value) {
    return QString::number(value, 'f', 3);
}
}  // namespace

ClassMetricsTable::ClassMetricsTable(QWidget* parent) : QTableWidget(0, 5, parent) {
    setHorizontalHeaderLabels(
        {QString(), tr("precision"), tr("recall"), tr("f1-score"), tr("support")});
    verticalHeader()->setVisible(false);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setAlternatingRowColors(true);
    setShowGrid(false);
    horizontalHeader()->setSectionResizeMode(LabelColumn, QHeaderView::Stretch);
    for (int c = PrecisionColumn; c <= SupportColumn; ++c)
        horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    horizontalHeader()->setDefaultAlignment(Qt::AlignRight | Qt::AlignVCenter);
}

void ClassMetricsTable::clearReport() {
    setRowCount(0);
}

void ClassMetricsTable::setReport(const tb::metrics::ClassificationReport& report) {
    setRowCount(0);
    for (const auto& c : report.per_class)
        addRow(QString::fromStdString(c.label), fixed3(c.precision), fixed3(c.recall), fixed3(c.f1),
               QString::number(c.support), false);
    addRow(tr("accuracy"), QString(), QString(), fixed3(report.accuracy),
           QString::number(report.total), true);
    const auto& m = report.macro;
    addRow(tr("macro avg"), fixed3(m.precision), fixed3(m.recall), fixed3(m.f1),
           QString::number(m.support), true);
    const auto& w = report.weighted;
    addRow(tr("weighted avg"), fixed3(w.precision), fixed3(w.recall), fixed3(w.f1),
           QString::number(w.support), true);
    resizeRowsToContents();
}

void ClassMetricsTable::addRow(const QString& label, const QString& precision,
                               const QString& recall, const QString& f1, const QString& support,
                               bool summary) {
    const int row = rowCount();
    insertRow(row);
    const QString values[] = {label, precision, recall, f1, support};
    for (int c = LabelColumn; c <= SupportColumn; ++c) {
        auto* item = new QTableWidgetItem(values[c]);
        item->setTextAlignment(c == LabelColumn ? (Qt::AlignLeft | Qt::AlignVCenter)
                                                : (Qt::AlignRight | Qt::AlignVCenter));
        if (summary) {
            QFont f = item->font();
            f.setItalic(true);
            item->setFont(f);
        }
        setItem(row, c, item);
    }
}

}  // namespace tb::ui
