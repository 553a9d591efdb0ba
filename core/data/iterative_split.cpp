// Iterative stratification for multi-label splits (Sechidis et al. 2011), seeded.
#include "data/iterative_split.h"

#include <algorithm>
#include <array>
#include <random>
#include <string>

#include "common/error.h"

namespace tb::data {
namespace {

// Index of the largest value among `candidates`, ties broken by `tie` then by a seeded draw.
template <typename Primary, typename Secondary>
std::size_t pick_split(const Primary& primary, const Secondary& secondary,
                       const std::array<double, 3>& fractions, std::mt19937_64& engine) {
    std::vector<std::size_t> best;
    for (std::size_t j = 0; j < 3; ++j) {
        if (fractions[j] <= 0.0)
            continue;
        if (best.empty() || primary(j) > primary(best[0])) {
            best = {j};
        } else if (primary(j) == primary(best[0])) {
            best.push_back(j);
        }
    }
    if (best.size() > 1) {
        std::vector<std::size_t> second;
        for (std::size_t j : best) {
            if (second.empty() || secondary(j) > secondary(second[0]))
                second = {j};
            else if (secondary(j) == secondary(second[0]))
                second.push_back(j);
        }
        best = second;
    }
    return best.size() == 1 ? best[0] : best[uniform_below(engine, best.size())];
}

}  // namespace

SplitIndices iterative_stratified_split(const std::vector<std::vector<int>>& label_sets,
                                        int num_labels, const SplitFractions& fractions,
                                        std::uint64_t seed) {
    check_split_fractions(fractions);
    const std::array<double, 3> f{fractions.train, fractions.dev, fractions.test};
    const std::size_t n = label_sets.size();
    const std::size_t labels = static_cast<std::size_t>(std::max(0, num_labels));

    std::vector<std::vector<std::size_t>> by_label(labels);
    for (std::size_t i = 0; i < n; ++i) {
        for (int l : label_sets[i]) {
            if (l < 0 || l >= num_labels) {
                throw Error("label id " + std::to_string(l) + " of example " + std::to_string(i) +
                            " is outside 0.." + std::to_string(num_labels - 1));
            }
            by_label[static_cast<std::size_t>(l)].push_back(i);
        }
    }
    std::array<double, 3> wanted{};
    std::vector<std::array<double, 3>> wanted_label(labels);
    for (std::size_t j = 0; j < 3; ++j) {
        wanted[j] = static_cast<double>(n) * f[j];
        for (std::size_t l = 0; l < labels; ++l)
            wanted_label[l][j] = static_cast<double>(by_label[l].size()) * f[j];
    }

    std::mt19937_64 engine(seed ^ 0x9E3779B97F4A7C15ULL);
    std::vector<int> assigned(n, -1);
    std::vector<std::size_t> remaining(labels);
    for (std::size_t l = 0; l < labels; ++l)
        remaining[l] = by_label[l].size();
    SplitIndices out;
    std::array<std::vector<std::size_t>*, 3> parts{&out.train, &out.dev, &out.test};
    auto assign = [&](std::size_t i, std::size_t j) {
        assigned[i] = static_cast<int>(j);
        parts[j]->push_back(i);
        wanted[j] -= 1.0;
        for (int l : label_sets[i]) {
            wanted_label[static_cast<std::size_t>(l)][j] -= 1.0;
            --remaining[static_cast<std::size_t>(l)];
        }
    };

    for (;;) {
        // The label with the fewest unassigned examples (ties: lowest id).
        std::size_t label = labels;
        for (std::size_t l = 0; l < labels; ++l) {
            if (remaining[l] > 0 && (label == labels || remaining[l] < remaining[label]))
                label = l;
        }
        if (label == labels)
            break;
        std::vector<std::size_t> todo;
        for (std::size_t i : by_label[label]) {
            if (assigned[i] < 0)
                todo.push_back(i);
        }
        seeded_shuffle(todo, engine);
        for (std::size_t i : todo) {
            const std::size_t j = pick_split([&](std::size_t s) { return wanted_label[label][s]; },
                                             [&](std::size_t s) { return wanted[s]; }, f, engine);
            assign(i, j);
        }
    }
    std::vector<std::size_t> unlabelled;
    for (std::size_t i = 0; i < n; ++i) {
        if (assigned[i] < 0)
            unlabelled.push_back(i);
    }
    seeded_shuffle(unlabelled, engine);
    for (std::size_t i : unlabelled) {
        const std::size_t j = pick_split([&](std::size_t s) { return wanted[s]; },
                                         [](std::size_t) { return 0.0; }, f, engine);
        assign(i, j);
    }
    for (auto* part : parts)
        std::sort(part->begin(), part->end());
    return out;
}

}  // namespace tb::data
