// oclif reads oclif.manifest.json (built by `npm run build`) so that a call imports only the
// command it runs. In a checkout, `tsc` alone leaves an older manifest whose flags and help
// would be stale: drop it, so oclif reads the commands themselves (slower, never wrong).
// An installed package ships no tsconfig.json, and a manifest built with its dist/: nothing to check.
import {existsSync, readdirSync, statSync, unlinkSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

export function dropStaleManifest(binUrl) {
  const root = fileURLToPath(new URL('..', binUrl))
  const manifest = join(root, 'oclif.manifest.json')
  if (!existsSync(join(root, 'tsconfig.json')) || !existsSync(manifest)) return
  const built = statSync(manifest).mtimeMs
  const commands = join(root, 'dist', 'src', 'commands')
  let newest = 0
  try {
    for (const f of readdirSync(commands, {recursive: true})) if (f.endsWith('.js')) newest = Math.max(newest, statSync(join(commands, f)).mtimeMs)
  } catch {
    return // no dist/ yet: oclif says what is missing
  }
  if (newest <= built) return
  try {
    unlinkSync(manifest)
  } catch {
    // another process dropped it first
  }
}
