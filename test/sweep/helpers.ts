/** Test doubles: a fake ORT session factory and a stand-in emitter (tests only). */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type {Emitter} from '../../src/sweep/emitter.js'
import {silentProgress} from '../../src/sweep/progress.js'
import type {SweepDeps, SweepOptions} from '../../src/sweep/run.js'
import type {SessionFactory, SessionRequest} from '../../src/sweep/session.js'

export const tmpDir = (name: string) => mkdtempSync(path.join(os.tmpdir(), `effscale-${name}-`))

/** A grid file of eight tiny points (B0 at 32–64 px) for the real CLI: with --runs 150 a kill lands mid-sweep. */
export function tinyGrid(dir: string): string {
  const file = path.join(dir, 'grid.json')
  const points = [32, 40, 48, 56, 64].map((imageSize) => ({grid: 'tiny', imageSize})).concat([1.2, 1.4, 1.6].map((width) => ({grid: 'tiny-w', width, imageSize: 32}) as never))
  writeFileSync(file, JSON.stringify({points}))
  return file
}

/** Emits a few bytes naming the network; the fake factory never parses them. */
export const fakeEmitter: Emitter = {emit: (net, o) => new TextEncoder().encode(`${net.network}:${net.ops.length}:${o.batch}`), id: 'fake'}

export interface FakeOptions {
  /** Throw this for CUDA session creation (CUDA "can't be loaded"). */
  cudaError?: string
  /** Throw for models whose request matches. */
  failWhen?: (req: SessionRequest) => string | undefined
}

export function fakeFactory(o: FakeOptions = {}): SessionFactory & {requests: SessionRequest[]} {
  const requests: SessionRequest[] = []
  const f = async (req: SessionRequest) => {
    requests.push(req)
    if (req.ep === 'cuda' && o.cudaError) throw new Error(o.cudaError)
    const why = o.failWhen?.(req)
    if (why) throw new Error(why)
    return {
      input: {name: 'input', type: 'float32', shape: [1, 3, 2, 2]},
      run: async () => undefined,
      endProfiling: () => undefined,
      release: async () => undefined,
    }
  }
  return Object.assign(f, {requests})
}

/** A clock that advances 1 ms per read. */
export function tickClock(): () => number {
  let t = 0
  return () => t++
}

export function options(out: string, over: Partial<SweepOptions> = {}): SweepOptions {
  return {
    out,
    ep: 'cpu',
    deviceId: 0,
    grid: {base: 'efficientnet-b0', dims: ['width', 'depth'], batches: [1, 2], dtype: 'fp32', input: 'float32-nchw'},
    gridSource: 'test',
    resume: false,
    timing: {warmup: 1, runs: 3, minTimeMs: 0},
    profile: false,
    cacheDir: path.join(out, '.cache'),
    seed: 0,
    ...over,
  }
}

export function deps(over: Partial<SweepDeps> = {}): SweepDeps & {warnings: string[]} {
  const warnings: string[] = []
  return {
    factory: fakeFactory(),
    clock: tickClock(),
    loadEmitter: async () => fakeEmitter,
    warn: (l) => warnings.push(l),
    progress: silentProgress,
    now: () => new Date('2026-01-01T00:00:00Z'),
    warnings,
    ...over,
  }
}

/**
 * A factory whose runs advance a shared fake clock by `ms(model file text)` × seeded noise:
 * sweeps with known latencies, no real timing.
 */
export function timedFactory(msOf: (model: string) => number, noise = 0.02, seed = 1): {factory: SessionFactory; clock: () => number} {
  let now = 0
  let x = seed
  const rand = () => ((x = (x * 1103515245 + 12345) % 2147483648), x / 2147483648)
  const base = fakeFactory()
  const factory: SessionFactory = async (req) => {
    const s = await base(req)
    const text = typeof req.model === 'string' ? readFileSync(req.model, 'utf8') : ''
    const ms = msOf(text)
    return {...s, run: async () => void (now += ms * (1 + noise * (rand() - 0.5)))}
  }
  return {factory, clock: () => now}
}
