// Model library panel: the built-in architectures and the folders to scan, a searchable table of
// the models found, pick one.
#pragma once

#include <QFutureWatcher>
#include <QVector>
#include <QWidget>

#include "pages/model_library.h"

class QLabel;
class QLineEdit;
class QListWidget;
class QTableWidget;

namespace tb::ui {

// The folder list is kept in QSettings ("modelLibrary/folders"); the hub cache is always
// scanned. Scans run on a worker thread (QtConcurrent); a newer scan supersedes an older one.
class ModelLibraryPanel : public QWidget {
    Q_OBJECT

public:
    explicit ModelLibraryPanel(QWidget* parent = nullptr);

    QStringList folders() const { return m_folders; }
    void setFolders(const QStringList& folders);  // stores them and rescans
    void addFolder(const QString& folder);
    void removeFolder(const QString& folder);
    void rescan();
    // True from rescan() until the entries of the latest scan are shown (the worker may have
    // finished while its result still waits in the event queue).
    bool isScanning() const { return m_scanning; }
    // Processes events until the latest scan is shown (at most `timeoutMs`).
    void waitUntilScanned(int timeoutMs = 20000);

    void setFilterText(const QString& text);
    // Used by tests: the entries found, and the rows the search leaves visible.
    const QVector<ModelLibraryEntry>& entries() const { return m_entries; }
    QTableWidget* table() const { return m_table; }
    int visibleRowCount() const;
    // Image datasets take image models only, text datasets text models only, and BiLSTM /
    // fastText models text_classification only: the others stay listed but disabled, their
    // Status saying why.
    void setImageTask(bool image);
    void setDatasetTask(const QString& task);
    bool imageTask() const { return m_imageTask; }
    // Sizes the built-ins' parameter counts (the experiment's image size and BiLSTM keys).
    void setBuiltinSizes(const tb::model::BuiltinSizes& sizes);
    // Selects the row of `path` (if listed) without emitting modelChosen.
    void setCurrentPath(const QString& path);
    // Selects the row of ModelLibraryEntry::key() `key` without emitting a signal.
    void setCurrentKey(const QString& key);

    // The table's columns (Status is the one that says whether and why a model can be used).
    enum Column {
        Name,
        Status,
        Arch,
        Format,
        Params,
        Vocab,
        Hidden,
        Layers,
        Disk,
        Tokenizer,
        Count
    };

signals:
    void modelChosen(const QString& path);
    // A built-in architecture (model.architecture) was picked.
    void architectureChosen(const QString& architecture);
    void scanFinished();

private:
    void chooseFolderToAdd();
    void showEntries();
    void applyFilter();
    void saveFolders();

    QStringList m_folders;
    QListWidget* m_folderList;
    QLineEdit* m_search;
    QTableWidget* m_table;
    QLabel* m_status;
    QFutureWatcher<QVector<ModelLibraryEntry>> m_watcher;
    QVector<ModelLibraryEntry> m_entries;  // m_scanned, then m_builtins; usable ones first
    QVector<ModelLibraryEntry> m_builtins;
    QVector<ModelLibraryEntry> m_scanned;
    tb::model::BuiltinSizes m_builtinSizes;
    QString m_task = QStringLiteral("text_classification");
    QString m_currentPath;  // the selected entry's key()
    bool m_pending = false;
    bool m_scanning = false;
    bool m_selecting = false;
    bool m_imageTask = false;
};

}  // namespace tb::ui
