// Data page, image datasets: how images reach the model's input (size, grey/RGB/BGR, resize
// recipe, normalization), written to the experiment's dataset.image_* / normalize_* keys, and
// "use the model's preprocessing" when the chosen model folder declares its own.
#pragma once

#include <QGroupBox>

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
};

}  // namespace tb::ui
