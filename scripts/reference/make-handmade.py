"""
Hand-made ONNX graphs for the profiler's tests (test/onnx/handmade.test.ts computes their MACs
by hand). Weights are zeros: only shapes matter.

    /usr/bin/python3 scripts/reference/make-handmade.py test/onnx/fixtures/handmade
"""
import os, sys

import numpy as np
import onnx
from onnx import TensorProto as T, helper as h, numpy_helper as nh

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def init(name, shape, dtype=np.float32):
    return nh.from_array(np.zeros(shape, dtype=dtype), name)


def const(name, values, dtype=np.int64):
    return nh.from_array(np.array(values, dtype=dtype), name)


def vi(name, shape, t=T.FLOAT):
    return h.make_tensor_value_info(name, t, shape)


def save(name, nodes, inputs, outputs, inits=(), opset=17, domains=()):
    g = h.make_graph(nodes, name, inputs, outputs, list(inits))
    m = h.make_model(g, opset_imports=[h.make_opsetid("", opset), *[h.make_opsetid(d, 1) for d in domains]])
    m.ir_version = 8
    onnx.save(m, os.path.join(out, name + ".onnx"))


# Attention scores: Einsum bhqd,bhkd->bhqk.
save("einsum", [h.make_node("Einsum", ["q", "k"], ["s"], equation="bhqd,bhkd->bhqk")],
     [vi("q", [2, 4, 8, 16]), vi("k", [2, 4, 10, 16])], [vi("s", None)])

# MatMul broadcasting batch dims [3, 1] with [4].
save("matmul-broadcast", [h.make_node("MatMul", ["a", "b"], ["y"])], [vi("a", [3, 1, 5, 6]), vi("b", [4, 6, 7])], [vi("y", None)])

# ConvTranspose, stride 2, pads 1, output_padding 1.
save("convtranspose-outpad", [h.make_node("ConvTranspose", ["x", "w"], ["y"], strides=[2, 2], pads=[1, 1, 1, 1], output_padding=[1, 1])],
     [vi("x", [1, 4, 5, 5])], [vi("y", None)], [init("w", [4, 6, 3, 3])])

# Conv with dilations 2×3, strides 2×1 and asymmetric pads (top 1, left 0, bottom 2, right 3).
save("conv-dilated-asym", [h.make_node("Conv", ["x", "w"], ["y"], dilations=[2, 3], strides=[2, 1], pads=[1, 0, 2, 3])],
     [vi("x", [1, 3, 20, 17])], [vi("y", None)], [init("w", [8, 3, 3, 3])])

# LayerNormalization (opset 17) then a projection.
save("layernorm17", [h.make_node("LayerNormalization", ["x", "g", "b"], ["n"], axis=-1), h.make_node("MatMul", ["n", "w"], ["y"])],
     [vi("x", [2, 5, 8])], [vi("y", None)], [init("g", [8]), init("b", [8]), init("w", [8, 4])])

# Loop: 3 iterations of a [2,4]×[4,4] MatMul on the carried value (W from the outer scope), with a scan output.
body = h.make_graph(
    [h.make_node("Identity", ["cond_in"], ["cond_out"]), h.make_node("MatMul", ["h_in", "W"], ["h_out"]), h.make_node("Relu", ["h_out"], ["scan"])],
    "body", [vi("i", [], T.INT64), vi("cond_in", [], T.BOOL), vi("h_in", [2, 4])], [vi("cond_out", [], T.BOOL), vi("h_out", [2, 4]), vi("scan", [2, 4])])
save("loop", [h.make_node("Loop", ["M", "", "x"], ["h", "hs"], body=body)], [vi("x", [2, 4])], [vi("h", None), vi("hs", None)],
     [const("M", 3), init("W", [4, 4])])

# If on a bool input: then = x·W1·W2 (two [2,4]×[4,4] MatMuls), else = x·W1.
then_g = h.make_graph([h.make_node("MatMul", ["x", "W1"], ["t1"]), h.make_node("MatMul", ["t1", "W2"], ["t"])], "then", [], [vi("t", [2, 4])])
else_g = h.make_graph([h.make_node("MatMul", ["x", "W1"], ["e"])], "else", [], [vi("e", [2, 4])])
save("if", [h.make_node("If", ["flag"], ["y"], then_branch=then_g, else_branch=else_g)], [vi("x", [2, 4]), vi("flag", [], T.BOOL)], [vi("y", None)],
     [init("W1", [4, 4]), init("W2", [4, 4])])

