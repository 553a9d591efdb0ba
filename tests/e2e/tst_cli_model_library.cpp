// `tunebench-cli models` through the real binary on everything the model library lists beyond
// Hugging Face folders: single model files (fastText .ftz, TorchScript .pt, a pickled .pt it
// refuses), a TF.js model imported from an npm-style package (its licence read from
// package.json), and the built-in architectures with the key that selects them.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "cli_runner.h"

using json = nlohmann::json;

namespace {

tb::e2e::Run cli(const QStringList& args) {
    return tb::e2e::cli(args, {}, 120000, tb::e2e::withoutHubCache());
}

// A scripted two-layer CNN and a pickled state dict (torch.save), written by python3-torch.
const char* const kWriteTorchFiles = R"(
import sys, torch
class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 6, 3)
        self.fc = torch.nn.Linear(6, 4)
    def forward(self, x):
        return self.fc(torch.relu(self.conv(x)).mean(dim=(2, 3)))
torch.manual_seed(0)
net = Net()
torch.jit.save(torch.jit.script(net), sys.argv[1] + "/scripted.pt")
torch.save(net.state_dict(), sys.argv[1] + "/pickled.pt")
)";

std::map<std::string, json> by_key(const json& list) {
    std::map<std::string, json> out;
    for (const auto& e : list) {
        const std::string arch = e["model_architecture"].get<std::string>();
        out[arch.empty() ? std::filesystem::path(e["path"].get<std::string>()).filename().string()
                         : "builtin:" + arch] = e;
    }
    return out;
}

}  // namespace

class TstCliModelLibrary : public QObject {
    Q_OBJECT

private slots:
    void lists_files_imports_and_builtins();
};

