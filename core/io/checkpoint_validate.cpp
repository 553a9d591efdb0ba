// Checks a Checkpoint before saving (see checkpoint_validate.h).
#include "io/checkpoint_validate.h"

#include <set>

#include "common/error.h"

namespace tb::io {
namespace {

Error invalid(const std::string& message, const std::string& key) {
    return Error(message, SourceLocation{{}, 0, 0, key});
}

// One HDF5 link name: '/' separates path components and "." means the group itself.
void check_component(const std::string& part, const std::string& section,
                     const std::string& full_name) {
    if (part.empty() || part == ".")
        throw invalid("invalid " + section + " name '" + full_name + "'", full_name);
    if (part.find('/') != std::string::npos)
        throw invalid(section + " name '" + full_name + "' must not contain '/'", full_name);
}

void check_tensor_bytes(const TensorBlob& tensor, const std::string& section) {
    std::int64_t numel = 1;
    for (std::int64_t d : tensor.shape) {
        if (d < 0)
            throw invalid(section + " tensor has a negative dimension", tensor.name);
        numel *= d;
    }
    const auto expected = static_cast<std::size_t>(numel) * dtype_size(tensor.dtype);
    if (tensor.bytes.size() != expected)
        throw invalid(section + " tensor holds " + std::to_string(tensor.bytes.size()) +
                          " bytes but its shape and dtype " + dtype_name(tensor.dtype) + " need " +
                          std::to_string(expected),
                      tensor.name);
}

void check_flat_tensors(const std::vector<TensorBlob>& tensors, const std::string& section) {
    std::set<std::string> seen;
    for (const auto& tensor : tensors) {
        check_component(tensor.name, section, tensor.name);
        if (!seen.insert(tensor.name).second)
            throw invalid("duplicate " + section + " tensor", tensor.name);
        check_tensor_bytes(tensor, section);
    }
}

void check_optimizer(const std::vector<TensorBlob>& tensors) {
    std::set<std::string> names;
    for (const auto& tensor : tensors) {
        const std::string& name = tensor.name;
        if (name.find('/') == std::string::npos)
            throw invalid("optimizer tensor name must be '<param>/<slot>'", name);
        std::size_t begin = 0;
        while (true) {
            const auto slash = name.find('/', begin);
            check_component(name.substr(begin, slash - begin), "optimizer", name);
            if (slash == std::string::npos)
                break;
            begin = slash + 1;
        }
        if (!names.insert(name).second)
            throw invalid("duplicate optimizer tensor", name);
        check_tensor_bytes(tensor, "optimizer");
    }
    // A name cannot be a dataset and, through a longer name, a group at the same time.
    for (const auto& name : names) {
        for (auto slash = name.find('/'); slash != std::string::npos;
             slash = name.find('/', slash + 1)) {
            if (names.count(name.substr(0, slash)) != 0)
                throw invalid("optimizer tensor '" + name.substr(0, slash) +
                                  "' is also the parent of '" + name + "'",
                              name);
        }
    }
}

void check_text(const std::vector<std::string>& values, const std::string& what) {
    for (std::size_t i = 0; i < values.size(); ++i)
        if (values[i].find('\0') != std::string::npos)
            throw invalid("entry " + std::to_string(i) + " contains a NUL character", what);
}

}  // namespace

void validate_checkpoint(const Checkpoint& checkpoint) {
    check_flat_tensors(checkpoint.model, "model");
    check_flat_tensors(checkpoint.rng, "rng");
    check_optimizer(checkpoint.optimizer);
    for (const auto& [series, values] : checkpoint.metrics) {
        (void)values;
        check_component(series, "metric series", series);
    }
    check_text(checkpoint.labels, "labels");
    check_text(checkpoint.vocab, "tokenizer/vocab");
    if (checkpoint.config_yaml.find('\0') != std::string::npos)
        throw invalid("the experiment YAML contains a NUL character", "config");
    for (const std::string* text :
         {&checkpoint.trainer.best_metric_name, &checkpoint.trainer.state, &checkpoint.created,
          &checkpoint.trainer.reason, &checkpoint.trainer.data_hash,
          &checkpoint.trainer.config_hash, &checkpoint.trainer.best_checkpoint})
        if (text->find('\0') != std::string::npos)
            throw invalid("text contains a NUL character", "trainer");
}

}  // namespace tb::io
