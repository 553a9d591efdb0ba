// The user's row edits of a dataset (relabel, exclude) as undoable commands on a QUndoStack.
#include "dataset/dataset_editor.h"

#include <QUndoCommand>
#include <QUndoStack>

namespace tb::ui {

namespace {

class RelabelCommand : public QUndoCommand {
public:
    RelabelCommand(DatasetEditor* editor, int row, std::optional<std::string> before,
                   std::string after)
        : m_editor(editor), m_row(row), m_before(std::move(before)), m_after(std::move(after)) {
        setText(QObject::tr("relabel row to \"%1\"").arg(QString::fromStdString(m_after)));
    }
    void redo() override { m_editor->applyRelabel(m_row, m_after); }
    void undo() override { m_editor->applyRelabel(m_row, m_before); }

private:
    DatasetEditor* m_editor;
    int m_row;
    std::optional<std::string> m_before;
    std::string m_after;
};

class ExcludeCommand : public QUndoCommand {
public:
    ExcludeCommand(DatasetEditor* editor, int row, bool excluded)
        : m_editor(editor), m_row(row), m_excluded(excluded) {
        setText(excluded ? QObject::tr("exclude row") : QObject::tr("include row"));
    }
    void redo() override { m_editor->applyExcluded(m_row, m_excluded); }
    void undo() override { m_editor->applyExcluded(m_row, !m_excluded); }

private:
    DatasetEditor* m_editor;
    int m_row;
    bool m_excluded;
};

}  // namespace

DatasetEditor::DatasetEditor(QObject* parent) : QObject(parent), m_undo(new QUndoStack(this)) {}

void DatasetEditor::relabel(int row, const std::string& label) {
    std::optional<std::string> before;
    const auto it = m_edits.relabelled.find(row);
    if (it != m_edits.relabelled.end())
        before = it->second;
    if (before == label)
        return;
    m_undo->push(new RelabelCommand(this, row, before, label));
}

void DatasetEditor::setExcluded(int row, bool excluded) {
    if ((m_edits.excluded.count(row) > 0) == excluded)
        return;
    m_undo->push(new ExcludeCommand(this, row, excluded));
}

void DatasetEditor::reset() {
    m_undo->clear();
    if (m_edits.isEmpty())
        return;
    m_edits = {};
    emit editsChanged();
}

void DatasetEditor::applyRelabel(int row, const std::optional<std::string>& label) {
    if (label)
        m_edits.relabelled[row] = *label;
    else
        m_edits.relabelled.erase(row);
    emit editsChanged();
}

void DatasetEditor::applyExcluded(int row, bool excluded) {
    if (excluded)
        m_edits.excluded.insert(row);
    else
        m_edits.excluded.erase(row);
    emit editsChanged();
}

}  // namespace tb::ui
