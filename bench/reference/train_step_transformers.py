#!/usr/bin/env python3
"""Hugging Face transformers reference for bench_train_step on a GPU.

The same step as bench_train_step.cpp (forward, cross entropy, backward, grad-norm clip 1.0,
AdamW with weight decay on weights only) with transformers' BertForSequenceClassification
(its default attention implementation, SDPA) and torch.autocast. Not run in CI: transformers is
no Debian package. Same arguments as train_step.py:
    python3 train_step_transformers.py hidden layers batch seq steps device precision heads vocab
"""
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_step import timed_steps  # noqa: E402  the same timing loop as the other reference


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
    if device != "cpu":
        torch.cuda.reset_peak_memory_stats()
    timing = timed_steps(
        lambda: F.cross_entropy(model(input_ids=ids, attention_mask=mask, token_type_ids=types).logits, labels),
        model, opt, steps, device, precision)
    peak = torch.cuda.max_memory_allocated() / 2**20 if device != "cpu" else 0
    print(f"transformers_{tr.__version__} hidden={hidden} layers={layers} batch={batch} seq={seq} "
          f"device={device} precision={precision} attn={model.config._attn_implementation} "
          f"peak_mib={peak:.0f} {timing}")


if __name__ == "__main__":
    main(sys.argv[1:])
