/**
 * Non-negative least squares, min ‖Ax − b‖ subject to x ≥ 0 (Lawson & Hanson 1974, the active
 * set method of scipy.optimize.nnls). Dense and small: a latency model has a dozen columns.
 * Columns are scaled to unit norm first so MACs (1e9) and kernel counts (1e2) are comparable.
 */
export function nnls(A: readonly number[][], b: readonly number[], maxIter = 500): number[] {
  const n = A[0]?.length ?? 0
  const scale = Array.from({length: n}, (_, j) => Math.hypot(...A.map((r) => r[j])) || 1)
  const S = A.map((r) => r.map((v, j) => v / scale[j]))
  const x = new Array<number>(n).fill(0)
  const passive = new Array<boolean>(n).fill(false)
  const tol = 1e-12 * Math.max(1, Math.hypot(...b))
  const gradient = () => {
    const r = b.map((bi, i) => bi - S[i].reduce((s, v, j) => s + v * x[j], 0))
    return Array.from({length: n}, (_, j) => S.reduce((s, row, i) => s + row[j] * r[i], 0))
  }
  for (let iter = 0; iter < maxIter; iter++) {
    const w = gradient()
    let best = -1
    for (let j = 0; j < n; j++) if (!passive[j] && w[j] > tol && (best < 0 || w[j] > w[best])) best = j
    if (best < 0) break
    passive[best] = true
    for (;;) {
      const z = solvePassive(S, b, passive)
      const bad = [...passive.keys()].filter((j) => passive[j] && z[j] <= 0)
      if (bad.length === 0) {
        for (let j = 0; j < n; j++) x[j] = passive[j] ? z[j] : 0
        break
      }
      // Step toward z until the first passive coefficient reaches zero, then drop it.
      let alpha = Infinity
      for (const j of bad) alpha = Math.min(alpha, x[j] / (x[j] - z[j]))
      for (let j = 0; j < n; j++) {
        x[j] += alpha * ((passive[j] ? z[j] : 0) - x[j])
        if (passive[j] && x[j] <= 1e-15) {
          passive[j] = false
          x[j] = 0
        }
      }
    }
  }
  return x.map((v, j) => v / scale[j])
}

/** Unconstrained least squares on the passive columns (normal equations, Gaussian elimination). */
function solvePassive(S: readonly number[][], b: readonly number[], passive: readonly boolean[]): number[] {
  const idx = [...passive.keys()].filter((j) => passive[j])
  const k = idx.length
  const M = idx.map((p) => idx.map((q) => S.reduce((s, r) => s + r[p] * r[q], 0)))
  const v = idx.map((p) => S.reduce((s, r, i) => s + r[p] * b[i], 0))
  // Tiny ridge keeps collinear columns (B0 features are close to proportional) solvable.
  for (let i = 0; i < k; i++) M[i][i] += 1e-10
  for (let c = 0; c < k; c++) {
    let piv = c
    for (let r = c + 1; r < k; r++) if (Math.abs(M[r][c]) > Math.abs(M[piv][c])) piv = r
    ;[M[c], M[piv]] = [M[piv], M[c]]
    ;[v[c], v[piv]] = [v[piv], v[c]]
    for (let r = c + 1; r < k; r++) {
      const f = M[r][c] / M[c][c]
      for (let q = c; q < k; q++) M[r][q] -= f * M[c][q]
      v[r] -= f * v[c]
    }
  }
  const sol = new Array<number>(k).fill(0)
  for (let c = k - 1; c >= 0; c--) {
    let s = v[c]
    for (let q = c + 1; q < k; q++) s -= M[c][q] * sol[q]
    sol[c] = s / M[c][c]
  }
  const z = new Array<number>(passive.length).fill(0)
  idx.forEach((j, i) => (z[j] = sol[i]))
  return z
}
