// Benchmark: tokens per second of tb::text encode_batch on a mixed corpus (the tokenizer parity
// corpus plus the BPE training text, repeated), for each model folder given. Prints a hash of
// all ids so that bench/run_tokenize.sh can check that Hugging Face's tokenizers
// (bench/reference/tokenize.js, same corpus, same run) produced identical ids.
// Usage: bench_tokenize REPEATS MODEL_DIR...   (run from the repository root)
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "text/tokenizer.h"

namespace {

std::vector<std::string> bench_corpus(int repeats) {
    std::vector<std::string> base;
    std::ifstream corpus("tests/fixtures/text/parity_corpus.json");
    for (const auto& text : nlohmann::json::parse(corpus)) {
        base.push_back(text.get<std::string>());
    }
    std::ifstream training("tests/fixtures/text/bpe_training_corpus.txt");
    for (std::string line; std::getline(training, line);) {
        base.push_back(line);
    }
    std::vector<std::string> texts;
    for (int r = 0; r < repeats; ++r) {
        texts.insert(texts.end(), base.begin(), base.end());
    }
    return texts;
}

// FNV-1a over every id (as decimal text, ',' between ids, ';' after each text).
std::uint64_t fnv(const std::vector<tb::text::Encoding>& encodings) {
    std::uint64_t h = 1469598103934665603ull;
    auto byte = [&](unsigned char c) { h = (h ^ c) * 1099511628211ull; };
    for (const auto& enc : encodings) {
        for (std::size_t i = 0; i < enc.input_ids.size(); ++i) {
            if (i > 0) {
                byte(',');
            }
            for (char c : std::to_string(enc.input_ids[i])) {
                byte(static_cast<unsigned char>(c));
            }
        }
        byte(';');
    }
    return h;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_tokenize REPEATS MODEL_DIR...\n");
        return 2;
    }
    const int repeats = std::max(1, std::atoi(argv[1]));
    const std::vector<std::string> texts = bench_corpus(repeats);
    for (int a = 2; a < argc; ++a) {
        const auto tokenizer = tb::text::load_tokenizer(argv[a]);
        std::vector<tb::text::Encoding> out;
        double best = 1e30;
        for (int round = 0; round < 6; ++round) {  // round 0 warms caches, as the reference
            const auto t0 = std::chrono::steady_clock::now();
            out = tokenizer->encode_batch(texts);
            const double s =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            if (round > 0) {
                best = std::min(best, s);
            }
        }
        std::size_t tokens = 0;
        for (const auto& enc : out) {
            tokens += enc.input_ids.size();
        }
        std::printf(
            "tunebench %s kind=%s texts=%zu tokens=%zu best_s=%.5f tokens_per_s=%.0f "
            "ids_fnv=%016llx\n",
            argv[a], tokenizer->kind().c_str(), texts.size(), tokens, best,
            static_cast<double>(tokens) / best, static_cast<unsigned long long>(fnv(out)));
    }
    return 0;
}
