/**
 * Why points came out unstable, in words: a reference whose round medians jumped between
 * rounds (the machine changed speed: another process?), a load average above the CPU count,
 * runs that vary within rounds. Pure.
 */
import type {RoundRun} from './rounds.js'
import {median} from './stats.js'

export interface DiagnosisInput {
  /** Each reference's label and its rounds. */
  refs: Array<{model: string; rounds: readonly RoundRun[]}>
  /** Unstable points: label, CI half-width / median, cv of their runs. */
  unstable: Array<{model: string; ci_rel: number; cv: number}>
  /** os.loadavg()[0] at the start and end of the sweep. */
  load: {start: number; end: number}
  cpus: number
}

/** A jump between consecutive rounds bigger than this is named. */
const JUMP = 1.3

export function diagnose(d: DiagnosisInput): string[] {
  if (d.unstable.length === 0) return []
  const out: string[] = []
  for (const r of d.refs) {
    const m = r.rounds.map((x) => ({round: x.round, ms: median(x.runs_ms)}))
    let worst: {from: number; to: number; ratio: number} | undefined
    for (let i = 1; i < m.length; i++) {
      const ratio = m[i].ms / m[i - 1].ms
      const size = Math.max(ratio, 1 / ratio)
      if (size > JUMP && (!worst || size > Math.max(worst.ratio, 1 / worst.ratio))) worst = {from: m[i - 1].round, to: m[i].round, ratio}
    }
    if (worst) {
      const how = worst.ratio > 1 ? `${worst.ratio.toFixed(1)}× slower` : `${(1 / worst.ratio).toFixed(1)}× faster`
      out.push(`the reference (${r.model}) got ${how} between rounds ${worst.from} and ${worst.to}: another process?`)
    }
  }
  const load = Math.max(d.load.start, d.load.end)
  if (load > d.cpus) out.push(`load average ${load.toFixed(1)} on ${d.cpus} CPUs: other processes shared the machine`)
  const noisy = d.unstable.filter((u) => u.cv > 0.2)
  if (noisy.length) out.push(`runs vary within rounds (cv up to ${Math.round(100 * Math.max(...noisy.map((u) => u.cv)))}%) for ${noisy.length} of them`)
  if (out.length === 0) out.push('no cause found; a longer --time-budget gives them more rounds')
  return out
}
