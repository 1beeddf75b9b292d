/**
 * Accuracy CSVs → typed rows. Pure (text in, data out): `report`, `fit` and `search` all read
 * accuracy files through it; resolve.ts turns the rows into networks with their MACs.
 *
 * Two formats:
 * - points: `base` or `model`, `top1`; optional `depth`, `width`, `resolution` or
 *   `image_size`, `top5`. With `base`, the row is that base scaled by the multipliers (`model`
 *   is then only a label); with `model` alone the name must be a known model.
 * - timm results (`model,img_size,top1,top5,param_count,...`): names such as
 *   efficientnet_b0.ra_in1k, tf_efficientnet_b3, mobilenetv2_100, resnet50 map to effscale
 *   points evaluated at img_size; `param_count` (millions) is kept for comparison.
 * Rows whose model effscale cannot build are returned in `unknown`, never dropped silently;
 * a timm file's rows are all kept in `timm` too (family, recipe, image size), for grouping and
 * for joining with timm's benchmark files.
 *
 * Numbers in: non-finite values are refused; a header naming a column twice is refused (which
 * copy would count?); top-1 given as fractions (every top1 ≤ 1) is converted to percent with a
 * note, and a file mixing fractions and percentages is refused.
 */
import {fromCSV} from 'arquero'
import {BASES} from '../arch/bases.js'
import {closest, UserError} from '../errors.js'
import {isBase, pointForName, type PointRef} from './models.js'
import {parseTimmName, type TimmName} from './timm.js'

export type AccuracyFormat = 'points' | 'timm'

export interface AccuracyRow extends PointRef {
  /** 1-based line in the file (the header is line 1). */
  line: number
  /** The name as written in the file (model column, or base when there is none). */
  name: string
  top1: number
  top5: number | null
  /** Params as the file reports them (timm's param_count × 1e6); null when absent. */
  paramsReported: number | null
}

export interface UnknownModel {
  line: number
  name: string
  reason: string
}

/** A row of a timm results file, whether or not effscale can build its model. */
export interface TimmRow extends TimmName {
  line: number
  imageSize: number
  top1: number
  top5: number | null
  /** timm's param_count, in millions. */
  paramsM: number | null
  /** The effscale point, when effscale can build the model. */
  point: PointRef | null
}

export interface AccuracyData {
  source: string
  format: AccuracyFormat
  rows: AccuracyRow[]
  unknown: UnknownModel[]
  /** Every row of a timm file (empty for a points file). */
  timm: TimmRow[]
  /** What was done to the numbers on the way in (e.g. fractions read as percent). */
  notes: string[]
}

const POINT_HELP = 'needs base or model, and top1; optional depth, width, resolution or image_size, top5'

export function parseAccuracyCsv(text: string, source: string): AccuracyData {
  const records = readCsv(text, source)
  const columns = new Set(records.columns)
  // timm's files have no base column; a points file that spells image_size "img_size" (which
  // pointsRow accepts) must not lose its base and multipliers to the timm reader.
  const format: AccuracyFormat = columns.has('img_size') && columns.has('model') && !columns.has('base') ? 'timm' : 'points'
  const missing = [
    !columns.has('base') && !columns.has('model') && 'base or model',
    !columns.has('top1') && 'top1',
  ].filter((x): x is string => Boolean(x))
  if (missing.length) {
    throw new UserError(`${source}: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (accuracy CSV ${POINT_HELP})`)
  }
  const scale = percentScale(records, source)
  const notes = scale === 100 ? [`${source}: every top1 is ≤ 1, read as fractions and converted to percent (× 100)`] : []
  const rows: AccuracyRow[] = []
  const unknown: UnknownModel[] = []
  const timm: TimmRow[] = []
  for (const {line, cells} of records.rows) {
    const at = `${source} line ${line}`
    if (format === 'timm') {
      const t = timmRow(cells, at, scale)
      timm.push({line, ...t})
      if (t.point) rows.push({line, name: t.name, ...t.point, imageSize: t.imageSize, top1: t.top1, top5: t.top5, paramsReported: t.paramsM === null ? null : t.paramsM * 1e6})
      else unknown.push({line, name: t.name, reason: 'no effscale model for this timm name'})
      continue
    }
    const out = pointsRow(cells, at, scale)
    if ('reason' in out) unknown.push({line, ...out})
    else rows.push({line, ...out})
  }
  return {source, format, rows, unknown, timm, notes}
}

