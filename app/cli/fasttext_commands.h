// `tunebench-cli fasttext-predict`: labels stdin lines with a fastText .bin/.ftz classifier.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace tb::cli {

struct FastTextPredictOptions {
    std::string model;  // .bin/.ftz file, or a folder holding one
    int k = 1;
};
int run_fasttext_predict(const FastTextPredictOptions& options);

// Registers the subcommand on `app`; run() returns its exit code, or -1 when it was not given.
class FastTextCommands {
public:
    explicit FastTextCommands(CLI::App& app);
    int run();

private:
    FastTextPredictOptions options_;
    CLI::App* predict_cmd_ = nullptr;
};

}  // namespace tb::cli
