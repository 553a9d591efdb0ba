// The user's row edits of a dataset (relabel, exclude) as undoable commands on a QUndoStack.
#pragma once

#include <QObject>

#include <optional>
#include <string>

#include "dataset/dataset_scan.h"

class QUndoStack;

namespace tb::ui {

// Edits are kept as an overlay on the table as read (rows indexed as in the file), so the
// user's file is never touched; DataPage writes them as a new version file on request.
class DatasetEditor : public QObject {
    Q_OBJECT

public:
    explicit DatasetEditor(QObject* parent = nullptr);

    const DatasetEdits& edits() const { return m_edits; }
    QUndoStack* undoStack() const { return m_undo; }

    // Undoable edits (each one step on the undo stack).
    void relabel(int row, const std::string& label);
    void setExcluded(int row, bool excluded);
    // Drops all edits and the undo history (another file was loaded, or a version was saved).
    void reset();

    // Used by the undo commands: sets the overlay state of one row directly.
    void applyRelabel(int row, const std::optional<std::string>& label);
    void applyExcluded(int row, bool excluded);

signals:
    void editsChanged();

private:
    DatasetEdits m_edits;
    QUndoStack* m_undo;
};

}  // namespace tb::ui
