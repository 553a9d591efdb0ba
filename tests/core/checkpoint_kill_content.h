// Deterministic checkpoint content per iteration, shared by the kill -9 test and its writer, so
// the test can tell exactly which iteration a file holds.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

#include "io/checkpoint.h"

namespace tb::kill_test {

// Names the writer rotates through: overwriting existing files exercises rename-over-old.
inline constexpr int kFileCount = 3;

inline std::string file_name(std::int64_t iteration) {
    return "ckpt-" + std::to_string(iteration % kFileCount) + ".h5";
}

// Tensor filled with a xorshift sequence seeded by (iteration, salt): every iteration differs.
inline TensorBlob random_floats(const std::string& name, std::size_t n, std::int64_t iteration,
                                std::uint64_t salt) {
    TensorBlob blob;
    blob.name = name;
    blob.dtype = DType::F32;
    blob.shape = {static_cast<std::int64_t>(n)};
    blob.bytes.resize(n * sizeof(float));
    std::uint64_t x = 0x9E3779B97F4A7C15ull * (static_cast<std::uint64_t>(iteration) + 1) ^ salt;
    for (std::size_t i = 0; i < n; ++i) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        const float v = static_cast<float>(static_cast<std::int32_t>(x >> 32)) * 1e-9f;
        std::memcpy(blob.bytes.data() + i * sizeof(float), &v, sizeof v);
    }
    return blob;
}

// About 6.5 MB per checkpoint: a model tensor and two AdamW moments, plus small parts.
inline io::Checkpoint checkpoint_for(std::int64_t iteration) {
    constexpr std::size_t kBig = std::size_t{1} << 19;  // 2 MiB of float32
    io::Checkpoint c;
    c.config_yaml = "iteration: " + std::to_string(iteration) + "\n";
    c.model = {random_floats("bert.embeddings.word_embeddings.weight", kBig, iteration, 1),
               random_floats("classifier.weight", 4096, iteration, 2)};
    c.optimizer = {
        random_floats("bert.embeddings.word_embeddings.weight/exp_avg", kBig, iteration, 3),
        random_floats("bert.embeddings.word_embeddings.weight/exp_avg_sq", kBig, iteration, 4)};
    c.trainer.global_step = iteration;
    c.trainer.epoch = static_cast<int>(iteration / 10);
    c.trainer.step_in_epoch = iteration % 10;
    c.metrics["train_loss"] = {1.0 / static_cast<double>(iteration + 1)};
    c.labels = {"neg", "pos"};
    return c;
}

// FNV-1a over everything checkpoint_for varies: equal checksums mean the same iteration.
inline std::uint64_t checksum(const io::Checkpoint& c) {
    std::uint64_t h = 1469598103934665603ull;
    auto mix = [&h](const void* data, std::size_t size) {
        const auto* p = static_cast<const unsigned char*>(data);
        for (std::size_t i = 0; i < size; ++i) {
            h ^= p[i];
            h *= 1099511628211ull;
        }
    };
    mix(c.config_yaml.data(), c.config_yaml.size());
    for (const auto* tensors : {&c.model, &c.optimizer})
        for (const auto& t : *tensors) {
            mix(t.name.data(), t.name.size());
            mix(t.bytes.data(), t.bytes.size());
        }
    mix(&c.trainer.global_step, sizeof c.trainer.global_step);
    for (const auto& [series, values] : c.metrics)
        mix(values.data(), values.size() * sizeof(double));
    return h;
}

}  // namespace tb::kill_test
