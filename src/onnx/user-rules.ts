/**
 * A user's rule file (`--rules rules.json`) extends the cost table for op types it lacks —
 * custom and other-domain ops — without forking, the way fvcore's `set_op_handle` does:
 *
 *   {"rules": {"com.example.Fancy": {"outputs": ["in0", ["in0[0]", "in1[1]"]],
 *                                    "macs": "numel(in0) * in1[1]", "otherOps": "numel(out0)"}}}
 *
 * An output is "inK" (input K's shape and type) or a list of dim expressions (input 0's type).
 * Expressions: integers, + - * / %, parentheses, inK[i] and outK[i] (dims; negative i counts from
 * the end), numel(t), rank(t), floor, ceil, min, max, and attr.NAME (an integer attribute).
 */
import {readFileSync} from 'node:fs'
import {ajvModule, lazy} from '../lazy.js'
import {UserError} from '../errors.js'
import {describeAjvError} from '../schema-errors.js'
import type {Rule} from './rule-kit.js'
import {isSupported} from './rules.js'
import {InferError, numel, type Attrs, type Value} from './values.js'

const EXPR = {type: 'string', minLength: 1} as const
export const RULE_FILE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['rules'],
  properties: {
    $schema: {type: 'string'},
    rules: {
      type: 'object',
      minProperties: 1,
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['outputs'],
        properties: {
          description: {type: 'string'},
          outputs: {type: 'array', minItems: 1, items: {anyOf: [{type: 'string', pattern: '^in[0-9]+$'}, {type: 'array', items: EXPR}]}},
          macs: EXPR,
          otherOps: EXPR,
        },
      },
    },
  },
} as const

const validator = lazy(() => new (ajvModule().Ajv)({allErrors: false}).compile(RULE_FILE_SCHEMA))

interface Env {
  ins: Array<Value | undefined>
  outs: Value[]
  attrs: Attrs
}
type Expr = (env: Env) => number

/** Parse one expression into a function of the node; throws Error with the reason. */
export function compileExpr(text: string): Expr {
  const tokens = text.match(/\s*(\d+|[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?|\S)/g)?.map((t) => t.trim()) ?? []
  let pos = 0
  const peek = () => tokens[pos]
  const take = (want?: string) => {
    const t = tokens[pos++]
    if (want !== undefined && t !== want) throw new Error(`expected "${want}" at "${t ?? 'end'}"`)
    if (t === undefined) throw new Error('unexpected end')
    return t
  }
  const tensor = (name: string): ((env: Env) => Value) => {
    const m = /^(in|out)(\d+)$/.exec(name)
    if (!m) throw new Error(`"${name}" is not a tensor (in0, in1, …, out0, …)`)
    const k = Number(m[2])
    return (env) => {
      const v = m[1] === 'in' ? env.ins[k] : env.outs[k]
      if (!v) throw new InferError(`${name} has no known shape`)
      return v
    }
  }
  const FUNS: Record<string, (args: Expr[]) => Expr> = {
    floor: ([a]) => (e) => Math.floor(a(e)),
    ceil: ([a]) => (e) => Math.ceil(a(e)),
    min: (as) => (e) => Math.min(...as.map((a) => a(e))),
    max: (as) => (e) => Math.max(...as.map((a) => a(e))),
  }
  function factor(): Expr {
    const t = take()
    if (t === '(') {
      const e = sum()
      take(')')
      return e
    }
    if (t === '-') {
      const f = factor()
      return (e) => -f(e)
    }
    if (/^\d+$/.test(t)) return () => Number(t)
    if (t.startsWith('attr.')) {
      const name = t.slice(5)
      return (e) => {
        if (!e.attrs.has(name)) throw new InferError(`attribute ${name} is missing`)
        return e.attrs.int(name, 0)
      }
    }
    if (t === 'numel' || t === 'rank') {
      take('(')
      const v = tensor(take())
      take(')')
      return t === 'numel' ? (e) => numel(v(e).shape) : (e) => v(e).shape.length
    }
    if (FUNS[t]) {
      take('(')
      const args = [sum()]
      while (peek() === ',') {
        take(',')
        args.push(sum())
      }
      take(')')
      return FUNS[t](args)
    }
    if (/^[a-z]/i.test(t)) {
      const v = tensor(t)
      take('[')
      const i = sum()
      take(']')
      return (e) => {
        const s = v(e).shape
        const k = i(e)
        const d = s[k < 0 ? k + s.length : k]
        if (d === undefined) throw new InferError(`${t}[${k}] is out of range for shape [${s}]`)
        return d
      }
    }
    throw new Error(`unexpected "${t}"`)
  }
  function product(): Expr {
    let left = factor()
    while (peek() === '*' || peek() === '/' || peek() === '%') {
      const op = take()
      const l = left
      const r = factor()
      left = op === '*' ? (e) => l(e) * r(e) : op === '/' ? (e) => l(e) / r(e) : (e) => l(e) % r(e)
    }
    return left
  }
  function sum(): Expr {
    let left = product()
    while (peek() === '+' || peek() === '-') {
      const op = take()
      const l = left
      const r = product()
      left = op === '+' ? (e) => l(e) + r(e) : (e) => l(e) - r(e)
    }
    return left
  }
  const e = sum()
  if (pos < tokens.length) throw new Error(`unexpected "${tokens[pos]}"`)
  return e
}

const whole = (what: string, v: number) => {
  if (!Number.isInteger(v) || v < 0) throw new InferError(`rule gives ${what} = ${v}, not a whole number ≥ 0`)
  return v
}

/** Read, validate and compile a rule file: one line naming the file and field on any problem. */
export function loadUserRules(file: string): Map<string, Rule> {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new UserError(`--rules ${file}: ${code === 'ENOENT' ? 'no such file' : code ? (error as Error).message : `not valid JSON (${(error as Error).message})`}`)
  }
  const validate = validator()
  if (!validate(raw)) throw new UserError(`--rules ${file}: ${describeAjvError(validate.errors?.[0], 'invalid rule file')}`)
  const rules = new Map<string, Rule>()
  for (const [op, spec] of Object.entries((raw as {rules: Record<string, {outputs: Array<string | string[]>; macs?: string; otherOps?: string}>}).rules)) {
    if (isSupported(op)) throw new UserError(`--rules ${file}: rules.${op}: ${op} already has a built-in rule`)
    const compile = (field: string, text: string) => {
      try {
        return compileExpr(text)
      } catch (error) {
        throw new UserError(`--rules ${file}: rules.${op}.${field}: "${text}": ${(error as Error).message}`)
      }
    }
    const outputs = spec.outputs.map((o, i) => (typeof o === 'string' ? o : o.map((d, j) => compile(`outputs[${i}][${j}]`, d))))
    const macs = spec.macs === undefined ? undefined : compile('macs', spec.macs)
    const otherOps = spec.otherOps === undefined ? undefined : compile('otherOps', spec.otherOps)
    rules.set(op, ({inputs, attrs}) => {
      const env: Env = {ins: inputs, outs: [], attrs}
      for (const o of outputs) {
        if (typeof o === 'string') {
          const v = inputs[Number(o.slice(2))]
          if (!v) throw new InferError(`${o} has no known shape`)
          env.outs.push({shape: v.shape, dtype: v.dtype})
        } else {
          env.outs.push({shape: o.map((d, j) => whole(`dim ${j}`, d(env))), dtype: inputs[0]?.dtype ?? 1})
        }
      }
      return {outputs: env.outs, macs: macs ? whole('macs', macs(env)) : 0, otherOps: otherOps ? whole('otherOps', otherOps(env)) : 0}
    })
  }
  return rules
}
