#!/usr/bin/python3
"""Reference counts for effscale's bases from torchvision (Debian python3-torchvision 0.14).

params: sum of parameter numel (BN running statistics are buffers, not parameters).
macs:   conv + linear multiply-accumulates at the model's native size, batch 1, from forward
        hooks: Conv2d = out elements × (in channels / groups) × kernel area; Linear = out
        elements × in features (ConvNeXt's Linear runs over every pixel, so its leading dims count).
Run:    /usr/bin/python3 scripts/reference/torchvision_counts.py [name ...]
Output: one JSON row per model on stdout, typed into fixtures/reference-counts.json.
"""
import json
import sys

import torch
import torchvision.models as tvm

MODELS = {
    'efficientnet-v2-s': ('efficientnet_v2_s', 384),
    'efficientnet-v2-m': ('efficientnet_v2_m', 480),
    'efficientnet-v2-l': ('efficientnet_v2_l', 480),
    'mobilenet-v3-large': ('mobilenet_v3_large', 224),
    'mobilenet-v3-small': ('mobilenet_v3_small', 224),
    'regnet-x-400mf': ('regnet_x_400mf', 224),
    'regnet-x-1.6gf': ('regnet_x_1_6gf', 224),
    'regnet-y-400mf': ('regnet_y_400mf', 224),
    'regnet-y-800mf': ('regnet_y_800mf', 224),
    'regnet-y-1.6gf': ('regnet_y_1_6gf', 224),
    'convnext-tiny': ('convnext_tiny', 224),
    'convnext-small': ('convnext_small', 224),
}

# Width-scaled points where torchvision's builder takes a width multiplier: checks the family's
# own rounding (MobileNetV3: every width, expanded ones included, make-divisible by 8).
SCALED = {
    'mobilenet-v3-large w=0.75': ('mobilenet_v3_large', 224, {'width_mult': 0.75}),
    'mobilenet-v3-large w=1.5': ('mobilenet_v3_large', 224, {'width_mult': 1.5}),
    'mobilenet-v3-small w=1.3': ('mobilenet_v3_small', 224, {'width_mult': 1.3}),
}


def count(builder, size, kwargs=None):
    model = getattr(tvm, builder)(weights=None, **(kwargs or {})).eval()
    macs = [0]

    def conv_hook(m, inp, out):
        k = m.kernel_size[0] * m.kernel_size[1]
        macs[0] += out.numel() // out.shape[0] * (m.in_channels // m.groups) * k

    def linear_hook(m, inp, out):
        macs[0] += out.numel() // out.shape[0] * m.in_features

    for m in model.modules():
        if isinstance(m, torch.nn.Conv2d):
            m.register_forward_hook(conv_hook)
        elif isinstance(m, torch.nn.Linear):
            m.register_forward_hook(linear_hook)
    with torch.no_grad():
        model(torch.zeros(1, 3, size, size))
    params = sum(p.numel() for p in model.parameters())
    return params, macs[0]


def main():
    names = sys.argv[1:] or list(MODELS) + list(SCALED)
    for name in names:
        if name in SCALED:
            builder, size, kwargs = SCALED[name]
            base, width = name.split(' w=')
            params, macs = count(builder, size, kwargs)
            row = {'base': base, 'width': float(width), 'imageSize': size, 'params': params, 'macs': macs}
        else:
            builder, size = MODELS[name]
            params, macs = count(builder, size)
            row = {'model': name, 'imageSize': size, 'params': params, 'macs': macs}
        print(json.dumps(row), flush=True)


if __name__ == '__main__':
    main()
