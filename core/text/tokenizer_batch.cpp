// Batch encoding on several threads and padding.
#include "text/tokenizer_batch.h"

#include <algorithm>
#include <exception>
#include <system_error>
#include <thread>

#include "text/tokenizer.h"

namespace tb::text {

namespace {

// A batch is worth a thread per this many texts (thread start-up costs ~tens of microseconds,
// one short text costs a few).
constexpr std::size_t kTextsPerThread = 64;

}  // namespace

void pad_encoding(Encoding& enc, std::size_t length, std::int64_t pad_id) {
    if (enc.input_ids.size() >= length) {
        return;
    }
    enc.input_ids.resize(length, pad_id);
    enc.attention_mask.resize(length, 0);
    enc.token_type_ids.resize(length, 0);
    enc.offsets.resize(length, TokenSpan{});
    enc.word_ids.resize(length, -1);
    enc.sequence_ids.resize(length, -1);
}

void run_batch(std::size_t n, std::size_t num_threads,
               const std::function<void(std::size_t)>& encode_one) {
    std::size_t threads = num_threads;
    if (threads == 0) {
        const std::size_t hardware = std::max(1u, std::thread::hardware_concurrency());
        threads = std::min(hardware, (n + kTextsPerThread - 1) / kTextsPerThread);
    }
    threads = std::min(threads, n);
    if (threads <= 1) {
        for (std::size_t i = 0; i < n; ++i) {
            encode_one(i);
        }
        return;
    }
    std::vector<std::exception_ptr> errors(threads);
    const std::size_t chunk = (n + threads - 1) / threads;
    auto run_chunk = [&](std::size_t t) {
        const std::size_t begin = std::min(n, t * chunk);
        const std::size_t end = std::min(n, begin + chunk);
        try {
            for (std::size_t i = begin; i < end; ++i) {
                encode_one(i);
            }
        } catch (...) {
            errors[t] = std::current_exception();
        }
    };
    std::vector<std::thread> workers;
    workers.reserve(threads - 1);
    for (std::size_t t = 0; t + 1 < threads; ++t) {
        try {
            workers.emplace_back(run_chunk, t);
        } catch (const std::system_error&) {
            run_chunk(t);  // no thread available: do it here
        }
    }
    run_chunk(threads - 1);
    for (auto& worker : workers) {
        worker.join();
    }
    for (const auto& error : errors) {
        if (error) {
            std::rethrow_exception(error);
        }
    }
}

void pad_batch(std::vector<Encoding>& out, const EncodeOptions& options, std::int64_t pad_id) {
    if (options.padding != Padding::ToLongest) {
        return;
    }
    std::size_t longest = 0;
    for (const auto& enc : out) {
        longest = std::max(longest, enc.input_ids.size());
    }
    for (auto& enc : out) {
        pad_encoding(enc, longest, pad_id);
    }
}

std::vector<Encoding> Tokenizer::encode_batch(const std::vector<std::string>& texts,
                                              const EncodeOptions& options,
                                              std::size_t num_threads) const {
    std::vector<Encoding> out(texts.size());
    run_batch(texts.size(), num_threads,
              [&](std::size_t i) { out[i] = encode(texts[i], options); });
    pad_batch(out, options, pad_id_ >= 0 ? pad_id_ : 0);
    return out;
}

std::vector<Encoding> Tokenizer::encode_pair_batch(
    const std::vector<std::pair<std::string, std::string>>& pairs, const EncodeOptions& options,
    std::size_t num_threads) const {
    std::vector<Encoding> out(pairs.size());
    run_batch(pairs.size(), num_threads, [&](std::size_t i) {
        out[i] = encode_pair(pairs[i].first, pairs[i].second, options);
    });
    pad_batch(out, options, pad_id_ >= 0 ? pad_id_ : 0);
    return out;
}

}  // namespace tb::text
