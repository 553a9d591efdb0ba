// `tunebench-cli fasttext-predict` and `models` through the real binary on lid.176.ftz
// (docs/models.md, docs/cli.md): JSON per stdin line, errors for broken files, library listing.
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "cli_runner.h"

using json = nlohmann::json;

class TstCliFastText : public QObject {
    Q_OBJECT

private slots:
    void predicts_languages_as_json() {
        const auto run = tb::e2e::cli(
            {"fasttext-predict", "--model", tb::e2e::fixture("fasttext/lid.176.ftz"), "-k", "3"},
            "Guten Tag, wie geht es Ihnen?\nThe cat sleeps on the warm sofa.\n", 60000);
        QCOMPARE(run.code, 0);
        const auto lines = run.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        const json de = json::parse(lines[0].toStdString());
        QCOMPARE(de.at("labels").size(), size_t{3});
        QCOMPARE(de.at("labels")[0].at("label").get<std::string>(), std::string("__label__de"));
        const json en = json::parse(lines[1].toStdString());
        QCOMPARE(en.at("labels")[0].at("label").get<std::string>(), std::string("__label__en"));
        QVERIFY(en.at("labels")[0].at("probability").get<double>() > 0.5);
    }

    void broken_model_is_an_error() {
        QTemporaryDir tmp;
        const std::string path = tmp.path().toStdString() + "/bad.ftz";
        std::ofstream(path, std::ios::binary) << "not a fastText model at all";
        const auto run = tb::e2e::cli({"fasttext-predict", "--model", QString::fromStdString(path)},
                                      "hello\n", 60000);
        QCOMPARE(run.code, 1);
        QVERIFY2(run.err.contains("magic") && run.err.contains("bad.ftz"), run.err.constData());
    }

    // Each fastText file of the folder is an entry of its own (model.path takes the file).
    void models_lists_the_files() {
        const auto run = tb::e2e::cli({"models", "--json", "--no-hub-cache", "--no-builtins",
                                       "--path", tb::e2e::fixture("fasttext")},
                                      {}, 60000, tb::e2e::withoutHubCache());
        QCOMPARE(run.code, 0);
        const json entries = json::parse(run.out.toStdString());
        QCOMPARE(entries.size(), size_t{4});  // lid.176.ftz, ova.bin, quantized.ftz, softmax.bin
        const json& lid = entries[0];
        QVERIFY2(lid.at("path").get<std::string>().find("lid.176.ftz") != std::string::npos,
                 lid.dump().c_str());
        QCOMPARE(lid.at("source").get<std::string>(), std::string("file"));
        QCOMPARE(lid.at("source_format").get<std::string>(), std::string("fasttext"));
        QCOMPARE(lid.at("labels").get<int>(), 176);
        QCOMPARE(lid.at("hidden_size").get<int>(), 16);
        QCOMPARE(lid.at("vocab_size").get<int>(), 7235);
        for (const auto& e : entries)
            QCOMPARE(e.at("source_format").get<std::string>(), std::string("fasttext"));
    }
};

QTEST_GUILESS_MAIN(TstCliFastText)
#include "tst_cli_fasttext.moc"
