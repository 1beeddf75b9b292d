import {Flags} from '@oclif/core'
import {resolveTarget} from '../arch/target.js'
import {EffscaleCommand} from '../cli/base-command.js'
import {bytes, grouped, human, parsePositiveInt} from '../cli/numbers.js'
import {countRows, renderTable} from '../cli/table.js'
import {hasTargetFlags, targetFlags, targetFromFlags} from '../cli/target-flags.js'
import {BREAKDOWNS, type Breakdown} from '../flops/count.js'
import {familyVsPaper, type FamilyRow} from '../flops/family-table.js'
import {CONVENTION, costTarget, type CostResult} from '../flops/index.js'
import {DTYPE_BYTES, type DType} from '../flops/memory.js'
import {readTable2} from '../flops/paper.js'
import {UserError} from '../errors.js'
import type {OnnxFlopsResult} from '../onnx/cli.js'

export interface FamilyResult {
  convention: typeof CONVENTION
  models: FamilyRow[]
}

export type FlopsResult = CostResult | FamilyResult | OnnxFlopsResult

export default class Flops extends EffscaleCommand<FlopsResult> {
  static override summary = 'Exact analytic MACs, FLOPs, params, activations and memory of any scaling of a network'
  static override description = `MACs = multiply-accumulates (what the EfficientNet paper, torchvision and timm call "FLOPs"); FLOPs = 2 × MACs.
With no flags, prints EfficientNet-B0…B7 beside the paper's Table 2.`

  static override examples = [
    '<%= config.bin %> flops',
    '<%= config.bin %> flops --model efficientnet-b3',
    '<%= config.bin %> flops --base efficientnet-b0 --depth 1.4 --width 1.2 --resolution 1.3',
    '<%= config.bin %> flops --base efficientnet-b0 --phi 3 --alpha 1.2 --beta 1.1 --gamma 1.15',
    '<%= config.bin %> flops --base resnet-50 --width 2 --breakdown stage',
    '<%= config.bin %> flops --spec my-net.json --depth 2',
    '<%= config.bin %> flops --model efficientnet-b0 --json',
    '<%= config.bin %> flops --onnx model.onnx --input-shape 1x3x224x224 --breakdown node',
    '<%= config.bin %> flops --onnx detector.onnx --input-value sizes=1,3,640,640 --rules my-ops.json',
  ]

  static override flags = {
    ...targetFlags,
    breakdown: Flags.string({description: 'per-stage, per-op-kind or per-layer rows (per-node with --onnx)', options: [...BREAKDOWNS, 'node']}),
    onnx: Flags.string({description: 'profile this ONNX file instead of a network', helpGroup: 'ONNX'}),
    'input-shape': Flags.string({description: 'shape for dynamic input dims of --onnx, e.g. 1x3x224x224', helpGroup: 'ONNX'}),
    'input-value': Flags.string({description: 'values of a small integer or scale input of --onnx, e.g. sizes=1,3,448,448 (repeatable)', helpGroup: 'ONNX', multiple: true}),
    shapes: Flags.string({description: 'where shapes come from: static inference, or one seeded onnxruntime run where inference cannot know them (ort)', helpGroup: 'ONNX', options: ['static', 'ort'], default: 'static'}),
    rules: Flags.string({description: 'JSON rule file costing op types the profiler lacks (see docs/onnx-profile.md)', helpGroup: 'ONNX'}),
    batch: Flags.string({description: 'batch size for the peak activation memory estimate', default: '1'}),
    dtype: Flags.string({description: 'element type of the bytes read and written (memory traffic)', options: Object.keys(DTYPE_BYTES), default: 'fp32'}),
  }

