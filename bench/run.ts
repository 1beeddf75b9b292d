/**
 * `npm run bench`: runs every dist/bench/*.bench.js in turn. Each bench module exports
 * `bench(): Promise<void>` and prints its own figures with the target beside them.
 */
import {readdirSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const only = process.argv[2]
for (const file of readdirSync(here).filter((f) => f.endsWith('.bench.js')).sort()) {
  if (only && !file.includes(only)) continue
  const mod = (await import(pathToFileURL(path.join(here, file)).href)) as {bench: () => Promise<void>}
  console.log(`\n# ${file.replace('.bench.js', '')}`)
  await mod.bench()
}
