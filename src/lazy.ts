/**
 * CommonJS libraries loaded at first use, synchronously. A command that refuses its input (or
 * never reaches the code that needs ajv, onnxruntime-node, onnx-proto, …) then never pays for
 * importing them: start-up stays near Node's and oclif's own (bench: `startup`).
 */
import {createRequire} from 'node:module'

const require = createRequire(import.meta.url)

/** A getter that `require`s `id` on its first call and returns the same module after. */
export function lazyRequire<T>(id: string): () => T {
  let mod: T | undefined
  return () => (mod ??= require(id) as T)
}

/** A function built on first call (e.g. an ajv validator compiled from its schema). */
export function lazy<T>(make: () => T): () => T {
  let value: T | undefined
  return () => (value ??= make())
}

/** ajv: its import and each schema's compile cost milliseconds that a refused call never needs. */
export const ajvModule = lazyRequire<typeof import('ajv')>('ajv')
