// Model page, image classification: the network (an architecture from scratch or the model in
// model.path), freezing the backbone, and the summary of the chosen image model.
#include <QCheckBox>
#include <QComboBox>
#include <QFileInfo>
#include <QLabel>

#include "document/experiment_document.h"
#include "io/experiment_config.h"
#include "model/model_library.h"
#include "pages/model_library_panel.h"
#include "pages/model_page.h"
#include "util/format.h"

namespace tb::ui {
namespace {

// The from-scratch architectures model.architecture accepts for images (the names
// tb::model::vision::image_architecture_names() knows), with the pooled feature size and the
// backbone's parameter count where they do not depend on the input size (torchvision's counts
// without the classifier).
struct ScratchArchitecture {
    const char* name;
    const char* label;
    qint64 features;
    qint64 backbone;
};

const ScratchArchitecture kImageArchitectures[] = {
    {"resnet18", "ResNet-18", 512, 11176512},  {"resnet34", "ResNet-34", 512, 21284672},
    {"resnet50", "ResNet-50", 2048, 23508032}, {"mobilenet_v2", "MobileNetV2", 1280, 2223872},
    {"small_cnn", "Small CNN", 0, 0},          {"mlp", "MLP", 0, 0},
};

}  // namespace

bool ModelPage::imageTask() const {
    return m_document->config().dataset.task == "image_classification";
}

void ModelPage::fillArchitectures() {
    m_architecture->addItem(tr("Model from the library / model folder (pretrained)"), QString());
    for (const auto& a : kImageArchitectures)
        m_architecture->addItem(tr("%1 from scratch (random initialisation)").arg(a.label),
                                QString::fromLatin1(a.name));
}

void ModelPage::setArchitecture(int index) {
    if (m_syncing)
        return;
    const std::string name = m_architecture->itemData(index).toString().toStdString();
    // Only one of model.architecture and model.path may be set: an architecture clears the path.
    m_document->update([&](tb::io::ExperimentConfig& c) {
        c.model.architecture = name;
        if (!name.empty())
            c.model.path.clear();
    });
}

void ModelPage::updateTrainable() {
    const auto& model = m_document->config().model;
    qint64 features = 0, backbone = 0;
    if (!model.architecture.empty()) {
        for (const auto& a : kImageArchitectures)
            if (model.architecture == a.name) {
                features = a.features;
                backbone = a.backbone;
            }
    } else if (m_entry.kind == "image" && m_entry.supported) {
        features = m_entry.feature_size;
        backbone = m_entry.parameter_count;
    }
    const QString head = features > 0
                             ? tr("the new head (%1 features × classes + classes)").arg(features)
                             : tr("the new head");
    const QString body = backbone > 0
                             ? tr("the backbone's %1 parameters").arg(formatCount(backbone))
                             : tr("the backbone");
    if (model.architecture.empty() && model.path.empty())
        m_trainable->setText(
            tr("Choose an image model in the library or a network from "
               "scratch."));
    else if (model.freeze_backbone)
        m_trainable->setText(
            tr("only %1; %2 and its batch-norm statistics stay frozen").arg(head, body));
    else
        m_trainable->setText(tr("%1 and %2").arg(body, head));
}

void ModelPage::showImageSummary() {
    const auto& model = m_document->config().model;
    clearSummary();
    m_files->setText(QStringLiteral("–"));
    if (!model.architecture.empty()) {
        setSummaryRow(tr("Type"), tr("%1 from scratch").arg(toQt(model.architecture)));
        m_notes->setText(tr("Random initialisation; input %1×%2×%3 as the dataset's image "
                            "settings say.")
                             .arg(m_document->config().dataset.image_channels)
                             .arg(m_document->config().dataset.image_height)
                             .arg(m_document->config().dataset.image_width));
        return;
    }
    if (m_inspectedPath.isEmpty()) {
        m_notes->setText(tr("No image model chosen."));
        return;
    }
    if (m_entry.path.empty()) {
        const std::string path = m_inspectedPath.toStdString();
        m_entry = tb::model::is_model_file(path) ? tb::model::describe_model_file(path)
                                                 : tb::model::describe_model_folder(path);
    }
    showEntrySummary(tr("none (images)"));
}

}  // namespace tb::ui
