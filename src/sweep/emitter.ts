/** The real ONNX emitter (src/onnx/emit.ts) with its code identity; tests inject a stand-in. */
import {fileId, type Emit} from './model-cache.js'

export interface Emitter {
  emit: Emit
  /** Changes whenever the emitter's code does, so cached models are re-emitted. */
  id: string
}

export async function loadEmitter(): Promise<Emitter> {
  const id = ['../onnx/emit.js', '../onnx/half.js', '../onnx/proto.js', '../onnx/write-model.js'].map((f) => fileId(new URL(f, import.meta.url))).join('-')
  // Imported here, not at start-up: onnx-proto and the emitter are not needed by a refused sweep.
  const [{buildModel}, {modelFiles, needsExternal}] = await Promise.all([import('../onnx/emit.js'), import('../onnx/write-model.js')])
  return {emit: externalOver(buildModel, modelFiles, needsExternal), id}
}

type Build = typeof import('../onnx/emit.js').buildModel
type WriteModel = typeof import('../onnx/write-model.js')

/** An Emit whose models keep their weights in external data when they pass `over` bytes (protobuf's 2 GiB by default). */
export function externalOver(build: Build, files: WriteModel['modelFiles'], needs: WriteModel['needsExternal'], over?: number): Emit {
  return (net, opts, location) => {
    const model = build(net, opts)
    const external = needs(model, false, over)
    if (external && location === undefined) throw new Error(`internal: ${net.network} needs external data and no data file was named`)
    return files(model, location ?? '', external)
  }
}
