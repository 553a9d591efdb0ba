// Name-matching weight loader between safetensors files and LibTorch modules, and the reverse.
#include "model/weight_loading.h"

#include <cstring>
#include <map>
#include <set>

#include "common/error.h"

namespace tb::model {
namespace {

std::string shape_text(c10::IntArrayRef shape) {
    return tb::shape_text(shape.vec());
}

bool starts_with(const std::string& s, const std::string& prefix) {
    return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Buffers HF registers as non-persistent; older checkpoints still carry them.
bool is_ignorable_file_tensor(const std::string& name) {
    return ends_with(name, "embeddings.position_ids") ||
           ends_with(name, "embeddings.token_type_ids");
}

torch::Dtype to_torch_dtype(DType dtype) {
    switch (dtype) {
        case DType::F64:
            return torch::kFloat64;
        case DType::F32:
            return torch::kFloat32;
        case DType::F16:
            return torch::kFloat16;
        case DType::BF16:
            return torch::kBFloat16;
        case DType::I64:
            return torch::kInt64;
        case DType::I32:
            return torch::kInt32;
        case DType::I16:
            return torch::kInt16;
        case DType::I8:
            return torch::kInt8;
        case DType::U8:
            return torch::kUInt8;
        case DType::Bool:
            return torch::kBool;
    }
    throw Error("unknown dtype");
}

DType from_torch_dtype(torch::Dtype dtype, const std::string& name) {
    switch (dtype) {
        case torch::kFloat64:
            return DType::F64;
        case torch::kFloat32:
            return DType::F32;
        case torch::kFloat16:
            return DType::F16;
        case torch::kBFloat16:
            return DType::BF16;
        case torch::kInt64:
            return DType::I64;
        case torch::kInt32:
            return DType::I32;
        case torch::kInt16:
            return DType::I16;
        case torch::kInt8:
            return DType::I8;
        case torch::kUInt8:
            return DType::U8;
        case torch::kBool:
            return DType::Bool;
        default:
            break;
    }
    throw Error(
        std::string("tensor dtype ") + c10::toString(dtype) + " cannot be stored in safetensors",
        SourceLocation{{}, 0, 0, name});
}

struct FileTensor {
    const SafetensorsFile* file;
    const SafetensorsEntry* entry;
};

}  // namespace

std::string LoadReport::summary() const {
    std::string out = "loaded " + std::to_string(loaded.size()) + " tensors";
    auto section = [&out](const char* title, const std::vector<std::string>& items) {
        if (items.empty())
            return;
        out += "\n" + std::to_string(items.size()) + " " + title + ":";
        for (const auto& item : items)
            out += "\n  " + item;
    };
    section("missing (left at their initial values)", missing);
    section("with mismatched shapes", mismatched);
    section("unexpected (ignored)", unexpected);
    return out;
}

LoadReport load_weights(torch::nn::Module& module, const SafetensorsFile& file,
                        const std::string& prefix,
                        const std::vector<std::string>& allowed_missing_prefixes) {
    std::vector<SafetensorsFile> files{file};
    return load_weights(module, files, prefix, allowed_missing_prefixes);
}

LoadReport load_weights(torch::nn::Module& module, const std::vector<SafetensorsFile>& files,
                        const std::string& prefix,
                        const std::vector<std::string>& allowed_missing_prefixes) {
    std::map<std::string, FileTensor> in_file;
    for (const auto& f : files)
        for (const auto& e : f.entries())
            in_file.emplace(e.name, FileTensor{&f, &e});

    auto is_allowed = [&](const std::string& name) {
        for (const auto& p : allowed_missing_prefixes)
            if (starts_with(name, p))
                return true;
        return false;
    };
    auto lookup = [&](const std::string& name) -> const FileTensor* {
        auto it = in_file.find(name);
        if (it == in_file.end() && !prefix.empty()) {
            it = starts_with(name, prefix) ? in_file.find(name.substr(prefix.size()))
                                           : in_file.find(prefix + name);
        }
        return it == in_file.end() ? nullptr : &it->second;
    };

    std::vector<std::pair<std::string, torch::Tensor>> targets;
    for (const auto& item : module.named_parameters(/*recurse=*/true))
        targets.emplace_back(item.key(), item.value());
    for (const auto& item : module.named_buffers(/*recurse=*/true))
        targets.emplace_back(item.key(), item.value());

    LoadReport report;
    std::vector<std::string> fatal;
    std::string first_fatal_name;
    std::set<std::string> used;
    torch::NoGradGuard no_grad;
    for (auto& [name, target] : targets) {
        const FileTensor* source = lookup(name);
        if (!source) {
            std::string line = name + " " + shape_text(target.sizes());
            report.missing.push_back(line);
            if (!is_allowed(name)) {
                fatal.push_back("missing: " + line);
                if (first_fatal_name.empty())
                    first_fatal_name = name;
            }
            continue;
        }
        used.insert(source->entry->name);
        const auto& file_shape = source->entry->shape;
        if (c10::IntArrayRef(file_shape) != target.sizes()) {
            std::string line = name + ": file " + shape_text(file_shape) + " vs model " +
                               shape_text(target.sizes());
            report.mismatched.push_back(line);
            if (!is_allowed(name)) {
                fatal.push_back("shape mismatch: " + line);
                if (first_fatal_name.empty())
                    first_fatal_name = name;
            }
            continue;
        }
        if (!fatal.empty())
            continue;  // the load fails anyway; skip the reads
        torch::Tensor value = to_torch(source->file->read(source->entry->name));
        target.copy_(value.to(target.device(), target.scalar_type()));
        report.loaded.push_back(name);
    }
    for (const auto& [name, source] : in_file)
        if (!used.count(name) && !is_ignorable_file_tensor(name))
            report.unexpected.push_back(name + " " + shape_text(source.entry->shape));

    if (!fatal.empty()) {
        std::string message = std::to_string(fatal.size()) +
                              " model tensor(s) could not be loaded from the weights file "
                              "(does the folder hold a different architecture or size?):";
        for (const auto& line : fatal)
            message += "\n  " + line;
        SourceLocation where;
        where.file = files.empty() ? std::string() : files.front().path();
        where.key = first_fatal_name;
        throw Error(message, where);
    }
    return report;
}

torch::Tensor to_torch(const TensorBlob& blob) {
    const std::int64_t numel = blob.numel();
    if (numel < 0 ||
        static_cast<std::uint64_t>(numel) * dtype_size(blob.dtype) != blob.bytes.size())
        throw Error("tensor holds " + std::to_string(blob.bytes.size()) +
                        " bytes, which does not "
                        "match " +
                        dtype_name(blob.dtype) + " " + shape_text(blob.shape),
                    SourceLocation{{}, 0, 0, blob.name});
    auto tensor = torch::empty(blob.shape, torch::dtype(to_torch_dtype(blob.dtype)));
    if (!blob.bytes.empty())
        std::memcpy(tensor.data_ptr(), blob.bytes.data(), blob.bytes.size());
    return tensor;
}

TensorBlob from_torch(const std::string& name, const torch::Tensor& tensor) {
    TensorBlob blob;
    blob.name = name;
    blob.dtype = from_torch_dtype(tensor.scalar_type(), name);
    const auto cpu = tensor.detach().to(torch::kCPU).contiguous();
    blob.shape.assign(cpu.sizes().begin(), cpu.sizes().end());
    blob.bytes.resize(cpu.numel() * cpu.element_size());
    if (!blob.bytes.empty())
        std::memcpy(blob.bytes.data(), cpu.data_ptr(), blob.bytes.size());
    return blob;
}

void save_module_safetensors(torch::nn::Module& module, const std::string& path,
                             const std::string& strip_prefix,
                             std::map<std::string, std::string> metadata) {
    std::vector<TensorBlob> blobs;
    auto add = [&](const std::string& name, const torch::Tensor& t) {
        std::string stored = name;
        if (!strip_prefix.empty() && starts_with(stored, strip_prefix))
            stored = stored.substr(strip_prefix.size());
        blobs.push_back(from_torch(stored, t));
    };
    for (const auto& item : module.named_parameters(/*recurse=*/true))
        add(item.key(), item.value());
    for (const auto& item : module.named_buffers(/*recurse=*/true))
        add(item.key(), item.value());
    metadata["format"] = "pt";
    write_safetensors(path, blobs, metadata);
}

}  // namespace tb::model
