// The experiment being edited: one ExperimentConfig plus the YAML file it came from.
#include "document/experiment_document.h"

#include <QDir>
#include <QFileInfo>

#include <exception>

namespace tb::ui {

namespace {

bool sameConfig(const tb::io::ExperimentConfig& a, const tb::io::ExperimentConfig& b) {
    // to_yaml writes every field, so equal text means equal settings.
    return a.base_dir == b.base_dir && tb::io::to_yaml(a) == tb::io::to_yaml(b);
}

}  // namespace

ExperimentDocument::ExperimentDocument(QObject* parent) : QObject(parent) {}

QString ExperimentDocument::displayName() const {
    return m_filePath.isEmpty() ? tr("Untitled") : QFileInfo(m_filePath).fileName();
}

void ExperimentDocument::reset(const tb::io::ExperimentConfig& config, const QString& filePath) {
    m_config = config;
    setFilePath(filePath);
    setModified(false);
    emit loaded();
    emit changed();
}

bool ExperimentDocument::load(const QString& path) {
    try {
        tb::io::ExperimentConfig config = tb::io::load_experiment(path.toStdString());
        m_errorString.clear();
        reset(config, QFileInfo(path).absoluteFilePath());
        return true;
    } catch (const std::exception& e) {
        m_errorString = QString::fromStdString(e.what());
        return false;
    }
}

bool ExperimentDocument::save(const QString& path) {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    const QString newDir = QFileInfo(absolute).absolutePath();
    tb::io::ExperimentConfig toSave = m_config;
    const std::string oldBase = m_config.base_dir;
    if (QDir(QString::fromStdString(oldBase)) != QDir(newDir)) {
        // Relative paths were relative to the old folder (or the working folder if unsaved).
        auto absolutize = [&](std::string& p) {
            if (p.empty())
                return;
            p = QFileInfo(resolvedPath(p)).absoluteFilePath().toStdString();
        };
        absolutize(toSave.dataset.path);
        absolutize(toSave.dataset.dev_path);
        absolutize(toSave.dataset.test_path);
        absolutize(toSave.model.path);
        absolutize(toSave.output.runs_dir);
    }
    try {
        tb::io::save_experiment(toSave, absolute.toStdString());
    } catch (const std::exception& e) {
        m_errorString = QString::fromStdString(e.what());
        return false;
    }
    m_errorString.clear();
    toSave.base_dir = newDir.toStdString();
    const bool differs = !sameConfig(toSave, m_config);
    m_config = toSave;
    setFilePath(absolute);
    setModified(false);
    if (differs)
        emit changed();
    return true;
}

void ExperimentDocument::setConfig(const tb::io::ExperimentConfig& config) {
    if (sameConfig(config, m_config))
        return;
    m_config = config;
    setModified(true);
    emit changed();
}

std::string ExperimentDocument::storablePath(const QString& absolutePath) const {
    if (absolutePath.isEmpty())
        return {};
    if (!m_config.base_dir.empty()) {
        const QString relative =
            QDir(QString::fromStdString(m_config.base_dir)).relativeFilePath(absolutePath);
        if (!relative.startsWith(QLatin1String("..")))
            return relative.toStdString();
    }
    return QFileInfo(absolutePath).absoluteFilePath().toStdString();
}

QString ExperimentDocument::resolvedPath(const std::string& configPath) const {
    if (configPath.empty())
        return {};
    return QFileInfo(QString::fromStdString(m_config.resolve(configPath))).absoluteFilePath();
}

void ExperimentDocument::setModified(bool modified) {
    if (modified == m_modified)
        return;
    m_modified = modified;
    emit modifiedChanged(modified);
}

void ExperimentDocument::setFilePath(const QString& path) {
    if (path == m_filePath)
        return;
    m_filePath = path;
    emit filePathChanged(path);
}

}  // namespace tb::ui
