#!/usr/bin/python3
"""Reference for bench_train_step: the same BERT classifier step in PyTorch (Python).

Post-LN BERT with erf GELU, learned positions, token types, tanh pooler, linear classifier;
AdamW with weight decay on weights only, grad-norm clipping at 1.0. Same shapes and defaults as
bench_train_step.cpp. Usage:
    /usr/bin/python3 train_step.py [hidden layers batch seq steps [device [precision [heads [vocab]]]]]
device cpu|cuda, precision fp32|bf16|fp16 (autocast on CUDA), heads 0 = hidden/32, vocab 8000.
"""
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Layer(nn.Module):
    def __init__(self, h, heads, inter):
        super().__init__()
        self.h, self.heads = h, heads
        self.q, self.k, self.v, self.o = (nn.Linear(h, h) for _ in range(4))
        self.ln1, self.ln2 = nn.LayerNorm(h, eps=1e-12), nn.LayerNorm(h, eps=1e-12)
        self.fc1, self.fc2 = nn.Linear(h, inter), nn.Linear(inter, h)
        self.drop = nn.Dropout(0.1)

    def forward(self, x, bias):
        b, s, _ = x.shape
        split = lambda t: t.view(b, s, self.heads, -1).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        scores = q @ k.transpose(-1, -2) / (q.shape[-1] ** 0.5) + bias
        ctx = (self.drop(scores.softmax(-1)) @ v).transpose(1, 2).reshape(b, s, self.h)
        x = self.ln1(x + self.drop(self.o(ctx)))
        return self.ln2(x + self.drop(self.fc2(F.gelu(self.fc1(x)))))


class Classifier(nn.Module):
    def __init__(self, vocab, h, layers, heads, inter, max_pos, labels):
        super().__init__()
        self.word, self.pos, self.types = nn.Embedding(vocab, h), nn.Embedding(max_pos, h), nn.Embedding(2, h)
        self.ln = nn.LayerNorm(h, eps=1e-12)
        self.layers = nn.ModuleList(Layer(h, heads, inter) for _ in range(layers))
        self.pool, self.cls, self.drop = nn.Linear(h, h), nn.Linear(h, labels), nn.Dropout(0.1)

    def forward(self, ids, mask, types):
        pos = torch.arange(ids.shape[1], device=ids.device).unsqueeze(0)
        x = self.drop(self.ln(self.word(ids) + self.pos(pos) + self.types(types)))
        bias = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        for layer in self.layers:
            x = layer(x, bias)
        return self.cls(self.drop(torch.tanh(self.pool(x[:, 0]))))


def timed_steps(loss_fn, model, opt, steps, device, precision):
    """Runs 3 warm-up and `steps` timed steps (forward + loss under autocast, backward, clip at 1.0,
    optimizer), synchronising the GPU before every clock reading; returns the timing text."""
    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(precision)
    sync = torch.cuda.synchronize if device != "cpu" else (lambda: None)
    total = forward = backward = clip = optim = 0.0
    fastest = float("inf")  # the steadiest estimate on a shared machine (see bench_train_step.cpp)
    for s in range(3 + steps):
        sync()
        t0 = time.perf_counter()
        opt.zero_grad()
        with torch.autocast("cuda", dtype=dtype, enabled=dtype is not None and device != "cpu"):
            loss = loss_fn()
        sync()
        t1 = time.perf_counter()
        loss.backward()
        sync()
        t2 = time.perf_counter()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        sync()
        t3 = time.perf_counter()
        opt.step()
        sync()
        t4 = time.perf_counter()
        if s >= 3:
            forward, backward, clip, optim = forward + t1 - t0, backward + t2 - t1, clip + t3 - t2, optim + t4 - t3
            total += t4 - t0
            fastest = min(fastest, t4 - t0)
    k = 1000.0 / steps
    return (f"ms_per_step={total * k:.2f} min_ms={fastest * 1000.0:.2f} (forward {forward * k:.2f} backward {backward * k:.2f} "
            f"clip {clip * k:.2f} optimizer {optim * k:.2f})")


def main(argv):
    hidden, layers, batch, seq, steps = (int(a) for a in (argv[:5] + ["128", "2", "32", "128", "20"][len(argv[:5]):]))
    extra = argv[5:] + ["cpu", "fp32", "0", "8000"][len(argv[5:]):]
    device, precision, heads, vocab = extra[0], extra[1], int(extra[2]), int(extra[3])
    heads = heads if heads > 0 else max(1, hidden // 32)
    torch.manual_seed(0)
    model = Classifier(vocab, hidden, layers, heads, hidden * 4, max(512, seq), 2).to(device).train()
    decay = [p for n, p in model.named_parameters() if not (n.endswith("bias") or ".ln" in n or n.startswith("ln"))]
    no_decay = [p for n, p in model.named_parameters() if n.endswith("bias") or ".ln" in n or n.startswith("ln")]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}], lr=1e-4)
    ids = torch.randint(1, vocab, (batch, seq)).to(device)
    mask = torch.ones(batch, seq, dtype=torch.long, device=device)
    types = torch.zeros(batch, seq, dtype=torch.long, device=device)
    labels = torch.randint(0, 2, (batch,)).to(device)
    timing = timed_steps(lambda: F.cross_entropy(model(ids, mask, types), labels), model, opt,
                         steps, device, precision)
    print(f"pytorch_python hidden={hidden} layers={layers} batch={batch} seq={seq} "
          f"threads={torch.get_num_threads()} device={device} precision={precision} {timing}")

if __name__ == "__main__":
    main(sys.argv[1:])
