// Checks a Checkpoint before saving, so invalid content fails before any byte reaches the disk.
#pragma once

#include "io/checkpoint.h"

namespace tb::io {

// Throws tb::Error (key = the offending tensor, series or list) when:
//  - a model, rng or metric name is empty, is ".", or contains '/' (it would nest groups);
//  - an optimizer name is not "<param>/<slot>[/...]" with non-empty parts, or is both a
//    dataset and a group prefix of another name ("a/b" and "a/b/c");
//  - a name repeats within its section;
//  - a shape has a negative dimension or bytes.size() != numel * dtype_size;
//  - config YAML, a label or a vocab entry contains a NUL character.
void validate_checkpoint(const Checkpoint& checkpoint);

}  // namespace tb::io
