// Read-only Qt model over a window of rows of a parsed tb::data::Table (the Data page preview),
// with the user's pending row edits (relabelled, excluded) shown on top.
#include "pages/table_preview_model.h"

#include <QBrush>
#include <QColor>
#include <QFont>

#include <algorithm>

namespace tb::ui {

namespace {
constexpr int kMaxCellChars = 300;  // long texts are cut in the cell; the tooltip has them all
}

TablePreviewModel::TablePreviewModel(QObject* parent) : QAbstractTableModel(parent) {}

void TablePreviewModel::setTable(std::shared_ptr<const tb::data::Table> table, int maxRows) {
    beginResetModel();
    m_table = std::move(table);
    m_columns.clear();
    if (m_table)
        for (const auto& c : m_table->columns)
            m_columns << QString::fromStdString(c);
    m_first = 0;
    m_maxRows = maxRows;
    m_labelColumn = -1;
    endResetModel();
}

void TablePreviewModel::clear() {
    setTable(nullptr);
}

void TablePreviewModel::setHighlightedColumns(const QStringList& names) {
    if (names == m_highlighted)
        return;
    m_highlighted = names;
    if (!m_columns.isEmpty())
        emit headerDataChanged(Qt::Horizontal, 0, m_columns.size() - 1);
}

void TablePreviewModel::setLabelColumn(const QString& name) {
    m_labelColumn = m_columns.indexOf(name);
    if (rowCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
}

void TablePreviewModel::setEdits(const DatasetEdits& edits) {
    m_edits = edits;
    if (rowCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
}

int TablePreviewModel::totalRows() const {
    return m_table ? static_cast<int>(m_table->rows.size()) : 0;
}

int TablePreviewModel::tableRow(int previewRow) const {
    if (previewRow < 0 || previewRow >= rowCount())
        return -1;
    return m_first + previewRow;
}

QString TablePreviewModel::cell(int tableRow, const QString& column) const {
    const int c = m_columns.indexOf(column);
    if (!m_table || tableRow < 0 || tableRow >= totalRows() || c < 0)
        return {};
    const auto& row = m_table->rows[std::size_t(tableRow)];
    return std::size_t(c) < row.size() ? QString::fromStdString(row[std::size_t(c)]) : QString();
}

int TablePreviewModel::rowForLine(long line) const {
    if (!m_table)
        return -1;
    const auto& lines = m_table->row_lines;
    const auto it = std::lower_bound(lines.begin(), lines.end(), line);
    if (it == lines.end() || *it != line)
        return -1;
    const int row = static_cast<int>(it - lines.begin()) - m_first;
    return row >= 0 && row < rowCount() ? row : -1;
}

int TablePreviewModel::showRegionAround(long line) {
    if (!m_table)
        return -1;
    const auto& lines = m_table->row_lines;
    const auto it = std::lower_bound(lines.begin(), lines.end(), line);
    if (it == lines.end() || *it != line)
        return -1;
    const int row = static_cast<int>(it - lines.begin());
    if (row < m_first || row >= m_first + rowCount()) {
        beginResetModel();
        m_first = std::clamp(row - m_maxRows / 2, 0, std::max(0, totalRows() - m_maxRows));
        endResetModel();
    }
    return row - m_first;
}

int TablePreviewModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() || !m_table)
        return 0;
    return std::clamp(totalRows() - m_first, 0, m_maxRows);
}

int TablePreviewModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : m_columns.size();
}

QVariant TablePreviewModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const int r = m_first + index.row();
    const auto& row = m_table->rows[std::size_t(r)];
    QString cell = std::size_t(index.column()) < row.size()
                       ? QString::fromStdString(row[std::size_t(index.column())])
                       : QString();
    const bool excluded = m_edits.excluded.count(r) > 0;
    const auto relabel = m_edits.relabelled.find(r);
    const bool relabelled = index.column() == m_labelColumn && relabel != m_edits.relabelled.end();
    if (relabelled)
        cell = QString::fromStdString(relabel->second);
    switch (role) {
        case Qt::DisplayRole: {
            QString shown = cell.left(kMaxCellChars);
            shown.replace(QLatin1Char('\n'), QChar(0x21B5));  // one visual line per row
            return shown;
        }
        case Qt::ToolTipRole:
            if (excluded)
                return tr("Excluded from the dataset (undo with Ctrl+Z)");
            if (relabelled)
                return tr("Relabelled; was \"%1\"")
                    .arg(QString::fromStdString(row[std::size_t(m_labelColumn)]));
            return cell.size() > 60 ? cell : QVariant();
        case Qt::FontRole:
            if (excluded || relabelled) {
                QFont f;
                f.setStrikeOut(excluded);
                f.setItalic(relabelled);
                f.setBold(relabelled);
                return f;
            }
            return {};
        case Qt::ForegroundRole:
            if (excluded)
                return QBrush(QColor(0x9a, 0xa0, 0xa6));
            if (relabelled)
                return QBrush(QColor(0x1a, 0x73, 0xe8));
            return {};
        default:
            return {};
    }
}

QVariant TablePreviewModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation == Qt::Vertical) {
        const int r = m_first + section;
        if (role == Qt::DisplayRole && m_table && r < int(m_table->row_lines.size()))
            return qlonglong(m_table->row_lines[std::size_t(r)]);
        if (role == Qt::ToolTipRole)
            return tr("Line in the file");
        return {};
    }
    if (section >= m_columns.size())
        return {};
    if (role == Qt::DisplayRole)
        return m_columns[section];
    if (role == Qt::FontRole && m_highlighted.contains(m_columns[section])) {
        QFont f;
        f.setBold(true);
        return f;
    }
    return {};
}

}  // namespace tb::ui
