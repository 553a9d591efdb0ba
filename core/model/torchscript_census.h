// Counts a TorchScript archive's parameters from its files, without loading or running it.
#pragma once

#include <cstdint>
#include <string>

namespace tb::model {

struct TorchScriptCensus {
    std::int64_t parameters = 0;         // elements of the tensors declared as parameters
    std::int64_t parameter_tensors = 0;  // how many such tensors (shared ones once)
    std::int64_t buffer_elements = 0;    // elements of other tensors held by modules
    std::int64_t modules = 0;            // module objects in the tree
};

// Reads the archive's data.pkl (the module tree, with each tensor's shape) through a pickle
// reader that imports and calls nothing, and its code/ files as text for each class's
// `__parameters__` declaration (the file's code is never compiled or run). A tensor counts as
// a parameter when its module's class declares it so, as Module.parameters() would; buffers
// (batch-norm statistics, registered constants) do not. Throws tb::Error when the archive, the
// pickle or a class declaration cannot be read: the count is then unknown.
TorchScriptCensus census_torchscript(const std::string& path);

}  // namespace tb::model
