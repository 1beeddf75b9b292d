/**
 * The block table: per block kind, its lowering, its stage width under the scaling rule, and
 * its JSON-schema branch. One compile-checked entry per kind — a kind added to StageSpec without
 * an entry here does not compile, so a new block is its spec type plus one entry.
 */
import type {Builder} from './builder.js'
import type {ActFn} from './ops.js'
import {makeDivisible, pyRound, scaleChannels} from './scaling.js'
import type {BlockKind, ScalingRule, StageSpec} from './spec.js'

/** Limits of a user spec's stages (schema maxima): larger values are refused as a typo or a bomb. */
export const MAX_SPEC_REPEATS = 1000
export const MAX_SPEC_CHANNELS = 1 << 16

/** What a block's lowering needs beyond its stage: the scaled widths and the base's activation. */
export interface BlockContext {
  act: ActFn
  rule: ScalingRule
  /** Scale a channel count by the point's width under the base's rule. */
  ch: (c: number) => number
}

type Stage<K extends BlockKind> = Extract<StageSpec, {block: K}>

export interface BlockEntry<K extends BlockKind> {
  /** The stage's output channels at the point (most kinds: ctx.ch(out)). */
  out: (st: Stage<K>, ctx: BlockContext) => number
  /** Lower one block; `stride` is the stage's for its first block, 1 after. Returns the output tensor. */
  lower: (b: Builder, n: BlockNames, x: number, out: number, stride: number, st: Stage<K>, ctx: BlockContext) => number
  /** Most ops one block lowers to (the size guard bounds a network before lowering it). */
  maxOps: number
  /** The kind's JSON-schema branch of a user spec (`block` itself is added by the schema). */
  schema: {required: readonly string[]; properties: Record<string, object>}
}

/** Far above any real network (ResNet-152 has 36 blocks in a stage), far below a resource bomb. */
const repeats = {type: 'integer', minimum: 1, maximum: MAX_SPEC_REPEATS} as const
const channels = {type: 'integer', minimum: 1, maximum: MAX_SPEC_CHANNELS} as const
const stride = {type: 'integer', enum: [1, 2, 3, 4]} as const
const kernel = {type: 'integer', minimum: 1, maximum: 15} as const
const expand = {type: 'number', minimum: 1, maximum: 64} as const

/** Op names depend only on (stage, block), never on the point: built once, reused (a hot path). */
const PARTS = [
  'expand', 'dw', 'se.pool', 'se.reduce', 'se.expand', 'se.scale', 'project', 'add', 'pw', 'conv1', 'conv2', 'conv3',
  'downsample', 'out.act', 'fused', 'pre.norm', 'pre.conv', 'norm', 'mlp1', 'mlp2', 'layer-scale',
] as const
export type BlockNames = Record<(typeof PARTS)[number], string>
export const namesOf = (block: string): BlockNames => Object.fromEntries(PARTS.map((p) => [p, `${block}.${p}`])) as BlockNames

/** Squeeze-excite on tensor y (c channels): pool, reduce (act), expand (gate), scale. */
function squeezeExcite(b: Builder, n: BlockNames, y: number, squeezed: number, act: ActFn, gate: ActFn): number {
  const s0 = b.gap(n['se.pool'], y)
  const s1 = b.biasConv(n['se.reduce'], s0, squeezed, act)
  const s2 = b.biasConv(n['se.expand'], s1, b.tensors[y].c, gate)
  return b.binary('mul', n['se.scale'], y, s2)
}

const residual = (b: Builder, n: BlockNames, y: number, x: number, stride: number): number =>
  stride === 1 && b.tensors[x].c === b.tensors[y].c ? b.binary('add', n.add, y, x) : y

