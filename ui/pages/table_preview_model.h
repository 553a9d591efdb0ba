// Read-only Qt model over a window of rows of a parsed tb::data::Table (the Data page preview),
// with the user's pending row edits (relabelled, excluded) shown on top.
#pragma once

#include <QAbstractTableModel>
#include <QStringList>

#include <memory>

#include "data/table.h"
#include "dataset/dataset_scan.h"

namespace tb::ui {

// Shows at most `maxRows` consecutive rows, starting at the first; showRegionAround() moves the
// window so a given file line is visible (jumping to a problem far down a large file). The table
// is shared, not copied. Vertical header = the row's line in the source file. Chosen columns are
// shown in bold; relabelled cells in italics with the new value; excluded rows greyed and struck
// through.
class TablePreviewModel : public QAbstractTableModel {
    Q_OBJECT

public:
    static constexpr int kDefaultMaxRows = 100;

    explicit TablePreviewModel(QObject* parent = nullptr);

    void setTable(std::shared_ptr<const tb::data::Table> table, int maxRows = kDefaultMaxRows);
    void clear();
    void setHighlightedColumns(const QStringList& names);
    void setLabelColumn(const QString& name);
    void setEdits(const DatasetEdits& edits);

    // Row of the preview that starts at `line` in the file, or -1 if not shown.
    int rowForLine(long line) const;
    // Moves the window (if needed) so that the row at `line` is shown, and returns its preview
    // row; -1 when no row starts at that line.
    int showRegionAround(long line);
    // Index into the table of a preview row (-1 if out of range).
    int tableRow(int previewRow) const;
    int firstShownRow() const { return m_first; }
    int totalRows() const;
    // The cell as read (before edits); "" when out of range.
    QString cell(int tableRow, const QString& column) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const tb::data::Table> m_table;
    QStringList m_columns;
    QStringList m_highlighted;
    int m_labelColumn = -1;
    DatasetEdits m_edits;
    int m_first = 0;
    int m_maxRows = kDefaultMaxRows;
};

}  // namespace tb::ui
