// The dataset import keys of the experiment file: task-specific values parse, round-trip, and
// wrong combinations are errors naming the key and its line.
#include <QtTest>

#include <string>
#include <vector>

#include "common/error.h"
#include "io/experiment_config.h"

using tb::io::ExperimentConfig;
using tb::io::parse_experiment;

namespace {

std::string yaml(const std::string& dataset_lines) {
    return "dataset:\n  path: d.csv\n" + dataset_lines + "model:\n  path: m\n";
}

}  // namespace

class TstDatasetConfig : public QObject {
    Q_OBJECT

private slots:
    void defaults();
    void token_task();
    void multi_label_task();
    void image_task();
    void round_trip();
    void image_model_and_augmentation();
    void errors_data();
    void errors();
};

void TstDatasetConfig::defaults() {
    const ExperimentConfig c = parse_experiment(yaml(""));
    QCOMPARE(c.dataset.task, std::string("text_classification"));
    QCOMPARE(c.dataset.tag_column, 0);
    QCOMPARE(c.dataset.deidentify, false);
    QCOMPARE(c.dataset.min_examples_per_label, 5);
    QCOMPARE(c.dataset.normalize_mean.size(), std::size_t{3});
}

void TstDatasetConfig::token_task() {
    const ExperimentConfig c =
        parse_experiment(yaml("  task: token_classification\n  format: conll\n  tag_column: 4\n"
                              "  tag_scheme: iobes\n  convert_to_bio: false\n"));
    QCOMPARE(c.dataset.format, std::string("conll"));
    QCOMPARE(c.dataset.tag_column, 4);
    QCOMPARE(c.dataset.tag_scheme, std::string("iobes"));
    QCOMPARE(c.dataset.convert_to_bio, false);
}

void TstDatasetConfig::multi_label_task() {
    const ExperimentConfig a =
        parse_experiment(yaml("  task: multi_label\n  label_separator: \"|\"\n"));
    QCOMPARE(a.dataset.label_separator, std::string("|"));
    const ExperimentConfig b =
        parse_experiment(yaml("  task: multi_label\n  label_columns:\n    - 体育\n    - 财经\n"));
    QCOMPARE(b.dataset.label_columns, (std::vector<std::string>{"体育", "财经"}));
    const ExperimentConfig c =
        parse_experiment(yaml("  task: multi_label\n  label_columns: [a, \"b c\"]\n"));
    QCOMPARE(c.dataset.label_columns, (std::vector<std::string>{"a", "b c"}));
}

void TstDatasetConfig::image_task() {
    const ExperimentConfig c =
        parse_experiment(yaml("  task: image_classification\n  format: idx\n  labels_path: l.gz\n"
                              "  image_width: 28\n  image_height: 28\n  image_channels: 1\n"
                              "  image_resize: stretch\n"));
    QCOMPARE(c.dataset.image_channels, 1);
    QCOMPARE(c.dataset.normalize_mean, std::vector<double>{0.5});  // grey default
    const ExperimentConfig d =
        parse_experiment(yaml("  task: image_classification\n  normalize_mean: [0.5, 0.5, 0.5]\n"
                              "  normalize_std: [0.25, 0.25, 0.25]\n"));
    QCOMPARE(d.dataset.normalize_std, (std::vector<double>{0.25, 0.25, 0.25}));
    QCOMPARE(d.dataset.image_resize_shorter, 0);  // default: resize just to cover the crop
    QCOMPARE(d.dataset.image_channel_order, std::string("RGB"));
    // torchvision's evaluation recipe for a BGR model: resize 256, crop 224.
    const ExperimentConfig r =
        parse_experiment(yaml("  task: image_classification\n  image_resize_shorter: 256\n"
                              "  image_channel_order: BGR\n"));
    QCOMPARE(r.dataset.image_resize_shorter, 256);
    QCOMPARE(r.dataset.image_channel_order, std::string("BGR"));
    const ExperimentConfig back = parse_experiment(tb::io::to_yaml(r));
    QCOMPARE(back.dataset.image_resize_shorter, 256);
    QCOMPARE(back.dataset.image_channel_order, std::string("BGR"));
    // HDF5 feature arrays (X, y) belong to the image task, and a saved experiment reloads.
    const ExperimentConfig h = parse_experiment(
        yaml("  task: image_classification\n  format: hdf5\n  x_dataset: X\n  y_dataset: y\n"));
    QCOMPARE(h.dataset.format, std::string("hdf5"));
    QCOMPARE(parse_experiment(tb::io::to_yaml(h)).dataset.format, std::string("hdf5"));
}

