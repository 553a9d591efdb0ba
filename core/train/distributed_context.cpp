#include "train/distributed_context.h"

#include <cstdlib>
#include <map>
#include <tuple>

#include <torch/torch.h>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

// A backend is used only where LibTorch was built with it (its macro) and its own headers are
// on the include path: Debian's libgloo-dev; nccl.h from CUDA or the nvidia-nccl pip package.
#if defined(USE_C10D_GLOO) && __has_include(<gloo/config.h>)
#define TB_HAVE_GLOO 1
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#if defined(USE_C10D_NCCL) && __has_include(<nccl.h>)
#define TB_HAVE_NCCL 1
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include "common/error.h"

namespace tb::train {
namespace {

// LibTorch 2.x moved the collectives from ProcessGroup into Backend, which Gloo and NCCL
// now derive from; the calls themselves are unchanged.
#if TORCH_VERSION_MAJOR >= 2
using Collectives = c10d::Backend;
#else
using Collectives = c10d::ProcessGroup;
#endif

bool is_loopback(const std::string& host) {
    return host == "localhost" || host.rfind("127.", 0) == 0 || host == "::1";
}

#ifdef TB_HAVE_GLOO
// Which network interface Gloo's peers talk over. GLOO_SOCKET_IFNAME (as in PyTorch) names
// interfaces explicitly; a loopback rendezvous means every rank is on this machine; otherwise
// the address this machine's host name resolves to.
std::vector<std::shared_ptr<::gloo::transport::Device>> gloo_devices(const DistributedEnv& env) {
    std::vector<std::shared_ptr<::gloo::transport::Device>> devices;
    if (const char* names = std::getenv("GLOO_SOCKET_IFNAME"); names && *names) {
        std::string list = names;
        std::size_t start = 0;
        while (start <= list.size()) {
            auto comma = list.find(',', start);
            if (comma == std::string::npos)
                comma = list.size();
            if (comma > start)
                devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(
                    list.substr(start, comma - start)));
            start = comma + 1;
        }
    } else if (is_loopback(env.master_addr)) {
        devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
    } else {
        devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
    }
    return devices;
}
#endif

// Tensors of one dtype and device, flattened into one buffer for a single collective.
struct Bucket {
    std::vector<at::Tensor> members;
    std::int64_t bytes = 0;
    at::Tensor flat;
};

std::vector<Bucket> make_buckets(const std::vector<at::Tensor>& tensors, std::size_t limit) {
    std::vector<Bucket> buckets;
    std::map<std::tuple<int, int, int>, std::size_t> open;  // (dtype, device) -> bucket
    for (const auto& t : tensors) {
        if (!t.defined() || t.numel() == 0)
            continue;
        const auto key =
            std::make_tuple(static_cast<int>(t.scalar_type()), static_cast<int>(t.device().type()),
                            static_cast<int>(t.device().index()));
        const auto bytes = static_cast<std::int64_t>(t.numel() * t.element_size());
        auto it = open.find(key);
        if (it == open.end() ||
            buckets[it->second].bytes + bytes > static_cast<std::int64_t>(limit)) {
            buckets.emplace_back();
            it = open.insert_or_assign(key, buckets.size() - 1).first;
        }
        buckets[it->second].members.push_back(t);
        buckets[it->second].bytes += bytes;
    }
    for (auto& b : buckets) {
        // A lone contiguous tensor is reduced in place: no copies at all.
        if (b.members.size() == 1 && b.members[0].is_contiguous()) {
            b.flat = b.members[0];
            continue;
        }
        std::vector<at::Tensor> views;
        views.reserve(b.members.size());
        for (const auto& m : b.members)
            views.push_back(m.reshape({-1}));
        b.flat = torch::cat(views);
    }
    return buckets;
}

void copy_back(Bucket& b) {
    if (b.members.size() == 1 && b.flat.is_same(b.members[0]))
        return;
    torch::NoGradGuard no_grad;
    std::int64_t offset = 0;
    for (auto& m : b.members) {
        m.copy_(b.flat.narrow(0, offset, m.numel()).view(m.sizes()));
        offset += m.numel();
    }
}

}  // namespace

struct DistributedContext::Impl {
    DistributedEnv env;
    DistributedOptions options;
    std::string backend = "none";
    c10::Device device{c10::kCPU};
    c10::intrusive_ptr<c10d::Store> store;
    c10::intrusive_ptr<Collectives> group;

    // Waits for a collective; a failure (peer gone, timeout) becomes a user-facing error.
    void wait(const c10::intrusive_ptr<c10d::Work>& work, const char* what) {
        try {
            work->wait(options.timeout);
        } catch (const std::exception& e) {
            throw Error(std::string(what) + " across " + std::to_string(env.world_size) +
                            " processes failed on rank " + std::to_string(env.rank) +
                            " (a peer stopped, or did not answer within " +
                            std::to_string(options.timeout.count() / 1000) + " s): " + e.what(),
                        SourceLocation{"", 0, 0, ""});
        }
    }

