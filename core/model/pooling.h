// Sentence vectors from encoder hidden states: CLS token, encoder pooler output, masked mean.
#pragma once

#include <torch/torch.h>

#include "model/task_catalog.h"

namespace tb::model {

// Mean over the tokens whose mask is non-zero: sum(h * m) / max(sum(m), 1e-9), as
// sentence-transformers computes it (a row with no real token gives zeros, not NaN).
// hidden [batch, seq, hidden]; mask [batch, seq] of any numeric/bool dtype (undefined = all
// ones). Returns [batch, hidden] in hidden's dtype. Throws tb::Error for mismatched shapes.
torch::Tensor masked_mean_pooling(const torch::Tensor& hidden, const torch::Tensor& mask);

// One vector per sequence by `pooling`. Pooling::Pooler needs `pooled` ([batch, hidden], the
// encoder's pooler output) and throws tb::Error naming the alternatives when it is undefined
// (DistilBERT and RoBERTa-family task heads have no pooler: use cls or mean).
torch::Tensor pool(Pooling pooling, const torch::Tensor& last_hidden_state,
                   const torch::Tensor& attention_mask, const torch::Tensor& pooled);

}  // namespace tb::model
