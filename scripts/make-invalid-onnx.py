"""
Make the invalid-graph fixtures (fixtures/invalid-onnx/*.onnx): small ONNX graphs that no
runtime can execute — a cycle, a node reading its own output, duplicate names, Conv/Gemm/MatMul
inputs that disagree, kernels larger than their input, negative dims — plus valid twins the
profiler must still accept. Each file is built with onnx.helper and never passed through
onnx.checker (which would refuse it); the script then asks onnx's own checker and strict shape
inference about every file and writes what they said to verdicts.json, an independent record
of which files onnx itself calls invalid.

    /usr/bin/python3 scripts/make-invalid-onnx.py [OUTDIR]   (default fixtures/invalid-onnx; ran with onnx 1.12)
"""
import json, os, sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "fixtures", "invalid-onnx")
os.makedirs(out, exist_ok=True)
F = TensorProto.FLOAT


def inp(name, shape):
    return helper.make_tensor_value_info(name, F, shape)


def w(name, shape, seed=0):
    return numpy_helper.from_array(np.random.default_rng(seed).standard_normal(shape).astype(np.float32), name)


def save(name, nodes, inputs, outputs, inits=(), what=""):
    graph = helper.make_graph(nodes, name, inputs, outputs, initializer=list(inits))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="effscale-fixtures")
    model.ir_version = 8
    model.doc_string = what
    path = os.path.join(out, name + ".onnx")
    with open(path, "wb") as f:
        f.write(model.SerializeToString())
    return path


def conv(x, wname, y, name, **attrs):
    return helper.make_node("Conv", [x, wname], [y], name=name, **attrs)


cases = {}

# ---- structure --------------------------------------------------------------------------------
cases["cycle"] = save("cycle", [
    helper.make_node("Add", ["x", "z"], ["y"], name="add"),
    helper.make_node("Relu", ["y"], ["z"], name="relu"),
], [inp("x", [1, 4])], [inp("z", [1, 4])], what="add reads relu's output, relu reads add's")

cases["self-loop"] = save("self-loop", [
    helper.make_node("Add", ["x", "y"], ["y"], name="accumulate"),
], [inp("x", [1, 4])], [inp("y", [1, 4])], what="a node reads its own output")

cases["duplicate-output"] = save("duplicate-output", [
    helper.make_node("Relu", ["x"], ["y"], name="relu"),
    helper.make_node("Sigmoid", ["x"], ["y"], name="sigmoid"),
], [inp("x", [1, 4])], [inp("y", [1, 4])], what="two nodes write y")

cases["output-shadows-input"] = save("output-shadows-input", [
    helper.make_node("Relu", ["x"], ["x"], name="relu"),
], [inp("x", [1, 4])], [inp("x", [1, 4])], what="a node writes the graph input")

cases["undefined-input"] = save("undefined-input", [
    helper.make_node("Add", ["x", "ghost"], ["y"], name="add"),
], [inp("x", [1, 4])], [inp("y", [1, 4])], what="a node reads a value nothing defines")

cases["duplicate-initializer"] = save("duplicate-initializer", [
    helper.make_node("MatMul", ["x", "w"], ["y"], name="mm"),
], [inp("x", [2, 4])], [inp("y", [2, 3])], [w("w", [4, 3]), w("w", [4, 3], 1)], what="w defined twice")

cases["unsorted-dag"] = save("unsorted-dag", [
    helper.make_node("Relu", ["h"], ["y"], name="relu"),
    conv("x", "w", "h", "conv", pads=[1, 1, 1, 1]),
], [inp("x", [1, 3, 8, 8])], [inp("y", [1, 4, 8, 8])], [w("w", [4, 3, 3, 3])],
    what="valid: a DAG listed out of order (conv after its reader)")

cases["sorted-dag"] = save("sorted-dag", [
    conv("x", "w", "h", "conv", pads=[1, 1, 1, 1]),
    helper.make_node("Relu", ["h"], ["y"], name="relu"),
], [inp("x", [1, 3, 8, 8])], [inp("y", [1, 4, 8, 8])], [w("w", [4, 3, 3, 3])], what="valid: unsorted-dag in order")

# ---- shapes -----------------------------------------------------------------------------------
cases["conv-channels"] = save("conv-channels", [conv("x", "w", "y", "conv")],
    [inp("x", [1, 3, 8, 8])], [inp("y", [1, 4, 6, 6])], [w("w", [4, 5, 3, 3])], what="weight takes 5 channels, input has 3")

cases["conv-group-input"] = save("conv-group-input", [conv("x", "w", "y", "dw", group=4)],
    [inp("x", [1, 6, 8, 8])], [inp("y", [1, 8, 6, 6])], [w("w", [8, 1, 3, 3])], what="group 4 does not divide 6 input channels")

cases["conv-group-output"] = save("conv-group-output", [conv("x", "w", "y", "grouped", group=2)],
    [inp("x", [1, 4, 8, 8])], [inp("y", [1, 3, 6, 6])], [w("w", [3, 2, 3, 3])], what="group 2 does not divide 3 output channels")

cases["conv-bias"] = save("conv-bias", [helper.make_node("Conv", ["x", "w", "b"], ["y"], name="conv")],
    [inp("x", [1, 3, 8, 8])], [inp("y", [1, 4, 6, 6])], [w("w", [4, 3, 3, 3]), w("b", [5])], what="bias of 5 for 4 output channels")

cases["conv-kernel-too-big"] = save("conv-kernel-too-big", [conv("x", "w", "y", "conv")],
    [inp("x", [1, 3, 2, 2])], [inp("y", [1, 4, 1, 1])], [w("w", [4, 3, 3, 3])], what="3x3 kernel on an unpadded 2x2 input")

