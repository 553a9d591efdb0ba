#!/usr/bin/python3
"""Independent BERT reference for tunebench's parity tests.

A compact functional PyTorch implementation of the Hugging Face modeling_bert forward pass
(post-LayerNorm encoder, erf GELU / gelu_new / relu, extended attention mask
(1 - mask) * finfo(dtype).min, tanh pooler over [CLS], BertForSequenceClassification's linear
classifier on the pooled output), computed in float64. It shares no code with the C++ side:
safetensors files are read and written here with json + numpy only.

Run with Debian's interpreter (python3-torch 1.13 CPU, python3-numpy):

  /usr/bin/python3 bert_reference.py make-fixture OUT_DIR [--seed N]
      Creates the committed fixture: a tiny random BERT (vocab 100, hidden 32, 2 layers,
      4 heads, intermediate 64, max_pos 64) as config.json + model.safetensors (BertModel
      names) + seq_cls.safetensors ("bert."-prefixed names + classifier, 3 labels) + vocab.txt,
      padded inputs, and expected outputs in expected.json.

  /usr/bin/python3 bert_reference.py run --config C --weights W --inputs I --out O
      [--prefix bert.] [--num-labels N]
      Runs the reference on any weights file (e.g. one written by the C++ code) with inputs
      from a JSON file holding input_ids / attention_mask / token_type_ids; writes the outputs.
"""
import argparse
import json
import math
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

NP_DTYPES = {
    "F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4", "I16": "<i2",
    "I8": "i1", "U8": "u1", "BOOL": "?",
}


def read_safetensors(path):
    """Returns {name: float64 torch tensor} for every tensor in the file."""
    with open(path, "rb") as f:
        data = f.read()
    (header_len,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + header_len].decode("utf-8"))
    base = 8 + header_len
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = data[base + begin:base + end]
        if info["dtype"] == "BF16":
            bits = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
            array = bits.view(np.float32)
        else:
            array = np.frombuffer(raw, dtype=NP_DTYPES[info["dtype"]])
        array = array.reshape(info["shape"]).astype(np.float64)
        tensors[name] = torch.from_numpy(array.copy())
    return tensors


def write_safetensors(path, tensors, metadata=None):
    """tensors: {name: float32 numpy array}. Layout as the format's reference writer."""
    header = {}
    if metadata:
        header["__metadata__"] = metadata
    offset = 0
    names = sorted(tensors)
    for name in names:
        nbytes = tensors[name].astype("<f4").nbytes
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape),
                        "data_offsets": [offset, offset + nbytes]}
        offset += nbytes
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for name in names:
            f.write(np.ascontiguousarray(tensors[name], dtype="<f4").tobytes())


def activation(name, x):
    if name == "gelu":
        return x * 0.5 * (1.0 + torch.erf(x / math.sqrt(2.0)))
    if name in ("gelu_new", "gelu_pytorch_tanh"):
        return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))
    if name == "relu":
        return torch.clamp(x, min=0.0)
    raise ValueError("unsupported hidden_act " + name)


