/** Sessions kept open across rounds within a memory cap; reopened (never timed) when evicted. */
import assert from 'node:assert/strict'
import {it} from 'node:test'
import {SessionPool} from '../../src/sweep/pool.js'
import type {SessionFactory} from '../../src/sweep/session.js'

it('keeps sessions open while they fit, releases the least recently used, reopens with first run and warm-up', async () => {
  const log: string[] = []
  const factory: SessionFactory = async (req) => {
    log.push(`open ${String(req.model)}`)
    return {
      input: {name: 'x', type: 'float32', shape: [1, 1]},
      run: async () => void log.push(`run ${String(req.model)}`),
      endProfiling: () => undefined,
      release: async () => void log.push(`release ${String(req.model)}`),
    }
  }
  let t = 0
  const pool = new SessionPool({factory, ep: 'cpu', deviceId: 0, seed: 0, clock: () => (t += 1), capBytes: 100})
  const a = await pool.get({id: 'a', model: 'a', bytes: 60, warmup: 2})
  assert.deepEqual(a.first, {createMs: 1, firstRunMs: 1})
  assert.deepEqual(log.splice(0), ['open a', 'run a', 'run a', 'run a'])
  assert.equal((await pool.get({id: 'a', model: 'a', bytes: 60, warmup: 2})).first, undefined)
  assert.deepEqual(log.splice(0), [], 'an open session is reused as it is')
  await pool.get({id: 'b', model: 'b', bytes: 30, warmup: 0})
  assert.deepEqual(log.splice(0), ['open b', 'run b'], 'a and b fit in 100')
  await pool.get({id: 'a', model: 'a', bytes: 60, warmup: 2})
  await pool.get({id: 'c', model: 'c', bytes: 50, warmup: 0})
  // c does not fit beside a and b: the least recently used go first (b, then a) until it does.
  assert.deepEqual(log.splice(0), ['release b', 'release a', 'open c', 'run c'])
  const again = await pool.get({id: 'b', model: 'b', bytes: 30, warmup: 1})
  assert.equal(again.first, undefined, 'reopened: not reported as the first creation again')
  assert.deepEqual(log.splice(0), ['open b', 'run b', 'run b'], 'a reopened session gets its untimed first run and warm-up again')
  await pool.closeAll()
  assert.deepEqual(log.splice(0), ['release c', 'release b'])
})
