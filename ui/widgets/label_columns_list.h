// Checkable list of a table's columns: the 0/1 label columns of a multi-label dataset.
#pragma once

#include <QListWidget>
#include <QStringList>

namespace tb::ui {

// Lists every column of the file with a check box; the ticked ones are the labels (one 0/1
// column per label). Changing a tick emits checkedChanged(); setColumns() does not.
class LabelColumnsList : public QListWidget {
    Q_OBJECT

public:
    explicit LabelColumnsList(QWidget* parent = nullptr);

    // All columns of the file (in file order), with `checked` ticked.
    void setColumns(const QStringList& columns, const QStringList& checked);
    // The ticked columns in file order.
    QStringList checkedColumns() const;
    // Ticks or unticks one column (as a user would; emits checkedChanged()).
    void setColumnChecked(const QString& column, bool checked);
    bool hasColumns() const { return count() > 0; }

signals:
    void checkedChanged();

private:
    bool m_filling = false;
};

}  // namespace tb::ui
