#include "model/attention_matmul.h"

#include <dlfcn.h>

#include <algorithm>
#include <mutex>
#include <thread>
#include <vector>

namespace tb::model {
namespace {

// OpenBLAS's thread count, looked up at run time: LibTorch reaches BLAS through libblas.so.3,
// which may or may not be OpenBLAS.
struct BlasThreads {
    using Set = void (*)(int);
    using Get = int (*)();
    Set set = nullptr;
    Get get = nullptr;
    BlasThreads() {
        set = reinterpret_cast<Set>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
        get = reinterpret_cast<Get>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
    }
    bool available() const { return set != nullptr && get != nullptr; }
};

const BlasThreads& blas_threads() {
    static const BlasThreads threads;
    return threads;
}

int worker_count() {
    static const int count = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    return count;
}

// Only one parallel product at a time changes the BLAS thread count (two trainers in one
// process, e.g. tests, must not restore each other's setting half way).
std::mutex& blas_mutex() {
    static std::mutex m;
    return m;
}

bool parallel_path(const torch::Tensor& a, const torch::Tensor& b) {
    return a.device().is_cpu() && b.device().is_cpu() && a.scalar_type() == torch::kFloat &&
           b.scalar_type() == torch::kFloat && a.dim() >= 3 && a.dim() == b.dim() &&
           a.numel() / (a.size(-1) * a.size(-2)) >= 2 && worker_count() >= 2 &&
           blas_threads().available();
}

// [..., M, K] x [..., K, N] without autograd, the matrices split over worker_count() threads.
torch::Tensor split_bmm(const torch::Tensor& a, const torch::Tensor& b) {
    const auto m = a.size(-2), k = a.size(-1), n = b.size(-1);
    auto batch_shape = a.sizes().vec();
    batch_shape.resize(batch_shape.size() - 2);
    const auto a3 = a.reshape({-1, m, k});
    const auto b3 = b.reshape({-1, k, n});
    const std::int64_t count = a3.size(0);
    auto out = torch::empty({count, m, n}, a.options());
    const int threads = static_cast<int>(std::min<std::int64_t>(worker_count(), count));
    auto work = [&](int t) {
        torch::NoGradGuard no_grad;  // grad mode is per thread; `out=` ops refuse autograd
        for (std::int64_t i = count * t / threads; i < count * (t + 1) / threads; ++i) {
            auto slice = out[i];
            torch::mm_out(slice, a3[i], b3[i]);
        }
    };
    {
        std::lock_guard<std::mutex> lock(blas_mutex());
        const auto& blas = blas_threads();
        const int saved = blas.get();
        blas.set(1);
        std::vector<std::thread> helpers;
        for (int t = 1; t < threads; ++t)
            helpers.emplace_back(work, t);
        work(0);
        for (auto& h : helpers)
            h.join();
        blas.set(saved);
    }
    batch_shape.push_back(m);
    batch_shape.push_back(n);
    return out.view(batch_shape);
}

class AttentionMatmul : public torch::autograd::Function<AttentionMatmul> {
public:
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& a,
                                 const torch::Tensor& b) {
        ctx->save_for_backward({a, b});
        return split_bmm(a, b);
    }

    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::tensor_list grads) {
        const auto saved = ctx->get_saved_variables();
        const auto& a = saved[0];
        const auto& b = saved[1];
        const auto& g = grads[0];
        torch::Tensor grad_a, grad_b;
        if (ctx->needs_input_grad(0))
            grad_a = split_bmm(g, b.transpose(-1, -2));
        if (ctx->needs_input_grad(1))
            grad_b = split_bmm(a.transpose(-1, -2), g);
        return {grad_a, grad_b};
    }
};

}  // namespace

torch::Tensor attention_matmul(const torch::Tensor& a, const torch::Tensor& b) {
    if (!parallel_path(a, b))
        return torch::matmul(a, b);
    return AttentionMatmul::apply(a, b);
}

}  // namespace tb::model