def bert_forward(w, config, input_ids, attention_mask, token_type_ids, prefix="",
                 position_ids=None, all_hidden=None):
    """HF BertModel forward in float64. w: {name: tensor}; returns (last_hidden, pooled).

    position_ids: None for BERT's 0..T-1 (RoBERTa passes its own). An
    "embeddings_project" linear (ELECTRA) is applied after the embeddings when present;
    pooled is None when the weights have no pooler. all_hidden: a list that receives the
    embedding output and every layer's output."""
    def p(name):
        return w[prefix + name]

    def linear(x, name):
        return x @ p(name + ".weight").T + p(name + ".bias")

    def layer_norm(x, name):
        return F.layer_norm(x, (x.shape[-1],), p(name + ".weight"), p(name + ".bias"),
                            config["layer_norm_eps"])

    batch, seq = input_ids.shape
    heads = config["num_attention_heads"]
    head_size = config["hidden_size"] // heads
    positions = (torch.arange(seq).unsqueeze(0).expand(batch, seq) if position_ids is None
                 else position_ids)
    x = (p("embeddings.word_embeddings.weight")[input_ids]
         + p("embeddings.position_embeddings.weight")[positions]
         + p("embeddings.token_type_embeddings.weight")[token_type_ids])
    x = layer_norm(x, "embeddings.LayerNorm")
    if prefix + "embeddings_project.weight" in w:
        x = linear(x, "embeddings_project")
    if all_hidden is not None:
        all_hidden.append(x)

    mask = attention_mask.to(torch.float64)[:, None, None, :]
    bias = (1.0 - mask) * torch.finfo(torch.float64).min

    def split(t):
        return t.view(batch, seq, heads, head_size).permute(0, 2, 1, 3)

    for i in range(config["num_hidden_layers"]):
        layer = "encoder.layer.%d." % i
        q = split(linear(x, layer + "attention.self.query"))
        k = split(linear(x, layer + "attention.self.key"))
        v = split(linear(x, layer + "attention.self.value"))
        scores = q @ k.transpose(-1, -2) / math.sqrt(head_size) + bias
        probs = torch.softmax(scores, dim=-1)
        context = (probs @ v).permute(0, 2, 1, 3).reshape(batch, seq, heads * head_size)
        attended = layer_norm(linear(context, layer + "attention.output.dense") + x,
                              layer + "attention.output.LayerNorm")
        inner = activation(config["hidden_act"], linear(attended, layer + "intermediate.dense"))
        x = layer_norm(linear(inner, layer + "output.dense") + attended,
                       layer + "output.LayerNorm")
        if all_hidden is not None:
            all_hidden.append(x)
    if prefix + "pooler.dense.weight" not in w:
        return x, None
    pooled = torch.tanh(linear(x[:, 0], "pooler.dense"))
    return x, pooled


def classifier_logits(w, pooled):
    return pooled @ w["classifier.weight"].T + w["classifier.bias"]


def tiny_config():
    return {
        "architectures": ["BertModel"], "model_type": "bert", "vocab_size": 100,
        "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4,
        "intermediate_size": 64, "hidden_act": "gelu", "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1, "max_position_embeddings": 64,
        "type_vocab_size": 2, "layer_norm_eps": 1e-12, "pad_token_id": 0,
        "initializer_range": 0.02, "position_embedding_type": "absolute",
    }


def random_weights(config, gen):
    """Larger-than-default random weights so every parameter visibly moves the outputs."""
    h, inter = config["hidden_size"], config["intermediate_size"]

    def normal(shape, std, mean=0.0):
        return (torch.randn(shape, generator=gen, dtype=torch.float64) * std + mean).float().numpy()

    w = {
        "embeddings.word_embeddings.weight": normal((config["vocab_size"], h), 0.5),
        "embeddings.position_embeddings.weight": normal((config["max_position_embeddings"], h), 0.5),
        "embeddings.token_type_embeddings.weight": normal((config["type_vocab_size"], h), 0.5),
    }
    w["embeddings.word_embeddings.weight"][config["pad_token_id"]] = 0.0

    def add_linear(name, n_in, n_out):
        w[name + ".weight"] = normal((n_out, n_in), 0.2)
        w[name + ".bias"] = normal((n_out,), 0.1)

    def add_norm(name):
        w[name + ".weight"] = normal((h,), 0.2, mean=1.0)
        w[name + ".bias"] = normal((h,), 0.1)

    add_norm("embeddings.LayerNorm")
    for i in range(config["num_hidden_layers"]):
        layer = "encoder.layer.%d." % i
        for part in ("query", "key", "value"):
            add_linear(layer + "attention.self." + part, h, h)
        add_linear(layer + "attention.output.dense", h, h)
        add_norm(layer + "attention.output.LayerNorm")
        add_linear(layer + "intermediate.dense", h, inter)
        add_linear(layer + "output.dense", inter, h)
        add_norm(layer + "output.LayerNorm")
    add_linear("pooler.dense", h, h)
    return w


