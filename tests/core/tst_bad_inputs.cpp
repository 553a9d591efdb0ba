// The malformed-input corpus (tests/fixtures/bad/, listed in its README): every file gives its
// specific problem kind, message and location (file, line, column) through inspect_dataset, the
// function behind `tunebench-cli inspect`.
#include <QtTest>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "data/dataset_inspect.h"

using tb::data::inspect_dataset;
using tb::data::InspectRequest;
namespace fs = std::filesystem;

namespace {

std::string bad(const std::string& name) {
    return std::string(TB_FIXTURES_DIR) + "/bad/" + name;
}

struct Case {
    const char* name;
    const char* kind;
    long line;
    long column;          // -1: not checked (no column for this kind)
    const char* message;  // a fragment of the message
};

}  // namespace

class TstBadInputs : public QObject {
    Q_OBJECT

private slots:
    void corpus_data();
    void corpus();
    void image_folder();
    void symlink_loop();
};

void TstBadInputs::corpus_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("task");
    QTest::addColumn<int>("tag_column");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<long>("line");
    QTest::addColumn<long>("column");
    QTest::addColumn<QString>("message");
    auto row = [](const char* file, const char* task, int tag_column, const char* kind, long line,
                  long column, const char* message) {
        QTest::newRow(file) << QString(file) << QString(task) << tag_column << QString(kind) << line
                            << column << QString::fromUtf8(message);
    };
    row("csv_unterminated_quote.csv", "auto", 0, "parse_error", 2, 1, "quote");
    row("csv_ragged.csv", "auto", 0, "parse_error", 3, -1, "but found 3");
    row("csv_empty.csv", "auto", 0, "parse_error", 0, -1, "empty");
    row("csv_header_only.csv", "auto", 0, "no_rows", 1, 0, "no data rows");
    row("csv_latin1.csv", "auto", 0, "parse_error", 2, 4, "byte offset 14");
    row("csv_utf32_bom.csv", "auto", 0, "parse_error", 1, 1, "UTF-32");
    row("csv_utf16_unpaired_surrogate.csv", "auto", 0, "parse_error", 2, 3, "byte offset 30");
    row("csv_nul_byte.csv", "auto", 0, "parse_error", 2, 4, "NUL");
    row("tsv_ragged.tsv", "auto", 0, "parse_error", 3, -1, "field");
    row("jsonl_bad_json.jsonl", "auto", 0, "parse_error", 2, -1, "");
    row("jsonl_not_object.jsonl", "auto", 0, "parse_error", 2, 1, "array");
    row("label_text_no_tab.txt", "auto", 0, "parse_error", 2, -1, "no tab");
    row("conll_wrong_tag_column.conll", "token_classification", 3, "missing_column", 1, -1,
        "tag column 3");
    row("conll_invalid_bio.conll", "auto", 0, "invalid_transition", 4, 6, "'I-PER' after 'B-LOC'");
    row("conll_ragged.conll", "auto", 0, "ragged_line", 2, 3, "columns");
    row("conll_empty.conll", "auto", 0, "parse_error", 0, 0, "no tagged sentence");
    row("tagged_untagged.txt", "token_classification", 0, "untagged_token", 2, 1, "'the'");
    row("token_jsonl_mismatch.jsonl", "token_classification", 0, "length_mismatch", 1, 1,
        "'tags' has 1");
    row("multilabel_empty_text.csv", "multi_label", 0, "empty_text", 3, 1, "empty");
    row("multilabel_bad_flag.csv", "multi_label", 0, "bad_value", 3, 3, "'maybe'");
    row("split_unknown.csv", "auto", 0, "unknown_split", 3, 3, "'holdout'");
    row("idx_truncated-images-idx3-ubyte", "auto", 0, "parse_error", 0, 0, "holds only 2");
}

void TstBadInputs::corpus() {
    QFETCH(QString, file);
    QFETCH(QString, task);
    QFETCH(int, tag_column);
    QFETCH(QString, kind);
    QFETCH(long, line);
    QFETCH(long, column);
    QFETCH(QString, message);
    InspectRequest request;
    request.path = bad(file.toStdString());
    request.task = task.toStdString();
    request.tag_column = tag_column;
    if (file.startsWith("multilabel_bad"))
        request.label_columns = {"a", "b"};
    if (file.startsWith("multilabel_empty"))
        request.label_separator = "|", request.label_column = "tags";
    if (file.startsWith("split_")) {
        request.text_column = "text";
        request.split_column = "split";
    }
    if (file.startsWith("label_text"))
        request.format = "label_text";
    if (file.startsWith("idx_"))
        request.labels_path = bad("csv_empty.csv");
    const nlohmann::json out = inspect_dataset(request);
    QVERIFY2(!out["ok"].get<bool>(), out.dump().c_str());
    QVERIFY2(!out["problems"].empty(), out.dump().c_str());
    const nlohmann::json& p = out["problems"][0];
    QCOMPARE(QString::fromStdString(p["kind"].get<std::string>()), kind);
    QCOMPARE(p["file"].get<std::string>(), request.path);
    QCOMPARE(p["line"].get<long>(), line);
    if (column >= 0)
        QCOMPARE(p["column"].get<long>(), column);
    QVERIFY2(QString::fromStdString(p["message"].get<std::string>()).contains(message),
             p["message"].get<std::string>().c_str());
}

void TstBadInputs::image_folder() {
    InspectRequest request;
    request.path = bad("images");
    const nlohmann::json out = inspect_dataset(request);
    QCOMPARE(out["task"].get<std::string>(), std::string("image_classification"));
    QCOMPARE(out["examples"].get<int>(), 1);  // only ok.png
    QCOMPARE(out["problems"].size(), std::size_t{3});
    const std::string expected[][2] = {{"corrupt_image", "corrupt.png"},
                                       {"corrupt_image", "truncated.png"},
                                       {"empty_image", "zero.png"}};
    for (std::size_t i = 0; i < 3; ++i) {
        QCOMPARE(out["problems"][i]["kind"].get<std::string>(), expected[i][0]);
        QCOMPARE(fs::path(out["problems"][i]["file"].get<std::string>()).filename().string(),
                 expected[i][1]);
    }
}

void TstBadInputs::symlink_loop() {
    // Created here rather than committed: a looping link in the source tree trips up tools that
    // walk it (archivers, indexers).
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();
    fs::create_directories(root / "cls");
    fs::copy_file(bad("images/cls/ok.png"), root / "cls" / "ok.png");
    fs::create_directory_symlink(root / "cls", root / "cls" / "loop");
    InspectRequest request;
    request.path = root.string();
    const nlohmann::json out = inspect_dataset(request);
    QCOMPARE(out["problems"].size(), std::size_t{1});
    QCOMPARE(out["problems"][0]["kind"].get<std::string>(), std::string("symlink_loop"));
    QCOMPARE(out["problems"][0]["file"].get<std::string>(), (root / "cls" / "loop").string());
}

QTEST_MAIN(TstBadInputs)
#include "tst_bad_inputs.moc"
