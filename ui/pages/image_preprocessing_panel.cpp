#include "pages/image_preprocessing_panel.h"

#include <algorithm>
#include <optional>

#include <QComboBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>

#include "document/experiment_document.h"
#include "io/experiment_config.h"
#include "train/model_image_preprocessing.h"
#include "util/format.h"

namespace tb::ui {
namespace {

QString numberList(const std::vector<double>& values) {
    QStringList parts;
    for (double v : values)
        parts << QString::number(v, 'g', 6);
    return parts.join(QStringLiteral(", "));
}

// "0.485, 0.456 0.406" -> numbers; false for anything that is not a number.
bool parseNumbers(const QString& text, std::vector<double>& out) {
    out.clear();
    const auto parts =
        text.split(QRegularExpression(QStringLiteral("[,;\\s]+")), Qt::SkipEmptyParts);
    for (const QString& p : parts) {
        bool ok = false;
        const double v = p.toDouble(&ok);
        if (!ok)
            return false;
        out.push_back(v);
    }
    return !out.empty();
}

}  // namespace

ImagePreprocessingPanel::ImagePreprocessingPanel(ExperimentDocument* document, QWidget* parent)
    : QGroupBox(tr("Image preprocessing (training, evaluation and the playground alike)"), parent),
      m_document(document) {
    m_width = new QSpinBox(this);
    m_height = new QSpinBox(this);
    for (QSpinBox* box : {m_width, m_height}) {
        box->setRange(1, 8192);
        box->setSuffix(tr(" px"));
    }
    m_colour = new QComboBox(this);
    m_colour->addItem(tr("RGB"), QStringLiteral("RGB"));
    m_colour->addItem(tr("BGR (Caffe-style weights)"), QStringLiteral("BGR"));
    m_colour->addItem(tr("Grey"), QStringLiteral("grey"));
    m_resize = new QComboBox(this);
    m_resize->addItem(tr("Resize the shorter side, then crop the centre"),
                      QStringLiteral("shorter_side_crop"));
    m_resize->addItem(tr("Stretch to the size (aspect ratio not kept)"), QStringLiteral("stretch"));
    m_resize->addItem(tr("Crop the centre, no resize"), QStringLiteral("center_crop"));
    m_shorter = new QSpinBox(this);
    m_shorter->setRange(0, 8192);
    m_shorter->setSuffix(tr(" px"));
    m_shorter->setSpecialValueText(tr("just cover the crop"));
    m_shorter->setToolTip(
        tr("The shorter side's length before the centre crop (256 for a 224 crop is the "
           "ImageNet recipe)"));
    m_mean = new QLineEdit(this);
    m_std = new QLineEdit(this);
    m_mean->setToolTip(tr("One value per channel, on pixel values scaled to [0, 1]"));
    m_std->setToolTip(tr("One value per channel, all > 0"));
    m_useModel = new QPushButton(tr("Use the model's preprocessing"), this);
    // Names for tests and style sheets.
    m_width->setObjectName(QStringLiteral("imageWidth"));
    m_height->setObjectName(QStringLiteral("imageHeight"));
    m_colour->setObjectName(QStringLiteral("imageColour"));
    m_resize->setObjectName(QStringLiteral("imageResize"));
    m_shorter->setObjectName(QStringLiteral("imageResizeShorter"));
    m_mean->setObjectName(QStringLiteral("normalizeMean"));
    m_std->setObjectName(QStringLiteral("normalizeStd"));
    m_useModel->setObjectName(QStringLiteral("useModelPreprocessing"));
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    m_error = new QLabel(this);
    m_error->setStyleSheet(QStringLiteral("color: #b00020"));
    m_error->setVisible(false);

    auto* size = new QHBoxLayout;
    size->addWidget(m_width);
    size->addWidget(new QLabel(QStringLiteral("×"), this));
    size->addWidget(m_height);
    size->addStretch(1);
    auto* resize = new QHBoxLayout;
    resize->addWidget(m_resize, 1);
    resize->addWidget(new QLabel(tr("shorter side:"), this));
    resize->addWidget(m_shorter);
    auto* form = new QFormLayout(this);
    form->addRow(tr("Input size (width × height):"), size);
    form->addRow(tr("Channels:"), m_colour);
    form->addRow(tr("Resize:"), resize);
    form->addRow(tr("Normalize, mean:"), m_mean);
    form->addRow(tr("Normalize, std:"), m_std);
    form->addRow(m_useModel, m_note);
    form->addRow(m_error);

    for (QSpinBox* box : {m_width, m_height, m_shorter})
        connect(box, &QSpinBox::editingFinished, this, &ImagePreprocessingPanel::writeToDocument);
    for (QComboBox* combo : {m_colour, m_resize})
        connect(combo, qOverload<int>(&QComboBox::activated), this,
                &ImagePreprocessingPanel::writeToDocument);
    for (QLineEdit* edit : {m_mean, m_std})
        connect(edit, &QLineEdit::editingFinished, this, &ImagePreprocessingPanel::writeToDocument);
    connect(m_useModel, &QPushButton::clicked, this, [this] { useModelPreprocessing(); });
    connect(m_document, &ExperimentDocument::changed, this,
            &ImagePreprocessingPanel::syncFromDocument);
    syncFromDocument();
}

void ImagePreprocessingPanel::syncFromDocument() {
    m_syncing = true;
    const auto& d = m_document->config().dataset;
    m_width->setValue(d.image_width);
    m_height->setValue(d.image_height);
    const QString colour =
        d.image_channels == 1 ? QStringLiteral("grey") : toQt(d.image_channel_order);
    m_colour->setCurrentIndex(std::max(0, m_colour->findData(colour)));
    m_resize->setCurrentIndex(std::max(0, m_resize->findData(toQt(d.image_resize))));
    m_shorter->setValue(d.image_resize_shorter);
    m_shorter->setEnabled(d.image_resize == "shorter_side_crop");
    if (!m_mean->hasFocus())
        m_mean->setText(numberList(d.normalize_mean));
    if (!m_std->hasFocus())
        m_std->setText(numberList(d.normalize_std));
    m_note->setText(modelNote());
    const auto& recipe = modelRecipe();
    m_useModel->setEnabled(recipe.preprocessing.has_value() &&
                           !tb::train::dataset_uses_preprocessing(d, *recipe.preprocessing));
    m_syncing = false;
}

void ImagePreprocessingPanel::writeToDocument() {
    if (m_syncing)
        return;
    std::vector<double> mean, std;
    const QString colour = m_colour->currentData().toString();
    const std::size_t channels = colour == QLatin1String("grey") ? 1 : 3;
    QString problem;
    if (!parseNumbers(m_mean->text(), mean) || !parseNumbers(m_std->text(), std))
        problem = tr("Mean and std take numbers separated by commas.");
    else if (mean.size() != channels || std.size() != channels)
        problem = tr("Mean and std need %n value(s), one per channel.", nullptr, int(channels));
    else if (std::any_of(std.begin(), std.end(), [](double s) { return !(s > 0.0); }))
        problem = tr("Std values must be greater than 0.");
    m_error->setText(problem);
    m_error->setVisible(!problem.isEmpty());
    const QString resize = m_resize->currentData().toString();
    m_document->update([&](tb::io::ExperimentConfig& c) {
        auto& d = c.dataset;
        d.image_width = m_width->value();
        d.image_height = m_height->value();
        d.image_channels = int(channels);
        d.image_channel_order = channels == 3 ? colour.toStdString() : std::string("RGB");
        d.image_resize = resize.toStdString();
        d.image_resize_shorter =
            resize == QLatin1String("shorter_side_crop") ? m_shorter->value() : 0;
        // Invalid normalization is shown, not written: the experiment stays loadable.
        if (problem.isEmpty()) {
            d.normalize_mean = mean;
            d.normalize_std = std;
        } else if (d.normalize_mean.size() != channels) {
            // A channel change with stale values: the usual statistics for that many channels.
            d.normalize_mean =
                channels == 1 ? std::vector<double>{0.5} : std::vector<double>{0.485, 0.456, 0.406};
            d.normalize_std =
                channels == 1 ? std::vector<double>{0.5} : std::vector<double>{0.229, 0.224, 0.225};
        }
    });
}

const ImagePreprocessingPanel::ModelRecipe& ImagePreprocessingPanel::modelRecipe() const {
    const QString path = m_document->resolvedPath(m_document->config().model.path);
    const QDateTime modified =
        path.isEmpty() ? QDateTime()
                       : QFileInfo(path + QStringLiteral("/config.json")).lastModified();
    if (m_recipe && m_recipe->path == path && m_recipe->modified == modified)
        return *m_recipe;
    ModelRecipe recipe{path, modified, std::nullopt, QString()};
    try {
        if (!path.isEmpty())
            recipe.preprocessing = tb::train::model_folder_preprocessing(path.toStdString());
    } catch (const std::exception& e) {
        recipe.error = QString::fromUtf8(e.what());
    }
    m_recipe = std::move(recipe);
    return *m_recipe;
}

bool ImagePreprocessingPanel::useModelPreprocessing() {
    const auto& recipe = modelRecipe();
    if (!recipe.error.isEmpty()) {
        m_error->setText(recipe.error);
        m_error->setVisible(true);
        return false;
    }
    if (!recipe.preprocessing)
        return false;
    const auto p = *recipe.preprocessing;
    m_document->update(
        [&](tb::io::ExperimentConfig& c) { tb::train::adopt_preprocessing(c.dataset, p); });
    m_error->setVisible(false);
    return true;
}

QString ImagePreprocessingPanel::modelNote() const {
    const auto& c = m_document->config();
    const auto& recipe = modelRecipe();
    if (!recipe.error.isEmpty())
        return tr("The model folder's preprocessing cannot be read: %1").arg(recipe.error);
    const auto& p = recipe.preprocessing;
    if (!p)
        return c.model.architecture.empty()
                   ? tr("No image model folder chosen: these settings are the run's.")
                   : tr("%1 from scratch learns with these settings.")
                         .arg(toQt(c.model.architecture));
    if (tb::train::dataset_uses_preprocessing(c.dataset, *p))
        return tr("Matches the model's preprocessing (%1).")
            .arg(toQt(tb::train::describe_preprocessing(*p)));
    return tr("Differs from how the model was trained (%1); the settings here are used.")
        .arg(toQt(tb::train::describe_preprocessing(*p)));
}

}  // namespace tb::ui
