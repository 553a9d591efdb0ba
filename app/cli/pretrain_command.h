// `tunebench-cli pretrain`: WordPiece vocabulary + masked-LM pretraining into a model folder.
#pragma once

#include "pretrain/pretrainer.h"

namespace CLI {
class App;
}

namespace tb::cli {

// Registers the subcommand on `app`; run() returns its exit code, or -1 when it was not given.
class PretrainCommand {
public:
    explicit PretrainCommand(CLI::App& app);
    int run();

private:
    pretrain::PretrainOptions options_;
    bool cased_ = false;
    bool quiet_ = false;
    CLI::App* cmd_ = nullptr;
};

}  // namespace tb::cli
