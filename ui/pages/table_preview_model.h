// Read-only Qt model over the first rows of a parsed tb::data::Table (the Data page preview).
#pragma once

#include <QAbstractTableModel>
#include <QStringList>
#include <QVector>

#include "data/table.h"

namespace tb::ui {

// Copies at most `maxRows` rows, so the full table can be dropped after the preview is built.
// Vertical header = the row's line in the source file. Chosen columns are shown in bold.
class TablePreviewModel : public QAbstractTableModel {
    Q_OBJECT

public:
    static constexpr int kDefaultMaxRows = 100;

    explicit TablePreviewModel(QObject* parent = nullptr);

    void setTable(const tb::data::Table& table, int maxRows = kDefaultMaxRows);
    void clear();
    void setHighlightedColumns(const QStringList& names);

    // Row of the preview that starts at `line` in the file, or -1 if not shown.
    int rowForLine(long line) const;
    int totalRows() const { return m_totalRows; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QStringList m_columns;
    QVector<QStringList> m_rows;
    QVector<long> m_lines;
    QStringList m_highlighted;
    int m_totalRows = 0;
};

}  // namespace tb::ui
