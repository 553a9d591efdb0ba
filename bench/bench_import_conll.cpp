// Token-file import benchmark: reads a CoNLL (or token JSONL / tagged) file either streaming
// (sentence index + chunked summary, what `inspect` and the Data page do for token files) or
// whole in memory (read_token_file + build_token_dataset), in its own process so that the peak
// RSS (VmHWM) is the import's own. Usage:
//   bench_import_conll --file F [--mode stream|memory] [--read-ahead]
// Prints MB/s and peak RSS; bench/run_import_conll.sh runs both modes and a Python reference.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "common/error.h"
#include "data/sentence_index.h"
#include "data/token_dataset.h"
#include "data/token_readers.h"
#include "data/token_summary.h"

namespace {

double peak_rss_mb() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0)
            return std::stod(line.substr(6)) / 1024.0;
    return 0.0;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    std::string file;
    std::string mode = "stream";
    bool read_ahead = false;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--file") && i + 1 < argc)
            file = argv[++i];
        else if (!std::strcmp(argv[i], "--mode") && i + 1 < argc)
            mode = argv[++i];
        else if (!std::strcmp(argv[i], "--read-ahead"))
            read_ahead = true;
    }
    if (file.empty() || (mode != "stream" && mode != "memory")) {
        std::fprintf(stderr,
                     "usage: bench_import_conll --file F [--mode stream|memory] [--read-ahead]\n");
        return 2;
    }
    try {
        const double file_mb = double(std::filesystem::file_size(file)) / 1e6;
        const double rss_start = peak_rss_mb();
        const auto start = std::chrono::steady_clock::now();
        std::size_t sentences = 0, tokens = 0, problems = 0;
        double index_s = 0.0;
        std::uint64_t stated = 0;
        if (mode == "stream") {
            const auto index = tb::data::build_sentence_index(file);
            index_s = seconds_since(start);
            tb::data::TokenSummaryOptions options;
            options.read_ahead = read_ahead;
            const auto summary = tb::data::summarize_sentences(index, options);
            sentences = summary.sentences;
            tokens = summary.tokens;
            problems = summary.problem_count;
            stated = tb::data::token_memory_estimate(index);
        } else {
            const auto d = tb::data::build_token_dataset(tb::data::read_token_file(file));
            sentences = d.sentences.size();
            tokens = d.token_count();
            problems = d.problems.size();
        }
        const double total_s = seconds_since(start);
        const double rss = peak_rss_mb();
        std::printf(
            "%s: %.0f MB file, %zu sentences, %zu tokens, %zu problems in %.2f s "
            "(index %.2f s) = %.1f MB/s; peak RSS %.0f MiB (%.0f MiB at start, "
            "%.2fx the file size)%s\n",
            mode.c_str(), file_mb, sentences, tokens, problems, total_s, index_s, file_mb / total_s,
            rss, rss_start, rss * 1.048576 / file_mb,
            stated ? (", stated bound " + std::to_string(stated >> 20) + " MiB").c_str() : "");
        std::printf("RESULT mode=%s mb_s=%.1f peak_rss_mb=%.0f file_mb=%.0f\n", mode.c_str(),
                    file_mb / total_s, rss, file_mb);
    } catch (const tb::Error& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    return 0;
}
