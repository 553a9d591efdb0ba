#!/usr/bin/env python3
"""Hugging Face transformers reference fixtures for tunebench's encoder parity tests.

NOT run in CI (transformers is not a Debian package here). Run it once on a machine that has
`transformers` (>= 4.30) and `torch` installed, e.g. a GPU workstation:

    python3 hf_transformers_reference.py OUT_DIR [--seed 1234] [--device cuda]

For BertModel, RobertaModel and DistilBertModel it builds a small random config, saves the model
with save_pretrained(safe_serialization=True) into OUT_DIR/hf_tiny_<family>/ (config.json +
model.safetensors), writes tokenizer stand-in files so tunebench accepts the folder, runs the
model in float32 with output_hidden_states=True on padded inputs, and writes expected.json in the
same layout as the committed fixtures (inputs, last_hidden_state, hidden_states, pooled), so
tests/core/tst_encoder_parity.cpp's checks apply unchanged: copy the folders next to
tests/fixtures/model/tiny_* and add them to the test's data rows.

The forward runs on --device (cuda when available by default); outputs are computed in float32
with TF32 disabled, then stored as float64 JSON.
"""
import argparse
import json
import os
import sys

import torch


def tiny_inputs(pad, cls, sep, with_types):
    body = [[17, 45, 99, 8, 23, 64, 31, 77, 12, 50], [40, 41, 42, 43, 88],
            [5, 66, 71, 19, 28, 93, 9]]
    ids, mask, types = [], [], []
    for row in body:
        tokens = [cls] + row + [sep]
        n = len(tokens)
        ids.append(tokens + [pad] * (12 - n))
        mask.append([1] * n + [0] * (12 - n))
        types.append([0] * 5 + [1] * (n - 5) + [0] * (12 - n) if with_types and n == 9
                     else [0] * 12)
    out = {"input_ids": ids, "attention_mask": mask}
    if with_types:
        out["token_type_ids"] = types
    return out


def write_wordpiece_vocab(out_dir):
    tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + ["tok%d" % i for i in range(95)]
    with open(os.path.join(out_dir, "vocab.txt"), "w") as f:
        f.write("\n".join(tokens) + "\n")


def write_bpe_vocab(out_dir):
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3, "<mask>": 4}
    for i in range(5, 100):
        vocab["t%d" % i] = i
    with open(os.path.join(out_dir, "vocab.json"), "w") as f:
        json.dump(vocab, f)
    with open(os.path.join(out_dir, "merges.txt"), "w") as f:
        f.write("#version: 0.2\nt 5\n")


def build(family):
    import transformers as tr
    if family == "bert":
        config = tr.BertConfig(vocab_size=100, hidden_size=32, num_hidden_layers=2,
                               num_attention_heads=4, intermediate_size=64,
                               max_position_embeddings=64, type_vocab_size=2)
        return tr.BertModel(config), tiny_inputs(0, 2, 3, True), write_wordpiece_vocab
    if family == "roberta":
        config = tr.RobertaConfig(vocab_size=100, hidden_size=32, num_hidden_layers=2,
                                  num_attention_heads=4, intermediate_size=64,
                                  max_position_embeddings=40, type_vocab_size=1, pad_token_id=1,
                                  bos_token_id=0, eos_token_id=2)
        return tr.RobertaModel(config), tiny_inputs(1, 0, 2, False), write_bpe_vocab
    config = tr.DistilBertConfig(vocab_size=100, dim=32, n_layers=3, n_heads=4, hidden_dim=64,
                                 max_position_embeddings=64)
    return tr.DistilBertModel(config), tiny_inputs(0, 2, 3, False), write_wordpiece_vocab


def scramble(model, gen):
    """Larger-than-default random weights so every tensor visibly moves the outputs."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("LayerNorm.weight") or name.endswith("layer_norm.weight"):
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=gen))
            else:
                p.copy_(0.3 * torch.randn(p.shape, generator=gen))


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    args = parser.parse_args(argv)
    import transformers
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    gen = torch.Generator().manual_seed(args.seed)
    for family in ("bert", "roberta", "distilbert"):
        model, inputs, write_vocab = build(family)
        scramble(model, gen)
        model.eval()
        out_dir = os.path.join(args.out_dir, "hf_tiny_" + family)
        model.save_pretrained(out_dir, safe_serialization=True)
        write_vocab(out_dir)
        model.to(args.device)
        feed = {k: torch.tensor(v, device=args.device) for k, v in inputs.items()}
        with torch.no_grad():
            out = model(**feed, output_hidden_states=True)
        expected = {
            "generated_by": "tests/reference/model/hf_transformers_reference.py --seed %d"
                            % args.seed,
            "transformers_version": transformers.__version__,
            "torch_version": torch.__version__,
            "device": args.device,
            "precision": "float32 forward (TF32 off)",
            "inputs": inputs,
            "last_hidden_state": out.last_hidden_state.double().cpu().tolist(),
            "hidden_states": [h.double().cpu().tolist() for h in out.hidden_states],
        }
        pooled = getattr(out, "pooler_output", None)
        if pooled is not None:
            expected["pooled"] = pooled.double().cpu().tolist()
        with open(os.path.join(out_dir, "expected.json"), "w") as f:
            json.dump(expected, f)
            f.write("\n")
        print("wrote", out_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
