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
    'regnet-y-400mf w=1.3': (lambda: regnet_scaled('regnet-y-400mf', 1.3), 224, None),
    'regnet-x-400mf w=0.7': (lambda: regnet_scaled('regnet-x-400mf', 0.7), 224, None),
}


def regnet_scaled(name, width):
    """RegNet has no width multiplier in torchvision: scale its stage (and stem) widths to multiples
    of 8 (_make_divisible, as every base's channels), then let torchvision's own
    _adjust_widths_groups_compatibilty quantise them to the group width, and build the model."""
    from torchvision.models.regnet import BlockParams, RegNet
    from torchvision.models._utils import _make_divisible
    ref = {'regnet-x-400mf': dict(depth=22, w_0=24, w_a=24.48, w_m=2.54, group_width=16),
           'regnet-y-400mf': dict(depth=16, w_0=48, w_a=27.89, w_m=2.09, group_width=8, se_ratio=0.25)}[name]
    p = BlockParams.from_init_params(**ref)
    widths = [_make_divisible(w * width, 8) for w in p.widths]
    widths, groups = BlockParams._adjust_widths_groups_compatibilty(widths, p.bottleneck_multipliers, p.group_widths)
    q = BlockParams(p.depths, widths, groups, p.bottleneck_multipliers, p.strides, p.se_ratio)
    return RegNet(q, stem_width=_make_divisible(32 * width, 8))


def count(builder, size, kwargs=None):
    if callable(builder):
        model = builder().eval()
    else:
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
