// Data page, image datasets: how images reach the model's input (size, grey/RGB/BGR, resize
// recipe, normalization), written to the experiment's dataset.image_* / normalize_* keys, and
// "use the model's preprocessing" when the chosen model folder declares its own.
#pragma once

#include <QDateTime>
#include <QGroupBox>

#include <optional>

#include "model/vision/image_preprocessing.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace tb::ui {

class ExperimentDocument;

class ImagePreprocessingPanel : public QGroupBox {
    Q_OBJECT

public:
    explicit ImagePreprocessingPanel(ExperimentDocument* document, QWidget* parent = nullptr);

    // Copies the model folder's preprocessing into the experiment; false (and nothing changes)
    // when model.path is not an image model folder.
    bool useModelPreprocessing();
    // The text under the controls: whether the experiment matches the model's preprocessing.
    QString modelNote() const;

private:
    // The chosen model folder's preprocessing (none when model.path is not an image model
    // folder) or why it cannot be read. Its config.json is parsed again only when model.path or
    // the file's modification time changed: the panel asks on every document change.
    struct ModelRecipe {
        QString path;
        QDateTime modified;
        std::optional<tb::model::vision::ImagePreprocessing> preprocessing;
        QString error;
    };
    const ModelRecipe& modelRecipe() const;
    void syncFromDocument();
    void writeToDocument();

    ExperimentDocument* m_document;
    QSpinBox* m_width;
    QSpinBox* m_height;
    QComboBox* m_colour;
    QComboBox* m_resize;
    QSpinBox* m_shorter;
    QLineEdit* m_mean;
    QLineEdit* m_std;
    QPushButton* m_useModel;
    QLabel* m_note;
    QLabel* m_error;
    bool m_syncing = false;
    mutable std::optional<ModelRecipe> m_recipe;
};

}  // namespace tb::ui
