/**
 * Progress on stderr: a cli-progress bar with the current point and an ETA on a TTY; one short
 * line per point when stderr is not a TTY; nothing under --json.
 */
import cliProgress from 'cli-progress'
import type {SweepRecord} from './record.js'

export interface Progress {
  start(total: number, done: number): void
  point(label: string): void
  /** Round `round` starts; `planned` is the minimum; `unstable`: points past it still unstable. */
  round?(round: number, planned: number, unstable: number): void
  finished(rec: SweepRecord): void
  stop(): void
}

export const silentProgress: Progress = {start() {}, point() {}, finished() {}, stop() {}}

export function makeProgress(mode: 'bar' | 'lines' | 'off', write = (s: string) => process.stderr.write(s)): Progress {
  if (mode === 'off') return silentProgress
  if (mode === 'lines') {
    let i = 0
    let total = 0
    return {
      start(t, done) {
        total = t
        i = done
      },
      point() {},
      round(k, planned, unstable) {
        write(`${roundLabel(k, planned, unstable)}\n`)
      },
      finished(r) {
        i++
        write(`[${i}/${total}] ${summary(r)}\n`)
      },
      stop() {},
    }
  }
  let round = ''
  const bar = new cliProgress.SingleBar(
    {format: ' {bar} {value}/{total} | ETA {eta_formatted} | {point}', stream: process.stderr, hideCursor: true, clearOnComplete: false, etaBuffer: 5},
    cliProgress.Presets.shades_classic,
  )
  return {
    start: (total, done) => bar.start(total, done, {point: ''}),
    point: (label) => bar.update({point: `${round} ${label}`}),
    round: (k, planned, unstable) => void (round = roundLabel(k, planned, unstable)),
    finished: () => bar.increment(),
    stop: () => bar.stop(),
  }
}

export function roundLabel(k: number, planned: number, unstable: number): string {
  return k <= planned ? `round ${k}/${planned}` : `round ${k} (past ${planned}: ${unstable} point${unstable === 1 ? '' : 's'} still unstable)`
}

export function summary(r: SweepRecord): string {
  const what = `${r.model} b=${r.infer_batch_size}`
  if (r.status === 'failed') return `${what}: failed: ${r.error}`
  const ci = r.ci_rel === null || r.ci_rel === undefined ? '' : ` ±${(100 * r.ci_rel).toFixed(1)}%`
  const flag = r.stable === false ? ' UNSTABLE' : ''
  return `${what}: p50 ${r.p50_ms!.toFixed(2)} ms${ci} over ${r.rounds} rounds${flag} (${r.ep})`
}
