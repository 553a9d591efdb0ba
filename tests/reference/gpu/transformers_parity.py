#!/usr/bin/env python3
"""Encoder parity against Hugging Face transformers, on the CPU and on a CUDA GPU.

Not run in CI (transformers is no Debian package); scripts/gpu/validate.sh runs it on a machine
with a CUDA PyTorch and transformers. Two modes:

  transformers_parity.py fixtures OUT_DIR
      Loads each committed fixture folder (tests/fixtures/model/tiny_*) with transformers'
      AutoModel and compares its float32 forward (TF32 off) on every device with the fixture's
      expected.json (our independent torch.nn reference, which tunebench's C++ matches in CI).
      Then writes transformers-made folders with hf_transformers_reference.py into OUT_DIR.
  transformers_parity.py cli TUNEBENCH_CLI OUT_DIR
      Runs `tunebench-cli embed --ids --pooling mean --device D` on the fixture folders, the
      transformers-made folders and a BERT-base-size random folder (written here with
      save_pretrained) and compares with transformers' mean-pooled last layer on the same device.

Prints one line per check and a JSON summary (OUT_DIR/parity_<mode>.json). Tolerance 1e-4.
"""
import json
import os
import subprocess
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
FIXTURES = [os.path.join(ROOT, "tests", "fixtures", "model", n)
            for n in ("tiny_bert", "tiny_roberta", "tiny_distilbert", "tiny_electra")]
TOLERANCE = 1e-4


def devices():
    return ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


def load(folder, device):
    import transformers as tr
    model = tr.AutoModel.from_pretrained(folder, torch_dtype=torch.float32)
    return model.to(device).eval()


def real_token_diff(ours, ref, mask):
    m = mask.bool()
    return (ours[m] - ref[m]).abs().max().item()


def fixtures_mode(out_dir):
    results = []
    for folder in FIXTURES:
        expected = json.load(open(os.path.join(folder, "expected.json")))
        for device in devices():
            name = "%s on %s" % (os.path.basename(folder), device)
            try:
                model = load(folder, device)
                feed = {k: torch.tensor(v, device=device) for k, v in expected["inputs"].items()}
                with torch.no_grad():
                    out = model(**feed, output_hidden_states=True)
                mask = feed["attention_mask"].cpu()
                want = torch.tensor(expected["last_hidden_state"], dtype=torch.float64)
                diff = real_token_diff(out.last_hidden_state.double().cpu(), want, mask)
                if "pooled" in expected and getattr(out, "pooler_output", None) is not None:
                    pooled = torch.tensor(expected["pooled"], dtype=torch.float64)
                    diff = max(diff, (out.pooler_output.double().cpu() - pooled).abs().max().item())
                results.append({"check": name, "max_abs_diff": diff, "pass": diff <= TOLERANCE})
            except Exception as e:  # report and go on: one family failing says nothing of others
                results.append({"check": name, "error": repr(e)[:400], "pass": False})
            print(results[-1], flush=True)
    ref = os.path.join(ROOT, "tests", "reference", "model", "hf_transformers_reference.py")
    made = subprocess.run([sys.executable, ref, out_dir], capture_output=True, text=True)
    print(made.stdout, made.stderr[-2000:], flush=True)
    return results


def write_base_folder(out_dir):
    """A BERT-base-size random model (12 layers, hidden 768) saved by transformers."""
    import transformers as tr
    path = os.path.join(out_dir, "hf_base_bert")
    if os.path.isdir(path):
        return path
    torch.manual_seed(7)
    config = tr.BertConfig(vocab_size=30522, hidden_size=768, num_hidden_layers=12,
                           num_attention_heads=12, intermediate_size=3072)
    tr.BertModel(config).save_pretrained(path, safe_serialization=True)
    with open(os.path.join(path, "vocab.txt"), "w") as f:
        f.write("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] +
                          ["tok%d" % i for i in range(30517)]) + "\n")
    return path


def sequences(vocab, cls, sep, lengths, seed):
    g = torch.Generator().manual_seed(seed)
    rows = []
    for n in lengths:
        body = torch.randint(5, vocab, (n - 2,), generator=g).tolist()
        rows.append([cls] + body + [sep])
    return rows


def hf_mean(model, rows, pad, device):
    width = max(len(r) for r in rows)
    ids = torch.full((len(rows), width), pad, dtype=torch.long)
    mask = torch.zeros_like(ids)
    for i, r in enumerate(rows):
        ids[i, :len(r)] = torch.tensor(r)
        mask[i, :len(r)] = 1
    ids, mask = ids.to(device), mask.to(device)
    with torch.no_grad():
        hidden = model(input_ids=ids, attention_mask=mask).last_hidden_state
    m = mask.unsqueeze(-1).to(hidden.dtype)
    return ((hidden * m).sum(1) / m.sum(1)).double().cpu()


def cli_mode(cli, out_dir):
    folders = FIXTURES + sorted(os.path.join(out_dir, d) for d in os.listdir(out_dir)
                                if d.startswith("hf_tiny_"))
    folders.append(write_base_folder(out_dir))
    results = []
    for folder in folders:
        config = json.load(open(os.path.join(folder, "config.json")))
        vocab, pad = config["vocab_size"], config.get("pad_token_id", 0)
        roberta = config.get("model_type") in ("roberta", "xlm-roberta")
        cls, sep = (0, 2) if roberta else (2, 3)
        limit = min(config.get("max_position_embeddings", 512) - (pad + 1 if roberta else 0), 128)
        lengths = [limit, max(3, limit // 2), 5, max(3, limit - 7)]
        rows = sequences(vocab, cls, sep, lengths, seed=len(folder))
        stdin = "".join(json.dumps(r) + "\n" for r in rows)
        for device in devices():
            name = "embed %s on %s" % (os.path.basename(folder), device)
            try:
                run = subprocess.run([cli, "embed", "--model", folder, "--ids", "--pooling", "mean",
                                      "--device", device, "--batch-size", "4"],
                                     input=stdin, capture_output=True, text=True, timeout=300)
                if run.returncode != 0:
                    raise RuntimeError(run.stderr[-600:])
                ours = torch.tensor([json.loads(l) for l in run.stdout.splitlines()],
                                    dtype=torch.float64)
                ref = hf_mean(load(folder, device), rows, pad, device)
                diff = (ours - ref).abs().max().item()
                results.append({"check": name, "max_abs_diff": diff, "pass": diff <= TOLERANCE,
                                "lengths": lengths})
            except Exception as e:
                results.append({"check": name, "error": repr(e)[:600], "pass": False})
            print(results[-1], flush=True)
    return results


def main(argv):
    import transformers
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    mode = argv[0]
    out_dir = argv[-1]
    os.makedirs(out_dir, exist_ok=True)
    results = fixtures_mode(out_dir) if mode == "fixtures" else cli_mode(argv[1], out_dir)
    summary = {"mode": mode, "transformers": transformers.__version__, "torch": torch.__version__,
               "device_name": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
               "tolerance": TOLERANCE, "results": results,
               "all_pass": all(r["pass"] for r in results)}
    with open(os.path.join(out_dir, "parity_%s.json" % mode), "w") as f:
        json.dump(summary, f, indent=1)
    print("ALL PASS" if summary["all_pass"] else "SOME FAILED", flush=True)
    return 0 if summary["all_pass"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
