#include "train/text_row_source.h"

#include <algorithm>
#include <numeric>

#include "common/error.h"

namespace tb::train {

void TextRowSource::read_texts(const std::vector<std::uint32_t>& rows,
                               std::vector<std::string>& texts,
                               std::vector<std::string>& pairs) const {
    const bool paired = !text_pair_column.empty();
    texts.assign(rows.size(), std::string());
    pairs.assign(paired ? rows.size() : 0, std::string());
    // Ascending rows, so consecutive ones share one read and the file is read forwards.
    std::vector<std::size_t> order(rows.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return rows[a] < rows[b]; });
    std::size_t k = 0;
    while (k < order.size()) {
        const std::uint32_t first = rows[order[k]];
        std::size_t end = k + 1;  // rows[order[k .. end)]: first, first + 1, ... (repeats ok)
        while (end < order.size() && rows[order[end]] - rows[order[end - 1]] <= 1)
            ++end;
        const std::size_t count = rows[order[end - 1]] - first + 1;
        const data::Table table = data::read_rows(index, first, count);
        if (table.rows.size() != count)
            throw Error("the file changed since it was indexed for training: expected " +
                            std::to_string(count) + " rows from row " + std::to_string(first) +
                            ", read " + std::to_string(table.rows.size()),
                        SourceLocation{index.path, static_cast<long>(index.lines[first]), 0, ""});
        const std::size_t text_at = table.column_index(text_column);
        const std::size_t pair_at = paired ? table.column_index(text_pair_column) : 0;
        for (std::size_t j = k; j < end; ++j) {
            const auto& row = table.rows[rows[order[j]] - first];
            texts[order[j]] = row[text_at];
            if (paired)
                pairs[order[j]] = row[pair_at];
        }
        k = end;
    }
}

std::vector<text::Encoding> TextRowSource::encode_rows(
    const std::vector<std::uint32_t>& rows) const {
    std::vector<std::string> texts, pairs;
    read_texts(rows, texts, pairs);
    text::EncodeOptions options;
    options.max_length = max_length;
    // One thread: batches are encoded on the prefetcher's thread, next to the training step.
    if (text_pair_column.empty())
        return tokenizer->encode_batch(texts, options, /*num_threads=*/1);
    std::vector<std::pair<std::string, std::string>> both;
    both.reserve(texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i)
        both.emplace_back(std::move(texts[i]), std::move(pairs[i]));
    return tokenizer->encode_pair_batch(both, options, /*num_threads=*/1);
}

}  // namespace tb::train
