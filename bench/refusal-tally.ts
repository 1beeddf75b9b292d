/**
 * Wall time, CPU time and peak memory of CLI refusals, tallied over interleaved rounds beside
 * the CLI's start-up (`--version`), and reported against LIMITS: shared by the io and validate
 * benches.
 */
import {LIMITS, type MeasuredRun} from '../test/helpers/measured.js'

export const STARTUP = '(start-up: --version)'

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

export class RefusalTally {
  private readonly wall = new Map<string, number[]>()
  private readonly cpu = new Map<string, number[]>()
  private readonly rss = new Map<string, number>()

  add(name: string, r: Pick<MeasuredRun, 'ms' | 'cpuMs' | 'maxRssMb'>): void {
    this.wall.set(name, [...(this.wall.get(name) ?? []), r.ms])
    this.cpu.set(name, [...(this.cpu.get(name) ?? []), r.cpuMs])
    this.rss.set(name, Math.max(this.rss.get(name) ?? 0, r.maxRssMb))
  }

  /** Prints a line per name (start-up first); counts the refusals within LIMITS by wall time, and by CPU time beyond start-up. */
  report(label: (name: string) => string): {met: number; metBeyond: number} {
    const baseCpu = median(this.cpu.get(STARTUP) ?? [0])
    let met = 0
    let metBeyond = 0
    for (const [name, ms] of this.wall) {
      const m = median(ms)
      const c = median(this.cpu.get(name)!)
      const rss = this.rss.get(name)!
      if (name !== STARTUP && m < LIMITS.ms && rss < LIMITS.rssMb) met++
      if (name !== STARTUP && c - baseCpu < LIMITS.ms && rss < LIMITS.rssMb) metBeyond++
      console.log(
        `${label(name)} wall median ${m.toFixed(0).padStart(5)} ms (${Math.min(...ms).toFixed(0)}–${Math.max(...ms).toFixed(0)}), ` +
          `CPU ${c.toFixed(0).padStart(5)} ms (${(c - baseCpu).toFixed(0).padStart(4)} beyond start-up), peak ${rss.toFixed(0)} MB`,
      )
    }
    return {met, metBeyond}
  }
}
