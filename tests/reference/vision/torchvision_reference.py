#!/usr/bin/env python3
"""Independent reference for the C++ image backbones: torchvision's own ResNet-18/34/50 and
MobileNetV2 with a fixed random initialisation, exported as safetensors, plus their outputs on a
fixed input in eval mode.

Usage: torchvision_reference.py OUT_DIR [--size 64] [--batch 2] [--classes 10] [ARCH ...]

Writes OUT_DIR/<arch>.safetensors (the model's state_dict under torchvision's names),
OUT_DIR/input.safetensors ("input": [batch, 3, size, size]) and OUT_DIR/expected.safetensors
("<arch>.features": pooled features, "<arch>.logits": classifier outputs).

Batch-norm running statistics are made non-trivial so that eval-mode batch norm is exercised:
one training-mode pass with momentum 1 sets them to the statistics of a random batch (keeping
activations in a sane range through deep networks), then they are perturbed; the affine
weights and biases are randomised too. Needs python3-torch and python3-torchvision only; the
safetensors writer below follows the published format (u64 little-endian header length, JSON
header, raw little-endian bytes) and does not use the safetensors package.
"""
import argparse
import json
import os
import struct

import torch
import torchvision

ARCHITECTURES = ["resnet18", "resnet34", "resnet50", "mobilenet_v2"]
DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64"}


def write_safetensors(path, tensors):
    header = {}
    chunks = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().cpu()
        data = t.numpy().tobytes()  # numpy arrays are little-endian on x86/arm
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for c in chunks:
            f.write(c)


def randomise_batch_norm(model, size, generator):
    bns = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    with torch.no_grad():
        for bn in bns:
            bn.weight.copy_(torch.empty_like(bn.weight).uniform_(0.5, 1.5, generator=generator))
            bn.bias.copy_(torch.empty_like(bn.bias).uniform_(-0.2, 0.2, generator=generator))
            bn.momentum = 1.0
        model.train()
        model(torch.randn(4, 3, size, size, generator=generator))
        for bn in bns:
            std = bn.running_var.sqrt()
            bn.running_mean.add_(0.1 * std * torch.randn(bn.running_mean.shape,
                                                         generator=generator))
            bn.running_var.mul_(torch.empty_like(bn.running_var).uniform_(0.7, 1.4,
                                                                          generator=generator))
            bn.momentum = 0.1
    model.eval()


def pooled_features(arch, model, x):
    if arch.startswith("resnet"):
        m = model
        x = m.maxpool(m.relu(m.bn1(m.conv1(x))))
        x = m.layer4(m.layer3(m.layer2(m.layer1(x))))
        return torch.flatten(m.avgpool(x), 1)
    x = model.features(x)
    return torch.flatten(torch.nn.functional.adaptive_avg_pool2d(x, (1, 1)), 1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir")
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--batch", type=int, default=2)
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("archs", nargs="*", default=ARCHITECTURES)
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    torch.set_num_threads(1)

    generator = torch.Generator().manual_seed(1234)
    x = torch.randn(args.batch, 3, args.size, args.size, generator=generator)
    write_safetensors(os.path.join(args.out_dir, "input.safetensors"), {"input": x})

    expected = {}
    for i, arch in enumerate(args.archs):
        torch.manual_seed(100 + i)
        model = getattr(torchvision.models, arch)(weights=None, num_classes=args.classes)
        randomise_batch_norm(model, args.size, generator)
        with torch.no_grad():
            expected[arch + ".logits"] = model(x)
            expected[arch + ".features"] = pooled_features(arch, model, x)
        write_safetensors(os.path.join(args.out_dir, arch + ".safetensors"), model.state_dict())
    write_safetensors(os.path.join(args.out_dir, "expected.safetensors"), expected)


if __name__ == "__main__":
    main()
