#!/usr/bin/env python3
"""Hugging Face transformers reference for bench_train_step on a GPU.

The same step as bench_train_step.cpp (forward, cross entropy, backward, grad-norm clip 1.0,
AdamW with weight decay on weights only) with transformers' BertForSequenceClassification
(its default attention implementation, SDPA) and torch.autocast. Not run in CI: transformers is
no Debian package. Same arguments as train_step.py:
    python3 train_step_transformers.py hidden layers batch seq steps device precision heads vocab
"""
import sys
import time

import torch
import torch.nn.functional as F


def main(argv):
    import transformers as tr
    hidden, layers, batch, seq, steps = (int(a) for a in argv[:5])
    device, precision, heads, vocab = argv[5], argv[6], int(argv[7]), int(argv[8])
    heads = heads if heads > 0 else max(1, hidden // 32)
    torch.manual_seed(0)
    config = tr.BertConfig(vocab_size=vocab, hidden_size=hidden, num_hidden_layers=layers,
                           num_attention_heads=heads, intermediate_size=4 * hidden,
                           max_position_embeddings=max(512, seq), num_labels=2)
    model = tr.BertForSequenceClassification(config).to(device).train()
    no_decay = lambda n: n.endswith("bias") or "LayerNorm" in n
    opt = torch.optim.AdamW(
        [{"params": [p for n, p in model.named_parameters() if not no_decay(n)], "weight_decay": 0.01},
         {"params": [p for n, p in model.named_parameters() if no_decay(n)], "weight_decay": 0.0}],
        lr=1e-4)
    ids = torch.randint(1, vocab, (batch, seq), device=device)
    mask = torch.ones(batch, seq, dtype=torch.long, device=device)
    types = torch.zeros(batch, seq, dtype=torch.long, device=device)
    labels = torch.randint(0, 2, (batch,), device=device)
    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(precision)
    sync = torch.cuda.synchronize if device != "cpu" else (lambda: None)
    total = forward = backward = clip = optim = 0.0
    torch.cuda.reset_peak_memory_stats() if device != "cpu" else None
    for s in range(3 + steps):
        sync()
        t0 = time.perf_counter()
        opt.zero_grad()
        with torch.autocast("cuda", dtype=dtype, enabled=dtype is not None and device != "cpu"):
            logits = model(input_ids=ids, attention_mask=mask, token_type_ids=types).logits
            loss = F.cross_entropy(logits, labels)
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
    k = 1000.0 / steps
    peak = torch.cuda.max_memory_allocated() / 2**20 if device != "cpu" else 0
    print(f"transformers_{tr.__version__} hidden={hidden} layers={layers} batch={batch} seq={seq} "
          f"device={device} precision={precision} attn={model.config._attn_implementation} "
          f"peak_mib={peak:.0f} ms_per_step={total * k:.2f} "
          f"(forward {forward * k:.2f} backward {backward * k:.2f} clip {clip * k:.2f} optimizer {optim * k:.2f})")


if __name__ == "__main__":
    main(sys.argv[1:])
