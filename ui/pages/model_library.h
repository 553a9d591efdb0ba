// Model library: the model folders found under the configured folders and the hub cache.
#pragma once

#include <QString>
#include <QStringList>
#include <QVector>

#include "model/builtin_models.h"

namespace tb::ui {

// One folder, file or built-in architecture. Unsupported entries keep the core's reason.
struct ModelLibraryEntry {
    QString name;  // folder or file name, "org/name" for a hub-cache repository, the display
                   // name of a built-in ("BiLSTM (word vocabulary)")
    QString path;  // the folder or file to put into model.path (empty for built-ins)
    QString modelArchitecture;  // built-ins: the model.architecture value (else empty)
    QString source;             // "folder", "file", "hub-cache" or "built-in"
    bool supported = false;
    QString reason;        // why it cannot be used (unsupported only)
    QString architecture;  // config.json model_type, else the family ("ResNet-18")
    bool image = false;    // an image model folder (image datasets), not a text encoder
    qint64 parameters = 0;
    qint64 vocabSize = 0;
    qint64 maxPositions = 0;
    qint64 hiddenSize = 0;
    qint64 layers = 0;
    qint64 diskBytes = 0;  // every file in the folder
    bool tokenizer = false;
    QString sourceFormat;    // "torchvision safetensors", "TorchScript", "Keras / TF.js", ...
    qint64 featureSize = 0;  // image backbones: pooled feature size (0: probed at load)
    QStringList notes;       // input size / preprocessing, licence, warnings (core's notes)
    QString license;         // the licence note (core's ModelLibraryEntry::license)
    QString tasks;           // the dataset.task it trains; empty = every task of its kind
    // What selects it in the table and the experiment: "arch:NAME" for built-ins, else the path.
    QString key() const;
};

// tb::model::hub_cache_dir(): $HF_HUB_CACHE, $HF_HOME/hub, ... ~/.cache/huggingface/hub.
QString defaultHubCache();

// tb::model::scan_model_library over `folders` and the hub cache, as Qt values for the table.
// Blocking (reads headers, sizes folders): call it off the UI thread.
QVector<ModelLibraryEntry> scanModelFolders(const QStringList& folders);

// The built-in architectures (tb::model::builtin_model_entries), sized by `sizes`. Cheap.
QVector<ModelLibraryEntry> builtinModels(const tb::model::BuiltinSizes& sizes);

// The table key of a model.architecture value (see ModelLibraryEntry::key).
QString architectureKey(const QString& architecture);

}  // namespace tb::ui
