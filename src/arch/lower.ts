import type {ActFn, Lowered, Op, Shape} from './ops.js'
import {convOut} from './ops.js'
import {scaleChannels, scaleHead, scaleRepeats} from './scaling.js'
import type {BaseSpec, DWSepStage, MBConvStage, Point} from './spec.js'
import {validateLowered} from './validate.js'

/**
 * The one lowering: base + rule + point → flat op list with concrete shapes.
 * Conventions follow the TF reference / torchvision: convs without bias, each followed by BN
 * (SE convs and the classifier have a bias and no BN), symmetric padding (k − 1) / 2.
 */
export function lower(base: BaseSpec, point: Point): Lowered {
  const b = new Builder({c: base.inputChannels, h: point.imageSize, w: point.imageSize})
  const rule = base.scaling
  const act: ActFn = base.activation
  const ch = (c: number) => scaleChannels(c, point.width, rule)

  // Stem.
  b.stage = 'stem'
  const stemOut = rule.scaleStem ? ch(base.stem.out) : base.stem.out
  let x = b.conv('stem', 0, stemOut, base.stem.kernel, base.stem.stride, 1, act)
  if (base.stem.maxpool) {
    const {kernel, stride} = base.stem.maxpool
    x = b.maxpool('stem.pool', x, kernel, stride, (kernel - 1) >> 1)
  }

  // Stages.
  base.stages.forEach((st, i) => {
    b.stage = stageName(i)
    const out = ch(st.out)
    const repeats = scaleRepeats(st.repeats, point.depth, rule)
    for (let j = 0; j < repeats; j++) {
      const stride = j === 0 ? st.stride : 1
      const name = blockNames(i, j)
      if (st.block === 'mbconv') x = mbconv(b, name, x, out, stride, st, act)
      else if (st.block === 'dwsep') x = dwsep(b, name, x, out, stride, st, act)
      else x = bottleneck(b, name, x, out, ch(st.mid), stride, act)
    }
  })

  // Head, pooling, classifier.
  if (base.head) {
    b.stage = 'head'
    x = b.conv('head', x, scaleHead(base.head.out, point.width, rule), 1, 1, 1, act)
  }
  b.stage = 'classifier'
  x = b.gap('classifier.pool', x)
  b.linear('classifier.fc', x, base.numClasses)
  return validateLowered({network: base.name, tensors: b.tensors, ops: b.ops, stages: b.stages, numClasses: base.numClasses})
}

/**
 * Op names depend only on (stage, block), never on the point: they are built once and reused,
 * since string building was the largest cost of lowering (a hot path of grids and searches).
 */
function namesOf(block: string) {
  const parts = ['expand', 'dw', 'se.pool', 'se.reduce', 'se.expand', 'se.scale', 'project', 'add', 'pw', 'conv1', 'conv2', 'conv3', 'downsample', 'out.act'] as const
  return Object.fromEntries(parts.map((p) => [p, `${block}.${p}`])) as Record<(typeof parts)[number], string>
}
type BlockNames = ReturnType<typeof namesOf>
const BLOCK_NAMES: BlockNames[][] = []
const STAGE_NAMES: string[] = []
const stageName = (i: number): string => (STAGE_NAMES[i] ??= `stage${i + 1}`)
const blockNames = (i: number, j: number): BlockNames => ((BLOCK_NAMES[i] ??= [])[j] ??= namesOf(`${stageName(i)}.block${j + 1}`))

function mbconv(b: Builder, n: BlockNames, x: number, out: number, stride: number, st: MBConvStage, act: ActFn): number {
  const inC = b.tensors[x].c
  const mid = Math.round(inC * st.expand)
  let y = x
  if (st.expand !== 1) y = b.conv(n.expand, y, mid, 1, 1, 1, act)
  y = b.conv(n.dw, y, mid, st.kernel, stride, mid, act)
  if (st.se > 0) {
    // Squeeze width from the block's input channels, as the reference code does.
    const squeezed = Math.max(1, Math.floor(inC * st.se))
    const s0 = b.gap(n['se.pool'], y)
    const s1 = b.biasConv(n['se.reduce'], s0, squeezed, act)
    const s2 = b.biasConv(n['se.expand'], s1, mid, 'sigmoid')
    y = b.binary('mul', n['se.scale'], y, s2)
  }
  y = b.conv(n.project, y, out, 1, 1, 1, null)
  if (stride === 1 && inC === out) y = b.binary('add', n.add, y, x)
  return y
}

function dwsep(b: Builder, n: BlockNames, x: number, out: number, stride: number, st: DWSepStage, act: ActFn): number {
  const inC = b.tensors[x].c
  const y = b.conv(n.dw, x, inC, st.kernel, stride, inC, act)
  return b.conv(n.pw, y, out, 1, 1, 1, act)
}

function bottleneck(b: Builder, n: BlockNames, x: number, out: number, mid: number, stride: number, act: ActFn): number {
  let y = b.conv(n.conv1, x, mid, 1, 1, 1, act)
  y = b.conv(n.conv2, y, mid, 3, stride, 1, act)
  y = b.conv(n.conv3, y, out, 1, 1, 1, null)
  let shortcut = x
  if (stride !== 1 || b.tensors[x].c !== out) {
    shortcut = b.conv(n.downsample, x, out, 1, stride, 1, null)
  }
  return b.act(n['out.act'], b.binary('add', n.add, y, shortcut), act)
}

/**
 * Appends ops and allocates tensors; each method returns the new tensor id. Every op is built
 * as one complete literal (no spreads or later field writes): lowering is on the hot path of
 * sweeps, searches and budget checks.
 */
class Builder {
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
  conv(name: string, x: number, outC: number, kernel: number, stride: number, groups: number, act: ActFn | null): number {
    return this.convOp(name, x, outC, kernel, stride, groups, false, true, act)
  }

  /** Conv with bias, no BN (squeeze-excite). */
  biasConv(name: string, x: number, outC: number, act: ActFn): number {
    return this.convOp(name, x, outC, 1, 1, 1, true, false, act)
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
  ): number {
    const s = this.tensors[x]
    const pad = (kernel - 1) >> 1
    const out = {c: outC, h: convOut(s.h, kernel, stride, pad), w: convOut(s.w, kernel, stride, pad)}
    const output = this.alloc(out)
    this.ops.push({kind: 'conv', name, stage: this.current, inputs: [x], output, in: s, out, kernel, stride, pad, groups, bias, bn, act})
    return output
  }

  act(name: string, x: number, fn: ActFn): number {
    const s = this.tensors[x]
    const output = this.alloc(s)
    this.ops.push({kind: 'act', name, stage: this.current, inputs: [x], output, in: s, out: s, fn})
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
