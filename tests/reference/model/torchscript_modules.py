#!/usr/bin/env python3
"""TorchScript archives and their parameter counts as PyTorch itself counts them.

Reference for tunebench's TorchScript census (core/model/torchscript_census.h), which counts
parameters from the archive's files without loading it. Writes into OUT:
  conv_bn_linear.pt   Conv2d + BatchNorm2d (buffers) + Linear, scripted
  nested.pt           Sequential, ModuleList, a bias-free Linear, a registered buffer and a
                      parameter declared on the root module, scripted
  tied.pt             an embedding tied to the output layer (one tensor, counted once)
  traced.pt           the conv_bn_linear model traced instead of scripted
  resnet18.pt         torchvision's ResNet-18 (random init), scripted, if torchvision is there
  expected.json       {file: {"parameters": sum(p.numel() for p in m.parameters()),
                              "buffers": sum(b.numel() for b in m.buffers())}}
Usage: torchscript_modules.py OUT
"""
import json
import os
import sys

import torch


class ConvBnLinear(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 6, 3)
        self.bn = torch.nn.BatchNorm2d(6)
        self.fc = torch.nn.Linear(6, 4)

    def forward(self, x):
        return self.fc(torch.relu(self.bn(self.conv(x))).mean(dim=(2, 3)))


class Nested(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = torch.nn.Parameter(torch.ones(5))
        self.register_buffer("offsets", torch.zeros(7, 3))
        self.body = torch.nn.Sequential(torch.nn.Linear(5, 8), torch.nn.ReLU(),
                                        torch.nn.Linear(8, 8, bias=False))
        self.heads = torch.nn.ModuleList([torch.nn.Linear(8, 2) for _ in range(3)])
        self.norm = torch.nn.LayerNorm(8)

    def forward(self, x):
        h = self.norm(self.body(x * self.scale))
        out = torch.zeros(x.size(0), 2)
        for head in self.heads:
            out = out + head(h)
        return out


class Tied(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Embedding(11, 4)
        self.out = torch.nn.Linear(4, 11, bias=False)
        self.out.weight = self.embed.weight

    def forward(self, ids):
        return self.out(self.embed(ids))


def counts(module):
    return {"parameters": sum(p.numel() for p in module.parameters()),
            "buffers": sum(b.numel() for b in module.buffers())}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    expected = {}
    models = {"conv_bn_linear.pt": ConvBnLinear(), "nested.pt": Nested(), "tied.pt": Tied()}
    for name, module in models.items():
        torch.jit.save(torch.jit.script(module), os.path.join(out, name))
        expected[name] = counts(module)
    traced = torch.jit.trace(ConvBnLinear().eval(), torch.zeros(1, 3, 8, 8))
    torch.jit.save(traced, os.path.join(out, "traced.pt"))
    expected["traced.pt"] = counts(traced)
    try:
        import torchvision
        resnet = torchvision.models.resnet18()
        torch.jit.save(torch.jit.script(resnet), os.path.join(out, "resnet18.pt"))
        expected["resnet18.pt"] = counts(resnet)
    except ImportError:
        pass
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)


if __name__ == "__main__":
    main()
