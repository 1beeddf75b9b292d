/**
 * The lowering's own check: a network (a --spec, a base at a scaled point) with a layer no
 * runtime could build is refused, naming the stage and the layer, instead of being costed with
 * empty outputs. Windows (conv, max-pool) must fit their padded input and leave an output of at
 * least 1 × 1; groups must divide both channel counts. One pass over the op list: cheap next to
 * the lowering itself, which runs in the hot loops of searches and grids.
 */
import {UserError} from '../errors.js'
import type {Lowered, Op} from './ops.js'

/** Returns `net` unchanged when every layer can be built; otherwise throws a UserError naming it. */
export function validateLowered(net: Lowered): Lowered {
  const input = net.tensors[0]
  if (!(input.c >= 1 && input.h >= 1 && input.w >= 1)) {
    throw new UserError(`${net.network}: input ${input.c}×${input.h}×${input.w} is empty`)
  }
  for (const op of net.ops) {
    // The fast test allocates nothing; problem() then says what is wrong.
    const o = op.out
    let bad = !(o.c >= 1 && o.h >= 1 && o.w >= 1)
    if (op.kind === 'conv' || op.kind === 'maxpool') {
      const smallest = op.kernel - 2 * op.pad
      if (op.in.h < smallest || op.in.w < smallest) bad = true
      if (op.kind === 'conv' && (!Number.isInteger(op.groups) || op.groups < 1 || op.in.c % op.groups !== 0 || o.c % op.groups !== 0)) bad = true
    }
    if (bad) throw new UserError(`${net.network} at ${input.h} px: ${stageLabel(op.stage)}, layer ${op.name}: ${problem(op) ?? 'cannot be built'}`)
  }
  return net
}

/** "stage2" is the spec's stages[1]: say both, so a user finds it in their file. */
function stageLabel(stage: string): string {
  const m = /^stage(\d+)$/.exec(stage)
  return m ? `${stage} (stages[${Number(m[1]) - 1}])` : stage
}

function problem(op: Op): string | undefined {
  switch (op.kind) {
    case 'conv':
    case 'maxpool': {
      const {kernel, pad} = op
      for (const [axis, size] of [['height', op.in.h], ['width', op.in.w]] as const) {
        const padded = size + 2 * pad
        if (kernel > padded) {
          return `kernel ${kernel} is larger than its input's ${axis} ${size} px padded to ${padded}; use a larger image size, a smaller kernel or fewer stride-2 stages`
        }
      }
      if (op.kind === 'conv') {
        const {groups} = op
        if (!(Number.isInteger(groups) && groups >= 1)) return `group count ${groups} must be a whole number ≥ 1`
        if (op.in.c % groups !== 0 || op.out.c % groups !== 0) return `${groups} groups do not divide its ${op.in.c} input and ${op.out.c} output channels`
      }
      return emptyOutput(op)
    }
    case 'act':
    case 'gap':
    case 'mul':
    case 'add':
    case 'linear':
    case 'layernorm':
    case 'scale':
      return emptyOutput(op)
    default: {
      const unknown: never = op
      return `unknown op ${JSON.stringify(unknown)}`
    }
  }
}

function emptyOutput(op: Op): string | undefined {
  const {c, h, w} = op.out
  return c >= 1 && h >= 1 && w >= 1 ? undefined : `output ${c}×${h}×${w} is empty (every size must be ≥ 1)`
}