void TstDatasetConfig::round_trip() {
    const ExperimentConfig c = parse_experiment(
        yaml("  task: multi_label\n  label_columns: [体育, \"a: b\"]\n  split_column: fold\n"
             "  deidentify: true\n  text_pair_column: t2\n"));
    const std::string text = tb::io::to_yaml(c);
    const ExperimentConfig back = parse_experiment(text);
    QCOMPARE(back.dataset.label_columns, c.dataset.label_columns);
    QCOMPARE(back.dataset.split_column, std::string("fold"));
    QCOMPARE(back.dataset.deidentify, true);
    QCOMPARE(back.dataset.text_pair_column, std::string("t2"));
    QCOMPARE(back.dataset.normalize_mean, c.dataset.normalize_mean);
    QCOMPARE(tb::io::to_yaml(back), text);
}

void TstDatasetConfig::image_model_and_augmentation() {
    const std::string image = "dataset:\n  path: imgs\n  task: image_classification\n";
    const ExperimentConfig c = parse_experiment(
        image +
        "  augment_horizontal_flip: true\n  augment_rotation_degrees: 10\n"
        "  augment_random_resized_crop: true\n  augment_crop_min_scale: 0.5\n"
        "  augment_color_jitter: 0.2\nmodel:\n  architecture: mlp\n  freeze_backbone: true\n");
    QCOMPARE(c.model.architecture, std::string("mlp"));
    QVERIFY(c.model.path.empty());
    QVERIFY(c.model.freeze_backbone);
    QVERIFY(c.dataset.augment_horizontal_flip && c.dataset.augment_random_resized_crop);
    QCOMPARE(c.dataset.augment_rotation_degrees, 10.0);
    QCOMPARE(c.dataset.augment_crop_min_scale, 0.5);
    QCOMPARE(c.dataset.augment_color_jitter, 0.2);
    const std::string text = tb::io::to_yaml(c);
    QCOMPARE(tb::io::to_yaml(parse_experiment(text)), text);

    auto key_of = [](const std::string& y) {
        try {
            parse_experiment(y, "exp.yaml");
        } catch (const tb::Error& e) {
            return e.where().key;
        }
        return std::string("no error");
    };
    QCOMPARE(key_of(image + "model:\n  head: auto\n"), std::string("model.path"));
    QCOMPARE(key_of(image + "model:\n  path: m\n  architecture: mlp\n"),
             std::string("model.architecture"));
    QCOMPARE(key_of(image + "model:\n  architecture: vgg16\n"), std::string("model.architecture"));
    QCOMPARE(key_of("dataset:\n  path: d.csv\nmodel:\n  path: m\n  architecture: mlp\n"),
             std::string("model.architecture"));
    QCOMPARE(key_of("dataset:\n  path: d.csv\n  augment_horizontal_flip: true\nmodel:\n  "
                    "path: m\n"),
             std::string("dataset.augment_horizontal_flip"));
    QCOMPARE(key_of(image + "  augment_crop_min_scale: 0\nmodel:\n  architecture: mlp\n"),
             std::string("dataset.augment_crop_min_scale"));
}

