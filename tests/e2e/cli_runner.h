// Runs the built tunebench-cli as a child process for the end-to-end tests, and small helpers
// for what those tests read back (fixtures, run folders).
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <filesystem>
#include <system_error>
#include <vector>

namespace tb::e2e {

struct Run {
    int code = -1;  // -1: crashed or did not finish in time
    QByteArray out, err;
};

inline const QString kCli = QStringLiteral(TB_BINARY_DIR "/app/tunebench-cli");

// `input` goes to the child's stdin, which is then closed.
inline Run cli(const QStringList& args, const QByteArray& input = {}, int timeout_ms = 300000,
               const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(kCli, args);
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    p.waitForFinished(timeout_ms);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

// The environment with a hub cache under the test's control (`hfHome`, or none at all), so a
// developer's own Hugging Face cache never shows up in model listings.
inline QProcessEnvironment withoutHubCache(const QString& hfHome = {}) {
    auto env = QProcessEnvironment::systemEnvironment();
    env.remove("HF_HUB_CACHE");
    env.insert("HF_HOME", hfHome.isEmpty() ? QStringLiteral("/nonexistent-hf-home") : hfHome);
    return env;
}

inline QString fixture(const char* name) {
    return QStringLiteral(TB_FIXTURES_DIR "/") + name;
}

// A tiny random BERT (hidden 32, 1 layer, vocabulary from the e2e sentiment fixture) made by
// `init-model` into `dir`: the model every CLI training test starts from.
inline Run initTinyModel(const QString& dir) {
    return cli({"init-model", "--corpus", fixture("e2e/tiny_sentiment.csv"), "--out", dir,
                "--hidden", "32", "--layers", "1", "--heads", "2", "--intermediate", "64",
                "--max-positions", "64", "--vocab-size", "400"});
}

// The run folder named in the CLI's "run folder: ..." line (empty if none).
inline QString runFolderOf(const QByteArray& out) {
    for (const QByteArray& line : out.split('\n'))
        if (line.startsWith("run folder: "))
            return QString::fromUtf8(line.mid(12)).trimmed();
    return {};
}

// Every entry of `runsDir` (the run folders a training wrote there).
inline std::vector<std::filesystem::path> runFolders(const QString& runsDir) {
    std::vector<std::filesystem::path> runs;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(runsDir.toStdString(), ec), end; !ec && it != end;
         ++it)
        runs.push_back(it->path());
    return runs;
}

}  // namespace tb::e2e
