// Import benchmark: generates a large CSV (default 1 GiB, with quoted fields, embedded commas and
// newlines, and Chinese text), then measures in one process:
//   raw read    - fread of the whole file in 1 MiB blocks: the I/O ceiling on this machine
//   index       - build_row_index: row offsets + UTF-8 validation (the import pass)
//   validate    - read_rows over the whole file in 100k-row batches: every row parsed and
//                 checked, memory bounded by one batch
//   preview     - first 100 rows; random batches of 32 rows by offset
//   summary     - summarize_rows: the Data page's streaming validation report (classes,
//                 problems, duplicates by hash, rare labels, lengths) over the whole index
// and prints MB/s for each, the index/raw ratio, and the peak RSS against the file size.
// --summary-only runs just index + summary on an existing file (--file PATH), so that the peak
// RSS is that of the Data page's streaming import alone.
// Usage: bench_import [--dir DIR] [--size-mb N] [--keep] | --summary-only --file PATH
//        [--read-ahead N]   (chunks parsed ahead on worker threads; 0 = one thread)
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>

#include "data/row_index.h"
#include "data/streaming_summary.h"

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double peak_rss_mb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;  // KiB on Linux
}

// Writes rows until the file reaches `bytes`; returns the number of data rows.
std::size_t generate(const std::string& path, std::uint64_t bytes) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) {
        std::perror(path.c_str());
        std::exit(1);
    }
    const char* words[] = {"the",  "film",   "was",  "great", "boring", "plot",     "actors",
                           "电影", "很好看", "剧情", "无聊",  "演员",   "however,", "\"best\""};
    const char* labels[] = {"pos", "neg", "neu", "正面", "负面"};
    std::mt19937_64 engine(42);
    std::string row;
    std::string block;
    std::uint64_t written = 0;
    std::size_t rows = 0;
    block = "id,text,label\n";
    while (written + block.size() < bytes) {
        row.clear();
        row += std::to_string(rows) + ",\"";
        const int n = 8 + static_cast<int>(engine() % 24);
        for (int w = 0; w < n; ++w) {
            const char* word = words[engine() % (sizeof words / sizeof *words)];
            for (const char* p = word; *p; ++p) {
                if (*p == '"')
                    row += "\"\"";
                else
                    row += *p;
            }
            row += (engine() % 50 == 0) ? '\n' : ' ';
        }
        row += "\",";
        row += labels[engine() % 5];
        row += '\n';
        block += row;
        ++rows;
        if (block.size() > (1 << 20)) {
            std::fwrite(block.data(), 1, block.size(), f);
            written += block.size();
            block.clear();
        }
    }
    std::fwrite(block.data(), 1, block.size(), f);
    std::fclose(f);
    return rows;
}

