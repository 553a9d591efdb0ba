// Model library panel: folders to scan, a searchable table of the models found, pick one.
#include "pages/model_library_panel.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrent>

#include <algorithm>

#include "util/format.h"

namespace tb::ui {

namespace {
const char* kFoldersKey = "modelLibrary/folders";

// The format column's short form; the tooltip holds the full one.
QString shortFormat(const QString& format) {
    if (format.startsWith(QStringLiteral("tfjs")))
        return ModelLibraryPanel::tr("TF.js import");
    if (format == QStringLiteral("Hugging Face safetensors"))
        return ModelLibraryPanel::tr("HF safetensors");
    if (format.startsWith(QStringLiteral("built-in")))
        return ModelLibraryPanel::tr("built-in");
    return format;
}

// Widest a text column may start (the user can widen it); the Status column takes the rest.
int maxColumnWidth(int column) {
    switch (column) {
        case ModelLibraryPanel::Name:
            return 190;
        case ModelLibraryPanel::Status:
            return 210;
        case ModelLibraryPanel::Arch:
        case ModelLibraryPanel::Format:
            return 150;
        default:
            return 110;
    }
}
}  // namespace

ModelLibraryPanel::ModelLibraryPanel(QWidget* parent)
    : QWidget(parent),
      m_folderList(new QListWidget(this)),
      m_search(new QLineEdit(this)),
      m_table(new QTableWidget(0, Count, this)),
      m_status(new QLabel(this)) {
    m_folderList->setObjectName(QStringLiteral("libraryFolders"));
    m_folderList->setToolTip(
        tr("Searched for model folders (up to 4 levels deep); the Hugging Face hub cache %1 is "
           "always searched too.")
            .arg(defaultHubCache()));
    auto* add = new QPushButton(tr("Add…"), this);
    add->setToolTip(tr("Add a folder that holds model folders"));
    auto* remove = new QPushButton(tr("Remove"), this);
    auto* refresh = new QPushButton(tr("Rescan"), this);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addWidget(refresh);
    auto* hub = new QLabel(tr("+ the hub cache"), this);
    hub->setToolTip(defaultHubCache());
    auto* folderColumn = new QVBoxLayout;
    folderColumn->addWidget(new QLabel(tr("Model folders searched:"), this));
    folderColumn->addWidget(m_folderList, 1);
    folderColumn->addWidget(hub);
    folderColumn->addLayout(buttons);

    m_search->setObjectName(QStringLiteral("librarySearch"));
    m_search->setPlaceholderText(
        tr("Search by name, architecture, path, ready, from scratch or unsupported"));
    m_search->setClearButtonEnabled(true);

    m_table->setObjectName(QStringLiteral("libraryTable"));
    m_table->setHorizontalHeaderLabels({tr("Model"), tr("Status"), tr("Architecture"), tr("Format"),
                                        tr("Parameters"), tr("Vocabulary"), tr("Hidden / features"),
                                        tr("Layers"), tr("On disk"), tr("Tokenizer")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    // Columns start at their contents' width, capped (showEntries), so the Status column right
    // after the name is always in view at 1280 pixels; long reasons and paths elide (the
    // tooltip holds the whole text) and the last column takes what is left.
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_table->setWordWrap(false);

    auto* tableColumn = new QVBoxLayout;
    tableColumn->addWidget(m_search);
    tableColumn->addWidget(m_table, 1);
    m_status->setWordWrap(true);
    tableColumn->addWidget(m_status);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(folderColumn, 0);
    layout->addLayout(tableColumn, 1);
    m_folderList->setMaximumWidth(200);
    m_folderList->setMinimumWidth(160);

    connect(add, &QPushButton::clicked, this, &ModelLibraryPanel::chooseFolderToAdd);
    connect(remove, &QPushButton::clicked, this, [this] {
        if (auto* item = m_folderList->currentItem())
            removeFolder(item->text());
    });
    connect(refresh, &QPushButton::clicked, this, &ModelLibraryPanel::rescan);
    connect(m_search, &QLineEdit::textChanged, this, &ModelLibraryPanel::applyFilter);
    connect(&m_watcher, &QFutureWatcher<QVector<ModelLibraryEntry>>::finished, this, [this] {
        if (m_pending) {  // folders changed while scanning: scan again, drop this result
            m_pending = false;
            rescan();
            return;
        }
        m_scanned = m_watcher.result();
        m_scanning = false;
        showEntries();
        emit scanFinished();
    });
    connect(m_table, &QTableWidget::itemSelectionChanged, this, [this] {
        if (m_selecting)
            return;
        const auto rows = m_table->selectionModel()->selectedRows();
        if (rows.isEmpty())
            return;
        const int row = rows.first().row();
        m_currentPath = m_table->item(row, Name)->data(Qt::UserRole).toString();
        const QString architecture = m_table->item(row, Arch)->data(Qt::UserRole).toString();
        if (!architecture.isEmpty())
            emit architectureChosen(architecture);
        else
            emit modelChosen(m_currentPath);
    });

    m_builtins = builtinModels(m_builtinSizes);
    m_folders = QSettings().value(QLatin1String(kFoldersKey)).toStringList();
    m_folderList->addItems(m_folders);
    rescan();
}

void ModelLibraryPanel::setFolders(const QStringList& folders) {
    m_folders = folders;
    m_folders.removeDuplicates();
    m_folderList->clear();
    m_folderList->addItems(m_folders);
    saveFolders();
    rescan();
}

void ModelLibraryPanel::addFolder(const QString& folder) {
    if (!m_folders.contains(folder))
        setFolders(m_folders + QStringList{folder});
}

void ModelLibraryPanel::removeFolder(const QString& folder) {
    QStringList next = m_folders;
    next.removeAll(folder);
    setFolders(next);
}

void ModelLibraryPanel::saveFolders() {
    QSettings().setValue(QLatin1String(kFoldersKey), m_folders);
}

void ModelLibraryPanel::chooseFolderToAdd() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Add a folder of models"));
    if (!dir.isEmpty())
        addFolder(dir);
}

void ModelLibraryPanel::rescan() {
    m_scanning = true;
    if (m_watcher.isRunning()) {
        m_pending = true;
        return;
    }
    m_status->setText(tr("Searching %n folder(s) and the hub cache…", nullptr,
                         static_cast<int>(m_folders.size())));
    m_watcher.setFuture(QtConcurrent::run(scanModelFolders, m_folders));
}

void ModelLibraryPanel::showEntries() {
    // The user's own folders and files first, then the built-in architectures; within each,
    // the models this dataset can use before those it cannot (listed greyed out, with why).
    const auto usable = [this](const ModelLibraryEntry& e) {
        return e.supported && e.image == m_imageTask && (e.tasks.isEmpty() || e.tasks == m_task);
    };
    m_entries.clear();
    for (const QVector<ModelLibraryEntry>* group : {&m_scanned, &m_builtins}) {
        const auto start = m_entries.size();
        m_entries += *group;
        std::stable_partition(m_entries.begin() + start, m_entries.end(), usable);
    }
    m_selecting = true;
    m_table->setSortingEnabled(false);
    m_table->setRowCount(0);
    int supported = 0;
    for (const ModelLibraryEntry& e : m_entries) {
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        // A model of the other kind than the dataset's task, or one for another task, is listed
        // but cannot be chosen.
        QString wrongReason;
        if (e.supported && e.image != m_imageTask)
            wrongReason =
                e.image ? tr("an image model; this experiment's dataset is text")
                        : tr("a text model; this experiment's dataset is images (choose an image "
                             "model or an architecture from scratch)");
        else if (e.supported && !e.tasks.isEmpty() && e.tasks != m_task)
            wrongReason =
                tr("trains %1 datasets only; this experiment's is %2").arg(e.tasks, m_task);
        const bool wrongKind = !wrongReason.isEmpty();
        QString details = e.modelArchitecture.isEmpty()
                              ? e.path
                              : tr("model.architecture: %1").arg(e.modelArchitecture);
        if (!e.sourceFormat.isEmpty())
            details += QLatin1Char('\n') + tr("Format: %1").arg(e.sourceFormat);
        if (!e.license.isEmpty())
            details += QLatin1Char('\n') + tr("Licence: %1").arg(e.license);
        if (e.supported && e.featureSize > 0)
            details += QLatin1Char('\n') + tr("Features: %1").arg(e.featureSize);
        if (e.supported && e.maxPositions > 0)
            details += QLatin1Char('\n') + tr("Max positions: %1").arg(e.maxPositions);
        for (const QString& note : e.notes)
            if (!note.startsWith(QStringLiteral("licence: ")))  // shown above
                details += QLatin1Char('\n') + note;
        auto set = [&](int column, const QString& text) {
            auto* item = new QTableWidgetItem(text);
            item->setToolTip(column == Status && !e.supported ? e.reason
                             : column == Status && wrongKind  ? wrongReason
                                                              : details);
            if (wrongKind)
                item->setFlags(item->flags() & ~(Qt::ItemIsEnabled | Qt::ItemIsSelectable));
            m_table->setItem(row, column, item);
            return item;
        };
        set(Name, e.name)->setData(Qt::UserRole, e.key());
        const QString dash = QStringLiteral("–");
        set(Arch, e.supported || !e.modelArchitecture.isEmpty() ? e.architecture : dash)
            ->setData(Qt::UserRole, e.modelArchitecture);
        set(Format, shortFormat(e.sourceFormat));
        set(Params, e.supported && e.parameters > 0 ? formatCount(e.parameters) : dash);
        // Image models have no vocabulary: a dash, not a 0.
        auto number = [&](qint64 v) { return e.supported && v > 0 ? QString::number(v) : dash; };
        set(Vocab, number(e.vocabSize));
        set(Hidden, number(e.image ? e.featureSize : e.hiddenSize));
        set(Layers, number(e.layers));
        set(Disk, e.source == QStringLiteral("built-in") ? dash : formatBytes(e.diskBytes));
        const bool ownTokenizer =
            !e.image && e.sourceFormat == QStringLiteral("Hugging Face safetensors");
        set(Tokenizer, !ownTokenizer ? dash : e.tokenizer ? tr("yes") : tr("missing"));
        // The search looks at the status word only: a reason lists the supported families.
        const QString word = !e.supported                             ? tr("unsupported")
                             : e.source == QStringLiteral("built-in") ? tr("from scratch")
                             : e.image                                ? tr("image model")
                                                                      : tr("ready");
        QString status = e.supported ? word : tr("unsupported: %1").arg(e.reason);
        if (wrongKind)
            status = tr("not for this task: %1").arg(wrongReason);
        set(Status, status)->setData(Qt::UserRole, word);
        if (e.supported && !wrongKind)
            ++supported;
        else
            for (int c = 0; c < Count; ++c)
                m_table->item(row, c)->setForeground(palette().brush(QPalette::PlaceholderText));
    }
    for (int c = 0; c < Count - 1; ++c) {
        m_table->resizeColumnToContents(c);
        m_table->setColumnWidth(c, std::min(m_table->columnWidth(c), maxColumnWidth(c)));
    }
    m_status->setText(tr("%1 models (%2 built-in), %3 usable for this dataset. Hover a row for "
                         "its format, licence and notes, a Status for the whole reason.")
                          .arg(m_entries.size())
                          .arg(m_builtins.size())
                          .arg(supported));
    m_selecting = false;
    applyFilter();
    setCurrentKey(m_currentPath);
}

void ModelLibraryPanel::waitUntilScanned(int timeoutMs) {
    QElapsedTimer timer;
    timer.start();
    while (m_scanning && timer.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
}

void ModelLibraryPanel::setFilterText(const QString& text) {
    m_search->setText(text);
}

void ModelLibraryPanel::applyFilter() {
    const QString needle = m_search->text().trimmed();
    for (int row = 0; row < m_table->rowCount(); ++row) {
        bool match = needle.isEmpty();
        for (int c : {int(Name), int(Arch)})
            match = match || m_table->item(row, c)->text().contains(needle, Qt::CaseInsensitive);
        for (int c : {int(Name), int(Status)})  // the path, the status word
            match = match || m_table->item(row, c)
                                 ->data(Qt::UserRole)
                                 .toString()
                                 .contains(needle, Qt::CaseInsensitive);
        m_table->setRowHidden(row, !match);
    }
}

int ModelLibraryPanel::visibleRowCount() const {
    int n = 0;
    for (int row = 0; row < m_table->rowCount(); ++row)
        n += m_table->isRowHidden(row) ? 0 : 1;
    return n;
}

void ModelLibraryPanel::setImageTask(bool image) {
    setDatasetTask(image ? QStringLiteral("image_classification")
                         : QStringLiteral("text_classification"));
}

void ModelLibraryPanel::setDatasetTask(const QString& task) {
    if (task == m_task)
        return;
    m_task = task;
    m_imageTask = task == QStringLiteral("image_classification");
    if (!m_scanning)
        showEntries();
}

void ModelLibraryPanel::setBuiltinSizes(const tb::model::BuiltinSizes& sizes) {
    const auto same = [](const tb::model::BuiltinSizes& a, const tb::model::BuiltinSizes& b) {
        return a.num_classes == b.num_classes && a.image_channels == b.image_channels &&
               a.image_height == b.image_height && a.image_width == b.image_width &&
               a.embedding_dim == b.embedding_dim && a.hidden_size == b.hidden_size &&
               a.num_layers == b.num_layers && a.vocab_size == b.vocab_size &&
               a.attention_pooling == b.attention_pooling;
    };
    if (same(sizes, m_builtinSizes))
        return;
    m_builtinSizes = sizes;
    m_builtins = builtinModels(sizes);
    if (!m_scanning)
        showEntries();
}

void ModelLibraryPanel::setCurrentPath(const QString& path) {
    setCurrentKey(path);
}

void ModelLibraryPanel::setCurrentKey(const QString& path) {
    m_currentPath = path;
    m_selecting = true;
    m_table->clearSelection();
    for (int row = 0; row < m_table->rowCount(); ++row)
        if (m_table->item(row, Name)->data(Qt::UserRole).toString() == path)
            m_table->selectRow(row);
    m_selecting = false;
}

}  // namespace tb::ui
