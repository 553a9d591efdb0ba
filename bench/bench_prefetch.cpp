// Benchmark: training throughput of the whole Trainer (data pipeline included) with the batch
// prefetch thread on and off, and with length-grouped batching. Each configuration trains the
// same generated dataset for one epoch with the same seed; the time between the first and the
// last optimizer step gives samples/s (setup, evaluation and checkpoints excluded).
// Usage: bench_prefetch [rows hidden layers batch max_length]
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "model/bert_config.h"
#include "model/model_factory.h"
#include "text/bert_tokenizer.h"
#include "train/trainer.h"

namespace {

namespace fs = std::filesystem;

// Texts of 8..160 words drawn from a fixed word list, two labels: varied lengths make dynamic
// padding and length grouping matter, as in real text data.
std::vector<std::string> write_dataset(const std::string& path, long rows) {
    std::mt19937 rng(42);
    std::vector<std::string> words;
    for (int i = 0; i < 1500; ++i)
        words.push_back("w" + std::to_string(i));
    std::uniform_int_distribution<int> length(8, 160), word(0, 1499), label(0, 1);
    std::ofstream out(path);
    out << "text,label\n";
    std::vector<std::string> texts;
    for (long r = 0; r < rows; ++r) {
        std::string text;
        for (int n = length(rng); n > 0; --n)
            text += (text.empty() ? "" : " ") + words[word(rng)];
        out << text << ',' << (label(rng) ? "pos" : "neg") << '\n';
        texts.push_back(std::move(text));
    }
    return texts;
}

struct StepClock : tb::train::TrainingObserver {
    std::int64_t first_step = 0, last_step = 0;
    double first_seconds = 0, last_seconds = 0;
    void on_step(const tb::train::StepMetrics& m) override {
        if (first_step == 0) {
            first_step = m.step;
            first_seconds = m.elapsed_seconds;
        }
        last_step = m.step;
        last_seconds = m.elapsed_seconds;
    }
};

}  // namespace

int main(int argc, char** argv) {
    auto arg = [&](int i, long fallback) { return argc > i ? std::atol(argv[i]) : fallback; };
    const long rows = arg(1, 2048), hidden = arg(2, 128), layers = arg(3, 2), batch = arg(4, 32),
               max_length = arg(5, 128);

    const fs::path dir =
        fs::temp_directory_path() / ("tb-bench-prefetch-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string csv = (dir / "data.csv").string();
    const auto texts = write_dataset(csv, rows);
    const auto vocab = tb::text::build_vocab(texts, tb::text::BasicTokenizerOptions{}, 2000, 1);
    tb::model::BertConfig model;
    model.vocab_size = static_cast<std::int64_t>(vocab.size());
    model.hidden_size = hidden;
    model.num_hidden_layers = layers;
    model.num_attention_heads = std::max(1L, hidden / 32);
    model.intermediate_size = hidden * 4;
    model.max_position_embeddings = std::max(512L, max_length);
    const std::string model_dir = (dir / "model").string();
    tb::model::create_random_bert_folder(model_dir, model, vocab.tokens(), 7, true);

    struct Variant {
        const char* name;
        int prefetch;
        bool grouped;
    };
    const Variant variants[] = {{"prefetch=0", 0, false},
                                {"prefetch=2", 2, false},
                                {"prefetch=2 group_by_length", 2, true}};
    std::printf("rows=%ld hidden=%ld layers=%ld batch=%ld max_length=%ld\n", rows, hidden, layers,
                batch, max_length);
    double baseline = 0;
    for (const Variant& v : variants) {
        tb::io::ExperimentConfig c;
        c.dataset.path = csv;
        c.dataset.train_fraction = 0.9;
        c.dataset.dev_fraction = 0.05;
        c.dataset.test_fraction = 0.05;
        c.model.path = model_dir;
        c.model.max_length = static_cast<int>(max_length);
        c.training.epochs = 1;
        c.training.batch_size = static_cast<int>(batch);
        c.training.device = "cpu";
        c.training.prefetch_batches = v.prefetch;
        c.training.group_by_length = v.grouped;
        c.output.runs_dir = (dir / "runs").string();
        c.output.checkpoint_each_epoch = false;
        StepClock clock;
        tb::train::RunControl control;
        const auto result = tb::train::Trainer(c, clock, control).run();
        if (result.state != tb::train::RunState::Finished) {
            std::fprintf(stderr, "%s: run failed: %s\n", v.name, result.error.c_str());
            return 1;
        }
        const double seconds = clock.last_seconds - clock.first_seconds;
        const double samples = static_cast<double>((clock.last_step - clock.first_step) * batch);
        const double rate = seconds > 0 ? samples / seconds : 0;
        if (baseline == 0)
            baseline = rate;
        std::printf("%-28s samples_per_s=%.1f steps=%lld ratio_vs_prefetch0=%.2f\n", v.name, rate,
                    static_cast<long long>(clock.last_step), rate / baseline);
    }
    fs::remove_all(dir);
    return 0;
}
