// How LibTorch keys an optimizer's per-parameter state, for code that reads or creates it.
#pragma once

#include <sstream>
#include <string>
#include <type_traits>

#include <torch/torch.h>

namespace tb::train {

// LibTorch keys optimizer state by the parameter's TensorImpl: as its address printed to a
// string in 1.x, as the pointer itself in later versions. Works with either key type.
template <typename StateMap>
typename StateMap::key_type state_key(const StateMap&, const torch::Tensor& tensor) {
    using Key = typename StateMap::key_type;
    if constexpr (std::is_same_v<Key, std::string>) {
        std::ostringstream text;
        text << tensor.unsafeGetTensorImpl();
        return text.str();
    } else {
        return static_cast<Key>(tensor.unsafeGetTensorImpl());
    }
}

}  // namespace tb::train
