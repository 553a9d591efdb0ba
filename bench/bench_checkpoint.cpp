// Benchmark: save and load time (MB/s) of a BERT-base-sized checkpoint (~110 M float32
// parameters + two AdamW moments, about 1.3 GB) and the peak memory of the save, against
// `dd if=/dev/zero of=FILE bs=1M count=N conv=fsync` of the same size in the same folder, in the
// same run. bench/run_checkpoint.sh runs it.
// Usage: bench_checkpoint DIR [REPEATS] [LAYERS]   (LAYERS=12: BERT-base; fewer for a quick run)
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "common/error.h"
#include "io/checkpoint.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

// Pseudo-random float32 values (incompressible, unlike dd's zeros, so a compressing file
// system cannot flatter the checkpoint side).
tb::TensorBlob tensor(const std::string& name, std::vector<std::int64_t> shape,
                      std::uint64_t& state) {
    tb::TensorBlob blob;
    blob.name = name;
    blob.dtype = tb::DType::F32;
    blob.shape = std::move(shape);
    std::size_t n = 1;
    for (auto d : blob.shape)
        n *= static_cast<std::size_t>(d);
    blob.bytes.resize(n * sizeof(float));
    auto* out = reinterpret_cast<std::uint32_t*>(blob.bytes.data());
    for (std::size_t i = 0; i < n; ++i) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out[i] = 0x3c000000u | static_cast<std::uint32_t>(state >> 41);  // small positive floats
    }
    return blob;
}

// The tensors of BERT-base (bert-base-uncased) with a 2-label classifier, AdamW state for each.
tb::io::Checkpoint bert_base_checkpoint(int layers) {
    const std::int64_t h = 768, ff = 3072, vocab = 30522, positions = 512;
    std::vector<std::pair<std::string, std::vector<std::int64_t>>> shapes = {
        {"bert.embeddings.word_embeddings.weight", {vocab, h}},
        {"bert.embeddings.position_embeddings.weight", {positions, h}},
        {"bert.embeddings.token_type_embeddings.weight", {2, h}},
        {"bert.embeddings.LayerNorm.weight", {h}},
        {"bert.embeddings.LayerNorm.bias", {h}}};
    for (int l = 0; l < layers; ++l) {
        const std::string p = "bert.encoder.layer." + std::to_string(l) + ".";
        for (const char* m : {"attention.self.query", "attention.self.key", "attention.self.value",
                              "attention.output.dense"}) {
            shapes.push_back({p + m + ".weight", {h, h}});
            shapes.push_back({p + m + ".bias", {h}});
        }
        shapes.push_back({p + "attention.output.LayerNorm.weight", {h}});
        shapes.push_back({p + "attention.output.LayerNorm.bias", {h}});
        shapes.push_back({p + "intermediate.dense.weight", {ff, h}});
        shapes.push_back({p + "intermediate.dense.bias", {ff}});
        shapes.push_back({p + "output.dense.weight", {h, ff}});
        shapes.push_back({p + "output.dense.bias", {h}});
        shapes.push_back({p + "output.LayerNorm.weight", {h}});
        shapes.push_back({p + "output.LayerNorm.bias", {h}});
    }
    shapes.push_back({"bert.pooler.dense.weight", {h, h}});
    shapes.push_back({"bert.pooler.dense.bias", {h}});
    shapes.push_back({"classifier.weight", {2, h}});
    shapes.push_back({"classifier.bias", {2}});

    std::uint64_t state = 88172645463325252ull;
    tb::io::Checkpoint c;
    c.config_yaml = "model:\n  path: bert-base-uncased\n";
    for (const auto& [name, shape] : shapes) {
        c.model.push_back(tensor(name, shape, state));
        c.optimizer.push_back(tensor(name + "/exp_avg", shape, state));
        c.optimizer.push_back(tensor(name + "/exp_avg_sq", shape, state));
        tb::TensorBlob step = tensor(name + "/step", {}, state);
        c.optimizer.push_back(std::move(step));
    }
    c.trainer.global_step = 1000;
    c.labels = {"negative", "positive"};
    for (int i = 0; i < 30522; ++i)
        c.vocab.push_back("tok" + std::to_string(i));
    return c;
}

std::size_t parameter_count(const tb::io::Checkpoint& c) {
    std::size_t n = 0;
    for (const auto& t : c.model)
        n += static_cast<std::size_t>(t.numel());
    return n;
}

// Kilobytes from a "Name:   123 kB" line of /proc/self/status.
long status_kb(const char* field) {
    std::ifstream in("/proc/self/status");
    std::string line;
    const std::string key = std::string(field) + ":";
    while (std::getline(in, line))
        if (line.rfind(key, 0) == 0)
            return std::atol(line.c_str() + key.size());
    return -1;
}

// Resets VmHWM (peak RSS) to the current RSS (Linux >= 4.0), so the next peak is the save's.
bool reset_peak_rss() {
    std::ofstream out("/proc/self/clear_refs");
    out << "5";
    return static_cast<bool>(out);
}

// Drops the file's pages from the page cache, so the next read comes from the disk.
void evict(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    ::fdatasync(fd);
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    ::close(fd);
}

