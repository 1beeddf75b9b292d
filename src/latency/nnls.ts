/**
 * Non-negative least squares, min ‖Ax − b‖ subject to x ≥ 0 (Lawson & Hanson 1974, the active
 * set method of scipy.optimize.nnls), worked on the normal equations: AᵀA and Aᵀb are formed once,
 * so thousands of rows (per-op kernel times) cost one pass, and a fit without some rows is the
 * same sums less theirs. Columns are scaled to unit norm so MACs (1e9) and kernel counts (1e2)
 * are comparable.
 */
export interface Normal {
  /** AᵀA, n × n. */
  G: number[][]
  /** Aᵀb. */
  h: number[]
  /** bᵀb (for the tolerance). */
  bb: number
}

export function normalEquations(A: readonly number[][], b: readonly number[], n = A[0]?.length ?? 0): Normal {
  const G = Array.from({length: n}, () => new Array<number>(n).fill(0))
  const h = new Array<number>(n).fill(0)
  let bb = 0
  A.forEach((r, i) => {
    for (let p = 0; p < n; p++) {
      if (r[p] === 0) continue
      h[p] += r[p] * b[i]
      for (let q = p; q < n; q++) G[p][q] += r[p] * r[q]
    }
    bb += b[i] * b[i]
  })
  for (let p = 0; p < n; p++) for (let q = 0; q < p; q++) G[p][q] = G[q][p]
  return {G, h, bb}
}

/** Sums of normal equations (rows of several groups fitted together). */
export function addNormal(a: Normal, b: Normal, sign = 1): Normal {
  return {G: a.G.map((r, p) => r.map((v, q) => v + sign * b.G[p][q])), h: a.h.map((v, p) => v + sign * b.h[p]), bb: a.bb + sign * b.bb}
}

export function nnls(A: readonly number[][], b: readonly number[], maxIter = 500): number[] {
  return nnlsNormal(normalEquations(A, b), maxIter)
}

export function nnlsNormal({G: G0, h: h0, bb}: Normal, maxIter = 500): number[] {
  const n = h0.length
  const scale = G0.map((r, j) => Math.sqrt(Math.max(0, r[j])) || 1)
  const G = G0.map((r, p) => r.map((v, q) => v / (scale[p] * scale[q])))
  const h = h0.map((v, p) => v / scale[p])
  const x = new Array<number>(n).fill(0)
  const passive = new Array<boolean>(n).fill(false)
  const tol = 1e-12 * Math.max(1, Math.sqrt(Math.max(0, bb)))
  // Aᵀ(b − Ax) in scaled columns.
  const gradient = () => h.map((v, p) => v - G[p].reduce((s, g, q) => s + g * x[q], 0))
  for (let iter = 0; iter < maxIter; iter++) {
    const w = gradient()
    let best = -1
    for (let j = 0; j < n; j++) if (!passive[j] && w[j] > tol && (best < 0 || w[j] > w[best])) best = j
    if (best < 0) break
    passive[best] = true
    for (;;) {
      const z = solvePassive(G, h, passive)
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

/** Unconstrained least squares on the passive columns (their normal equations, Gaussian elimination). */
function solvePassive(G: readonly number[][], h: readonly number[], passive: readonly boolean[]): number[] {
  const idx = [...passive.keys()].filter((j) => passive[j])
  const k = idx.length
  const M = idx.map((p) => idx.map((q) => G[p][q]))
  const v = idx.map((p) => h[p])
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