/**
 * 100 when every top1 is a fraction (≤ 1), else 1. A file holding both is refused: 0.771 beside
 * 79.1 is a typo, not a 0.771 % model.
 */
function percentScale(t: CsvTable, source: string): 1 | 100 {
  const values = t.rows.map((r) => ({line: r.line, v: Number(r.cells.top1?.trim() || NaN)})).filter((x) => Number.isFinite(x.v))
  const small = values.filter((x) => x.v <= 1)
  if (small.length === 0) return 1
  if (small.length === values.length) return 100
  const big = values.find((x) => x.v > 1)!
  throw new UserError(
    `${source} line ${small[0].line}: top1 ${small[0].v} is a fraction but line ${big.line} has ${big.v} (percent); give every top1 in percent (0–100) or every one as a fraction (0–1)`,
  )
}

/** What a command's --json says about the accuracy file it read. */
export interface AccuracySummary {
  file: string
  format: AccuracyFormat
  /** Rows placed on an effscale network. */
  rows: number
  unknown: UnknownModel[]
  /** What was done to the numbers on the way in. */
  notes: string[]
}

export const accuracySummary = (d: AccuracyData): AccuracySummary => ({file: d.source, format: d.format, rows: d.rows.length, unknown: d.unknown, notes: d.notes})

/**
 * The stderr line for rows naming models effscale cannot build (undefined when there are none):
 * "<n> rows of <file> name models effscale cannot build, <consequence>: <names>".
 */
export function unknownModelsWarning(s: AccuracySummary, consequence: string, json: boolean): string | undefined {
  if (s.unknown.length === 0) return undefined
  const names = [...new Set(s.unknown.map((u) => u.name.split('.')[0]))]
  const shown = names.slice(0, 8).join(', ') + (names.length > 8 ? `, … (${names.length - 8} more)` : '')
  return `${s.unknown.length} rows of ${s.file} name models effscale cannot build, ${consequence}: ${shown}${json ? '' : ' (all listed under accuracy.unknown with --json)'}`
}

type Cells = Record<string, string | null>
type Parsed = Omit<AccuracyRow, 'line'> | Omit<UnknownModel, 'line'>

function timmRow(r: Cells, at: string, scale: number): Omit<TimmRow, 'line'> {
  const n = parseTimmName(text(r.model, 'model', at))
  const point = pointForName(n.name) ?? null
  const imageSize = int(r.img_size, 'img_size', at) ?? point?.imageSize
  if (imageSize === undefined) throw new UserError(`${at}: img_size is empty`)
  return {
    ...n,
    imageSize,
    top1: top(r.top1, 'top1', at, scale)!,
    top5: top(r.top5, 'top5', at, scale, true),
    paramsM: num(r.param_count, 'param_count', at) ?? null,
    point,
  }
}

function pointsRow(r: Cells, at: string, scale: number): Parsed {
  const base = r.base?.trim() || undefined
  const model = r.model?.trim() || undefined
  const name = model ?? text(base ?? null, 'base or model', at)
  const resolution = positive(r.resolution, 'resolution', at)
  const imageSize = int(r.image_size ?? r.img_size, 'image_size', at)
  if (resolution !== undefined && imageSize !== undefined) throw new UserError(`${at}: give resolution or image_size, not both`)
  const depth = positive(r.depth, 'depth', at)
  const width = positive(r.width, 'width', at)
  const acc = {top1: top(r.top1, 'top1', at, scale)!, top5: top(r.top5, 'top5', at, scale, true), paramsReported: null}
  if (base !== undefined) {
    if (!isBase(base)) {
      const hint = closest(base, Object.keys(BASES))
      return {name, reason: `unknown base "${base}"${hint ? ` (did you mean "${hint}"?)` : ''}`}
    }
    return {name, base, depth: depth ?? 1, width: width ?? 1, resolution, imageSize, ...acc}
  }
  const p = pointForName(name)
  if (!p) return {name, reason: 'unknown model (give base with depth/width/resolution to describe it)'}
  if (depth !== undefined || width !== undefined || resolution !== undefined) {
    throw new UserError(`${at}: model ${name} is a fixed point; to scale it give base ${p.base} with depth/width/resolution`)
  }
  return {name, ...p, imageSize: imageSize ?? p.imageSize, ...acc}
}

