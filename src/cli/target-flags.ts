import {readFileSync} from 'node:fs'
import {Flags} from '@oclif/core'
import {BASE_NAMES, type TargetInput} from '../arch/target.js'
import {parseBaseSpec} from '../arch/user-spec.js'
import {UserError} from '../errors.js'
import {BYTE_UNITS, parseMultiplier, parsePositiveInt, withUnit} from './numbers.js'

/** Flags that name a network and a scaling point; shared by flops, export and the sweep. */
export const targetFlags = {
  model: Flags.string({description: `named model: efficientnet-b0…b8, efficientnet-l2, ${BASE_NAMES.filter((b) => b !== 'efficientnet-b0').join(', ')}`, helpGroup: 'TARGET'}),
  base: Flags.string({description: `base network to scale: ${BASE_NAMES.join(', ')}`, helpGroup: 'TARGET'}),
  spec: Flags.string({description: 'your own base network as a JSON file (see fixtures/specs/)', helpGroup: 'TARGET'}),
  depth: Flags.string({description: 'depth multiplier (repeats × d, rounded up)', helpGroup: 'POINT'}),
  width: Flags.string({description: "width multiplier (channels × w, rounded by the base's rule: multiples of 8; RegNet also of its group width)", helpGroup: 'POINT'}),
  resolution: Flags.string({description: 'resolution multiplier of the base image size', helpGroup: 'POINT'}),
  'image-size': Flags.string({description: 'input image size in pixels (instead of --resolution)', helpGroup: 'POINT'}),
  phi: Flags.string({description: 'compound coefficient φ: d = α^φ, w = β^φ, r = γ^φ', helpGroup: 'POINT'}),
  alpha: Flags.string({description: 'compound depth base α (default 1.2)', helpGroup: 'POINT'}),
  beta: Flags.string({description: 'compound width base β (default 1.1)', helpGroup: 'POINT'}),
  gamma: Flags.string({description: 'compound resolution base γ (default 1.15)', helpGroup: 'POINT'}),
}

export type TargetFlagValues = {[K in keyof typeof targetFlags]?: string}

/** True when any target or point flag was given. */
export function hasTargetFlags(flags: TargetFlagValues): boolean {
  return Object.keys(targetFlags).some((k) => flags[k as keyof TargetFlagValues] !== undefined)
}

/** Turn parsed flag strings into a TargetInput (numbers checked, --spec read and validated). */
export function targetFromFlags(flags: TargetFlagValues): TargetInput {
  return {
    model: flags.model,
    base: flags.base,
    spec: flags.spec === undefined ? undefined : parseBaseSpec(readText(flags.spec, '--spec'), flags.spec),
    depth: parseMultiplier('--depth', flags.depth),
    width: parseMultiplier('--width', flags.width),
    resolution: parseMultiplier('--resolution', flags.resolution),
    imageSize: parsePositiveInt('--image-size', flags['image-size']),
    phi: parseMultiplier('--phi', flags.phi),
    alpha: parseMultiplier('--alpha', flags.alpha),
    beta: parseMultiplier('--beta', flags.beta),
    gamma: parseMultiplier('--gamma', flags.gamma),
  }
}

export function readText(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message
    throw new UserError(`${flag} ${file}: ${why}`)
  }
}

/** The target and point flags as given ("--base efficientnet-b0 --width 100"): what a refusal names. */
export function givenTargetFlags(flags: TargetFlagValues, extra: Record<string, string | undefined> = {}): string {
  const all: Record<string, string | undefined> = {...flags, ...extra}
  const keys = [...Object.keys(targetFlags), ...Object.keys(extra)]
  return keys.filter((k) => all[k] !== undefined).map((k) => `--${k} ${all[k]}`).join(' ')
}

/** --max-memory: bytes with an optional unit ("8GiB", "500MB"). */
export const maxMemoryFlag = Flags.string({
  description: 'refuse a network whose weights + peak activations would need more (default: 50% of free memory), e.g. 8GiB',
})

export function parseMaxMemory(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const n = withUnit(text, BYTE_UNITS)
  if (n === undefined || !(n > 0)) throw new UserError(`--max-memory must be a number of bytes with an optional unit (kB, MB, GB, KiB, MiB, GiB), got "${text}"`)
  return n
}
