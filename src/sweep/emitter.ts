/** The real ONNX emitter (src/onnx/emit.ts), loaded on first use, with its code identity. */
import type {Emit} from './model-cache.js'
import {fileId} from './model-cache.js'

export interface Emitter {
  emit: Emit
  /** Changes whenever the emitter's code does, so cached models are re-emitted. */
  id: string
}

export async function loadEmitter(): Promise<Emitter> {
  const mod = await import('../onnx/emit.js')
  const id = ['../onnx/emit.js', '../onnx/half.js', '../onnx/proto.js'].map((f) => fileId(new URL(f, import.meta.url))).join('-')
  return {emit: mod.emitModel, id}
}
