// `tunebench-cli models` through the real binary on image model folders (docs/models.md):
// kind, source format, parameter count, feature size and the TorchScript trust note.
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cstdint>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "cli_runner.h"

using json = nlohmann::json;

namespace {

using tb::e2e::Run;

Run cli(const QStringList& args) {
    return tb::e2e::cli(args, {}, 120000, tb::e2e::withoutHubCache());
}

}  // namespace

class TstCliImageModels : public QObject {
    Q_OBJECT

private slots:
    void models_lists_image_folders();
};

// Image model folders (docs/models.md): a safetensors one and a TorchScript one.
void TstCliImageModels::models_lists_image_folders() {
    QTemporaryDir tmp;
    namespace fs = std::filesystem;
    const fs::path cnn = fs::path(tmp.path().toStdString()) / "cnn";
    const fs::path script = fs::path(tmp.path().toStdString()) / "script";
    fs::create_directories(cnn);
    fs::create_directories(script);
    std::ofstream(cnn / "config.json") << R"({"architecture": "small_cnn", "num_classes": 2})";
    std::string header = R"({"fc.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}})";
    header.resize((header.size() + 7) / 8 * 8, ' ');
    std::ofstream weights(cnn / "model.safetensors", std::ios::binary);
    const std::uint64_t length = header.size();  // little-endian on every supported platform
    weights.write(reinterpret_cast<const char*>(&length), 8);
    weights << header << std::string(24, '\0');
    weights.close();
    std::ofstream(script / "config.json") << R"({"architecture": "torchscript"})";
    std::ofstream(script / "model.pt") << "listed without being loaded";

    const auto r =
        cli({"models", "--json", "--no-hub-cache", "--no-builtins", "--path", tmp.path()});
    QVERIFY2(r.code == 0, r.err.constData());
    const json list = json::parse(r.out.toStdString());
    QCOMPARE(list.size(), std::size_t{2});
    const json& c = list[0];
    QVERIFY2(c["supported"].get<bool>(), c.dump().c_str());
    QCOMPARE(c["kind"].get<std::string>(), std::string("image"));
    QCOMPARE(c["architecture"].get<std::string>(), std::string("small_cnn"));
    QCOMPARE(c["source_format"].get<std::string>(), std::string("tunebench safetensors"));
    QCOMPARE(c["parameters"].get<int>(), 6);
    QCOMPARE(c["feature_size"].get<int>(), 128);
    const json& s = list[1];
    QVERIFY2(s["supported"].get<bool>(), s.dump().c_str());
    QCOMPARE(s["source_format"].get<std::string>(), std::string("TorchScript"));
    QVERIFY(s["notes"].dump().find("trust") != std::string::npos);

    const auto text = cli({"models", "--no-hub-cache", "--no-builtins", "--path", tmp.path()});
    QVERIFY2(text.out.contains("image backbone small CNN (small_cnn)"), text.out.constData());
    QVERIFY2(text.out.contains("features probed at load, TorchScript"), text.out.constData());
    QVERIFY(!text.out.contains("no tokenizer files"));
}

QTEST_APPLESS_MAIN(TstCliImageModels)
#include "tst_cli_image_models.moc"
