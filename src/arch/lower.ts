import {BLOCKS, namesOf, type BlockContext, type BlockEntry, type BlockNames} from './blocks.js'
import {Builder} from './builder.js'
import type {Lowered} from './ops.js'
import {scaleChannels, scaleHead, scaleRepeats} from './scaling.js'
import type {BaseSpec, BlockKind, Point, StageSpec} from './spec.js'
import {validateLowered} from './validate.js'

/**
 * The one lowering: base + rule + point → flat op list with concrete shapes.
 * Conventions follow the TF reference / torchvision: convs without bias, each followed by BN
 * (SE convs and the classifier have a bias and no BN), symmetric padding (k − 1) / 2.
 * Each stage's blocks come from the block table (blocks.ts).
 */
export function lower(base: BaseSpec, point: Point): Lowered {
  const b = new Builder({c: base.inputChannels, h: point.imageSize, w: point.imageSize})
  const rule = base.scaling
  const ch = (c: number) => scaleChannels(c, point.width, rule)
  const ctx: BlockContext = {act: base.activation, rule, ch}

  // Stem.
  b.stage = 'stem'
  const stem = base.stem
  const stemOut = rule.scaleStem ? ch(stem.out) : stem.out
  let x: number
  if (stem.kind === 'patchify') {
    x = b.plainConv('stem', 0, stemOut, stem.kernel, stem.stride, 1, 0, 'main')
    x = b.perChannel('layernorm', 'stem.norm', x)
  } else {
    x = b.conv('stem', 0, stemOut, stem.kernel, stem.stride, 1, base.activation)
  }
  if (stem.maxpool) {
    const {kernel, stride} = stem.maxpool
    x = b.maxpool('stem.pool', x, kernel, stride, (kernel - 1) >> 1)
  }

  // Stages.
  base.stages.forEach((st, i) => {
    b.stage = stageName(i)
    const entry = BLOCKS[st.block] as unknown as BlockEntry<BlockKind>
    const out = entry.out(st as never, ctx)
    const repeats = scaleRepeats(st.repeats, point.depth, rule)
    for (let j = 0; j < repeats; j++) {
      x = entry.lower(b, blockNames(i, j), x, out, j === 0 ? st.stride : 1, st as StageSpec as never, ctx)
    }
  })

  // Head, pooling, classifier.
  if (base.head) {
    b.stage = 'head'
    const width = 'out' in base.head ? scaleHead(base.head.out, point.width, rule) : b.tensors[x].c * base.head.expand
    x = b.conv('head', x, width, 1, 1, 1, base.activation)
  }
  b.stage = 'classifier'
  x = b.gap('classifier.pool', x)
  const cls = base.classifier
  if (cls?.norm === 'layernorm') x = b.perChannel('layernorm', 'classifier.norm', x)
  if (cls?.hidden !== undefined) {
    x = b.linear('classifier.hidden', x, ch(cls.hidden))
    x = b.act('classifier.hidden.act', x, base.activation, {epilogue: true})
  }
  b.linear('classifier.fc', x, base.numClasses)
  return validateLowered({network: base.name, tensors: b.tensors, ops: b.ops, stages: b.stages, numClasses: base.numClasses})
}

const BLOCK_NAMES: BlockNames[][] = []
const STAGE_NAMES: string[] = []
const stageName = (i: number): string => (STAGE_NAMES[i] ??= `stage${i + 1}`)
const blockNames = (i: number, j: number): BlockNames => ((BLOCK_NAMES[i] ??= [])[j] ??= namesOf(`${stageName(i)}.block${j + 1}`))
