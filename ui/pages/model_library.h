// Model library: the model folders found under the configured folders and the hub cache.
#pragma once

#include <QString>
#include <QStringList>
#include <QVector>

namespace tb::ui {

// One folder found by a scan. Unsupported folders keep the core's reason.
struct ModelLibraryEntry {
    QString name;    // folder name, or "org/name" for a hub-cache repository
    QString path;    // the folder to put into model.path
    QString source;  // the configured folder (or hub cache) it was found under
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
};

// tb::model::hub_cache_dir(): $HF_HUB_CACHE, $HF_HOME/hub, ... ~/.cache/huggingface/hub.
QString defaultHubCache();

// tb::model::scan_model_library over `folders` and the hub cache, as Qt values for the table.
// Blocking (reads headers, sizes folders): call it off the UI thread.
QVector<ModelLibraryEntry> scanModelFolders(const QStringList& folders);

}  // namespace tb::ui
