/**
 * The figures a budget can limit: one row per figure, keyed by the budget field that sets its
 * limit. Everything else (parsing, verdicts, output) reads this table.
 */
export const FIGURES = {
  macs: {limitKey: 'maxMacs', label: 'MACs', unit: 'count'},
  flops: {limitKey: 'maxFlops', label: 'FLOPs', unit: 'count'},
  params: {limitKey: 'maxParams', label: 'params', unit: 'count'},
  activations: {limitKey: 'maxActivations', label: 'activations', unit: 'count'},
  memory: {limitKey: 'maxMemory', label: 'memory', unit: 'bytes'},
  latencyMs: {limitKey: 'maxLatencyMs', label: 'latency', unit: 'ms'},
} as const

export type Figure = keyof typeof FIGURES
export type Unit = (typeof FIGURES)[Figure]['unit']
export type LimitKey = (typeof FIGURES)[Figure]['limitKey']

export const FIGURE_NAMES = Object.keys(FIGURES) as Figure[]
export const LIMIT_KEYS = FIGURE_NAMES.map((f) => FIGURES[f].limitKey)

/**
 * Not a limit a user writes: every ONNX entry gets this check (limit 0), so a graph with ops
 * the profiler cannot cost fails instead of passing on an undercount.
 */
export const UNSUPPORTED_OPS = 'unsupportedOps'
/** Likewise: a graph with nodes whose shapes could not be inferred (and all downstream) fails. */
export const UNCOUNTED_NODES = 'uncountedNodes'
export type RowFigure = Figure | typeof UNSUPPORTED_OPS | typeof UNCOUNTED_NODES

export const DTYPES = ['fp32', 'fp16', 'int8'] as const
export type BudgetDType = (typeof DTYPES)[number]

/** Which sweep latency statistic a latency limit reads (column `<stat>_ms` of results.jsonl). */
export const LATENCY_STATS = ['p50', 'p90', 'p99', 'mean', 'min'] as const
export type LatencyStat = (typeof LATENCY_STATS)[number]