cases["conv-kernel-padded"] = save("conv-kernel-padded", [conv("x", "w", "y", "conv", pads=[1, 1, 1, 1])],
    [inp("x", [1, 3, 2, 2])], [inp("y", [1, 4, 2, 2])], [w("w", [4, 3, 3, 3])], what="valid: the same kernel with padding 1")

cases["maxpool-kernel-too-big"] = save("maxpool-kernel-too-big", [
    helper.make_node("MaxPool", ["x"], ["y"], name="pool", kernel_shape=[5, 5]),
], [inp("x", [1, 3, 4, 4])], [inp("y", [1, 3, 1, 1])], what="5x5 window on a 4x4 input")

cases["gemm-inner"] = save("gemm-inner", [helper.make_node("Gemm", ["x", "w"], ["y"], name="fc", transB=1)],
    [inp("x", [2, 4])], [inp("y", [2, 3])], [w("w", [3, 5])], what="A is 2x4, B^T is 5x3")

cases["matmul-inner"] = save("matmul-inner", [helper.make_node("MatMul", ["x", "w"], ["y"], name="mm")],
    [inp("x", [2, 4])], [inp("y", [2, 5])], [w("w", [3, 5])], what="A is 2x4, B is 3x5")

neg = TensorProto(name="w", data_type=F, dims=[4, -3])  # no data: weight-stripped, dims only
cases["negative-dim"] = save("negative-dim", [helper.make_node("MatMul", ["x", "w"], ["y"], name="mm")],
    [inp("x", [2, 4])], [inp("y", [2, 3])], [neg], what="an initializer with dims [4, -3]")

short = TensorProto(name="w", data_type=F, dims=[4, 3], raw_data=b"\0" * 8)
cases["data-short"] = save("data-short", [helper.make_node("MatMul", ["x", "w"], ["y"], name="mm")],
    [inp("x", [2, 4])], [inp("y", [2, 3])], [short], what="dims [4, 3] with 8 bytes of data")

cases["reshape-negative"] = save("reshape-negative", [
    helper.make_node("Reshape", ["x", "shape"], ["y"], name="reshape"),
], [inp("x", [2, 3])], [inp("y", [-2, -3])], [numpy_helper.from_array(np.array([-2, -3], dtype=np.int64), "shape")],
    what="reshape [2, 3] to [-2, -3]")

cases["convtranspose-negative"] = save("convtranspose-negative", [
    helper.make_node("ConvTranspose", ["x", "w"], ["y"], name="up", pads=[3, 3, 3, 3]),
], [inp("x", [1, 2, 2, 2])], [inp("y", [1, 2, 1, 1])], [w("w", [2, 2, 3, 3])],
    what="padding 3 on each side crops a 4x4 transposed-conv output to -2x-2")

cases["negative-input-dim"] = save("negative-input-dim", [helper.make_node("Relu", ["x"], ["y"], name="relu")],
    [inp("x", [1, -3])], [inp("y", [1, 3])], what="a graph input declared [1, -3]")

# ---- subgraphs --------------------------------------------------------------------------------
def branch(name, nodes, out):
    return helper.make_graph(nodes, name, [], [inp(out, [1, 4])])

cases["subgraph-undefined"] = save("subgraph-undefined", [
    helper.make_node("If", ["c"], ["y"], name="if",
                     then_branch=branch("then", [helper.make_node("Add", ["x", "ghost"], ["t"], name="add")], "t"),
                     else_branch=branch("else", [helper.make_node("Relu", ["x"], ["e"], name="relu")], "e")),
], [inp("x", [1, 4]), helper.make_tensor_value_info("c", TensorProto.BOOL, [])], [inp("y", [1, 4])],
    what="an If branch reads a value nothing defines")

cases["subgraph-cycle"] = save("subgraph-cycle", [
    helper.make_node("If", ["c"], ["y"], name="if",
                     then_branch=branch("then", [helper.make_node("Add", ["x", "b"], ["a"], name="add"),
                                                 helper.make_node("Relu", ["a"], ["b"], name="relu")], "b"),
                     else_branch=branch("else", [helper.make_node("Relu", ["x"], ["e"], name="relu")], "e")),
], [inp("x", [1, 4]), helper.make_tensor_value_info("c", TensorProto.BOOL, [])], [inp("y", [1, 4])],
    what="a cycle inside an If branch")

cases["subgraph-outer-order"] = save("subgraph-outer-order", [
    helper.make_node("If", ["c"], ["y"], name="if",
                     then_branch=branch("then", [helper.make_node("MatMul", ["h", "w"], ["t"], name="mm")], "t"),
                     else_branch=branch("else", [helper.make_node("Relu", ["h"], ["e"], name="relu")], "e")),
    helper.make_node("Relu", ["x"], ["h"], name="pre"),
], [inp("x", [1, 4]), helper.make_tensor_value_info("c", TensorProto.BOOL, [])], [inp("y", [1, 4])], [w("w", [4, 4])],
    what="valid: an If listed before the node making the outer value its branch reads")

verdicts = {"onnx": onnx.__version__, "files": {}}
for name, path in sorted(cases.items()):
    model = onnx.load(path)
    said = []
    try:
        onnx.checker.check_model(model, full_check=True)
        said.append("checker: ok")
    except Exception as e:
        said.append("checker: " + str(e).strip().splitlines()[0][:200])
    try:
        onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
        said.append("strict shape inference: ok")
    except Exception as e:
        said.append("strict shape inference: " + str(e).strip().splitlines()[0][:200])
    verdicts["files"][name + ".onnx"] = {"what": model.doc_string, "onnx": said}
    print(f"{name:24} {' | '.join(said)}")
with open(os.path.join(out, "verdicts.json"), "w") as f:
    json.dump(verdicts, f, indent=1)
    f.write("\n")
