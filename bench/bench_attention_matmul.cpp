// Benchmark: the two attention products of a BERT layer (scores = q k^T, context = p v), forward
// and backward, with tunebench's attention_matmul against torch::matmul in the same run.
// Arguments: batch heads seq head_size reps (default: the 4 x 256 benchmark model's layer,
// 32 8 128 32, 10 repetitions).
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include <torch/torch.h>

#include "model/attention_matmul.h"

namespace {

template <typename Product>
double ms_per_layer(Product product, const torch::Tensor& q, const torch::Tensor& k,
                    const torch::Tensor& v, int reps) {
    auto once = [&] {
        auto qq = q.detach().requires_grad_();
        auto kk = k.detach().requires_grad_();
        auto vv = v.detach().requires_grad_();
        auto probs = torch::softmax(product(qq, kk.transpose(-1, -2)), -1);
        product(probs, vv).sum().backward();
    };
    once();
    const auto start = std::chrono::steady_clock::now();
    for (int r = 0; r < reps; ++r)
        once();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
               .count() /
           reps;
}

}  // namespace

int main(int argc, char** argv) {
    auto arg = [&](int i, long fallback) { return argc > i ? std::atol(argv[i]) : fallback; };
    const long batch = arg(1, 32), heads = arg(2, 8), seq = arg(3, 128), size = arg(4, 32);
    const int reps = static_cast<int>(arg(5, 10));
    torch::manual_seed(0);
    // As attention has them: views of one [batch, seq, 3, heads, size] projection.
    const auto qkv = torch::randn({batch, seq, 3, heads, size}).permute({2, 0, 3, 1, 4});
    const auto q = qkv[0], k = qkv[1], v = qkv[2];
    const double ours = ms_per_layer(tb::model::attention_matmul, q, k, v, reps);
    const double stock = ms_per_layer(
        [](const torch::Tensor& a, const torch::Tensor& b) { return torch::matmul(a, b); }, q, k, v,
        reps);
    std::printf(
        "attention products, forward + backward, batch=%ld heads=%ld seq=%ld head_size=%ld: "
        "attention_matmul %.2f ms, torch::matmul %.2f ms, ratio %.2f (above 1: faster)\n",
        batch, heads, seq, size, ours, stock, stock / ours);
    return 0;
}
