/** `effscale flops --onnx`: flag parsing and the human rendering, so flops.ts only dispatches. */
import {bytes, grouped, human} from '../cli/numbers.js'
import {countRows, renderTable} from '../cli/table.js'
import {UserError} from '../errors.js'
import {CONVENTION} from '../flops/count.js'
import {profileOnnxFile, type OnnxProfile} from './profile.js'

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

export function flopsOnnx(file: string, flags: {'input-shape'?: string; breakdown?: string}): OnnxFlopsResult {
  if (flags.breakdown !== undefined && flags.breakdown !== 'node') throw new UserError(`--breakdown ${flags.breakdown} needs a network; with --onnx use --breakdown node`)
  const p = profileOnnxFile(file, {inputShape: parseInputShape(flags['input-shape']), nodes: flags.breakdown === 'node'})
  // Warnings go to stderr so stdout stays one JSON document under --json.
  for (const w of p.warnings) process.stderr.write(`effscale: warning: ${file}: ${w}\n`)
  return {convention: CONVENTION, ...p}
}

export function renderOnnx(r: OnnxFlopsResult): string {
  const lines = [
    `${r.file}  (inputs: ${r.inputs.map((i) => `${i.name} ${i.dtype}[${i.shape.join('×')}]`).join(', ')})`,
    r.convention,
    '',
    renderTable(
      ['figure', 'value', 'exact'],
      [...countRows(r, 'params (initializer elements)'), ['bytes read + written (fused)', bytes(r.bytes), grouped(r.bytes)]],
    ),
  ]
  if (r.unsupportedOps.length) lines.push('', `unsupported ops (not counted): ${r.unsupportedOps.join(', ')}`)
  if (r.nodes) {
    lines.push(
      '',
      renderTable(
        ['node', 'op', 'output', 'MACs', 'params', 'other ops', 'bytes'],
        r.nodes.map((n) => [n.name, n.opType, n.outShape.join('×') || '—', human(n.macs), human(n.params), human(n.otherOps), n.bytes ? bytes(n.bytes) : '—']),
      ),
    )
  }
  return lines.join('\n')
}
