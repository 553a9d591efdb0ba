// libFuzzer target: the pickle reader behind TorchScript parameter counts (model/torch_pickle.h)
// reads any bytes into a tree or throws tb::Error; it never calls, crashes or recurses away.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "common/error.h"
#include "model/torch_pickle.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string content(reinterpret_cast<const char*>(data), size);
    try {
        const auto tree = tb::model::pickle::parse(content, "fuzz.pkl");
        if (!tree.root)
            std::abort();
        for (const auto& node : tree.nodes)
            if (node->kind == tb::model::pickle::Value::Kind::Tensor && node->numel() < 0)
                std::abort();
    } catch (const tb::Error&) {
    }
    return 0;
}
