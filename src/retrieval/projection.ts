/**
 * A linear map from the embedder's vectors to fewer dimensions, fitted on the passages of one index (uncentred
 * PCA: the directions that carry most of the passages' vectors). Why: at 100k passages the offline embedder's
 * 1024-dim vectors alone took 405 MB; reduced to 256 they take a quarter, and because the map is fitted on the
 * passages the index holds, a passage's similarity to a question changes little (the part of a question outside
 * the passages' span cannot favour one passage over another). A fixed map fitted once would serve passages
 * added later worse (measured in the README, "Offline-Embeddings"), so every build fits its own and stores it beside the
 * vectors; a question is mapped with the map of the index it searches.
 */
export class Projection {
  /** `m[i * to + j]`: weight of input dimension i in output dimension j. */
  constructor(readonly from: number, readonly to: number, readonly m: Float32Array) {
    if (m.length !== from * to) throw new Error(`projection: ${m.length} weights for ${from} × ${to}`);
  }

  /**
   * Fits the map on these vectors (a sample of the passages: see `evenSample`). Deterministic: the same vectors
   * give the same map on every machine (fixed start, fixed order of every sum).
   */
  static fit(rows: ArrayLike<number>[], to: number, iterations = 4): Projection {
    const n = rows.length;
    const d = rows[0]?.length ?? 0;
    if (n < to || d <= to) throw new Error(`projection: ${n} vectors of ${d} dims cannot give ${to} dims`);
    // In the space of the sampled passages (n ≤ d): the Gram matrix is n × n, far smaller than d × d when the
    // sample is small, and its leading eigenvectors give the same subspace.
    const X = new Float64Array(n * d);
    rows.forEach((r, i) => {
      for (let k = 0; k < d; k++) X[i * d + k] = r[k];
    });
    const G = new Float64Array(n * n);
    for (let a = 0; a < n; a++) for (let b = a; b < n; b++) G[a * n + b] = G[b * n + a] = dot(X, a * d, X, b * d, d);
    // Subspace iteration: `to` columns (stored as rows of U) multiplied by G and re-orthonormalised. The subspace
    // settles within a few rounds (kept share of the passages' length 0.975 after 2, 0.977 after 30).
    let U = new Float64Array(to * n);
    let seed = 2463534242;
    for (let i = 0; i < U.length; i++) {
      seed ^= seed << 13; seed >>>= 0;
      seed ^= seed >>> 17;
      seed ^= seed << 5; seed >>>= 0;
      U[i] = seed / 2 ** 32 - 0.5;
    }
    orthonormalise(U, to, n);
    for (let it = 0; it < iterations; it++) {
      const W = new Float64Array(to * n);
      for (let j = 0; j < to; j++) for (let a = 0; a < n; a++) W[j * n + a] = dot(G, a * n, U, j * n, n);
      orthonormalise(W, to, n);
      U = W;
    }
    // Back to the embedder's space: V = Xᵀ U spans the passages' leading directions.
    const V = new Float64Array(to * d);
    for (let j = 0; j < to; j++) for (let a = 0; a < n; a++) axpy(U[j * n + a], X, a * d, V, j * d, d);
    orthonormalise(V, to, d);
    const m = new Float32Array(d * to);
    for (let j = 0; j < to; j++) for (let k = 0; k < d; k++) m[k * to + j] = V[j * d + k];
    return new Projection(d, to, m);
  }

  /** The reduced vector, of unit length (the index compares by cosine). */
  apply(v: ArrayLike<number>): Float32Array {
    return this.reduce(v).unit;
  }

  /**
   * The reduced vector of unit length and the length it had before: for a unit-length input that length is the share
   * of it inside the passages' directions, and cosine × length is, within ≈ 0.005, its cosine in the full space.
   */
  reduce(v: ArrayLike<number>): { unit: Float32Array; norm: number } {
    const { to, m } = this;
    const y = new Float64Array(to);
    // Four outputs per step: each y[j] still sums over i in the same order (the same bits), but V8 runs the
    // unrolled loop 1.7 times as fast, and at 100k passages this product was a third of the build.
    const head = to - (to % 4);
    for (let i = 0; i < this.from; i++) {
      const x = v[i];
      if (!x) continue;
      const o = i * to;
      let j = 0;
      for (; j < head; j += 4) {
        const k = o + j;
        y[j] += x * m[k];
        y[j + 1] += x * m[k + 1];
        y[j + 2] += x * m[k + 2];
        y[j + 3] += x * m[k + 3];
      }
      for (; j < to; j++) y[j] += x * m[o + j];
    }
    let norm = 0;
    for (let j = 0; j < to; j++) norm += y[j] * y[j];
    norm = Math.sqrt(norm);
    const unit = new Float32Array(to);
    for (let j = 0; j < to; j++) unit[j] = y[j] / (norm || 1);
    return { unit, norm };
  }

  toBuffer(): Buffer {
    const b = Buffer.alloc(8 + this.m.byteLength);
    b.writeUInt32LE(this.from, 0);
    b.writeUInt32LE(this.to, 4);
    Buffer.from(this.m.buffer, this.m.byteOffset, this.m.byteLength).copy(b, 8);
    return b;
  }

  static fromBuffer(b: Buffer): Projection {
    const from = b.readUInt32LE(0), to = b.readUInt32LE(4);
    if (b.length !== 8 + from * to * 4) throw new Error(`projection file: ${b.length} bytes for ${from} × ${to}`);
    const m = new Float32Array(from * to);
    Buffer.from(m.buffer).set(b.subarray(8));
    return new Projection(from, to, m);
  }
}

/**
 * At most `max` items, evenly spaced: the passages a map is fitted on. The fit grows with the square of the
 * sample (512: ≈ 1.3 s, 1024: ≈ 3.4 s on the 2-core machine); 512 is twice the dimensions kept.
 */
export function evenSample<T>(items: T[], max = 512): T[] {
  if (items.length <= max) return items.slice();
  const step = items.length / max;
  return Array.from({ length: max }, (_, i) => items[Math.floor(i * step)]);
}

/** Modified Gram–Schmidt on the `rows` rows of length `len` (in place); a row that vanishes stays zero. */
function orthonormalise(A: Float64Array, rows: number, len: number): void {
  for (let a = 0; a < rows; a++) {
    const oa = a * len;
    for (let b = 0; b < a; b++) {
      const d = dot(A, oa, A, b * len, len);
      if (d) axpy(-d, A, b * len, A, oa, len);
    }
    const norm = Math.sqrt(dot(A, oa, A, oa, len));
    if (norm < 1e-12) A.fill(0, oa, oa + len);
    else for (let k = 0; k < len; k++) A[oa + k] /= norm;
  }
}

// Small leaf functions: V8 optimises these tight loops far better than the same loops inlined in a large body.
function dot(x: Float64Array, ox: number, y: Float64Array, oy: number, len: number): number {
  let s = 0;
  for (let k = 0; k < len; k++) s += x[ox + k] * y[oy + k];
  return s;
}

function axpy(a: number, x: Float64Array, ox: number, y: Float64Array, oy: number, len: number): void {
  if (!a) return;
  for (let k = 0; k < len; k++) y[oy + k] += a * x[ox + k];
}