void TstCliModelLibrary::lists_files_imports_and_builtins() {
    QTemporaryDir tmp;
    const QString lib = tmp.path() + "/library";
    QVERIFY(QDir().mkpath(lib));
    QVERIFY(QFile::copy(tb::e2e::fixture("fasttext/lid.176.ftz"), lib + "/lid.176.ftz"));
    // torch.jit.script reads the module's source: the script must be a file.
    const QString writer = tmp.path() + "/write_torch_files.py";
    std::ofstream(writer.toStdString()) << kWriteTorchFiles;
    QProcess python;
    python.start(QStringLiteral(TB_SYSTEM_PYTHON), {writer, lib});
    if (!python.waitForFinished(120000) || python.exitCode() != 0)
        QSKIP(qPrintable("python3 with torch is unavailable: " +
                         QString::fromLocal8Bit(python.readAllStandardError()).right(400)));

    // A TF.js model inside an npm package: import-tfjs records the package's name, version and
    // licence without --source / --license.
    const QString pkg = tmp.path() + "/package";
    QVERIFY(QDir().mkpath(pkg + "/dist/models/small"));
    std::ofstream((pkg + "/package.json").toStdString())
        << R"({"name": "demo-models", "version": "1.2.3", "license": "MIT"})";
    for (const char* f : {"model.json", "group1-shard1of1.bin"})
        QVERIFY(
            QFile::copy(tb::e2e::fixture("tfjs/synthetic/") + f, pkg + "/dist/models/small/" + f));
    const auto imported =
        cli({"import-tfjs", pkg + "/dist/models/small", "--out", lib + "/imported"});
    QVERIFY2(imported.code == 0, imported.err.constData());

    const auto r = cli({"models", "--json", "--no-hub-cache", "--classes", "3", "--path", lib});
    QVERIFY2(r.code == 0, r.err.constData());
    const auto entries = by_key(json::parse(r.out.toStdString()));
    QCOMPARE(entries.size(), std::size_t(8 + 4));

    const json& ft = entries.at("lid.176.ftz");
    QCOMPARE(ft["source"].get<std::string>(), std::string("file"));
    QCOMPARE(ft["source_format"].get<std::string>(), std::string("fasttext"));
    QCOMPARE(ft["labels"].get<int>(), 176);
    QCOMPARE(ft["tasks"].get<std::string>(), std::string("text_classification"));
    QVERIFY2(ft["license"].get<std::string>().rfind("CC-BY-SA-3.0", 0) == 0, ft.dump().c_str());
    QCOMPARE(ft["yaml"]["model.path"].get<std::string>(), ft["path"].get<std::string>());
    // Input 50000 x 16 (decoded from its product-quantized codes) + output 176 x 16, as the
    // independent reader tests/reference/fasttext/matrix_shapes.py counts them.
    const json shapes = json::parse(std::ifstream(TB_FIXTURES_DIR "/fasttext/matrix_shapes.json"));
    QCOMPARE(ft["parameters"].get<std::int64_t>(),
             shapes["lid.176.ftz"]["parameters"].get<std::int64_t>());

    const json& script = entries.at("scripted.pt");
    QVERIFY2(script["supported"].get<bool>(), script.dump().c_str());
    QCOMPARE(script["source_format"].get<std::string>(), std::string("TorchScript"));
    QCOMPARE(script["kind"].get<std::string>(), std::string("image"));
    QVERIFY(script["notes"].dump().find("trust") != std::string::npos);
    // Read from the archive without running it: conv 6x3x3x3 + 6, fc 4x6 + 4.
    QCOMPARE(script["parameters"].get<std::int64_t>(), std::int64_t(6 * 27 + 6 + 4 * 6 + 4));
    QVERIFY(script["license"].get<std::string>().find("not recorded") != std::string::npos);

    const json& pickled = entries.at("pickled.pt");
    QVERIFY(!pickled["supported"].get<bool>());
    QVERIFY2(pickled["reason"].get<std::string>().find("pickle") != std::string::npos,
             pickled.dump().c_str());

    const json& keras = entries.at("imported");
    QVERIFY2(keras["supported"].get<bool>(), keras.dump().c_str());
    QVERIFY(keras["source_format"].get<std::string>().rfind("tfjs", 0) == 0);
    QCOMPARE(keras["license"].get<std::string>(),
             std::string("MIT (package.json of npm demo-models@1.2.3)"));
    QVERIFY2(
        keras["notes"].dump().find("npm demo-models@1.2.3 dist/models/small") != std::string::npos,
        keras["notes"].dump().c_str());

    const json& resnet = entries.at("builtin:resnet18");
    QCOMPARE(resnet["source"].get<std::string>(), std::string("built-in"));
    QCOMPARE(resnet["yaml"]["model.architecture"].get<std::string>(), std::string("resnet18"));
    QCOMPARE(resnet["parameters"].get<std::int64_t>(), std::int64_t(11176512 + 512 * 3 + 3));
    QCOMPARE(resnet["feature_size"].get<int>(), 512);
    const json& bilstm = entries.at("builtin:bilstm");
    QCOMPARE(bilstm["kind"].get<std::string>(), std::string("text"));
    QCOMPARE(bilstm["hidden_size"].get<int>(), 128);
    QVERIFY(bilstm["license"].get<std::string>().find("random initialisation") !=
            std::string::npos);
    QVERIFY(entries.count("builtin:bilstm_char"));
    QVERIFY(entries.count("builtin:mobilenet_v2"));

    // Built-ins sized by an experiment: its BiLSTM keys and image size.
    const QString yaml = tmp.path() + "/exp.yaml";
    std::ofstream(yaml.toStdString())
        << "dataset:\n  path: d.csv\nmodel:\n  architecture: bilstm\n  embedding_dim: 16\n"
           "  lstm_hidden_size: 8\n  lstm_layers: 2\n  vocab_max_size: 100\n";
    const auto sized = cli({"models", "--json", "--no-hub-cache", "--config", yaml});
    QVERIFY2(sized.code == 0, sized.err.constData());
    const auto sized_entries = by_key(json::parse(sized.out.toStdString()));
    QCOMPARE(sized_entries.size(), std::size_t(8));
    const json& small = sized_entries.at("builtin:bilstm");
    QCOMPARE(small["hidden_size"].get<int>(), 8);
    QCOMPARE(small["layers"].get<int>(), 2);
    // 100 x 16 embedding; layer 0: 2 x (4*8*16 + 4*8*8 + 8*8); layer 1: 2 x (4*8*16 + 4*8*8 +
    // 8*8); classifier 16 x 2 + 2.
    QCOMPARE(small["parameters"].get<std::int64_t>(),
             std::int64_t(1600 + 2 * (512 + 256 + 64) + 2 * (512 + 256 + 64) + 34));

    // A model file given directly; the text listing names licences and keys.
    const auto one = cli(
        {"models", "--json", "--no-hub-cache", "--no-builtins", "--path", lib + "/lid.176.ftz"});
    QCOMPARE(json::parse(one.out.toStdString()).size(), std::size_t(1));
    const auto text = cli({"models", "--no-hub-cache", "--path", lib});
    QVERIFY2(text.out.contains("built-in: model.architecture: bilstm_char"), text.out.constData());
    QVERIFY(text.out.contains("licence: CC-BY-SA-3.0"));
    QVERIFY(text.out.contains("licence: MIT (package.json of npm demo-models@1.2.3)"));
    QVERIFY(text.out.contains("unsupported: a pickled PyTorch file"));
}

QTEST_APPLESS_MAIN(TstCliModelLibrary)
#include "tst_cli_model_library.moc"
