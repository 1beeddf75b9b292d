/**
 * Open sessions kept across rounds, within a memory cap: a session is estimated from the
 * analytic weight and activation memory of its network, and the least recently used ones are
 * released when the next would not fit (then reopened; creation and warm-up are never timed).
 */
import type {Clock} from './clock.js'
import type * as ort from 'onnxruntime-node'
import {makeInput, type Ep, type SessionFactory, type SweepSession} from './session.js'

export interface PoolEntry {
  session: SweepSession
  feeds: Record<string, ort.Tensor>
}

export interface OpenRequest {
  id: string
  model: string | Uint8Array
  bytes: number
  warmup: number
  /** Shape to feed where the model's input has dynamic dims (sweep --onnx --input-shape). */
  inputShape?: number[]
}

export interface Opened {
  entry: PoolEntry
  /** Set the first time this id is opened: creation and first-run times, ms. */
  first?: {createMs: number; firstRunMs: number}
}

export class SessionPool {
  private open = new Map<string, {entry: PoolEntry; bytes: number}>()
  private seen = new Set<string>()

  constructor(
    private readonly o: {factory: SessionFactory; ep: Ep; deviceId: number; threads?: number; seed: number; clock: Clock; capBytes: number},
  ) {}

  /** The open session of `r.id`, else a new one (releasing least recently used ones to fit), warmed up. */
  async get(r: OpenRequest): Promise<Opened> {
    const have = this.open.get(r.id)
    if (have) {
      // Map order is use order: move to the back.
      this.open.delete(r.id)
      this.open.set(r.id, have)
      return {entry: have.entry}
    }
    while (this.open.size > 0 && this.used() + r.bytes > this.o.capBytes) await this.close(this.open.keys().next().value!)
    const c0 = this.o.clock()
    const session = await this.o.factory({model: r.model, ep: this.o.ep, deviceId: this.o.deviceId, threads: this.o.threads, inputShape: r.inputShape})
    const createMs = this.o.clock() - c0
    const entry: PoolEntry = {session, feeds: {[session.input.name]: makeInput(session.input, this.o.seed)}}
    this.open.set(r.id, {entry, bytes: r.bytes})
    try {
      const f0 = this.o.clock()
      await this.run(entry)
      const firstRunMs = this.o.clock() - f0
      for (let i = 0; i < r.warmup; i++) await this.run(entry)
      const first = this.seen.has(r.id) ? undefined : {createMs, firstRunMs}
      this.seen.add(r.id)
      return {entry, first}
    } catch (error) {
      await this.close(r.id)
      throw error
    }
  }

  run(e: PoolEntry): Promise<unknown> {
    return e.session.run(e.feeds)
  }

  async close(id: string): Promise<void> {
    const have = this.open.get(id)
    if (!have) return
    this.open.delete(id)
    await have.entry.session.release().catch(() => undefined)
  }

  async closeAll(): Promise<void> {
    for (const id of [...this.open.keys()]) await this.close(id)
  }

  private used(): number {
    let sum = 0
    for (const v of this.open.values()) sum += v.bytes
    return sum
  }
}
