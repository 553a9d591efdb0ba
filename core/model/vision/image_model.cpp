// Helpers shared by every image model.
#include "model/vision/image_model.h"

namespace tb::model::vision {

std::int64_t parameter_count(torch::nn::Module& module) {
    std::int64_t count = 0;
    for (const auto& p : module.parameters(/*recurse=*/true))
        count += p.numel();
    return count;
}

}  // namespace tb::model::vision