    // CPU for Gloo; NCCL only reduces tensors on this rank's GPU.
    at::Tensor scalar_tensor(const at::Tensor& cpu) const {
        return backend == "nccl" ? cpu.to(device) : cpu;
    }
};

DistributedContext::DistributedContext() : impl_(std::make_unique<Impl>()) {}
DistributedContext::~DistributedContext() = default;
DistributedContext::DistributedContext(DistributedContext&&) noexcept = default;
DistributedContext& DistributedContext::operator=(DistributedContext&&) noexcept = default;

std::vector<std::string> DistributedContext::available_backends() {
    std::vector<std::string> out;
#ifdef TB_HAVE_GLOO
    out.push_back("gloo");
#endif
#ifdef TB_HAVE_NCCL
    out.push_back("nccl");
#endif
    return out;
}

DistributedContext DistributedContext::connect(const DistributedEnv& env, const c10::Device& device,
                                               const DistributedOptions& options) {
    DistributedContext ctx;
    auto& impl = *ctx.impl_;
    impl.env = env;
    impl.options = options;
    impl.device = device;
    if (!env.is_distributed())
        return ctx;

    std::string backend = options.backend;
    if (backend == "auto")
        backend = device.is_cuda() ? "nccl" : "gloo";
    if (backend != "gloo" && backend != "nccl")
        throw Error("unknown distributed backend '" + backend + "'; use auto, gloo or nccl",
                    SourceLocation{"", 0, 0, "backend"});
    if (backend == "nccl" && !device.is_cuda())
        throw Error("the NCCL backend needs a CUDA device, but training runs on " + device.str(),
                    SourceLocation{"", 0, 0, "backend"});
    const auto available = available_backends();
    if (std::find(available.begin(), available.end(), backend) == available.end())
        throw Error("this build of LibTorch has no " + backend +
                        " process group; distributed training on " + device.str() +
                        " needs a LibTorch built with it (a CUDA PyTorch from pip has NCCL)",
                    SourceLocation{"", 0, 0, "backend"});

    const std::string where = env.master_addr + ":" + std::to_string(env.master_port);
    const std::string seconds = std::to_string(options.timeout.count() / 1000);
    try {
        c10d::TCPStoreOptions store_options;
        store_options.port = static_cast<std::uint16_t>(env.master_port);
        store_options.isServer = env.rank == 0;
        store_options.numWorkers = static_cast<std::size_t>(env.world_size);
        store_options.waitWorkers = true;
        store_options.timeout = options.timeout;
        impl.store = c10::make_intrusive<c10d::TCPStore>(env.master_addr, store_options);
    } catch (const std::exception& e) {
        throw Error(
            env.rank == 0
                ? "rank 0 could not serve the rendezvous on " + where + " or not all " +
                      std::to_string(env.world_size) + " processes joined within " + seconds +
                      " s (is the port free and did every rank start?): " + e.what()
                : "rank " + std::to_string(env.rank) + " could not join the rendezvous at " +
                      where + " within " + seconds +
                      " s (is rank 0 running there, and MASTER_ADDR/MASTER_PORT the same on "
                      "every process?): " +
                      e.what(),
            SourceLocation{"", 0, 0, "MASTER_ADDR"});
    }
    try {
        if (backend == "gloo") {
#ifdef TB_HAVE_GLOO
            auto gloo_options = c10d::ProcessGroupGloo::Options::create(options.timeout);
            gloo_options->devices = gloo_devices(env);
            impl.group = c10::make_intrusive<c10d::ProcessGroupGloo>(impl.store, env.rank,
                                                                     env.world_size, gloo_options);
#endif
        } else {
#ifdef TB_HAVE_NCCL
            auto nccl_options = c10d::ProcessGroupNCCL::Options::create();
            nccl_options->timeout = options.timeout;
            impl.group = c10::make_intrusive<c10d::ProcessGroupNCCL>(impl.store, env.rank,
                                                                     env.world_size, nccl_options);
#endif
        }
    } catch (const std::exception& e) {
        throw Error("rank " + std::to_string(env.rank) + " could not form the " + backend +
                        " process group of " + std::to_string(env.world_size) +
                        " processes (rendezvous " + where + "): " + e.what() +
                        (backend == "gloo" ? "; on several machines, GLOO_SOCKET_IFNAME names "
                                             "the network interface to use"
                                           : ""),
                    SourceLocation{"", 0, 0, "MASTER_ADDR"});
    }
    impl.backend = backend;
    return ctx;
}

int DistributedContext::rank() const {
    return impl_->env.rank;
}

int DistributedContext::world_size() const {
    return impl_->env.world_size;
}

