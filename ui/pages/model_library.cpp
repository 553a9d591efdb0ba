// Model library: the model folders found under the configured folders and the hub cache.
#include "pages/model_library.h"

#include <QDir>
#include <QFileInfo>

#include "model/model_library.h"

namespace tb::ui {

QString defaultHubCache() {
    return QString::fromStdString(tb::model::hub_cache_dir());
}

QVector<ModelLibraryEntry> scanModelFolders(const QStringList& folders) {
    std::vector<std::string> roots;
    for (const QString& folder : folders)
        roots.push_back(folder.toStdString());
    QVector<ModelLibraryEntry> out;
    for (const auto& m : tb::model::scan_model_library(roots, /*include_hub_cache=*/true)) {
        ModelLibraryEntry e;
        e.path = QString::fromStdString(m.path);
        e.name =
            m.repo_id.empty() ? QFileInfo(e.path).fileName() : QString::fromStdString(m.repo_id);
        e.source = QString::fromStdString(m.source);
        e.supported = m.supported;
        e.reason = QString::fromStdString(m.reason);
        // Image folders: the family ("ResNet-18", "Small CNN"), not the generic model_type "image".
        e.architecture = QString::fromStdString(
            m.model_type.empty() || m.kind == "image" ? m.family : m.model_type);
        e.image = m.kind == "image";
        e.parameters = m.parameter_count;
        e.vocabSize = m.vocab_size;
        e.maxPositions = m.max_positions;
        e.hiddenSize = m.hidden_size;
        e.layers = m.layers;
        e.diskBytes = m.disk_bytes;
        e.tokenizer = m.tokenizer_present;
        e.sourceFormat = QString::fromStdString(m.source_format);
        e.featureSize = m.feature_size;
        for (const auto& note : m.notes)
            e.notes.append(QString::fromStdString(note));
        out.append(e);
    }
    return out;
}

}  // namespace tb::ui
