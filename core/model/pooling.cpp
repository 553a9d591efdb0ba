// Pooling of encoder outputs for sequence-level heads.
#include "model/pooling.h"

#include "common/error.h"
#include "common/tensor_blob.h"

namespace tb::model {

torch::Tensor masked_mean_pooling(const torch::Tensor& hidden, const torch::Tensor& mask) {
    if (hidden.dim() != 3)
        throw Error("hidden states must be [batch, seq, hidden], got " +
                    shape_text(hidden.sizes().vec()));
    if (!mask.defined())
        return hidden.mean(1);
    if (mask.dim() != 2 || mask.size(0) != hidden.size(0) || mask.size(1) != hidden.size(1))
        throw Error("attention mask " + shape_text(mask.sizes().vec()) +
                    " does not match hidden states " + shape_text(hidden.sizes().vec()));
    const auto m = mask.to(hidden.scalar_type()).unsqueeze(-1);  // [batch, seq, 1]
    const auto summed = (hidden * m).sum(1);
    const auto counts = m.sum(1).clamp_min(1e-9);
    return summed / counts;
}

torch::Tensor pool(Pooling pooling, const torch::Tensor& last_hidden_state,
                   const torch::Tensor& attention_mask, const torch::Tensor& pooled) {
    switch (pooling) {
        case Pooling::Pooler:
            if (!pooled.defined())
                throw Error(
                    "this encoder has no pooler output (DistilBERT and RoBERTa have none); "
                    "choose pooling 'cls' or 'mean'",
                    SourceLocation{{}, 0, 0, "model.pooling"});
            return pooled;
        case Pooling::Cls:
            return last_hidden_state.select(/*dim=*/1, /*index=*/0);
        case Pooling::Mean:
            return masked_mean_pooling(last_hidden_state, attention_mask);
    }
    throw Error("unknown pooling");
}

}  // namespace tb::model
