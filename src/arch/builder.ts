import type {ActFn, ConvRole, Op, Shape} from './ops.js'
import {convOut} from './ops.js'

/**
 * Appends ops and allocates tensors; each method returns the new tensor id. Every op is built
 * as one complete literal (no spreads or later field writes): lowering is on the hot path of
 * sweeps, searches and budget checks.
 */
export class Builder {
  readonly tensors: Shape[]
  readonly ops: Op[] = []
  readonly stages: string[] = []
  private current = ''

  constructor(input: Shape) {
    this.tensors = [input]
  }

  set stage(s: string) {
    this.current = s
    this.stages.push(s)
  }

  get stage(): string {
    return this.current
  }

  /** Registers an op's output shape; returns the tensor id the op writes. */
  private alloc(out: Shape): number {
    this.tensors.push(out)
    return this.tensors.length - 1
  }

  /** Conv without bias + BN (+ activation): the network's ordinary layer. */
  conv(name: string, x: number, outC: number, kernel: number, stride: number, groups: number, act: ActFn | null, role: ConvRole = 'main'): number {
    return this.convOp(name, x, outC, kernel, stride, groups, false, true, act, role, (kernel - 1) >> 1)
  }

  /** 1x1 conv with bias, no BN: squeeze-excite ('se') or a per-pixel linear layer ('mlp'). */
  biasConv(name: string, x: number, outC: number, act: ActFn | null, role: 'se' | 'mlp' = 'se'): number {
    return this.convOp(name, x, outC, 1, 1, 1, true, false, act, role, 0)
  }

  /** Conv with bias, no BN, no activation, explicit padding (ConvNeXt's stem, depthwise and patch-merging convs). */
  plainConv(name: string, x: number, outC: number, kernel: number, stride: number, groups: number, pad: number, role: ConvRole): number {
    return this.convOp(name, x, outC, kernel, stride, groups, true, false, null, role, pad)
  }

  private convOp(
    name: string,
    x: number,
    outC: number,
    kernel: number,
    stride: number,
    groups: number,
    bias: boolean,
    bn: boolean,
    act: ActFn | null,
    role: ConvRole,
    pad: number,
  ): number {
    const s = this.tensors[x]
    const out = {c: outC, h: convOut(s.h, kernel, stride, pad), w: convOut(s.w, kernel, stride, pad)}
    const output = this.alloc(out)
    this.ops.push({kind: 'conv', name, stage: this.current, inputs: [x], output, in: s, out, kernel, stride, pad, groups, bias, bn, act, role})
    return output
  }

  act(name: string, x: number, fn: ActFn, {epilogue = false} = {}): number {
    const s = this.tensors[x]
    const output = this.alloc(s)
    this.ops.push({kind: 'act', name, stage: this.current, inputs: [x], output, in: s, out: s, fn, ...(epilogue ? {epilogue: true as const} : {})})
    return output
  }

  maxpool(name: string, x: number, kernel: number, stride: number, pad: number): number {
    const s = this.tensors[x]
    const out = {c: s.c, h: convOut(s.h, kernel, stride, pad), w: convOut(s.w, kernel, stride, pad)}
    const output = this.alloc(out)
    this.ops.push({kind: 'maxpool', name, stage: this.current, inputs: [x], output, in: s, out, kernel, stride, pad})
    return output
  }

  gap(name: string, x: number): number {
    const s = this.tensors[x]
    const out = {c: s.c, h: 1, w: 1}
    const output = this.alloc(out)
    this.ops.push({kind: 'gap', name, stage: this.current, inputs: [x], output, in: s, out})
    return output
  }

  /** Same-shape op on one tensor with learned per-channel parameters (LayerNorm, layer scale). */
  perChannel(kind: 'layernorm' | 'scale', name: string, x: number): number {
    const s = this.tensors[x]
    const output = this.alloc(s)
    this.ops.push({kind, name, stage: this.current, inputs: [x], output, in: s, out: s})
    return output
  }

  binary(kind: 'mul' | 'add', name: string, x: number, y: number): number {
    const s = this.tensors[x]
    const output = this.alloc(s)
    this.ops.push({kind, name, stage: this.current, inputs: [x, y], output, in: s, out: s})
    return output
  }

  linear(name: string, x: number, outF: number): number {
    const s = this.tensors[x]
    const out = {c: outF, h: 1, w: 1}
    const output = this.alloc(out)
    this.ops.push({kind: 'linear', name, stage: this.current, inputs: [x], output, in: s, out, bias: true})
    return output
  }
}