// Index + streaming summary of `path`; prints MB/s and the process's peak RSS.
int summary_only(const std::string& path, std::size_t read_ahead) {
    const double file_mb = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
    const double rss_start = peak_rss_mb();
    auto t0 = std::chrono::steady_clock::now();
    const tb::data::RowIndex index = tb::data::build_row_index(path, tb::data::TableFormat::Csv);
    const double index_s = seconds_since(t0);
    t0 = std::chrono::steady_clock::now();
    tb::data::StreamingSummaryOptions options;
    options.read_ahead = read_ahead;
    const tb::data::StreamingSummary summary = tb::data::summarize_rows(index, options);
    const double summary_s = seconds_since(t0);
    std::printf("read ahead %zu chunks\n", read_ahead);
    std::printf("file %s: %.1f MB, %zu rows, %zu examples, %zu classes, %zu duplicates\n",
                path.c_str(), file_mb, index.rows(), summary.examples, summary.class_counts.size(),
                summary.duplicates);
    std::printf("index        %.0f MB/s (%.2f s)\n", file_mb / index_s, index_s);
    std::printf("summary      %.0f MB/s (%.2f s); index + summary %.0f MB/s\n", file_mb / summary_s,
                summary_s, file_mb / (index_s + summary_s));
    std::printf(
        "peak RSS     %.0f MB at start, %.0f MB at end (%.2fx the file size); stated "
        "bound %.0f MB\n",
        rss_start, peak_rss_mb(), peak_rss_mb() / file_mb,
        static_cast<double>(
            tb::data::streaming_memory_estimate(index, options.chunk_rows, read_ahead)) /
            1e6);
    std::printf(
        "RESULT streaming_import_mb_s=%.0f summary_mb_s=%.0f peak_rss_mb=%.0f file_mb=%.0f\n",
        file_mb / (index_s + summary_s), file_mb / summary_s, peak_rss_mb(), file_mb);
    return summary.examples > 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    std::string dir = "/tmp";
    std::uint64_t size_mb = 1024;
    bool keep = false;
    bool only_summary = false;
    std::size_t read_ahead = tb::data::StreamingSummaryOptions{}.read_ahead;
    std::string file;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--dir") && i + 1 < argc)
            dir = argv[++i];
        else if (!std::strcmp(argv[i], "--size-mb") && i + 1 < argc)
            size_mb = std::strtoull(argv[++i], nullptr, 10);
        else if (!std::strcmp(argv[i], "--keep"))
            keep = true;
        else if (!std::strcmp(argv[i], "--summary-only"))
            only_summary = true;
        else if (!std::strcmp(argv[i], "--file") && i + 1 < argc)
            file = argv[++i];
        else if (!std::strcmp(argv[i], "--read-ahead") && i + 1 < argc)
            read_ahead = std::strtoull(argv[++i], nullptr, 10);
        else {
            std::fprintf(stderr,
                         "usage: bench_import [--dir DIR] [--size-mb N] [--keep] | "
                         "--summary-only --file PATH [--read-ahead N]\n");
            return 2;
        }
    }
    if (only_summary) {
        if (file.empty()) {
            std::fprintf(stderr, "--summary-only needs --file PATH (e.g. a file kept by --keep)\n");
            return 2;
        }
        return summary_only(file, read_ahead);
    }
    const std::string path = dir + "/tunebench_bench_import.csv";
    auto t0 = std::chrono::steady_clock::now();
    const std::size_t rows = generate(path, size_mb << 20);
    const double file_mb = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
    std::printf("file %s: %.1f MB, %zu rows (generated in %.1f s)\n", path.c_str(), file_mb, rows,
                seconds_since(t0));
    const double rss_before = peak_rss_mb();

    t0 = std::chrono::steady_clock::now();
    {
        std::FILE* f = std::fopen(path.c_str(), "rb");
        std::string buffer(1 << 20, '\0');
        std::size_t total = 0;
        while (std::size_t got = std::fread(buffer.data(), 1, buffer.size(), f))
            total += got;
        std::fclose(f);
        if (total == 0)
            return 1;
    }
    const double raw_s = seconds_since(t0);

    t0 = std::chrono::steady_clock::now();
    int last_percent = -1;
    const tb::data::RowIndex index = tb::data::build_row_index(
        path, tb::data::TableFormat::Csv, [&](std::uint64_t done, std::uint64_t total) {
            const int percent = total ? static_cast<int>(100 * done / total) : 0;
            if (percent / 25 != last_percent / 25)
                std::fprintf(stderr, "  indexing %d%%\n", percent);
            last_percent = percent;
            return true;
        });
    const double index_s = seconds_since(t0);
    if (index.rows() != rows) {
        std::fprintf(stderr, "row count mismatch: index %zu, generated %zu\n", index.rows(), rows);
        return 1;
    }
    const double rss_index = peak_rss_mb();

    t0 = std::chrono::steady_clock::now();
    std::size_t validated = 0;
    for (std::size_t first = 0; first < index.rows(); first += 100000)
        validated += tb::data::read_rows(index, first, 100000).rows.size();
    const double validate_s = seconds_since(t0);

    t0 = std::chrono::steady_clock::now();
    const auto preview = tb::data::read_rows(index, 0, 100);
    const double preview_ms = seconds_since(t0) * 1e3;
    std::mt19937_64 engine(7);
    t0 = std::chrono::steady_clock::now();
    std::size_t batch_rows = 0;
    for (int b = 0; b < 1000; ++b)
        batch_rows += tb::data::read_rows(index, engine() % index.rows(), 32).rows.size();
    const double batch_ms = seconds_since(t0) * 1e3 / 1000.0;

    t0 = std::chrono::steady_clock::now();
    const tb::data::StreamingSummary summary =
        tb::data::summarize_rows(index, tb::data::StreamingSummaryOptions{});
    const double summary_s = seconds_since(t0);
    if (summary.rows != rows) {
        std::fprintf(stderr, "summary row count mismatch: %zu, generated %zu\n", summary.rows,
                     rows);
        return 1;
    }

    std::printf("raw read     %.0f MB/s (%.2f s)\n", file_mb / raw_s, raw_s);
    std::printf("index        %.0f MB/s (%.2f s), %zu rows, index/raw = %.2f\n", file_mb / index_s,
                index_s, index.rows(), raw_s / index_s);
    std::printf("validate     %.0f MB/s (%.2f s), %zu rows parsed in 100k-row batches\n",
                file_mb / validate_s, validate_s, validated);
    std::printf("preview      %.2f ms for %zu rows; random 32-row batch %.3f ms\n", preview_ms,
                preview.rows.size(), batch_ms);
    std::printf(
        "summary      %.0f MB/s (%.2f s), %zu examples, %zu duplicates (streaming "
        "validation report)\n",
        file_mb / summary_s, summary_s, summary.examples, summary.duplicates);
    std::printf(
        "peak RSS     %.0f MB after generation, %.0f MB after indexing, %.0f MB at end "
        "(%.2fx the file size)\n",
        rss_before, rss_index, peak_rss_mb(), peak_rss_mb() / file_mb);
    std::printf(
        "RESULT index_mb_s=%.0f validate_mb_s=%.0f summary_mb_s=%.0f peak_rss_mb=%.0f "
        "file_mb=%.0f\n",
        file_mb / index_s, file_mb / validate_s, file_mb / summary_s, peak_rss_mb(), file_mb);
    if (!keep)
        std::filesystem::remove(path);
    return batch_rows > 0 ? 0 : 1;
}
