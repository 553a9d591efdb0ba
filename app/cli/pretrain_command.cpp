// `tunebench-cli pretrain`: progress lines on stdout; SIGINT/SIGTERM stop after the current
// step and still write the folder (marked as stopped early, exit 130); a second one exits now.
#include "pretrain_command.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

#include <CLI/CLI.hpp>

#include "common/error.h"

namespace tb::cli {
namespace {

std::atomic<int> g_pretrain_interrupts{0};

extern "C" void on_pretrain_interrupt(int) {
    if (g_pretrain_interrupts.fetch_add(1) >= 1)
        std::_Exit(130);
}

}  // namespace

PretrainCommand::PretrainCommand(CLI::App& app) {
    auto& o = options_;
    cmd_ = app.add_subcommand(
        "pretrain",
        "Train a WordPiece vocabulary and pretrain a small BERT with masked-language modelling "
        "(or continue pretraining a model with --from); writes a model folder");
    cmd_->add_option("corpus", o.corpus_files,
                     "Text files (one document per line) or CSV/TSV/JSONL files (--text-column)")
        ->required()
        ->check(CLI::ExistingFile);
    cmd_->add_option("--out", o.out_dir, "New model folder")->required();
    cmd_->add_option("--from", o.from_dir,
                     "Continue pretraining this model folder (domain-adaptive pretraining; its "
                     "vocabulary and architecture are kept)")
        ->check(CLI::ExistingDirectory);
    cmd_->add_option("--text-column", o.text_column)->capture_default_str();
    cmd_->add_option("--vocab-size", o.vocab_size)->capture_default_str();
    cmd_->add_option("--min-frequency", o.min_frequency, "Fewest occurrences of a merged pair")
        ->capture_default_str();
    cmd_->add_option("--limit-alphabet", o.limit_alphabet, "Most characters kept (0: all)")
        ->capture_default_str();
    cmd_->add_flag("--cased", cased_, "Keep case and accents (default: lowercase)");
    cmd_->add_option("--layers", o.layers)->capture_default_str()->check(CLI::PositiveNumber);
    cmd_->add_option("--hidden", o.hidden)->capture_default_str()->check(CLI::PositiveNumber);
    cmd_->add_option("--heads", o.heads)->capture_default_str()->check(CLI::PositiveNumber);
    cmd_->add_option("--intermediate", o.intermediate)
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    cmd_->add_option("--max-length", o.max_length, "Tokens per training block")
        ->capture_default_str();
    auto* epochs = cmd_->add_option("--epochs", o.epochs)->capture_default_str();
    cmd_->add_option("--steps", o.steps, "Optimizer steps (instead of --epochs)")->excludes(epochs);
    cmd_->add_option("--batch-size", o.batch_size)->capture_default_str();
    cmd_->add_option("--lr", o.learning_rate, "Peak learning rate")->capture_default_str();
    cmd_->add_option("--warmup-ratio", o.warmup_ratio)->capture_default_str();
    cmd_->add_option("--weight-decay", o.weight_decay)->capture_default_str();
    cmd_->add_option("--mask-probability", o.masking.mask_probability)->capture_default_str();
    cmd_->add_flag("--whole-word-mask", o.masking.whole_word,
                   "Mask whole words (a token and its ## pieces) instead of single tokens");
    cmd_->add_option("--seed", o.seed)->capture_default_str();
    cmd_->add_option("--device", o.device,
                     "auto (a CUDA GPU if this build has one, else the CPU), cpu, cuda or cuda:N")
        ->capture_default_str();
    cmd_->add_option("--log-every", o.log_every, "Print the loss every N steps")
        ->capture_default_str();
    cmd_->add_flag("--init-only", o.init_only,
                   "Write the initialised model without training it (a random-initialisation "
                   "baseline with the same vocabulary; marked as NOT pretrained)");
    cmd_->add_flag("-q,--quiet", quiet_, "Print only the outcome");
}

int PretrainCommand::run() {
    if (!*cmd_)
        return -1;
    options_.lowercase = !cased_;
    train::RunControl control;
    g_pretrain_interrupts.store(0);
    std::signal(SIGINT, on_pretrain_interrupt);
    std::signal(SIGTERM, on_pretrain_interrupt);
    std::atomic<bool> done{false};
    // RunControl takes a mutex, which a signal handler must not: a watcher forwards.
    std::thread watcher([&] {
        while (!done.load()) {
            if (g_pretrain_interrupts.load() > 0 && !control.is_cancelled()) {
                std::fprintf(stderr,
                             "interrupt: stopping after the current step; the model is still "
                             "written (interrupt again to stop at once)\n");
                control.cancel();
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    });
    int code = 0;
    try {
        const auto log = [&](const std::string& line) {
            if (!quiet_)
                std::printf("%s\n", line.c_str()), std::fflush(stdout);
        };
        const auto progress = [&](const pretrain::PretrainProgress& p) {
            if (!quiet_)
                std::printf("step %lld/%lld  epoch %d  mlm loss %.4f  lr %.2e  %.0f s\n",
                            static_cast<long long>(p.step), static_cast<long long>(p.total_steps),
                            p.epoch, p.loss, p.learning_rate, p.elapsed_s),
                    std::fflush(stdout);
        };
        const auto result = pretrain::run_pretraining(options_, control, progress, log);
        if (options_.init_only)
            std::printf("initialised (NOT pretrained) %s: vocabulary %lld\n",
                        options_.out_dir.c_str(), static_cast<long long>(result.vocab_size));
        else
            std::printf("%s %s: %lld steps, masked-LM loss %.4f -> %.4f\n",
                        result.cancelled ? "stopped early, wrote" : "pretrained",
                        options_.out_dir.c_str(), static_cast<long long>(result.steps),
                        result.first_loss, result.final_loss);
        code = result.cancelled ? 130 : 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "pretrain: %s\n", e.what());
        code = 1;
    }
    done.store(true);
    watcher.join();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    return code;
}

}  // namespace tb::cli
