// TorchScript parameter counts from the archive's files (core/model/torchscript_census.h),
// never loading or running the module: against PyTorch's own counts
// (tests/reference/model/torchscript_modules.py, run live), a pickle that would run a shell
// command if executed, and damaged archives (named errors, no crash).
#include <QtTest>

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <fstream>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "model/model_library.h"
#include "model/torch_pickle.h"
#include "model/torchscript_census.h"
#include "model/zip_archive.h"

using namespace tb;
using tb::model::census_torchscript;

namespace {

bool runPython(const QStringList& args, QString* error) {
    QProcess python;
    python.start(QStringLiteral(TB_SYSTEM_PYTHON), args);
    if (!python.waitForFinished(180000) || python.exitCode() != 0) {
        *error = QString::fromLocal8Bit(python.readAllStandardError()).right(400);
        return false;
    }
    return true;
}

std::string fileBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// A zip shaped like a TorchScript archive whose data.pkl, if unpickled by Python, would run
// `touch MARKER` (os.system through REDUCE), once as the root and once inside a module.
const char* const kWriteEvilArchives = R"(
import sys, zipfile
marker = sys.argv[2].encode()
cmd = b"touch " + marker
call = b"cposix\nsystem\nX" + len(cmd).to_bytes(4, "little") + cmd + b"\x85R"
as_root = b"\x80\x02" + call + b"."
inside = (b"\x80\x02c__torch__\nNet\n)\x81}(X\x04\x00\x00\x00evil" + call + b"ub.")
for name, data in (("root.pt", as_root), ("inside.pt", inside)):
    with zipfile.ZipFile(sys.argv[1] + "/" + name, "w") as z:
        z.writestr("evil/data.pkl", data)
        z.writestr("evil/constants.pkl", b"\x80\x02).")
        z.writestr("evil/code/__torch__.py", "class Net(Module):\n  __parameters__ = []\n")
)";

}  // namespace

class TestTorchScriptCensus : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QString error;
        m_ready = runPython(
            {QStringLiteral(TB_SOURCE_DIR "/tests/reference/model/torchscript_modules.py"),
             m_dir.path()},
            &error);
        if (!m_ready)
            qWarning("python3 with torch is unavailable: %s", qPrintable(error));
    }

    void countsMatchPyTorch() {
        if (!m_ready)
            QSKIP("python3 with torch is unavailable");
        std::ifstream in(m_dir.filePath(QStringLiteral("expected.json")).toStdString());
        const auto expected = nlohmann::json::parse(in);
        QVERIFY(expected.size() >= 4);
        for (const auto& [name, counts] : expected.items()) {
            const std::string path = m_dir.filePath(QString::fromStdString(name)).toStdString();
            const auto census = census_torchscript(path);
            QVERIFY2(census.parameters == counts["parameters"].get<std::int64_t>(), name.c_str());
            QVERIFY2(census.buffer_elements == counts["buffers"].get<std::int64_t>(), name.c_str());
            // The model library reports the same count, with how it was counted.
            const auto entry = tb::model::describe_model_file(path);
            QVERIFY(entry.supported);
            QCOMPARE(entry.parameter_count, counts["parameters"].get<std::int64_t>());
            bool noted = false;
            for (const auto& note : entry.notes)
                noted = noted || note.find("without running") != std::string::npos;
            QVERIFY(noted);
        }
        // The tied embedding / output weight is one tensor: 11 x 4, counted once.
        QCOMPARE(census_torchscript(m_dir.filePath(QStringLiteral("tied.pt")).toStdString())
                     .parameter_tensors,
                 std::int64_t{1});
    }

    void picklesAreNeverExecuted() {
        const QString marker = m_dir.filePath(QStringLiteral("executed"));
        QString error;
        if (!runPython({QStringLiteral("-c"), QString::fromLatin1(kWriteEvilArchives), m_dir.path(),
                        marker},
                       &error))
            QSKIP(qPrintable("python3 is unavailable: " + error));
        QVERIFY(!QFile::exists(marker));
        // As the root: not a module, so the count is an error (the library says "unknown").
        QVERIFY_THROWS_EXCEPTION(
            Error, census_torchscript(m_dir.filePath(QStringLiteral("root.pt")).toStdString()));
        // Inside a module: kept as a call by name, never made.
        const auto census =
            census_torchscript(m_dir.filePath(QStringLiteral("inside.pt")).toStdString());
        QCOMPARE(census.parameters, std::int64_t{0});
        QCOMPARE(census.modules, std::int64_t{1});
        const auto entry =
            tb::model::describe_model_file(m_dir.filePath(QStringLiteral("root.pt")).toStdString());
        QCOMPARE(entry.parameter_count, std::int64_t{0});
        bool unknown = false;
        for (const auto& note : entry.notes)
            unknown = unknown || note.rfind("parameter count unknown", 0) == 0;
        QVERIFY(unknown);
        QVERIFY(!QFile::exists(marker));
    }

    // Truncated archives and damaged pickles: a tb::Error or a count, never a crash.
    void damagedArchivesAreNamedErrors() {
        if (!m_ready)
            QSKIP("python3 with torch is unavailable");
        const std::string source =
            m_dir.filePath(QStringLiteral("conv_bn_linear.pt")).toStdString();
        const std::string bytes = fileBytes(source);
        const std::string broken = m_dir.filePath(QStringLiteral("broken.pt")).toStdString();
        for (std::size_t cut : {std::size_t{10}, bytes.size() / 3, bytes.size() / 2,
                                bytes.size() - 30, bytes.size() - 1}) {
            std::ofstream(broken, std::ios::binary | std::ios::trunc) << bytes.substr(0, cut);
            QVERIFY_THROWS_EXCEPTION(Error, census_torchscript(broken));
        }
        // Random byte changes inside data.pkl (stored uncompressed in the archive).
        const auto zip = tb::model::ZipArchive::open(source);
        const std::string pkl = zip.read(*zip.find("conv_bn_linear/data.pkl"));
        const std::size_t at = bytes.find(pkl);
        QVERIFY(at != std::string::npos);
        std::mt19937 rng(1);
        int errors = 0;
        for (int round = 0; round < 300; ++round) {
            std::string damaged = bytes;
            for (int k = 0; k < 3; ++k)
                damaged[at + rng() % pkl.size()] = static_cast<char>(rng() & 0xff);
            std::ofstream(broken, std::ios::binary | std::ios::trunc) << damaged;
            try {
                census_torchscript(broken);
            } catch (const Error& e) {
                ++errors;
                QVERIFY(std::string(e.what()).find("broken.pt") != std::string::npos);
            }
        }
        QVERIFY(errors > 0);
        // Lists nested 200,000 deep are freed without recursion.
        const std::string deep =
            "\x80\x02" + std::string(200000, ']') + std::string(199999, 'a') + ".";
        QCOMPARE(tb::model::pickle::parse(deep, "deep.pkl").nodes.size(), std::size_t{200000});
        // A pickle reader error names the offset.
        try {
            tb::model::pickle::parse(pkl.substr(0, pkl.size() / 2), "half.pkl");
            QFAIL("a truncated pickle must not parse");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("byte offset") != std::string::npos, e.what());
        }
    }

private:
    QTemporaryDir m_dir;
    bool m_ready = false;
};

QTEST_APPLESS_MAIN(TestTorchScriptCensus)
#include "tst_torchscript_census.moc"
