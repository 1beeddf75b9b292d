#!/bin/bash
# Build the two bundles that let effscale run on a GPU machine without network, with the
# ONNX Runtime CUDA provider. Run from the project root, after `npm ci && npm run build`.
#   .gpu/p1/  slim CUDA provider for sm_90 (about 38 MB)
#   .gpu/p2/  node binary + the project (dist, bin, package.json, node_modules
#             without other platforms' binaries) (about 35 MB)
# Each bundle stays under 64 MiB. README.md beside this script says how to use them.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(pwd)"
ORT_VER=$(node -p "require('onnxruntime-node/package.json').version")
grep -qx '/.gpu/' .git/info/exclude 2>/dev/null || echo '/.gpu/' >> .git/info/exclude
rm -rf .gpu && mkdir -p .gpu/p1 .gpu/p2 .gpu/tmp
# 1. CUDA 13 provider libraries from the npm registry (ONNX Runtime 1.29.0).
PROV_PKG=com.github.asus4.onnxruntime.linux-x64-gpu@0.4.9
if [ "$ORT_VER" != "1.29.0" ]; then
  echo "warning: onnxruntime-node is $ORT_VER; the provider in $PROV_PKG is built for 1.29.0" >&2
fi
(cd .gpu/tmp && npm pack --silent "$PROV_PKG" >/dev/null && tar xzf ./*.tgz)
LIB=.gpu/tmp/package/Plugins/Linux/x64
python3 "$HERE/slim_fatbin.py" "$LIB/libonnxruntime_providers_cuda.so" .gpu/tmp/prov.so 90 >/dev/null
xz -T0 -6 -c .gpu/tmp/prov.so > .gpu/p1/libonnxruntime_providers_cuda.so.xz
cp "$LIB/libonnxruntime_providers_shared.so" .gpu/p1/
cp "$HERE/gpu-unpack-ep.sh" .gpu/p1/unpack.sh
# 2. node itself, stripped, and the project with only linux-x64 binaries.
cp "$(command -v node)" .gpu/tmp/node && strip .gpu/tmp/node && xz -T0 -6 -c .gpu/tmp/node > .gpu/p2/node.xz
# Dev-only tools are left out; add more --exclude lines if p2 grows past ~60 MB.
tar cf - --exclude='.git' --exclude='.gpu' --exclude='bin/napi-v6/darwin' --exclude='bin/napi-v6/win32' \
  --exclude='bin/napi-v6/linux/arm64' --exclude='*.map' --exclude='node_modules/typescript' \
  --exclude='node_modules/@esbuild' --exclude='node_modules/esbuild' --exclude='node_modules/vite' \
  --exclude='node_modules/vitest' --exclude='node_modules/@vitest' --exclude='node_modules/rollup' \
  --exclude='node_modules/@rollup' --exclude='node_modules/.cache' \
  --exclude='node_modules/oclif' --exclude='node_modules/playwright-core' --exclude='node_modules/fast-check' \
  --exclude='node_modules/@oclif/plugin-*' --exclude='node_modules/@aws-sdk' --exclude='node_modules/@smithy' \
  --exclude='dist/test' --exclude='dist/bench' \
  $(ls -d package.json tsconfig.json oclif.manifest.json bin dist lib build src fixtures node_modules 2>/dev/null) | xz -T0 -6 > .gpu/p2/app.tar.xz
cp "$HERE/gpu-setup.sh" .gpu/p2/setup.sh
rm -rf .gpu/tmp
du -sh .gpu/p1 .gpu/p2