export const BLOCKS: {[K in BlockKind]: BlockEntry<K>} = {
  mbconv: {
    maxOps: 8,
    out: (st, ctx) => ctx.ch(st.out),
    lower: (b, n, x, out, stride, st, ctx) => {
      const inC = b.tensors[x].c
      const mid = Math.round(inC * st.expand)
      let y = x
      if (st.expand !== 1) y = b.conv(n.expand, y, mid, 1, 1, 1, ctx.act)
      y = b.conv(n.dw, y, mid, st.kernel, stride, mid, ctx.act)
      // Squeeze width from the block's input channels, as the reference code does.
      if (st.se > 0) y = squeezeExcite(b, n, y, Math.max(1, Math.floor(inC * st.se)), ctx.act, 'sigmoid')
      y = b.conv(n.project, y, out, 1, 1, 1, null)
      return residual(b, n, y, x, stride)
    },
    schema: {
      required: ['repeats', 'kernel', 'stride', 'expand', 'out'],
      properties: {repeats, kernel, stride, expand, se: {type: 'number', minimum: 0, maximum: 1, default: 0}, out: channels},
    },
  },
  dwsep: {
    maxOps: 2,
    out: (st, ctx) => ctx.ch(st.out),
    lower: (b, n, x, out, stride, st, ctx) => {
      const inC = b.tensors[x].c
      const y = b.conv(n.dw, x, inC, st.kernel, stride, inC, ctx.act)
      return b.conv(n.pw, y, out, 1, 1, 1, ctx.act)
    },
    schema: {required: ['repeats', 'kernel', 'stride', 'out'], properties: {repeats, kernel, stride, out: channels}},
  },
  bottleneck: {
    maxOps: 6,
    out: (st, ctx) => ctx.ch(st.out),
    lower: (b, n, x, out, stride, st, ctx) => {
      const mid = ctx.ch(st.mid)
      let y = b.conv(n.conv1, x, mid, 1, 1, 1, ctx.act)
      y = b.conv(n.conv2, y, mid, 3, stride, 1, ctx.act)
      y = b.conv(n.conv3, y, out, 1, 1, 1, null)
      const shortcut = stride !== 1 || b.tensors[x].c !== out ? b.conv(n.downsample, x, out, 1, stride, 1, null, 'shortcut') : x
      return b.act(n['out.act'], b.binary('add', n.add, y, shortcut), ctx.act)
    },
    schema: {required: ['repeats', 'stride', 'mid', 'out'], properties: {repeats, stride, mid: channels, out: channels}},
  },
  'fused-mbconv': {
    maxOps: 3,
    out: (st, ctx) => ctx.ch(st.out),
    lower: (b, n, x, out, stride, st, ctx) => {
      const inC = b.tensors[x].c
      const mid = scaleChannels(inC, st.expand, ctx.rule)
      let y: number
      if (mid !== inC) {
        y = b.conv(n.fused, x, mid, st.kernel, stride, 1, ctx.act)
        y = b.conv(n.project, y, out, 1, 1, 1, null)
      } else {
        y = b.conv(n.fused, x, out, st.kernel, stride, 1, ctx.act)
      }
      return residual(b, n, y, x, stride)
    },
    schema: {required: ['repeats', 'kernel', 'stride', 'expand', 'out'], properties: {repeats, kernel, stride, expand, out: channels}},
  },
  mbconv3: {
    maxOps: 8,
    out: (st, ctx) => ctx.ch(st.out),
    lower: (b, n, x, out, stride, st, ctx) => {
      const inC = b.tensors[x].c
      const mid = ctx.ch(st.expanded)
      const act: ActFn = st.act
      let y = x
      if (mid !== inC) y = b.conv(n.expand, y, mid, 1, 1, 1, act)
      y = b.conv(n.dw, y, mid, st.kernel, stride, mid, act)
      if (st.se) y = squeezeExcite(b, n, y, makeDivisible(Math.floor(mid / 4), ctx.rule.divisor, ctx.rule.maxRoundDown), 'relu', 'hardsigmoid')
      y = b.conv(n.project, y, out, 1, 1, 1, null)
      return residual(b, n, y, x, stride)
    },
    schema: {
      required: ['repeats', 'kernel', 'stride', 'expanded', 'se', 'act', 'out'],
      properties: {repeats, kernel, stride, expanded: channels, se: {type: 'boolean'}, act: {enum: ['relu', 'hardswish']}, out: channels},
    },
  },
  regnet: {
    maxOps: 11,
    // RegNet's width quantisation: the bottleneck width is a multiple of the group width
    // (torchvision _adjust_widths_groups_compatibilty), then the stage width follows from it.
    out: (st, ctx) => {
      const w = ctx.ch(st.out)
      const wb = Math.trunc(w * st.bottleneck)
      return Math.trunc(makeDivisible(wb, Math.min(st.groupWidth, wb)) / st.bottleneck)
    },
    lower: (b, n, x, out, stride, st, ctx) => {
      const inC = b.tensors[x].c
      const wb = pyRound(out * st.bottleneck)
      const groups = Math.floor(wb / Math.min(st.groupWidth, Math.trunc(out * st.bottleneck)))
      let y = b.conv(n.conv1, x, wb, 1, 1, 1, ctx.act)
      y = b.conv(n.conv2, y, wb, 3, stride, groups, ctx.act)
      if (st.se > 0) y = squeezeExcite(b, n, y, pyRound(st.se * inC), ctx.act, 'sigmoid')
      y = b.conv(n.conv3, y, out, 1, 1, 1, null)
      const shortcut = stride !== 1 || inC !== out ? b.conv(n.downsample, x, out, 1, stride, 1, null, 'shortcut') : x
      return b.act(n['out.act'], b.binary('add', n.add, y, shortcut), ctx.act)
    },
    schema: {
      required: ['repeats', 'stride', 'groupWidth', 'out'],
      properties: {
        repeats,
        stride,
        groupWidth: channels,
        bottleneck: {type: 'number', minimum: 0.0625, maximum: 16, default: 1},
        se: {type: 'number', minimum: 0, maximum: 1, default: 0},
        out: channels,
      },
    },
  },
  convnext: {
    maxOps: 9,
    out: (st, ctx) => ctx.ch(st.out),
    lower: (b, n, x, out, stride, st) => {
      let input = x
      if (stride !== 1 || b.tensors[x].c !== out) {
        const normed = b.perChannel('layernorm', n['pre.norm'], x)
        input = b.plainConv(n['pre.conv'], normed, out, stride, stride, 1, 0, 'downsample')
      }
      let y = b.plainConv(n.dw, input, out, st.kernel, 1, out, (st.kernel - 1) >> 1, 'main')
      y = b.perChannel('layernorm', n.norm, y)
      y = b.biasConv(n.mlp1, y, Math.round(st.expand * out), 'gelu', 'mlp')
      y = b.biasConv(n.mlp2, y, out, null, 'mlp')
      y = b.perChannel('scale', n['layer-scale'], y)
      return b.binary('add', n.add, y, input)
    },
    schema: {
      required: ['repeats', 'stride', 'out'],
      properties: {repeats, stride, kernel: {...kernel, default: 7}, expand: {...expand, default: 4}, out: channels},
    },
  },
}

/** A user's stage with the schema's defaults filled in (the schema is the one source of them). */
export function withDefaults(st: StageSpec): StageSpec {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(BLOCKS[st.block].schema.properties)) if ('default' in v) out[k] = (v as {default: unknown}).default
  return {...out, ...st} as StageSpec
}