  async run(): Promise<FlopsResult> {
    const {flags} = await this.parse(Flops)
    if (flags.onnx !== undefined) {
      if (hasTargetFlags(flags)) throw new UserError('--onnx conflicts with --model/--base/--spec and point flags: give one of them')
      // Imported only here: onnx-proto is not needed to cost a network.
      const {flopsOnnx, renderOnnx} = await import('../onnx/cli.js')
      const result = await flopsOnnx(flags.onnx, flags)
      this.log(renderOnnx(result))
      return result
    }
    for (const f of ['input-shape', 'input-value', 'rules'] as const) if (flags[f] !== undefined) throw new UserError(`--${f} needs --onnx`)
    if (flags.shapes !== 'static') throw new UserError('--shapes needs --onnx')
    if (flags.breakdown === 'node') throw new UserError('--breakdown node needs --onnx')
    if (!hasTargetFlags(flags)) {
      const result: FamilyResult = {convention: CONVENTION, models: familyVsPaper(readTable2())}
      this.log(renderFamily(result))
      return result
    }
    const batch = parsePositiveInt('--batch', flags.batch)!
    const result = costTarget(resolveTarget(targetFromFlags(flags)), {batch, breakdown: flags.breakdown as Breakdown, dtype: flags.dtype as DType})
    this.log(renderCost(result))
    return result
  }
}

const pct = (x: number | null) => (x === null ? '—' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`)
function renderFamily(r: FamilyResult): string {
  const rows = r.models.map((m) => [
    m.model,
    m.imageSize,
    human(m.params),
    m.paper ? human(m.paper.params) : '—',
    human(m.macs),
    m.paper?.macs ? human(m.paper.macs) : '—',
    pct(m.macsDeviation),
    m.paper ? m.paper.top1.toFixed(1) : '—',
  ])
  return [
    'EfficientNet-B0…B7: effscale (exact, analytic) beside the paper (Table 2, rounded)',
    r.convention,
    '',
    renderTable(['model', 'image', 'params', 'paper params', 'MACs', 'paper MACs', 'Δ MACs', 'paper top-1'], rows),
  ].join('\n')
}

function renderCost(r: CostResult): string {
  const p = r.point
  const m = r.memory
  const lines = [
    `${r.model}  (base ${r.base}: depth ×${fmt(p.depth)}, width ×${fmt(p.width)}, resolution ×${fmt(p.resolution)} = ${p.imageSize} px)`,
    r.convention,
    '',
    renderTable(
      ['figure', 'value', 'exact'],
      [
        ...countRows(r),
        ['activations', human(r.activations), grouped(r.activations)],
        [`bytes read + written (${r.dtype}, fused)`, bytes(r.bytes), grouped(r.bytes)],
        ['MACs per byte', r.intensity.toFixed(2), ''],
        ['weights fp32 / fp16 / int8', `${bytes(m.weightBytes.fp32)} / ${bytes(m.weightBytes.fp16)} / ${bytes(m.weightBytes.int8)}`, ''],
        [
          `peak activations, batch ${m.batch} (fp32 / fp16)`,
          `${bytes(m.peakActivationBytes.fp32)} / ${bytes(m.peakActivationBytes.fp16)}`,
          `at ${m.peakAt}`,
        ],
      ],
    ),
  ]
  if (r.breakdown) {
    lines.push(
      '',
      'bytes: each op reads its inputs and weights once and writes its output once; conv + BN + activation is one kernel.',
      renderTable(
        ['part', 'ops', 'output', 'MACs', '% MACs', 'params', 'activations', 'bytes', '% bytes', 'MACs/B'],
        r.breakdown.map((b) => [
          b.key,
          b.count,
          b.out,
          human(b.macs),
          `${((100 * b.macs) / r.macs).toFixed(1)}%`,
          human(b.params),
          human(b.activations),
          bytes(b.bytes),
          `${((100 * b.bytes) / r.bytes).toFixed(1)}%`,
          b.intensity.toFixed(1),
        ]),
      ),
    )
  }
  return lines.join('\n')
}

const fmt = (x: number) => String(Number(x.toFixed(4)))
