// `tunebench-cli fasttext-predict`: one JSON object per stdin line, as fastText's predict-prob.
#include "fasttext_commands.h"

#include <iostream>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "model/fasttext_format.h"
#include "model/fasttext_library.h"
#include "model/fasttext_predict.h"

namespace tb::cli {

int run_fasttext_predict(const FastTextPredictOptions& o) {
    try {
        std::string file = o.model;
        if (const std::string inside = model::find_fasttext_model_file(o.model); !inside.empty())
            file = inside;
        const model::fasttext::Model m = model::fasttext::read_model(file);
        const model::fasttext::Predictor predictor(m);
        std::string line;
        while (std::getline(std::cin, line)) {
            nlohmann::json labels = nlohmann::json::array();
            for (const auto& p : predictor.predict(line, o.k))
                labels.push_back({{"label", p.label}, {"probability", p.probability}});
            std::cout << nlohmann::json{{"text", line}, {"labels", labels}}.dump() << '\n';
        }
        return 0;
    } catch (const Error& e) {
        std::cerr << "fasttext-predict: " << e.what() << '\n';
        return 1;
    }
}

FastTextCommands::FastTextCommands(CLI::App& app) {
    predict_cmd_ = app.add_subcommand("fasttext-predict",
                                      "Label UTF-8 lines from stdin with a fastText .bin/.ftz "
                                      "classifier; one JSON object per line");
    predict_cmd_
        ->add_option("--model", options_.model, "fastText .bin/.ftz file, or a folder holding one")
        ->required()
        ->check(CLI::ExistingPath);
    predict_cmd_->add_option("-k", options_.k, "How many labels per line")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
}

int FastTextCommands::run() {
    return *predict_cmd_ ? run_fasttext_predict(options_) : -1;
}

}  // namespace tb::cli
