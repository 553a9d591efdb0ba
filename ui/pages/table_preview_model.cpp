// Read-only Qt model over the first rows of a parsed tb::data::Table (the Data page preview).
#include "pages/table_preview_model.h"

#include <QFont>

#include <algorithm>

namespace tb::ui {

namespace {
constexpr int kMaxCellChars = 300;  // long texts are cut in the cell; the tooltip has them all
}

TablePreviewModel::TablePreviewModel(QObject* parent) : QAbstractTableModel(parent) {}

void TablePreviewModel::setTable(const tb::data::Table& table, int maxRows) {
    beginResetModel();
    m_columns.clear();
    m_rows.clear();
    m_lines.clear();
    for (const auto& c : table.columns)
        m_columns << QString::fromStdString(c);
    const int n = std::min<int>(maxRows, static_cast<int>(table.rows.size()));
    m_rows.reserve(n);
    for (int i = 0; i < n; ++i) {
        QStringList row;
        for (const auto& cell : table.rows[i])
            row << QString::fromStdString(cell);
        m_rows << row;
        m_lines << (i < static_cast<int>(table.row_lines.size()) ? table.row_lines[i] : 0);
    }
    m_totalRows = static_cast<int>(table.rows.size());
    endResetModel();
}

void TablePreviewModel::clear() {
    beginResetModel();
    m_columns.clear();
    m_rows.clear();
    m_lines.clear();
    m_totalRows = 0;
    endResetModel();
}

void TablePreviewModel::setHighlightedColumns(const QStringList& names) {
    if (names == m_highlighted)
        return;
    m_highlighted = names;
    if (!m_columns.isEmpty())
        emit headerDataChanged(Qt::Horizontal, 0, m_columns.size() - 1);
}

int TablePreviewModel::rowForLine(long line) const {
    return m_lines.indexOf(line);
}

int TablePreviewModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : m_rows.size();
}

int TablePreviewModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : m_columns.size();
}

QVariant TablePreviewModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const QStringList& row = m_rows[index.row()];
    const QString cell = index.column() < row.size() ? row[index.column()] : QString();
    switch (role) {
        case Qt::DisplayRole: {
            QString shown = cell.left(kMaxCellChars);
            shown.replace(QLatin1Char('\n'), QChar(0x21B5));  // one visual line per row
            return shown;
        }
        case Qt::ToolTipRole:
            return cell.size() > 60 ? cell : QVariant();
        default:
            return {};
    }
}

QVariant TablePreviewModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation == Qt::Vertical) {
        if (role == Qt::DisplayRole && section < m_lines.size())
            return qlonglong(m_lines[section]);
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
