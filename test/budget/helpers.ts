import {spawnSync} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

/** Repository root, from dist/test/budget/. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'effscale-check-'))
}

/** Write files into a directory: {name: text | object (as JSON)}. */
export function writeFiles(dir: string, files: Record<string, string | object>): void {
  for (const [name, body] of Object.entries(files)) {
    writeFileSync(path.join(dir, name), typeof body === 'string' ? body : JSON.stringify(body, null, 2))
  }
}

export interface Run {
  status: number | null
  stdout: string
  stderr: string
}

/**
 * The real CLI in a child process. NODE_NO_WARNINGS hides Node process warnings (oclif reports
 * half-built commands of other work in progress that way); our own output is untouched.
 */
export function effscale(args: string[], opts: {cwd?: string; env?: Record<string, string>} = {}): Run {
  const env: NodeJS.ProcessEnv = {...process.env, NODE_NO_WARNINGS: '1', GITHUB_ACTIONS: '', ...opts.env}
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'run.js'), ...args], {cwd: opts.cwd ?? ROOT, env, encoding: 'utf8'})
  return {status: r.status, stdout: r.stdout, stderr: r.stderr}
}

/** A results.jsonl row with the columns a latency budget reads (others as a sweep writes them). */
export function sweepRow(over: Record<string, unknown>): Record<string, unknown> {
  return {
    key: 'variant/efficientnet-b0/b1/fp32', grid: 'variant', model: 'efficientnet-b0', base: 'efficientnet-b0',
    depth: 1, width: 1, resolution: 1, phi: null, infer_img_size: 224, infer_batch_size: 1, dtype: 'fp32',
    input: 'float32-nchw', macs: 385_814_752, infer_gmacs: 0.386, param_count: 5_288_548, status: 'ok', error: null,
    ep: 'CPUExecutionProvider', session_create_ms: 80, first_run_ms: 20, runs: 50, min_ms: 3.9, mean_ms: 4.1,
    p50_ms: 4.0, p90_ms: 4.4, p99_ms: 4.9, stdev_ms: 0.2, infer_step_time: 4.0, infer_samples_per_sec: 250,
    kernel_ms: null, measured_at: '2025-01-01T00:00:00.000Z',
    ...over,
  }
}

/**
 * Minimal XML well-formedness check (no dependency offers a parser): declaration, balanced
 * tags, quoted attributes, no raw `<` or bare `&` in text or attributes. Returns the elements
 * as {name, attrs, text, children}.
 */
export interface XmlElement {
  name: string
  attrs: Record<string, string>
  text: string
  children: XmlElement[]
}

export function parseXml(xml: string): XmlElement {
  const body = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '')
  if (body === xml) throw new Error('missing XML declaration')
  const root: XmlElement = {name: '#document', attrs: {}, text: '', children: []}
  const stack = [root]
  const entity = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/
  const re = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g
  for (let m = re.exec(body); m; m = re.exec(body)) {
    const [, close, name, attrText, selfClose, text, stray] = m
    if (stray) throw new Error(`stray "<" at ${m.index}`)
    const top = stack[stack.length - 1]
    if (text !== undefined) {
      if (entity.test(text)) throw new Error(`bare "&" in text at ${m.index}`)
      if (stack.length === 1 && text.trim() !== '') throw new Error('text outside the root element')
      top.text += text
      continue
    }
    if (close) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`)
      stack.pop()
      continue
    }
    const attrs: Record<string, string> = {}
    for (const a of attrText.matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
      if (entity.test(a[2])) throw new Error(`bare "&" in attribute ${a[1]}`)
      if (a[1] in attrs) throw new Error(`duplicate attribute ${a[1]}`)
      attrs[a[1]] = a[2]
    }
    const el: XmlElement = {name, attrs, text: '', children: []}
    if (stack.length === 1 && root.children.length > 0) throw new Error('more than one root element')
    top.children.push(el)
    if (!selfClose) stack.push(el)
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1].name}>`)
  if (root.children.length !== 1) throw new Error('no root element')
  return root.children[0]
}
