"""
Export torchvision models (weights=None, seeded) to ONNX at opsets 13 and 17 with Debian's
torch 1.13 / torchvision 0.14, and count their reference MACs with a PyTorch dispatch counter:
every aten convolution (MACs = output elements × in-channels/group × kernel elements; for a
transposed one, input elements × out-channels/group × kernel elements) and matrix product
(mm, addmm, bmm, baddbmm: batch × m × n × k) that runs in one forward pass at the same input.
Initializer elements are counted with the onnx package. The full exports stay in OUTDIR; a
weight-stripped copy (data of tensors over 1024 elements cleared, dims kept) goes to STRIPDIR.

    /usr/bin/python3 scripts/reference/export-torchvision13.py OUTDIR STRIPDIR [model ...]
"""
import json, math, os, sys, time, warnings

import onnx
import torch
import torchvision
from torch.utils._python_dispatch import TorchDispatchMode

warnings.filterwarnings("ignore")
aten = torch.ops.aten

MODELS = {
    # name: (builder, input shape, kwargs)
    "convnext_tiny": ("classification", [1, 3, 224, 224]),
    "swin_t": ("classification", [1, 3, 224, 224]),
    "maxvit_t": ("classification", [1, 3, 224, 224]),
    "vit_b_16": ("classification", [1, 3, 224, 224]),
    "efficientnet_v2_s": ("classification", [1, 3, 224, 224]),
    "regnet_y_400mf": ("classification", [1, 3, 224, 224]),
    "mobilenet_v3_large": ("classification", [1, 3, 224, 224]),
    "inception_v3": ("classification", [1, 3, 299, 299]),
    "densenet121": ("classification", [1, 3, 224, 224]),
    "googlenet": ("classification", [1, 3, 224, 224]),
    "fcn_resnet50": ("segmentation", [1, 3, 224, 224]),
    "deeplabv3_mobilenet_v3_large": ("segmentation", [1, 3, 224, 224]),
    "ssdlite320_mobilenet_v3_large": ("detection", [1, 3, 320, 320]),
}
OPSETS = [13, 17]
# nn.MultiheadAttention takes a fused fast path (aten::_native_multi_head_attention, which neither
# exports nor is a matmul the counter sees) when grad is off: run these with grad on.
GRAD_ON = {"vit_b_16"}


class MacCounter(TorchDispatchMode):
    def __init__(self):
        super().__init__()
        self.macs = 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        p = func.overloadpacket
        if p is aten.convolution:
            x, w, transposed, groups = args[0], args[1], args[6], args[8]
            k = math.prod(w.shape[2:])
            self.macs += x.numel() * w.shape[1] * k if transposed else out.numel() * w.shape[1] * k
        elif p in (aten.mm, aten.addmm):
            a, b = (args[0], args[1]) if p is aten.mm else (args[1], args[2])
            self.macs += a.shape[0] * a.shape[1] * b.shape[1]
        elif p in (aten.bmm, aten.baddbmm):
            a, b = (args[0], args[1]) if p is aten.bmm else (args[1], args[2])
            self.macs += a.shape[0] * a.shape[1] * a.shape[2] * b.shape[2]
        return out


class Wrap(torch.nn.Module):
    """Segmentation models return a dict; detection models take a list of images."""

    def __init__(self, m, kind):
        super().__init__()
        self.m, self.kind = m, kind

    def forward(self, x):
        if self.kind == "segmentation":
            return self.m(x)["out"]
        if self.kind == "detection":
            d = self.m([x[0]])[0]
            return d["boxes"], d["scores"], d["labels"]
        return self.m(x)


def build(name, kind):
    mod = {"classification": torchvision.models, "segmentation": torchvision.models.segmentation,
           "detection": torchvision.models.detection}[kind]
    kw = {"weights": None}
    if kind == "segmentation":
        kw["weights_backbone"] = None
        kw["aux_loss"] = False
    if kind == "detection":
        kw["weights_backbone"] = None
    if name in ("inception_v3", "googlenet"):
        kw["init_weights"] = True
    return Wrap(getattr(mod, name)(**kw).eval(), kind)


def main():
    out, strip = sys.argv[1], sys.argv[2]
    names = sys.argv[3:] or list(MODELS)
    os.makedirs(out, exist_ok=True)
    os.makedirs(strip, exist_ok=True)
    refs_path = os.path.join(strip, "refs.json")
    refs = json.load(open(refs_path)) if os.path.exists(refs_path) else {"models": {}}
    refs.update({"torch": torch.__version__, "torchvision": torchvision.__version__, "onnx": onnx.__version__,
                 "command": "/usr/bin/python3 scripts/reference/export-torchvision13.py /tmp/tv13 test/onnx/fixtures/torchvision13"})
    for name in names:
        kind, shape = MODELS[name]
        torch.manual_seed(0)
        m = build(name, kind)
        x = torch.randn(*shape)
        counter = MacCounter()
        grad = torch.enable_grad if name in GRAD_ON else torch.no_grad
        with grad(), counter:
            m(x)
        for opset in OPSETS:
            key = f"{name}-op{opset}"
            path = os.path.join(out, key + ".onnx")
            t0 = time.time()
            try:
                with grad():
                    torch.onnx.export(m, (x,), path, opset_version=opset, input_names=["input"], do_constant_folding=True)
            except Exception as e:  # one model failing to export must not lose the others
                print(key, "export failed:", repr(e)[:300], flush=True)
                refs["models"][key] = {"exportFailed": repr(e)[:300]}
                continue
            model = onnx.load(path)
            g = model.graph
            init_elems = sum(math.prod(t.dims) for t in g.initializer)
            for t in g.initializer:
                if math.prod(t.dims) > 1024:
                    for f in ("raw_data", "float_data", "int64_data", "int32_data", "double_data"):
                        t.ClearField(f)
            onnx.save(model, os.path.join(strip, key + ".onnx"))
            refs["models"][key] = {
                "file": key + ".onnx",
                "model": name,
                "opset": opset,
                "inputShape": shape,
                "referenceMacs": counter.macs,
                "initializerElements": init_elems,
                "opTypes": sorted({(n.domain + "." if n.domain else "") + n.op_type for n in g.node}),
            }
            print(key, f"{time.time() - t0:.1f}s", counter.macs, init_elems, flush=True)
            with open(refs_path, "w") as f:
                json.dump(refs, f, indent=1, sort_keys=True)


main()
