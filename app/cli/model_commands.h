// `models` (the model library listing) and `embed` (sentence embeddings from an encoder).
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace tb::cli {

struct ModelsOptions {
    std::vector<std::string> paths;  // --path DIR (repeatable)
    bool json = false;
    bool no_hub_cache = false;
    bool no_builtins = false;  // leave out the built-in architectures
    int depth = 4;
    int classes = 2;          // built-ins' parameter counts: the head's classes
    std::string config_path;  // --config EXP.yaml: built-ins sized by the experiment
};
int run_models(const ModelsOptions& options);

struct EmbedOptions {
    std::string model_dir;
    std::string pooling = "cls";  // cls | pooler | mean
    int layer = -1;               // hidden_states index: 0 embeddings .. L last; negative from end
    bool ids = false;             // stdin lines are JSON arrays of token ids, not text
    int max_length = 0;           // 0: the model's maximum
    int batch_size = 16;
    std::string device = "cpu";  // cpu | cuda | cuda:N | auto, as training.device
};
int run_embed(const EmbedOptions& options);

// Registers both subcommands on `app`; run() dispatches to the parsed one and returns its exit
// code, or -1 when neither was given.
class ModelCommands {
public:
    explicit ModelCommands(CLI::App& app);
    int run();

private:
    ModelsOptions models_;
    EmbedOptions embed_;
    CLI::App* models_cmd_ = nullptr;
    CLI::App* embed_cmd_ = nullptr;
};

}  // namespace tb::cli
