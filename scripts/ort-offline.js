// effscale's preinstall: lets `npm install effscale` succeed where NuGet cannot be reached.
//
// onnxruntime-node's postinstall (script/install.js) downloads its CUDA provider from NuGet on
// linux/x64 unless told to skip (ONNXRUNTIME_NODE_INSTALL=skip or npm config
// onnxruntime-node-install=skip), or unless the provider's files already exist — and offline the
// download fails the whole install. npm runs every package's preinstall before any postinstall,
// so here, when no flag was given and NuGet does not answer, the three provider files are written
// as small text placeholders: the postinstall then finds them and exits 0. The CPU provider is
// bundled and works; CUDA sessions fail to load the placeholder and `effscale sweep --ep auto`
// falls back to the CPU, saying why. With NuGet reachable nothing is changed (CUDA downloads as
// onnxruntime-node intends). To get CUDA later, on a machine with internet (overwrites them):
//   ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js
// See docs/install.md.
import {existsSync, mkdirSync, writeFileSync} from 'node:fs'
import {get} from 'node:https'
import {createRequire} from 'node:module'
import path from 'node:path'

// As onnxruntime-node's install-metadata.js: the files only linux/x64 downloads.
const CUDA_FILES = ['libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so', 'libonnxruntime_providers_tensorrt.so']
const NUGET = 'https://api.nuget.org/v3/index.json'
const TIMEOUT_MS = 8000

const flagGiven = ['ONNXRUNTIME_NODE_INSTALL', 'npm_config_onnxruntime_node_install', 'ONNXRUNTIME_NODE_INSTALL_CUDA', 'npm_config_onnxruntime_node_install_cuda'].some(
  (v) => process.env[v],
)

function ortBinDir() {
  try {
    const pkg = createRequire(path.join(process.cwd(), 'package.json')).resolve('onnxruntime-node/package.json')
    return path.join(path.dirname(pkg), 'bin', 'napi-v6', 'linux', 'x64')
  } catch {
    return undefined // not installed (yet): nothing to prepare
  }
}

function nugetAnswers() {
  return new Promise((resolve) => {
    const req = get(NUGET, {timeout: TIMEOUT_MS}, (res) => {
      res.resume()
      resolve(res.statusCode === 200)
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', () => resolve(false))
  })
}

const dir = process.platform === 'linux' && process.arch === 'x64' && !flagGiven ? ortBinDir() : undefined
if (dir && !CUDA_FILES.every((f) => existsSync(path.join(dir, f))) && !(await nugetAnswers())) {
  mkdirSync(dir, {recursive: true})
  const note =
    `Placeholder written by effscale's preinstall: ${NUGET} did not answer, so onnxruntime-node's CUDA provider was not downloaded.\n` +
    'To install it (needs internet): ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js\n'
  for (const f of CUDA_FILES) if (!existsSync(path.join(dir, f))) writeFileSync(path.join(dir, f), note)
  console.log(`effscale: NuGet unreachable: onnxruntime-node installs without its CUDA provider (CPU only). Later, with internet: ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js`)
}