export interface CsvTable {
  /** Header names, trimmed and lower-cased. */
  columns: string[]
  /** Data rows that are not blank, with their 1-based line (the header is line 1). */
  rows: Array<{line: number; cells: Cells}>
}

/**
 * RFC 4180 text → header and rows (arquero's parser: quotes, doubled quotes, CRLF). Read without
 * arquero's header handling, which sizes the table by the first data row and so drops columns
 * when that row is short or blank; a byte-order mark is ignored; blank lines are skipped but
 * still counted, so line numbers stay true.
 */
export function readCsv(text: string, source: string): CsvTable {
  const body = text.replace(/^\uFEFF/, '')
  if (body.trim() === '') throw new UserError(`${source}: file is empty`)
  const t = fromCSV(body, {header: false, autoType: false})
  const ids = t.columnNames()
  const [head, ...records] = t.objects() as Cells[]
  const columns = ids.map((id) => (head[id] ?? '').trim().toLowerCase())
  for (const [i, c] of columns.entries()) {
    const first = columns.indexOf(c)
    // Nameless columns (a trailing comma) are never read, so they cannot be ambiguous.
    if (c !== '' && first !== i) throw new UserError(`${source}: column "${c}" appears twice in the header (columns ${first + 1} and ${i + 1}); which one holds the values?`)
  }
  const rows = records
    .map((r, i) => ({line: i + 2, cells: Object.fromEntries(columns.map((c, j) => [c, r[ids[j]] ?? null])) as Cells}))
    .filter((r) => Object.values(r.cells).some((v) => v !== null && v.trim() !== ''))
  if (rows.length === 0) throw new UserError(`${source}: no data rows (only a header)`)
  return {columns, rows}
}

function text(v: string | null | undefined, col: string, at: string): string {
  const s = v?.trim()
  if (!s) throw new UserError(`${at}: ${col} is empty`)
  return s
}

function num(v: string | null | undefined, col: string, at: string): number | undefined {
  const s = v?.trim()
  if (!s) return undefined
  // timm writes thousands separators in big param counts ("1,014.45").
  const n = Number(/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(s) ? s.replace(/,/g, '') : s)
  if (!Number.isFinite(n)) throw new UserError(`${at}: ${col} "${v}" is not a number`)
  return n
}

function positive(v: string | null | undefined, col: string, at: string): number | undefined {
  const n = num(v, col, at)
  if (n !== undefined && !(n > 0)) throw new UserError(`${at}: ${col} must be > 0, got ${n}`)
  return n
}

/** A finite number, or undefined for an empty cell. */
export const finiteCell = num

/** A number > 0; `required` makes an empty cell an error. */
export function positiveCell(v: string | null | undefined, col: string, at: string, required = false): number | undefined {
  const n = positive(v, col, at)
  if (n === undefined && required) throw new UserError(`${at}: ${col} is empty`)
  return n
}

function int(v: string | null | undefined, col: string, at: string): number | undefined {
  const n = positive(v, col, at)
  if (n !== undefined && !Number.isInteger(n)) throw new UserError(`${at}: ${col} must be a whole number of pixels, got ${n}`)
  return n
}

/** An accuracy in percent (a fraction × scale): required unless `optional`. */
function top(v: string | null | undefined, col: string, at: string, scale: number, optional = false): number | null {
  const n = num(v, col, at)
  if (n === undefined) {
    if (optional) return null
    throw new UserError(`${at}: ${col} is empty`)
  }
  const pct = n * scale
  if (pct < 0 || pct > 100) throw new UserError(`${at}: ${col} ${n} is not a percentage (0–100)`)
  return Number(pct.toPrecision(12))
}