void TstDatasetConfig::errors_data() {
    QTest::addColumn<QString>("lines");
    QTest::addColumn<QString>("key");
    QTest::addColumn<long>("line");
    QTest::newRow("conll needs token task") << "  format: conll\n"
                                            << "dataset.format" << 3L;
    QTest::newRow("idx needs image task") << "  format: idx\n"
                                          << "dataset.format" << 3L;
    QTest::newRow("image task rejects conll") << "  task: image_classification\n  format: conll\n"
                                              << "dataset.format" << 4L;
    QTest::newRow("unknown task") << "  task: translation\n"
                                  << "dataset.task" << 3L;
    QTest::newRow("separator outside multi_label") << "  label_separator: \"|\"\n"
                                                   << "dataset.label_separator" << 3L;
    QTest::newRow("multi_label needs one source") << "  task: multi_label\n"
                                                  << "dataset.label_separator" << 0L;
    QTest::newRow("multi_label both sources")
        << "  task: multi_label\n  label_separator: \";\"\n  label_columns: [a]\n"
        << "dataset.label_columns" << 5L;
    QTest::newRow("label_columns not a list") << "  task: multi_label\n  label_columns: {a: 1}\n"
                                              << "dataset.label_columns" << 4L;
    QTest::newRow("tag scheme") << "  tag_scheme: bilou\n"
                                << "dataset.tag_scheme" << 3L;
    QTest::newRow("tag column") << "  tag_column: -1\n"
                                << "dataset.tag_column" << 3L;
    QTest::newRow("idx needs labels") << "  task: image_classification\n  format: idx\n"
                                      << "dataset.labels_path" << 0L;
    QTest::newRow("hdf5 needs image task") << "  format: hdf5\n"
                                           << "dataset.format" << 3L;
    QTest::newRow("empty x_dataset") << "  task: image_classification\n  x_dataset: \"\"\n"
                                     << "dataset.x_dataset" << 4L;
    QTest::newRow("channels") << "  image_channels: 2\n"
                              << "dataset.image_channels" << 3L;
    QTest::newRow("width") << "  image_width: 0\n"
                           << "dataset.image_width" << 3L;
    QTest::newRow("mean length") << "  normalize_mean: [0.5]\n"
                                 << "dataset.normalize_mean" << 3L;
    QTest::newRow("mean not numbers") << "  normalize_mean: [a, b, c]\n"
                                      << "dataset.normalize_mean" << 3L;
    QTest::newRow("std zero") << "  normalize_std: [0.2, 0, 0.2]\n"
                              << "dataset.normalize_std" << 3L;
    QTest::newRow("resize") << "  image_resize: fit\n"
                            << "dataset.image_resize" << 3L;
    QTest::newRow("resize_shorter negative") << "  image_resize_shorter: -1\n"
                                             << "dataset.image_resize_shorter" << 3L;
    QTest::newRow("resize_shorter with stretch")
        << "  image_resize: stretch\n  image_resize_shorter: 256\n"
        << "dataset.image_resize_shorter" << 4L;
    QTest::newRow("channel order") << "  image_channel_order: RBG\n"
                                   << "dataset.image_channel_order" << 3L;
    QTest::newRow("BGR on grey") << "  image_channels: 1\n  image_channel_order: BGR\n"
                                 << "dataset.image_channel_order" << 4L;
}

void TstDatasetConfig::errors() {
    QFETCH(QString, lines);
    QFETCH(QString, key);
    QFETCH(long, line);
    try {
        parse_experiment(yaml(lines.toStdString()), "exp.yaml");
        QFAIL("expected tb::Error");
    } catch (const tb::Error& e) {
        QCOMPARE(QString::fromStdString(e.where().key), key);
        if (line > 0)
            QCOMPARE(e.where().line, line);
        QCOMPARE(e.where().file, std::string("exp.yaml"));
    }
}

QTEST_MAIN(TstDatasetConfig)
#include "tst_dataset_config.moc"
