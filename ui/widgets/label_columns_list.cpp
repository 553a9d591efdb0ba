// Checkable list of a table's columns: the 0/1 label columns of a multi-label dataset.
#include "widgets/label_columns_list.h"

namespace tb::ui {

LabelColumnsList::LabelColumnsList(QWidget* parent) : QListWidget(parent) {
    setObjectName(QStringLiteral("labelColumnsList"));
    setFlow(QListView::LeftToRight);
    setWrapping(true);
    setResizeMode(QListView::Adjust);
    setSpacing(2);
    setMaximumHeight(60);
    setToolTip(
        tr("Multi-label data with one 0/1 column per label: tick those columns. The label names "
           "are the column names; the label column and separator are then not used."));
    connect(this, &QListWidget::itemChanged, this, [this] {
        if (!m_filling)
            emit checkedChanged();
    });
}

void LabelColumnsList::setColumns(const QStringList& columns, const QStringList& checked) {
    m_filling = true;
    clear();
    for (const QString& name : columns) {
        auto* item = new QListWidgetItem(name, this);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(checked.contains(name) ? Qt::Checked : Qt::Unchecked);
    }
    m_filling = false;
}

QStringList LabelColumnsList::checkedColumns() const {
    QStringList out;
    for (int i = 0; i < count(); ++i)
        if (item(i)->checkState() == Qt::Checked)
            out << item(i)->text();
    return out;
}

void LabelColumnsList::setColumnChecked(const QString& column, bool checked) {
    for (int i = 0; i < count(); ++i)
        if (item(i)->text() == column)
            item(i)->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
}

}  // namespace tb::ui