double file_mb(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? static_cast<double>(st.st_size) / 1e6 : 0.0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s DIR [REPEATS] [LAYERS]\n", argv[0]);
        return 2;
    }
    const std::string dir = argv[1];
    const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 2;
    const int layers = argc > 3 ? std::max(0, std::atoi(argv[3])) : 12;
    const std::string ckpt = dir + "/bench-checkpoint.h5", dd_file = dir + "/bench-dd.bin";

    const auto build_start = Clock::now();
    const tb::io::Checkpoint checkpoint = bert_base_checkpoint(layers);
    std::printf("checkpoint: %zu parameters (+ 2 AdamW moments), built in %.1f s\n",
                parameter_count(checkpoint), seconds_since(build_start));

    // Rounds alternate save and dd so both see the same disk conditions (on a shared machine
    // the disk's speed drifts); each round's ratio is printed, the summary uses the best times.
    double best_save = 1e30, best_load_cold = 1e30, best_load_warm = 1e30, best_dd = 1e30;
    long peak_kb = 0, extra_kb = 0;
    std::vector<double> ratios;
    double mb = 0;
    try {
        for (int r = 0; r < repeats; ++r) {
            const long rss_before = status_kb("VmRSS");
            const bool peak_ok = reset_peak_rss();
            const auto t_save = Clock::now();
            tb::io::save_checkpoint(checkpoint, ckpt);
            const double save_s = seconds_since(t_save);
            best_save = std::min(best_save, save_s);
            // The first round's peak is the clean one: later rounds start with the memory of
            // earlier loads still held by the allocator.
            if (peak_ok) {
                if (r == 0)
                    peak_kb = status_kb("VmHWM");
                extra_kb = std::max(extra_kb, status_kb("VmHWM") - rss_before);
            }
            mb = file_mb(ckpt);

            // dd: the same byte count, same folder, fsynced like the save.
            const long blocks = static_cast<long>(mb * 1e6 / (1 << 20) + 0.5);
            const std::string dd = "dd if=/dev/zero of='" + dd_file +
                                   "' bs=1M count=" + std::to_string(blocks) +
                                   " conv=fsync status=none";
            const auto t_dd = Clock::now();
            if (std::system(dd.c_str()) != 0) {
                std::fprintf(stderr, "dd failed: %s\n", dd.c_str());
                return 1;
            }
            const double dd_s = seconds_since(t_dd) * mb / file_mb(dd_file);
            best_dd = std::min(best_dd, dd_s);
            std::printf("round %d: save %.2f s, dd %.2f s, save/dd speed %.0f %%\n", r + 1, save_s,
                        dd_s, 100 * dd_s / save_s);
            ratios.push_back(dd_s / save_s);

            evict(ckpt);
            auto t_load = Clock::now();
            const tb::io::Checkpoint cold = tb::io::load_checkpoint(ckpt);
            best_load_cold = std::min(best_load_cold, seconds_since(t_load));
            t_load = Clock::now();
            const tb::io::Checkpoint warm = tb::io::load_checkpoint(ckpt);
            best_load_warm = std::min(best_load_warm, seconds_since(t_load));
            if (cold.optimizer.size() != checkpoint.optimizer.size() ||
                warm.model.back().bytes != checkpoint.model.back().bytes) {
                std::fprintf(stderr, "loaded checkpoint differs from the saved one\n");
                return 1;
            }
        }
    } catch (const tb::Error& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    std::remove(ckpt.c_str());
    std::remove(dd_file.c_str());

    std::printf("file: %.1f MB, best of %d, folder %s\n", mb, repeats, dir.c_str());
    std::printf("save: %.2f s = %.0f MB/s (build in memory, write, fsync, rename)\n", best_save,
                mb / best_save);
    std::printf("dd:   %.2f s = %.0f MB/s (bs=1M conv=fsync, same size and folder)\n", best_dd,
                mb / best_dd);
    std::printf(
        "load: %.2f s = %.0f MB/s from disk (page cache dropped), %.2f s = %.0f MB/s "
        "from the page cache\n",
        best_load_cold, mb / best_load_cold, best_load_warm, mb / best_load_warm);
    std::sort(ratios.begin(), ratios.end());
    const double median_ratio = ratios.empty() ? 0.0 : ratios[ratios.size() / 2];
    std::printf("save/dd speed: %.0f %% median of rounds, %.0f %% best save vs best dd\n",
                100 * median_ratio, 100 * best_dd / best_save);
    std::printf(
        "save peak RSS (first round): %.0f MiB, of which %.0f MiB above the tensors "
        "being saved (%.2f x the file)\n",
        peak_kb / 1024.0, extra_kb / 1024.0, extra_kb * 1024.0 / (mb * 1e6));
    std::printf(
        "save_mb_per_s=%.1f dd_mb_per_s=%.1f median_ratio_save_dd=%.2f "
        "load_mb_per_s=%.1f peak_rss_mib=%.0f\n",
        mb / best_save, mb / best_dd, median_ratio, mb / best_load_cold, peak_kb / 1024.0);
    return 0;
}
