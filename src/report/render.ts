/**
 * Rendering one chart: validate the Vega-Lite spec against vega-lite's own JSON schema (ajv),
 * compile it to Vega, draw SVG headlessly (vega View, renderer "none") and rasterise the SVG
 * to PNG with resvg using the bundled DejaVu font, so text renders without system fonts.
 */
import {createRequire} from 'node:module'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {Resvg} from '@resvg/resvg-js'
import {Ajv, type ValidateFunction} from 'ajv'
import {parse, View} from 'vega'
import {compile, type TopLevelSpec} from 'vega-lite'
import {FONT} from './theme.js'

const require = createRequire(import.meta.url)

let validator: ValidateFunction | undefined

/** vega-lite's bundled schema is draft-07, ajv's default. */
export function schemaValidator(): ValidateFunction {
  if (!validator) {
    const schema = JSON.parse(readFileSync(require.resolve('vega-lite/vega-lite-schema.json'), 'utf8')) as object
    validator = new Ajv({strict: false, allowUnionTypes: true, validateFormats: false}).compile(schema)
  }
  return validator
}

/** Schema errors of a spec, one readable line each (empty when valid). */
export function schemaErrors(spec: unknown): string[] {
  const validate = schemaValidator()
  if (validate(spec)) return []
  return (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`)
}

export async function toSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), {renderer: 'none'})
  try {
    return await view.toSVG()
  } finally {
    view.finalize()
  }
}

export const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) =>
  path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf', f),
)

/** PNG at 2× for sharp text; system fonts are never read. */
export function toPng(svg: string): Buffer {
  const r = new Resvg(svg, {
    background: 'white',
    fitTo: {mode: 'zoom', value: 2},
    font: {fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT, sansSerifFamily: FONT},
  })
  return r.render().asPng()
}
