/** `effscale flops --onnx`: flag parsing and the human rendering, so flops.ts only dispatches. */
import {bytes, grouped, human} from '../cli/numbers.js'
import {countRows, renderTable} from '../cli/table.js'
import {UserError} from '../errors.js'
import {CONVENTION} from '../flops/count.js'
import {profileOnnxFileObserved} from './observe.js'
import {profileOnnxFile, type OnnxProfile} from './profile.js'
import {loadUserRules} from './user-rules.js'

export interface OnnxFlopsResult extends OnnxProfile {
  convention: typeof CONVENTION
}

/** "1x3x224x224" → [1, 3, 224, 224]. */
export function parseInputShape(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined
  const dims = text.split(/[x×,]/).map((s) => Number(s.trim()))
  if (dims.length === 0 || !dims.every((d) => Number.isInteger(d) && d > 0)) {
    throw new UserError(`--input-shape must be whole numbers > 0 joined by x (e.g. 1x3x224x224), got "${text}"`)
  }
  return dims
}

/** ["sizes=1,3,448,448", "k=5"] → {sizes: [1, 3, 448, 448], k: [5]}. */
export function parseInputValues(texts: readonly string[] | undefined): Record<string, number[]> | undefined {
  if (!texts?.length) return undefined
  const out: Record<string, number[]> = {}
  for (const text of texts) {
    const m = /^([^=]+)=(.+)$/.exec(text)
    const values = m?.[2].split(',').map((s) => Number(s.trim()))
    if (!m || !values!.every((v) => Number.isFinite(v))) {
      throw new UserError(`--input-value ${text}: give NAME=NUMBER[,NUMBER...] (e.g. sizes=1,3,448,448)`)
    }
    if (Object.hasOwn(out, m[1])) throw new UserError(`--input-value ${text}: input "${m[1]}" is given twice`)
    out[m[1]] = values!
  }
  return out
}

export const SHAPE_SOURCES = ['static', 'ort'] as const

export async function flopsOnnx(
  file: string, flags: {'input-shape'?: string; 'input-value'?: string[]; rules?: string; breakdown?: string; shapes?: string},
): Promise<OnnxFlopsResult> {
  if (flags.breakdown !== undefined && flags.breakdown !== 'node') throw new UserError(`--breakdown ${flags.breakdown} needs a network; with --onnx use --breakdown node`)
  const opts = {
    inputShape: parseInputShape(flags['input-shape']),
    inputValues: parseInputValues(flags['input-value']),
    userRules: flags.rules === undefined ? undefined : loadUserRules(flags.rules),
    nodes: flags.breakdown === 'node',
  }
  const p = flags.shapes === 'ort' ? await profileOnnxFileObserved(file, opts) : profileOnnxFile(file, opts)
  // Warnings go to stderr so stdout stays one JSON document under --json.
  for (const w of p.warnings) process.stderr.write(`effscale: warning: ${file}: ${w}\n`)
  return {convention: CONVENTION, ...p}
}

export function renderOnnx(r: OnnxFlopsResult): string {
  const shown = (i: OnnxFlopsResult['inputs'][number]) => `${i.name} ${i.dtype}[${i.shape.join('×')}]${i.values ? ` = ${i.values.join(',')}` : ''}`
  const rows = [...countRows(r, 'params (initializer elements)'), ['bytes read + written (fused)', bytes(r.bytes), grouped(r.bytes)]]
  // A count with uncosted nodes is only a lower bound: say so on the figures themselves.
  if (r.lowerBound) for (const row of rows) if (row[0] !== 'params (initializer elements)') row[0] = `${row[0]} ≥ (lower bound)`
  const lines = [`${r.file}  (inputs: ${r.inputs.map(shown).join(', ')})`, r.convention, '', renderTable(['figure', 'value', 'exact'], rows)]
  if (r.lowerBound) {
    lines.push('', `lower bound: ${r.uncountedNodes.length} node(s) not counted; first cause: ${r.uncountedNodes[0].cause}`)
  }
  if (r.observed) {
    const fed = r.observed.inputs.map((i) => `${i.name} ${i.dtype}[${i.shape.join('×')}]${i.values ? ' as given' : ''}`).join(', ')
    const n = r.observed.nodes.length
    lines.push('', `shapes observed in one onnxruntime run (seed ${r.observed.seed}; fed ${fed}): ${n === 0 ? 'none needed' : `${n} node(s): ${r.observed.nodes.slice(0, 5).join(', ')}${n > 5 ? ', …' : ''}`}`)
  }
  if (r.unsupportedOps.length) lines.push('', `unsupported ops (not counted): ${r.unsupportedOps.join(', ')}`)
  if (r.userRules.length) lines.push('', `costed by your rule file: ${r.userRules.join(', ')}`)
  if (r.nodes) {
    lines.push(
      '',
      renderTable(
        ['node', 'op', 'output', 'MACs', 'params', 'other ops', 'bytes'],
        r.nodes.map((n) => [n.name, n.userRule ? `${n.opType} (rule file)` : n.opType, n.outShape.join('×') || '—', human(n.macs), human(n.params), human(n.otherOps), n.bytes ? bytes(n.bytes) : '—']),
      ),
    )
  }
  return lines.join('\n')
}
