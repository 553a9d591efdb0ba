#include "train/batching.h"

#include <algorithm>
#include <cstring>

#include "train/image_source.h"
#include "train/text_row_source.h"

namespace tb::train {
namespace {

Batch collate_images(const EncodedSplit& split, const std::vector<std::size_t>& indices,
                     const torch::Device& device, std::int64_t epoch) {
    const ImageSource& source = *split.images;
    const auto batch = static_cast<std::int64_t>(indices.size());
    const auto& t = source.transform;
    auto images = torch::empty({batch, t.channels, t.height, t.width}, torch::kFloat);
    auto labels = torch::empty({batch}, torch::kInt64);
    float* out = images.data_ptr<float>();
    auto* labels_p = labels.data_ptr<std::int64_t>();
    const std::size_t n = source.value_count();
    const std::int64_t augment_epoch = split.augment ? epoch : -1;
    for (std::int64_t b = 0; b < batch; ++b) {
        const std::size_t i = indices[static_cast<std::size_t>(b)];
        const auto values = source.values(split.image_ids[i], augment_epoch);
        std::memcpy(out + static_cast<std::size_t>(b) * n, values.data(), n * sizeof(float));
        labels_p[b] = split.labels[i];
    }
    Batch result;
    result.images = images.to(device);
    result.labels = labels.to(device);
    return result;
}

// Streamed text: the batch's rows read by offset and tokenized now, padded exactly as the
// in-memory path pads the stored ids (token types only for sentence pairs).
Batch collate_text_rows(const EncodedSplit& split, const std::vector<std::size_t>& indices,
                        std::int64_t pad_id, const torch::Device& device) {
    const TextRowSource& source = *split.text_rows;
    std::vector<std::uint32_t> rows;
    rows.reserve(indices.size());
    for (auto i : indices)
        rows.push_back(split.row_ids[i]);
    const auto encodings = source.encode_rows(rows);
    const auto batch = static_cast<std::int64_t>(indices.size());
    std::size_t longest = 1;
    for (const auto& e : encodings)
        longest = std::max(longest, e.input_ids.size());
    const auto width = static_cast<std::int64_t>(longest);
    auto ids = torch::full({batch, width}, pad_id, torch::kInt64);
    auto mask = torch::zeros({batch, width}, torch::kInt64);
    auto types = torch::zeros({batch, width}, torch::kInt64);
    auto labels = torch::empty({batch}, torch::kInt64);
    auto* ids_p = ids.data_ptr<std::int64_t>();
    auto* mask_p = mask.data_ptr<std::int64_t>();
    auto* types_p = types.data_ptr<std::int64_t>();
    auto* labels_p = labels.data_ptr<std::int64_t>();
    const bool typed = !source.text_pair_column.empty();
    for (std::int64_t b = 0; b < batch; ++b) {
        const auto& e = encodings[static_cast<std::size_t>(b)];
        std::copy(e.input_ids.begin(), e.input_ids.end(), ids_p + b * width);
        std::fill(mask_p + b * width,
                  mask_p + b * width + static_cast<std::int64_t>(e.input_ids.size()), 1);
        if (typed)
            std::copy(e.token_type_ids.begin(), e.token_type_ids.end(), types_p + b * width);
        labels_p[b] = split.labels[indices[static_cast<std::size_t>(b)]];
    }
    Batch out;
    out.input_ids = ids.to(device);
    out.attention_mask = mask.to(device);
    out.token_type_ids = types.to(device);
    out.labels = labels.to(device);
    return out;
}

torch::Tensor moved(const torch::Tensor& t, const torch::Device& device) {
    return t.defined() ? t.to(device) : t;
}

}  // namespace

Batch to_device(const Batch& batch, const torch::Device& device) {
    Batch out;
    out.input_ids = moved(batch.input_ids, device);
    out.attention_mask = moved(batch.attention_mask, device);
    out.token_type_ids = moved(batch.token_type_ids, device);
    out.images = moved(batch.images, device);
    out.labels = moved(batch.labels, device);
    return out;
}

Batch collate(const EncodedSplit& split, const std::vector<std::size_t>& indices,
              std::int64_t pad_id, const torch::Device& device, std::int64_t epoch) {
    if (split.images)
        return collate_images(split, indices, device, epoch);
    if (split.text_rows)
        return collate_text_rows(split, indices, pad_id, device);
    const auto batch = static_cast<std::int64_t>(indices.size());
    std::size_t longest = 1;
    for (auto i : indices)
        longest = std::max(longest, split.input_ids[i].size());
    const auto width = static_cast<std::int64_t>(longest);

    auto ids = torch::full({batch, width}, pad_id, torch::kInt64);
    auto mask = torch::zeros({batch, width}, torch::kInt64);
    auto types = torch::zeros({batch, width}, torch::kInt64);
    auto* types_p = types.data_ptr<std::int64_t>();
    const bool typed = !split.token_type_ids.empty();
    auto labels = torch::empty({batch}, torch::kInt64);
    auto* ids_p = ids.data_ptr<std::int64_t>();
    auto* mask_p = mask.data_ptr<std::int64_t>();
    auto* labels_p = labels.data_ptr<std::int64_t>();
    for (std::int64_t b = 0; b < batch; ++b) {
        const auto& seq = split.input_ids[indices[b]];
        std::copy(seq.begin(), seq.end(), ids_p + b * width);
        std::fill(mask_p + b * width, mask_p + b * width + static_cast<std::int64_t>(seq.size()),
                  1);
        if (typed) {
            const auto& t = split.token_type_ids[indices[b]];
            std::copy(t.begin(), t.end(), types_p + b * width);
        }
        labels_p[b] = split.labels[indices[b]];
    }
    Batch out;
    out.input_ids = ids.to(device);
    out.attention_mask = mask.to(device);
    out.token_type_ids = types.to(device);
    if (!split.targets.empty()) {  // multi-label: float 0/1 [batch, labels]
        const auto k = static_cast<std::int64_t>(split.targets.front().size());
        auto targets = torch::empty({batch, k}, torch::kFloat);
        auto* t_p = targets.data_ptr<float>();
        for (std::int64_t b = 0; b < batch; ++b)
            std::copy(split.targets[indices[b]].begin(), split.targets[indices[b]].end(),
                      t_p + b * k);
        labels = targets;
    } else if (!split.values.empty()) {  // regression: float64 [batch], normalised by the head
        auto values = torch::empty({batch}, torch::kDouble);
        for (std::int64_t b = 0; b < batch; ++b)
            values.data_ptr<double>()[b] = split.values[indices[b]];
        labels = values;
    } else if (!split.token_labels.empty()) {  // token classification: [batch, longest], -100
        auto tokens = torch::full({batch, width}, std::int64_t{-100}, torch::kInt64);
        auto* t_p = tokens.data_ptr<std::int64_t>();
        for (std::int64_t b = 0; b < batch; ++b)
            std::copy(split.token_labels[indices[b]].begin(), split.token_labels[indices[b]].end(),
                      t_p + b * width);
        labels = tokens;
    }
    out.labels = labels.to(device);
    return out;
}

}  // namespace tb::train
