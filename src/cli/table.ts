import {grouped, human} from './numbers.js'

/** Plain aligned text table; numbers (and numeric-looking cells) align right. */
export function renderTable(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = rows.map((r) => r.map(String))
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)))
  const numeric = headers.map((_, i) => cells.length > 0 && cells.every((r) => /^[-+]?[\d.,]+[%A-Za-z×]*$|^—$/.test(r[i] ?? '')))
  const line = (r: string[]) =>
    r.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd()
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line)].join('\n')
}

/** The headline rows shared by every cost table: figure, human value, exact value. */
export function countRows(c: {macs: number; flops: number; params: number; otherOps: number}, paramsLabel = 'params'): string[][] {
  return [
    ['MACs', human(c.macs), grouped(c.macs)],
    ['FLOPs', human(c.flops), grouped(c.flops)],
    [paramsLabel, human(c.params), grouped(c.params)],
    ['other ops', human(c.otherOps), grouped(c.otherOps)],
  ]
}
