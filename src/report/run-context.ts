/**
 * What a latency means depends on where it was measured: one subtitle line per sweep with the
 * device, the execution provider actually used, the threads and the dtypes (from run.json and
 * the records). Every latency or throughput chart carries these lines.
 */
import type {Chart} from './chart.js'
import type {SweepRun} from './sweep.js'

export function runContext(run: SweepRun): string {
  const meta = run.meta ?? {}
  const ok = run.records.filter((r) => r.status === 'ok')
  const distinct = (v: Array<string | null | undefined>) => [...new Set(v.filter((x): x is string => typeof x === 'string' && x !== ''))]
  const eps = distinct(ok.map((r) => r.ep ?? null))
  const ep = eps.length ? eps.join(', ') : typeof meta.ep === 'string' ? meta.ep : 'not recorded'
  const fallback = typeof meta.ep_fallback === 'string' && meta.ep_fallback ? ` (fell back: ${meta.ep_fallback})` : ''
  const options = (typeof meta.options === 'object' && meta.options !== null ? meta.options : {}) as Record<string, unknown>
  const set = [options.threads, options.intraOpNumThreads, options.intra_op_threads].find((x) => typeof x === 'number')
  const cpus = typeof meta.cpu_count === 'number' ? `, ${meta.cpu_count} CPUs` : ''
  const threads = set !== undefined ? `threads ${set}` : `threads ORT default${cpus}`
  const device = typeof meta.device === 'string' && meta.device ? meta.device : 'not recorded'
  const dtypes = distinct(ok.map((r) => r.dtype)).join(', ') || 'not recorded'
  const inputs = distinct(ok.map((r) => r.input ?? null))
  return `${run.label}: device ${device} · EP ${ep}${fallback} · ${threads} · dtype ${dtypes}${inputs.length ? ` (input ${inputs.join(', ')})` : ''}`
}

/** The chart with lines appended to its subtitle. */
export function withSubtitle(chart: Chart, lines: string[]): Chart {
  const spec = chart.spec as unknown as {title?: {text: string; subtitle?: string | string[]}}
  if (!spec.title) return chart
  return {...chart, spec: {...spec, title: {...spec.title, subtitle: [...[spec.title.subtitle ?? []].flat(), ...lines]}} as unknown as Chart['spec']}
}
