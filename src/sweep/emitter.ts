/** The real ONNX emitter (src/onnx/emit.ts) with its code identity; tests inject a stand-in. */
import {fileId, type Emit} from './model-cache.js'

export interface Emitter {
  emit: Emit
  /** Changes whenever the emitter's code does, so cached models are re-emitted. */
  id: string
}

export async function loadEmitter(): Promise<Emitter> {
  const id = ['../onnx/emit.js', '../onnx/half.js', '../onnx/proto.js'].map((f) => fileId(new URL(f, import.meta.url))).join('-')
  // Imported here, not at start-up: onnx-proto and the emitter are not needed by a refused sweep.
  const {emitModel} = await import('../onnx/emit.js')
  return {emit: emitModel, id}
}