int DistributedContext::local_rank() const {
    return impl_->env.local_rank;
}

std::string DistributedContext::backend() const {
    return impl_->backend;
}

void DistributedContext::all_reduce(const std::vector<at::Tensor>& tensors, ReduceMode mode) {
    if (mode == ReduceMode::Mean)
        for (const auto& t : tensors)
            if (t.defined() && !t.is_floating_point())
                throw Error("a mean all-reduce needs floating-point tensors, got " +
                                std::string(c10::toString(t.scalar_type())),
                            SourceLocation{"", 0, 0, ""});
    if (!is_distributed())
        return;
    auto buckets = make_buckets(tensors, impl_->options.bucket_bytes);
    // Launch every bucket before waiting on the first: the backend overlaps them.
    std::vector<c10::intrusive_ptr<c10d::Work>> works;
    for (auto& b : buckets) {
        std::vector<at::Tensor> one{b.flat};
        works.push_back(impl_->group->allreduce(one));
    }
    for (std::size_t i = 0; i < buckets.size(); ++i) {
        impl_->wait(works[i], "all-reduce");
        if (mode == ReduceMode::Mean)
            buckets[i].flat.div_(static_cast<double>(world_size()));
        copy_back(buckets[i]);
    }
}

void DistributedContext::all_reduce_gradients(const std::vector<at::Tensor>& parameters,
                                              ReduceMode mode) {
    if (!is_distributed())
        return;
    std::vector<at::Tensor> trainable;
    for (const auto& p : parameters)
        if (p.defined() && p.requires_grad())
            trainable.push_back(p);
    // Which gradients exist on any rank: ranks must reduce the same list in the same order.
    auto present = torch::zeros({static_cast<std::int64_t>(trainable.size())}, torch::kInt64);
    auto* flag = present.data_ptr<std::int64_t>();
    for (std::size_t i = 0; i < trainable.size(); ++i)
        flag[i] = trainable[i].grad().defined() ? 1 : 0;
    present = impl_->scalar_tensor(present);
    all_reduce({present});
    present = present.to(torch::kCPU);
    flag = present.data_ptr<std::int64_t>();
    std::vector<at::Tensor> grads;
    for (std::size_t i = 0; i < trainable.size(); ++i) {
        if (flag[i] == 0)
            continue;
        auto& p = trainable[i];
        if (!p.grad().defined())
            p.mutable_grad() = torch::zeros_like(p);
        grads.push_back(p.grad());
    }
    all_reduce(grads, mode);
}

void DistributedContext::broadcast(const std::vector<at::Tensor>& tensors, int root) {
    if (!is_distributed())
        return;
    if (root < 0 || root >= world_size())
        throw Error("broadcast root " + std::to_string(root) + " is not a rank",
                    SourceLocation{"", 0, 0, ""});
    auto buckets = make_buckets(tensors, impl_->options.bucket_bytes);
    c10d::BroadcastOptions options;
    options.rootRank = root;
    std::vector<c10::intrusive_ptr<c10d::Work>> works;
    for (auto& b : buckets) {
        std::vector<at::Tensor> one{b.flat};
        works.push_back(impl_->group->broadcast(one, options));
    }
    for (std::size_t i = 0; i < buckets.size(); ++i) {
        impl_->wait(works[i], "broadcast");
        copy_back(buckets[i]);
    }
}

std::vector<double> DistributedContext::all_reduce_sum(const std::vector<double>& values) {
    if (!is_distributed() || values.empty())
        return values;
    auto t = torch::tensor(values, torch::kFloat64);
    t = impl_->scalar_tensor(t);
    all_reduce({t});
    t = t.to(torch::kCPU).contiguous();
    return std::vector<double>(t.data_ptr<double>(), t.data_ptr<double>() + t.numel());
}

std::vector<std::int64_t> DistributedContext::all_reduce_sum(
    const std::vector<std::int64_t>& values) {
    if (!is_distributed() || values.empty())
        return values;
    auto t = torch::tensor(std::vector<int64_t>(values.begin(), values.end()), torch::kInt64);
    t = impl_->scalar_tensor(t);
    all_reduce({t});
    t = t.to(torch::kCPU).contiguous();
    return std::vector<std::int64_t>(t.data_ptr<std::int64_t>(),
                                     t.data_ptr<std::int64_t>() + t.numel());
}

double DistributedContext::all_reduce_sum(double value) {
    return all_reduce_sum(std::vector<double>{value}).front();
}

std::int64_t DistributedContext::all_reduce_sum(std::int64_t value) {
    return all_reduce_sum(std::vector<std::int64_t>{value}).front();
}

void DistributedContext::barrier() {
    if (!is_distributed())
        return;
    impl_->wait(impl_->group->barrier(), "barrier");
}

}  // namespace tb::train
