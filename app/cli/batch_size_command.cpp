// `tunebench-cli train EXP --find-batch-size`: the largest batch one training step fits in.
#include <cstdio>
#include <exception>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "train/batch_size_finder.h"

namespace tb::cli {

int run_find_batch_size(const io::ExperimentConfig& config, std::int64_t limit, bool json) {
    try {
        const auto f = train::find_batch_size(config, limit, [json](const std::string& line) {
            if (!json)
                std::fprintf(stderr, "%s\n", line.c_str());
        });
        if (json) {
            nlohmann::json trials = nlohmann::json::array();
            for (const auto& t : f.search.trials)
                trials.push_back(
                    {{"batch_size", t.batch_size}, {"fits", t.fits}, {"note", t.note}});
            const nlohmann::json out = {{"largest_batch_size", f.search.largest},
                                        {"hit_limit", f.search.hit_limit},
                                        {"device", f.device},
                                        {"method", f.method},
                                        {"sequence_length", f.sequence_length},
                                        {"budget_bytes", f.budget_bytes},
                                        {"trials", trials}};
            std::printf("%s\n", out.dump(2).c_str());
            return 0;
        }
        for (const auto& t : f.search.trials)
            std::printf("batch %lld: %s\n", static_cast<long long>(t.batch_size),
                        t.fits ? "fits" : t.note.c_str());
        if (f.search.largest == 0) {
            std::printf(
                "not even a batch of 1 fits at max_length %lld on %s (%s); lower "
                "model.max_length or use a smaller model\n",
                static_cast<long long>(f.sequence_length), f.device.c_str(), f.method.c_str());
            return 1;
        }
        const long long largest = f.search.largest;
        const int wanted = config.training.batch_size;
        std::printf("largest batch at max_length %lld on %s: %lld%s (%s)\n",
                    static_cast<long long>(f.sequence_length), f.device.c_str(), largest,
                    f.search.hit_limit ? " or more" : "", f.method.c_str());
        if (wanted > largest) {
            // Keep the effective batch the experiment asks for through accumulation.
            const long long accumulation = (wanted + largest - 1) / largest;
            std::printf(
                "suggestion: --set training.batch_size=%lld --set "
                "training.gradient_accumulation_steps=%lld\n",
                static_cast<long long>(wanted / accumulation), accumulation);
        } else {
            std::printf("training.batch_size %d fits\n", wanted);
        }
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 2;
    }
}

}  // namespace tb::cli
