// `tunebench-cli import-tfjs`: converts a TF.js / Keras layers model into an image model folder.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace tb::cli {

struct ImportTfjsOptions {
    std::string model;  // model.json / model.min.js, or a folder holding one
    std::string out;    // image model folder to write
    std::string cut;    // layer whose output becomes the features; empty: before the classifier
    std::string preprocessing;  // JSON object; empty: input size, RGB, pixel / 255
    std::string source, license;
    bool json = false;
};
int run_import_tfjs(const ImportTfjsOptions& options);

// Registers the subcommand on `app`; run() returns its exit code, or -1 when it was not given.
class TfjsCommands {
public:
    explicit TfjsCommands(CLI::App& app);
    int run();

private:
    ImportTfjsOptions options_;
    CLI::App* import_cmd_ = nullptr;
};

}  // namespace tb::cli
