// Tests `--set key=value` overrides: values are typed and validated like the file's own keys,
// sections are created, and errors name the offending --set argument.
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <string>

#include "common/error.h"
#include "io/experiment_config.h"
#include "io/yaml_overrides.h"

using tb::io::YamlOverride;

namespace {

const char* kMinimal = R"(name: demo
dataset:
  path: data.csv
model:
  path: model
training:
  epochs: 3
)";

std::string write_temp(const std::string& name, const std::string& text) {
    const auto dir = std::filesystem::temp_directory_path() / "tb_yaml_overrides";
    std::filesystem::create_directories(dir);
    const auto path = (dir / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

std::string error_of(const std::string& path, const std::vector<YamlOverride>& overrides) {
    try {
        tb::io::load_experiment_with_overrides(path, overrides);
    } catch (const tb::Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

class TestYamlOverrides : public QObject {
    Q_OBJECT
private slots:
    void parsesKeyAndValue() {
        const auto o = tb::io::parse_yaml_override("training.learning_rate=3e-5");
        QCOMPARE(o.key, std::string("training.learning_rate"));
        QCOMPARE(o.value, std::string("3e-5"));
        // Only the first '=' splits: values may contain '='.
        QCOMPARE(tb::io::parse_yaml_override("output.run_name=a=b").value, std::string("a=b"));
        QVERIFY_THROWS_EXCEPTION(tb::Error, tb::io::parse_yaml_override("training.epochs"));
        QVERIFY_THROWS_EXCEPTION(tb::Error, tb::io::parse_yaml_override("=5"));
    }

    void overridesExistingAndNewKeys() {
        const auto path = write_temp("ok.yaml", kMinimal);
        const auto c = tb::io::load_experiment_with_overrides(
            path, {{"training.epochs", "5"},
                   {"training.learning_rate", "1e-4"},
                   {"output.run_name", "sweep-1"},
                   {"training.epochs", "7"}});  // the later override wins
        QCOMPARE(c.training.epochs, 7);
        QCOMPARE(c.training.learning_rate, 1e-4);
        QCOMPARE(c.output.run_name, std::string("sweep-1"));  // section created
        QCOMPARE(c.dataset.path, std::string("data.csv"));    // untouched keys survive
        QCOMPARE(std::filesystem::path(c.base_dir),
                 std::filesystem::path(path).parent_path());  // relative paths still resolve
    }

    void withoutOverridesEqualsPlainLoad() {
        const auto path = write_temp("plain.yaml", kMinimal);
        const auto a = tb::io::load_experiment(path);
        const auto b = tb::io::load_experiment_with_overrides(path, {});
        QCOMPARE(tb::io::to_yaml(a), tb::io::to_yaml(b));
    }

    void invalidValueNamesTheArgument() {
        const auto path = write_temp("bad_value.yaml", kMinimal);
        const auto message = error_of(path, {{"training.epochs", "zero"}});
        QVERIFY2(message.find("--set training.epochs=zero") != std::string::npos, message.c_str());
        const auto range = error_of(path, {{"training.epochs", "0"}});
        QVERIFY2(range.find("--set training.epochs=0") != std::string::npos, range.c_str());
        QVERIFY2(range.find("at least 1") != std::string::npos, range.c_str());
    }

    void unknownKeyIsRejectedWithSuggestion() {
        const auto path = write_temp("unknown.yaml", kMinimal);
        const auto message = error_of(path, {{"training.epoch", "2"}});
        QVERIFY2(message.find("--set training.epoch=2") != std::string::npos, message.c_str());
        QVERIFY2(message.find("epochs") != std::string::npos, message.c_str());
    }

    void keyThroughScalarIsRejected() {
        const auto path = write_temp("scalar.yaml", kMinimal);
        const auto message = error_of(path, {{"name.first", "x"}});
        QVERIFY2(message.find("\"name\" is not a section") != std::string::npos, message.c_str());
        QVERIFY(!error_of(path, {{"training..epochs", "2"}}).empty());
        QVERIFY(!error_of(path, {{"training.epochs", "[1, "}}).empty());  // broken YAML value
    }

    void fileErrorsElsewhereStillReported() {
        // The override is fine, the file's own value is not: report the file and the key.
        const auto path =
            write_temp("file_error.yaml", std::string(kMinimal) + "  batch_size: -1\n");
        const auto message = error_of(path, {{"training.epochs", "2"}});
        QVERIFY2(message.find("file_error.yaml") != std::string::npos, message.c_str());
        QVERIFY2(message.find("training.batch_size") != std::string::npos, message.c_str());
    }
};

QTEST_APPLESS_MAIN(TestYamlOverrides)
#include "tst_yaml_overrides.moc"