# QDQ: quantize/dequantize around a Conv with int8 weights (pads 1).
save("qdq", [
    h.make_node("QuantizeLinear", ["x", "s", "zp"], ["xq"]),
    h.make_node("DequantizeLinear", ["xq", "s", "zp"], ["xd"]),
    h.make_node("DequantizeLinear", ["wq", "ws"], ["wd"]),
    h.make_node("Conv", ["xd", "wd"], ["y"], pads=[1, 1, 1, 1]),
    h.make_node("QuantizeLinear", ["y", "s", "zp"], ["yq"]),
    h.make_node("DequantizeLinear", ["yq", "s", "zp"], ["yd"]),
], [vi("x", [1, 3, 8, 8])], [vi("yd", None)],
    [const("s", 0.1, np.float32), const("zp", 0, np.uint8), init("wq", [4, 3, 3, 3], np.int8), const("ws", 0.05, np.float32)])

# QLinearConv (no pads) then QLinearMatMul of the flattened result.
save("qlinearconv", [
    h.make_node("QuantizeLinear", ["x", "s", "zp"], ["xq"]),
    h.make_node("QLinearConv", ["xq", "s", "zp", "w", "s", "zp", "s", "zp"], ["c"]),
    h.make_node("Reshape", ["c", "flat"], ["f"]),
    h.make_node("QLinearMatMul", ["f", "s", "zp", "m", "s", "zp", "s", "zp"], ["y"]),
], [vi("x", [1, 3, 8, 8])], [vi("y", None, T.UINT8)],
    [const("s", 0.1, np.float32), const("zp", 0, np.uint8), init("w", [4, 3, 3, 3], np.uint8), const("flat", [1, 144]), init("m", [144, 10], np.uint8)])

# A custom-domain op between two 1×1 convs.
save("custom-op", [
    h.make_node("Conv", ["x", "w1"], ["a"]),
    h.make_node("Fancy", ["a"], ["b"], domain="com.example"),
    h.make_node("Conv", ["b", "w2"], ["y"]),
], [vi("x", [1, 3, 8, 8])], [vi("y", None)], [init("w1", [4, 3, 1, 1]), init("w2", [2, 4, 1, 1])], domains=["com.example"])

# The Reshape target is a graph input: the Conv after it (27,648 MACs) cannot be costed without its value.
save("reshape-from-input", [
    h.make_node("Reshape", ["x", "shape"], ["r"]),
    h.make_node("Conv", ["r", "w"], ["y"], pads=[1, 1, 1, 1]),
], [vi("x", [3072]), vi("shape", [4], T.INT64)], [vi("y", None)], [init("w", [1, 3, 3, 3])])

# NonZero of |x| + 1 (never zero: 48 hits for [1,3,4,4], but only a run can tell), then a [48,4] × [4,8] MatMul.
save("nonzero", [
    h.make_node("Abs", ["x"], ["a"]),
    h.make_node("Add", ["a", "one"], ["p"]),
    h.make_node("NonZero", ["p"], ["nz"]),
    h.make_node("Transpose", ["nz"], ["t"], perm=[1, 0]),
    h.make_node("Cast", ["t"], ["f"], to=T.FLOAT),
    h.make_node("MatMul", ["f", "w"], ["y"]),
], [vi("x", [1, 3, 4, 4])], [vi("y", None)], [const("one", 1.0, np.float32), init("w", [4, 8])])

# Scan over 5 rows of x [5, 4]: each step multiplies the state [1, 4] by W [4, 4] and adds the row.
scan_body = h.make_graph(
    [h.make_node("MatMul", ["s_in", "W"], ["m"]), h.make_node("Add", ["m", "row"], ["s_out"]), h.make_node("Identity", ["s_out"], ["y_t"])],
    "scan_body", [vi("s_in", [1, 4]), vi("row", [4])], [vi("s_out", [1, 4]), vi("y_t", [1, 4])])
save("scan", [h.make_node("Scan", ["s0", "x"], ["s", "ys"], body=scan_body, num_scan_inputs=1)], [vi("s0", [1, 4]), vi("x", [5, 4])],
     [vi("s", None), vi("ys", None)], [init("W", [4, 4])])

# Loop whose trip count is a graph input: data-dependent until --input-value gives it.
save("loop-dynamic", [h.make_node("Loop", ["M", "", "x"], ["h", "hs"], body=body)], [vi("x", [2, 4]), vi("M", [], T.INT64)], [vi("h", None), vi("hs", None)],
     [init("W", [4, 4])])
