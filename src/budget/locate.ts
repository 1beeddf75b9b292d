import {LineCounter, parseDocument, isMap, isSeq, type Node} from 'yaml'

/** Line of `budgets[i]` or `budgets[i].key` in the file text (1-based); empty when unparsable. */
export type Locator = (index: number, key?: string) => number | undefined

/** Source positions for error messages and annotations; JSON is YAML, so one reader serves both. */
export function locator(text: string): Locator {
  const lc = new LineCounter()
  const doc = parseDocument(text, {lineCounter: lc, keepSourceTokens: false})
  if (doc.errors.length > 0) return () => undefined
  const budgets = isMap(doc.contents) ? doc.contents.get('budgets', true) : undefined
  if (!isSeq(budgets)) return () => undefined
  const lineOf = (n: unknown) => ((n as Node | undefined)?.range ? lc.linePos((n as Node).range![0]).line : undefined)
  return (index, key) => {
    const entry = budgets.items[index]
    if (key === undefined || !isMap(entry)) return lineOf(entry)
    const pair = entry.items.find((p) => (p.key as {value?: unknown} | null)?.value === key)
    return lineOf(pair?.key) ?? lineOf(entry)
  }
}
