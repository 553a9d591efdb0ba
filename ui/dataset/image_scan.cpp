// The image part of a dataset scan: folder-per-class trees, path/label tables and IDX files,
// with per-class thumbnails for the Data page's grid.
#include "dataset/image_scan.h"

#include <QFileInfo>

#include <algorithm>

#include "common/error.h"
#include "data/hdf5_arrays.h"
#include "data/idx_reader.h"
#include "data/image_dataset.h"
#include "data/image_decode.h"
#include "io/experiment_config.h"
#include "train/prepared_images.h"
#include "util/format.h"

namespace tb::ui {

namespace {

constexpr int kThumbnailsPerClass = 8;
constexpr int kThumbnailSize = 64;

void checkCancel(const ScanControl& control) {
    if (control.cancel.load())
        throw ScanCancelled{};
}

// 8-bit HWC pixels (1-4 channels) as a QImage; deep copy.
QImage toImage(const std::uint8_t* pixels, int width, int height, int channels) {
    QImage::Format format = QImage::Format_Grayscale8;
    if (channels == 3)
        format = QImage::Format_RGB888;
    else if (channels == 4)
        format = QImage::Format_RGBA8888;
    if (channels == 2) {  // grey + alpha: keep the grey
        QImage grey(width, height, QImage::Format_Grayscale8);
        for (int y = 0; y < height; ++y)
            for (int x = 0; x < width; ++x)
                grey.scanLine(y)[x] = pixels[(y * width + x) * 2];
        return grey;
    }
    return QImage(pixels, width, height, width * channels, format).copy();
}

QImage thumbnail(const QImage& image, bool smooth) {
    return image.scaled(kThumbnailSize, kThumbnailSize, Qt::KeepAspectRatio,
                        smooth ? Qt::SmoothTransformation : Qt::FastTransformation);
}

void fillCounts(DatasetScan& scan, const tb::data::LabelMap& labels,
                const std::vector<int>& exampleLabels) {
    scan.classNames = labels.names();
    scan.classCounts.assign(scan.classNames.size(), 0);
    for (int l : exampleLabels)
        if (l >= 0 && std::size_t(l) < scan.classCounts.size())
            ++scan.classCounts[std::size_t(l)];
}

// The experiment settings the trainer reads an image dev/test file with.
tb::io::ExperimentConfig imageConfigOf(const DatasetScanRequest& request) {
    tb::io::ExperimentConfig c;
    c.dataset.task = "image_classification";
    c.dataset.format = request.format;
    c.dataset.path = request.path.toStdString();
    c.dataset.labels_path = request.labelsPath.toStdString();
    c.dataset.image_column = request.imageColumn;
    c.dataset.label_column = request.labelColumn;
    c.dataset.x_dataset = request.xDataset;
    c.dataset.y_dataset = request.yDataset;
    return c;
}

// User dev/test files: all of the main file trains; each file's examples are counted per class
// (a class the training data lacks is a problem, as in training).
void fillFileSplit(const DatasetScanRequest& request, DatasetScan& scan,
                   const std::vector<int>& exampleLabels) {
    scan.splitSource = QStringLiteral("files");
    for (int l : exampleLabels)
        if (l >= 0 && std::size_t(l) < scan.splitCounts.size())
            ++scan.splitCounts[std::size_t(l)][0];
    const tb::io::ExperimentConfig config = imageConfigOf(request);
    const QString files[2] = {request.devPath, request.testPath};
    for (std::size_t s = 0; s < 2; ++s) {
        if (files[s].isEmpty())
            continue;
        const std::string path = files[s].toStdString();
        const auto read = tb::train::read_image_file_classes(config, path);
        scan.problems.insert(scan.problems.end(), read.problems.begin(), read.problems.end());
        for (std::size_t i = 0; i < read.class_names.size(); ++i) {
            const auto& name = read.class_names[i];
            const auto at = std::find(scan.classNames.begin(), scan.classNames.end(), name);
            if (at == scan.classNames.end()) {
                scan.problems.push_back(tb::data::DataProblem{
                    "unknown_label", read.sources[i], read.lines[i], 0,
                    "class '" + name + "' is not one of the training data's classes"});
                continue;
            }
            ++scan.splitCounts[std::size_t(at - scan.classNames.begin())][s + 1];
        }
    }
}

void fillSplit(const DatasetScanRequest& request, DatasetScan& scan,
               const std::vector<int>& exampleLabels) {
    scan.splitSource = QStringLiteral("fractions");
    scan.splitCounts.assign(scan.classNames.size(), SplitCounts{0, 0, 0});
    try {
        if (!request.devPath.isEmpty() || !request.testPath.isEmpty()) {
            fillFileSplit(request, scan, exampleLabels);
            return;
        }
        const auto split =
            tb::data::stratified_split(exampleLabels, request.fractions, request.seed);
        const std::vector<std::size_t>* parts[3] = {&split.train, &split.dev, &split.test};
        for (std::size_t s = 0; s < 3; ++s)
            for (std::size_t i : *parts[s])
                ++scan.splitCounts[std::size_t(exampleLabels[i])][s];
    } catch (const tb::Error& e) {
        scan.splitError = formatError(e);
    }
}

void scanIdx(const DatasetScanRequest& request, DatasetScan& scan, ScanControl& control) {
    const std::string images = request.path.toStdString();
    if (request.labelsPath.isEmpty())
        throw tb::Error(
            "an IDX images file needs its labels file (e.g. "
            "train-labels-idx1-ubyte.gz): choose it under \"Labels file\"",
            tb::SourceLocation{images, 0, 0, "labels_path"});
    const bool fashion = request.path.contains(QLatin1String("fashion"), Qt::CaseInsensitive);
    control.stage = 0;
    const auto ds = tb::data::read_idx_dataset(
        images, request.labelsPath.toStdString(),
        fashion ? tb::data::fashion_mnist_class_names() : std::vector<std::string>{});
    checkCancel(control);
    control.stage = 2;
    control.permille = 500;
    scan.format = "idx";
    scan.rows = std::size_t(ds.count);
    scan.imageSize = QStringLiteral("%1×%2×%3").arg(ds.width).arg(ds.height).arg(ds.channels);
    fillCounts(scan, ds.classes, ds.labels);
    const std::size_t pixelsPerImage = std::size_t(ds.width) * ds.height * ds.channels;
    scan.thumbnails.resize(int(scan.classNames.size()));
    for (std::size_t c = 0; c < scan.classNames.size(); ++c) {
        scan.thumbnails[int(c)].name = QString::fromStdString(scan.classNames[c]);
        scan.thumbnails[int(c)].count = qint64(scan.classCounts[c]);
    }
    for (int i = 0; i < ds.count; ++i) {
        auto& t = scan.thumbnails[ds.labels[std::size_t(i)]];
        if (t.images.size() >= kThumbnailsPerClass)
            continue;
        const QImage image = toImage(ds.pixels.data() + pixelsPerImage * std::size_t(i), ds.width,
                                     ds.height, ds.channels);
        t.images << image.scaled(ds.width * 2, ds.height * 2);  // pixel-sharp 2x
    }
    control.stage = 4;
    control.permille = 900;
    fillSplit(request, scan, ds.labels);
}

void scanImageFiles(const DatasetScanRequest& request, DatasetScan& scan, ScanControl& control) {
    const std::string path = request.path.toStdString();
    control.stage = 0;
    const bool folder = QFileInfo(request.path).isDir();
    const tb::data::ImageDataset ds =
        folder ? tb::data::scan_image_folder(path)
               : tb::data::read_image_table(path, request.imageColumn, request.labelColumn);
    checkCancel(control);
    control.stage = 2;
    control.permille = 500;
    scan.format = folder ? "image_folder" : "image table";
    scan.rows = ds.examples.size() + ds.problems.size();
    scan.problems = ds.problems;
    scan.otherInvalid = ds.problems.size();
    std::vector<int> labels;
    labels.reserve(ds.examples.size());
    for (const auto& ex : ds.examples)
        labels.push_back(ex.label);
    fillCounts(scan, ds.labels, labels);
    scan.thumbnails.resize(int(scan.classNames.size()));
    for (std::size_t c = 0; c < scan.classNames.size(); ++c) {
        scan.thumbnails[int(c)].name = QString::fromStdString(scan.classNames[c]);
        scan.thumbnails[int(c)].count = qint64(scan.classCounts[c]);
    }
    // Thumbnails: decode the first few images of each class (errors here were already found by
    // the header check; a truncated body shows as a missing thumbnail).
    std::size_t done = 0;
    for (const auto& ex : ds.examples) {
        checkCancel(control);
        auto& t = scan.thumbnails[ex.label];
        if (t.images.size() >= kThumbnailsPerClass)
            continue;
        try {
            const auto image = tb::data::decode_image_file(ex.path);
            t.images << thumbnail(
                toImage(image.pixels.data(), image.width, image.height, image.channels),
                /*smooth=*/true);
            if (scan.imageSize.isEmpty())
                scan.imageSize =
                    QStringLiteral("%1×%2 (first image)").arg(image.width).arg(image.height);
        } catch (const tb::Error& e) {
            tb::data::DataProblem p;
            p.kind = "corrupt_image";
            p.file = ex.path;
            p.message = e.what();
            scan.problems.push_back(p);
        }
        ++done;
        control.permille =
            500 +
            int(400.0 * double(done) /
                double(std::max<std::size_t>(1, scan.classNames.size() * kThumbnailsPerClass)));
    }
    control.stage = 4;
    control.permille = 900;
    fillSplit(request, scan, labels);
}

// HDF5 feature arrays: classes and split from y (read whole); thumbnails when X holds images
// (N x H x W or N x H x W x C with C = 1 or 3): only the rows shown are read from X (a
// hyperslab of the first examples of each class), scaled from their own value range to 0..255,
// so a multi-GB X never enters memory.
void scanHdf5(const DatasetScanRequest& request, DatasetScan& scan, ScanControl& control) {
    control.stage = 0;
    const std::string path = request.path.toStdString();
    const auto ds = tb::data::read_hdf5_labels(path, request.xDataset, request.yDataset);
    checkCancel(control);
    control.stage = 2;
    control.permille = 500;
    scan.format = "hdf5";
    scan.rows = ds.count;
    QStringList shape;
    for (std::size_t d : ds.feature_shape)
        shape << QString::number(d);
    scan.imageSize = shape.join(QChar(0x00D7)) + QStringLiteral(" per example");
    fillCounts(scan, ds.classes, ds.labels);
    scan.thumbnails.resize(int(scan.classNames.size()));
    for (std::size_t c = 0; c < scan.classNames.size(); ++c) {
        scan.thumbnails[int(c)].name = QString::fromStdString(scan.classNames[c]);
        scan.thumbnails[int(c)].count = qint64(scan.classCounts[c]);
    }
    const auto& fs = ds.feature_shape;
    const bool images = (fs.size() == 2) || (fs.size() == 3 && (fs[2] == 1 || fs[2] == 3));
    if (images && ds.count > 0) {
        const int h = int(fs[0]), w = int(fs[1]), ch = fs.size() == 3 ? int(fs[2]) : 1;
        const std::size_t per = std::size_t(h) * std::size_t(w) * std::size_t(ch);
        // The first kThumbnailsPerClass examples of each class, in file order.
        std::vector<std::size_t> rows;
        std::vector<int> shown(scan.classNames.size(), 0);
        for (std::size_t i = 0; i < ds.count; ++i) {
            int& n = shown[std::size_t(ds.labels[i])];
            if (n < kThumbnailsPerClass) {
                ++n;
                rows.push_back(i);
            }
        }
        const std::vector<float> features = tb::data::read_hdf5_rows(path, ds.x_name, rows);
        checkCancel(control);
        const auto [lo, hi] = std::minmax_element(features.begin(), features.end());
        const float low = *lo, range = std::max(*hi - *lo, 1e-12f);
        std::vector<std::uint8_t> pixels(per);
        for (std::size_t r = 0; r < rows.size(); ++r) {
            auto& t = scan.thumbnails[ds.labels[rows[r]]];
            for (std::size_t k = 0; k < per; ++k)
                pixels[k] = std::uint8_t(
                    std::clamp((features[r * per + k] - low) / range * 255.0f, 0.0f, 255.0f));
            t.images << thumbnail(toImage(pixels.data(), w, h, ch), /*smooth=*/false);
        }
    }
    control.stage = 4;
    control.permille = 900;
    fillSplit(request, scan, ds.labels);
}

}  // namespace

void scanImages(const DatasetScanRequest& request, DatasetScan& scan, ScanControl& control) {
    if (request.format == "idx")
        scanIdx(request, scan, control);
    else if (request.format == "hdf5")
        scanHdf5(request, scan, control);
    else
        scanImageFiles(request, scan, control);
}

}  // namespace tb::ui
