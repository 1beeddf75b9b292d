/** The data file of a model written with external data: `b0.onnx` → `b0.onnx.data`, beside it. No protobuf here: the sweep's cache reads it at start-up. */
export const dataFileOf = (model: string) => `${model}.data`