def tiny_inputs():
    # [CLS]=2 ... [SEP]=3, [PAD]=0; rows of length 12, 7 and 9 padded to 12.
    ids = [[2, 17, 45, 99, 8, 23, 64, 31, 77, 12, 50, 3],
           [2, 40, 41, 42, 43, 88, 3, 0, 0, 0, 0, 0],
           [2, 5, 66, 71, 3, 19, 28, 93, 3, 0, 0, 0]]
    mask = [[1 if (j < n) else 0 for j in range(12)] for n in (12, 7, 9)]
    types = [[0] * 12, [0] * 12, [0] * 5 + [1] * 4 + [0] * 3]
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}


def run_reference(config, weights, inputs, prefix="", num_labels=0):
    ids = torch.tensor(inputs["input_ids"], dtype=torch.long)
    mask = torch.tensor(inputs["attention_mask"], dtype=torch.long)
    types = torch.tensor(inputs.get("token_type_ids") or torch.zeros_like(ids).tolist(),
                         dtype=torch.long)
    with torch.no_grad():
        hidden, pooled = bert_forward(weights, config, ids, mask, types, prefix)
        out = {"last_hidden_state": hidden.tolist(), "pooled": pooled.tolist()}
        if num_labels:
            out["logits"] = classifier_logits(weights, pooled).tolist()
    return out


def make_fixture(out_dir, seed):
    os.makedirs(out_dir, exist_ok=True)
    config = tiny_config()
    gen = torch.Generator().manual_seed(seed)
    base = random_weights(config, gen)
    num_labels = 3
    head = {
        "classifier.weight": (torch.randn((num_labels, config["hidden_size"]), generator=gen,
                                          dtype=torch.float64) * 0.5).float().numpy(),
        "classifier.bias": (torch.randn((num_labels,), generator=gen,
                                        dtype=torch.float64) * 0.1).float().numpy(),
    }
    write_safetensors(os.path.join(out_dir, "model.safetensors"), base, {"format": "pt"})
    seq_cls = {"bert." + k: v for k, v in base.items()}
    seq_cls.update(head)
    write_safetensors(os.path.join(out_dir, "seq_cls.safetensors"), seq_cls, {"format": "pt"})
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + ["tok%d" % i for i in range(95)]
    with open(os.path.join(out_dir, "vocab.txt"), "w") as f:
        f.write("\n".join(vocab) + "\n")

    inputs = tiny_inputs()
    weights = read_safetensors(os.path.join(out_dir, "seq_cls.safetensors"))
    expected = {
        "generated_by": "tests/reference/model/bert_reference.py make-fixture --seed %d" % seed,
        "torch_version": torch.__version__,
        "precision": "float64 reference from float32 weights",
        "num_labels": num_labels,
        "inputs": inputs,
    }
    expected.update(run_reference(config, weights, inputs, prefix="bert.",
                                  num_labels=num_labels))
    with open(os.path.join(out_dir, "expected.json"), "w") as f:
        json.dump(expected, f)
        f.write("\n")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("make-fixture")
    make.add_argument("out_dir")
    make.add_argument("--seed", type=int, default=20240601)
    run = sub.add_parser("run")
    run.add_argument("--config", required=True)
    run.add_argument("--weights", required=True)
    run.add_argument("--inputs", required=True)
    run.add_argument("--out", required=True)
    run.add_argument("--prefix", default="")
    run.add_argument("--num-labels", type=int, default=0)
    args = parser.parse_args(argv)

    if args.command == "make-fixture":
        make_fixture(args.out_dir, args.seed)
        return 0
    with open(args.config) as f:
        config = json.load(f)
    with open(args.inputs) as f:
        inputs = json.load(f)
    out = run_reference(config, read_safetensors(args.weights), inputs, args.prefix,
                        args.num_labels)
    with open(args.out, "w") as f:
        json.dump(out, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
