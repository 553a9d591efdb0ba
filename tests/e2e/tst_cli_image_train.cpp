// `tunebench-cli train | predict | eval` on an image run: a folder of generated BMP images (three
// visibly different patterns) trains an MLP from scratch; predict takes image paths on stdin;
// eval scores the folder; the shipped Fashion-MNIST seed experiment passes a dry run.
#include <QTemporaryDir>
#include <QtTest>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>

#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace fs = std::filesystem;
using tb::e2e::cli;

namespace {

void put(std::ofstream& out, std::uint32_t v, int bytes) {
    for (int i = 0; i < bytes; ++i)
        out.put(static_cast<char>((v >> (8 * i)) & 0xff));
}

// 24-bit BMP of a w x h grey image.
void write_bmp(const std::string& path, int w, int h, const std::vector<std::uint8_t>& grey) {
    const int row = (w * 3 + 3) / 4 * 4;
    std::ofstream out(path, std::ios::binary);
    out.put('B').put('M');
    put(out, static_cast<std::uint32_t>(54 + row * h), 4);
    put(out, 0, 4);
    put(out, 54, 4);
    put(out, 40, 4);
    put(out, static_cast<std::uint32_t>(w), 4);
    put(out, static_cast<std::uint32_t>(h), 4);
    put(out, 1, 2);
    put(out, 24, 2);
    for (int i = 0; i < 6; ++i)
        put(out, 0, 4);
    for (int y = h - 1; y >= 0; --y) {
        for (int x = 0; x < w; ++x)
            for (int k = 0; k < 3; ++k)
                out.put(static_cast<char>(grey[static_cast<std::size_t>(y * w + x)]));
        for (int p = w * 3; p < row; ++p)
            out.put(0);
    }
}

// rows: a bright horizontal band; columns: a vertical band; dark: noise only.
std::vector<std::string> make_folder(const std::string& root) {
    std::mt19937 rng(5);
    std::uniform_int_distribution<int> noise(0, 50), at(1, 6);
    std::vector<std::string> paths;
    const char* classes[] = {"columns", "dark", "rows"};
    for (int c = 0; c < 3; ++c) {
        fs::create_directories(root + "/" + classes[c]);
        for (int i = 0; i < 15; ++i) {
            std::vector<std::uint8_t> g(100);
            for (auto& v : g)
                v = static_cast<std::uint8_t>(noise(rng));
            const int k = at(rng);
            for (int j = 0; j < 10; ++j)
                for (int d = 0; d < 3; ++d) {
                    if (c == 0)
                        g[static_cast<std::size_t>(j * 10 + k + d)] = 240;
                    if (c == 2)
                        g[static_cast<std::size_t>((k + d) * 10 + j)] = 240;
                }
            const std::string path = root + "/" + classes[c] + "/" + std::to_string(i) + ".bmp";
            write_bmp(path, 10, 10, g);
            paths.push_back(path);
        }
    }
    return paths;
}

}  // namespace

class TstCliImageTrain : public QObject {
    Q_OBJECT

private slots:
    void trainPredictEval() {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const std::string root = tmp.path().toStdString() + "/patterns";
        const auto paths = make_folder(root);
        const QString yaml = tmp.filePath("exp.yaml");
        std::ofstream(yaml.toStdString()) << "name: patterns\n"
                                             "dataset:\n"
                                             "  path: patterns\n"
                                             "  task: image_classification\n"
                                             "  image_width: 10\n"
                                             "  image_height: 10\n"
                                             "  image_channels: 1\n"
                                             "  image_resize: stretch\n"
                                             "  augment_horizontal_flip: true\n"
                                             "model:\n"
                                             "  architecture: mlp\n"
                                             "training:\n"
                                             "  epochs: 6\n"
                                             "  batch_size: 8\n"
                                             "  optimizer: rmsprop\n"
                                             "  learning_rate: 0.001\n"
                                             "  schedule: constant\n"
                                             "  device: cpu\n"
                                             "output:\n"
                                             "  runs_dir: runs\n";
        const auto trained = cli({"train", yaml});
        QVERIFY2(trained.code == 0, trained.err.constData());
        const QString run = tb::e2e::runFolderOf(trained.out);
        QVERIFY(!run.isEmpty());
        QVERIFY(trained.out.contains("mlp image classifier with 3 outputs"));
        QVERIFY(QFileInfo::exists(run + "/metrics.csv"));

        QByteArray input;
        for (const auto& p : paths)
            input += QByteArray::fromStdString(p) + "\n";
        const auto predicted = cli({"predict", run}, input);
        QVERIFY2(predicted.code == 0, predicted.err.constData());
        const auto lines = predicted.out.trimmed().split('\n');
        QCOMPARE(lines.size(), qsizetype(paths.size()));
        int correct = 0;
        for (qsizetype i = 0; i < lines.size(); ++i) {
            const auto j = nlohmann::json::parse(lines[i].toStdString());
            QCOMPARE(j["probabilities"].size(), std::size_t(3));
            const std::string truth =
                fs::path(paths[static_cast<std::size_t>(i)]).parent_path().filename().string();
            correct += j["label"].get<std::string>() == truth ? 1 : 0;
        }
        QVERIFY2(correct >= 36, qPrintable(QString("%1 of 45 correct").arg(correct)));

        const auto scored = cli({"eval", run, "--data", QString::fromStdString(root)});
        QVERIFY2(scored.code == 0, scored.err.constData());
        const auto report = nlohmann::json::parse(scored.out.toStdString());
        QCOMPARE(report["accuracy"].get<double>(), correct / 45.0);

        const auto missing = cli({"predict", run}, "no/such/image.png\n");
        QVERIFY(missing.code != 0);
        QVERIFY2(missing.err.contains("no/such/image.png"), missing.err.constData());
    }

    void seedExperimentDryRun() {
        if (!QFileInfo::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
            QSKIP("dataset-fashion-mnist is not installed");
        const auto r =
            cli({"train", "--dry-run",
                 QStringLiteral(TB_SOURCE_DIR "/resources/experiments/fashion_mnist_mlp.yaml")});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(r.out.contains("54000 train"));
        QVERIFY(r.out.contains("669706 parameters"));
    }
};

QTEST_MAIN(TstCliImageTrain)
#include "tst_cli_image_train.moc"
