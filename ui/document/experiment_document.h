// The experiment being edited: one ExperimentConfig plus the YAML file it came from.
#pragma once

#include <QObject>
#include <QString>

#include "io/experiment_config.h"

namespace tb::ui {

// Pages read config() and write through setConfig() / update(). load() and save() report
// problems through their return value and errorString(); nothing throws into the event loop.
class ExperimentDocument : public QObject {
    Q_OBJECT

public:
    explicit ExperimentDocument(QObject* parent = nullptr);

    const tb::io::ExperimentConfig& config() const { return m_config; }
    QString filePath() const { return m_filePath; }
    // "name.yaml", or "Untitled" before the first save.
    QString displayName() const;
    bool isModified() const { return m_modified; }
    QString errorString() const { return m_errorString; }

    // Replaces everything (a new, unsaved experiment when `filePath` is empty).
    void reset(const tb::io::ExperimentConfig& config = {}, const QString& filePath = {});
    bool load(const QString& path);
    // Saving into another folder rewrites relative data/model/runs paths as absolute paths so
    // the new file still points at the same files.
    bool save(const QString& path);

    // Edits: emit changed() and mark the document modified when the config really changed.
    void setConfig(const tb::io::ExperimentConfig& config);
    template <typename Edit>
    void update(Edit edit) {
        tb::io::ExperimentConfig next = m_config;
        edit(next);
        setConfig(next);
    }

    // A path as it should be stored in the config: relative to the YAML's folder when the
    // file lies inside it, otherwise absolute.
    std::string storablePath(const QString& absolutePath) const;
    // A config path resolved to an absolute path for opening ("" stays "").
    QString resolvedPath(const std::string& configPath) const;

signals:
    // Any change of config(), including load/reset. Pages refresh from config().
    void changed();
    // A different file (or a fresh document) was loaded: pages may drop cached state.
    void loaded();
    void modifiedChanged(bool modified);
    void filePathChanged(const QString& path);

private:
    void setModified(bool modified);
    void setFilePath(const QString& path);

    tb::io::ExperimentConfig m_config;
    QString m_filePath;
    bool m_modified = false;
    QString m_errorString;
};

}  // namespace tb::ui
