// Model library: the model folders found under the configured folders and the hub cache.
#include "pages/model_library.h"

#include <QDir>
#include <QFileInfo>

#include "model/model_library.h"

namespace tb::ui {

QString defaultHubCache() {
    return QString::fromStdString(tb::model::hub_cache_dir());
}

namespace {

ModelLibraryEntry fromCore(const tb::model::ModelLibraryEntry& m) {
    ModelLibraryEntry e;
    e.path = QString::fromStdString(m.path);
    e.modelArchitecture = QString::fromStdString(m.model_architecture);
    e.name = !m.model_architecture.empty() ? QString::fromStdString(m.family)
             : m.repo_id.empty()           ? QFileInfo(e.path).fileName()
                                           : QString::fromStdString(m.repo_id);
    e.source = QString::fromStdString(m.source);
    e.supported = m.supported;
    e.reason = QString::fromStdString(m.reason);
    // Image folders: the family ("ResNet-18", "Small CNN"), not the generic model_type "image";
    // built-ins: the model.architecture value.
    e.architecture =
        QString::fromStdString(!m.model_architecture.empty()               ? m.model_architecture
                               : m.model_type.empty() || m.kind == "image" ? m.family
                                                                           : m.model_type);
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
    e.license = QString::fromStdString(m.license);
    e.tasks = QString::fromStdString(m.tasks);
    return e;
}

}  // namespace

QString ModelLibraryEntry::key() const {
    return modelArchitecture.isEmpty() ? path : architectureKey(modelArchitecture);
}

QString architectureKey(const QString& architecture) {
    return QStringLiteral("arch:") + architecture;
}

QVector<ModelLibraryEntry> scanModelFolders(const QStringList& folders) {
    std::vector<std::string> roots;
    for (const QString& folder : folders)
        roots.push_back(folder.toStdString());
    QVector<ModelLibraryEntry> out;
    for (const auto& m : tb::model::scan_model_library(roots, /*include_hub_cache=*/true))
        out.append(fromCore(m));
    return out;
}

QVector<ModelLibraryEntry> builtinModels(const tb::model::BuiltinSizes& sizes) {
    QVector<ModelLibraryEntry> out;
    for (const auto& m : tb::model::builtin_model_entries(sizes))
        out.append(fromCore(m));
    return out;
}

}  // namespace tb::ui
