/**
 * ONNX Runtime sessions behind a small interface, so tests inject fakes and the CUDA path runs
 * through the same code on a CPU-only machine. The EP recorded is the one that actually loaded.
 */
import type * as Ort from 'onnxruntime-node'
import {lazyRequire} from '../lazy.js'
import {UserError} from '../errors.js'

// Loaded at the first session: its native binding is not needed by a refused sweep.
const ort = lazyRequire<typeof Ort>('onnxruntime-node')

export type Ep = 'cuda' | 'cpu'
export const EP_CHOICES = ['auto', 'cuda', 'cpu'] as const
export type EpChoice = (typeof EP_CHOICES)[number]

export interface InputMeta {
  name: string
  type: string
  shape: number[]
}

/** The part of an InferenceSession the sweep uses. */
export interface SweepSession {
  readonly input: InputMeta
  run(feeds: Record<string, Ort.Tensor>): Promise<unknown>
  endProfiling(): void
  release(): Promise<void>
}

export interface SessionRequest {
  /** Model file path or bytes. */
  model: string | Uint8Array
  ep: Ep
  deviceId: number
  /** Shape to feed where the input has dynamic dims (its static dims must agree). */
  inputShape?: number[]
  /** Intra-op threads (ORT's default when absent). */
  threads?: number
  /** Turns ORT profiling on; the trace goes to `${profilePrefix}_<date>.json`. */
  profilePrefix?: string
}

export type SessionFactory = (req: SessionRequest) => Promise<SweepSession>

let quieted = false

/** The real factory: onnxruntime-node. CUDA sessions list CPU second for ops CUDA lacks. */
export const ortFactory: SessionFactory = async (req) => {
  if (!quieted) {
    // ORT logs provider load failures natively; the sweep reports them in one line itself.
    ort().env.logLevel = 'fatal'
    quieted = true
  }
  const opts: Ort.InferenceSession.SessionOptions = {
    executionProviders: req.ep === 'cuda' ? [{name: 'cuda', deviceId: req.deviceId}, 'cpu'] : ['cpu'],
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
    ...(req.threads ? {intraOpNumThreads: req.threads} : {}),
    ...(req.profilePrefix ? {enableProfiling: true, profileFilePrefix: req.profilePrefix} : {}),
  }
  // Two calls because create's overloads take a path or bytes, not the union of both.
  const s =
    typeof req.model === 'string' ? await ort().InferenceSession.create(req.model, opts) : await ort().InferenceSession.create(req.model, opts)
  const meta = s.inputMetadata[0]
  if (!meta || !meta.isTensor) throw new Error('model has no tensor input')
  const declared = meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : NaN))
  const given = req.inputShape
  const fits = given && given.length === declared.length && declared.every((d, i) => Number.isNaN(d) || d === given[i])
  const shape = fits ? given : declared
  if (shape.some((d) => !Number.isInteger(d) || d <= 0)) throw new Error(`input ${meta.name} has no static shape [${meta.shape.join(',')}]`)
  return {
    input: {name: meta.name, type: meta.type, shape},
    run: (feeds) => s.run(feeds),
    endProfiling: () => s.endProfiling(),
    release: () => s.release(),
  }
}

export const ortVersion = (): string => ort().env.versions.node ?? ort().env.versions.common

/** First line of an error, for one-line messages and records. */
export function oneLine(error: unknown): string {
  const m = error instanceof Error ? error.message : String(error)
  return (m.split('\n').find((l) => l.trim() !== '') ?? m).trim().slice(0, 300)
}

export interface EpDecision {
  ep: Ep
  /** Set when --ep auto fell back to the CPU: why CUDA could not be used. */
  fallback?: string
}

/**
 * Decide the EP by opening a session on a tiny probe model: auto tries CUDA then the CPU;
 * --ep cuda fails with a UserError when CUDA can't be loaded.
 */
export async function chooseEp(factory: SessionFactory, want: EpChoice, deviceId: number, probe: Uint8Array): Promise<EpDecision> {
  if (want === 'cpu') return {ep: 'cpu'}
  try {
    const s = await factory({model: probe, ep: 'cuda', deviceId})
    await s.release()
    return {ep: 'cuda'}
  } catch (error) {
    const why = oneLine(error)
    if (want === 'cuda') throw new UserError(`--ep cuda: the CUDA execution provider can't be loaded (device ${deviceId}): ${why}`)
    return {ep: 'cpu', fallback: `CUDA unavailable (${why}); measuring on the CPU`}
  }
}

/**
 * One input tensor matching the session's declared input, filled deterministically. Emitted
 * models take float32 or uint8 whatever their dtype (emit.ts casts inside the graph).
 */
export function makeInput(meta: InputMeta, seed: number): Ort.Tensor {
  const n = meta.shape.reduce((a, b) => a * b, 1)
  let x = seed >>> 0 || 1
  const next = () => {
    // xorshift32: cheap, deterministic data (values don't matter for timing, NaNs would).
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) / 4294967296
  }
  switch (meta.type) {
    case 'uint8': {
      const a = new Uint8Array(n)
      for (let i = 0; i < n; i++) a[i] = Math.floor(next() * 256)
      return new (ort().Tensor)('uint8', a, meta.shape)
    }
    case 'float32': {
      const a = new Float32Array(n)
      for (let i = 0; i < n; i++) a[i] = next() * 2 - 1
      return new (ort().Tensor)('float32', a, meta.shape)
    }
    default:
      throw new Error(`unsupported input type ${meta.type}`)
  }
}
