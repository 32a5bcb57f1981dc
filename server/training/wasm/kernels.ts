import {
  add,
  and,
  assembleModule,
  type Code,
  eq,
  FunctionBuilder,
  f64Add,
  f64Gt,
  f64Load,
  f64Lt,
  f64Store,
  f64x2Add,
  f64x2Gt,
  f64x2Lane,
  f64x2Pmax,
  f64x2Zero,
  f64Zero,
  forLoop,
  get,
  i32,
  ifElse,
  ifThen,
  load64Splat,
  ltS,
  ltU,
  mul,
  mulAdd,
  select,
  set,
  shl,
  sub,
  v128And,
  v128Load,
  v128Store,
  v128Store64Lane0,
} from './emit.js';

/**
 * The three dense kernels of ../matrix.ts (and ReLU, forward and backward) as WebAssembly SIMD (f64x2), 3–4×
 * faster than the scalar JavaScript (ReLU mostly because masks replace unpredictable branches).
 * Every output is accumulated in the same order as the JavaScript reference, with a separate multiply and add
 * (no FMA), so both paths give bit-identical results (the tests check it).
 *
 * Arguments are byte addresses into the instance's memory and element counts. Ragged edges are handled by
 * computing whole vectors and storing only the lanes that exist, and an odd last row by computing it twice into
 * the same place; so loads may read up to 16 bytes past an array's end — the caller leaves that much room at
 * the end of the memory.
 */

/** Y[m×n] = X[m×k]·W[k×n] + b — rows in pairs, columns in fours, sequential over k. */
function affineForward(): { builder: FunctionBuilder; body: Code } {
  const f = new FunctionBuilder('affine', 7);
  const [X, W, B, Y, M, K, N] = [0, 1, 2, 3, 4, 5, 6];
  const [r, j, jb, nb, kb, x0, x1, y0, y1, xp0, xp1, xe, w, rem] = f.locals32(14);
  const [a00, a01, a10, a11, xa, xb, w0, w1] = f.locals128(8);
  const body = [
    ...set(nb, shl(get(N), i32(3))),
    ...set(kb, shl(get(K), i32(3))),
    ...forLoop(set(r, i32(0)), ltS(get(r), get(M)), set(r, add(get(r), i32(2))), [
      ...set(x0, add(get(X), mul(get(r), get(kb)))),
      ...set(y0, add(get(Y), mul(get(r), get(nb)))),
      // An odd last row is computed as a pair of itself (same values, same addresses).
      ...ifElse(
        ltS(add(get(r), i32(1)), get(M)),
        [...set(x1, add(get(x0), get(kb))), ...set(y1, add(get(y0), get(nb)))],
        [...set(x1, get(x0)), ...set(y1, get(y0))],
      ),
      ...forLoop(set(j, i32(0)), ltS(get(j), get(N)), set(j, add(get(j), i32(4))), [
        ...set(jb, shl(get(j), i32(3))),
        ...set(a00, v128Load(add(get(B), get(jb)))),
        ...set(a01, v128Load(add(get(B), get(jb)), 16)),
        ...set(a10, get(a00)),
        ...set(a11, get(a01)),
        ...set(w, add(get(W), get(jb))),
        ...set(xe, add(get(x0), get(kb))),
        ...forLoop(
          [...set(xp0, get(x0)), ...set(xp1, get(x1))],
          ltU(get(xp0), get(xe)),
          [...set(xp0, add(get(xp0), i32(8))), ...set(xp1, add(get(xp1), i32(8))), ...set(w, add(get(w), get(nb)))],
          [
            ...set(xa, load64Splat(get(xp0))),
            ...set(xb, load64Splat(get(xp1))),
            ...set(w0, v128Load(get(w))),
            ...set(w1, v128Load(get(w), 16)),
            ...mulAdd(a00, xa, w0),
            ...mulAdd(a01, xa, w1),
            ...mulAdd(a10, xb, w0),
            ...mulAdd(a11, xb, w1),
          ],
        ),
        ...set(rem, sub(get(N), get(j))),
        ...storeQuad(rem, add(get(y0), get(jb)), a00, a01),
        ...storeQuad(rem, add(get(y1), get(jb)), a10, a11),
      ]),
    ]),
  ];
  return { builder: f, body };
}

/** Stores the first min(rem, 4) lanes of (lo, hi) at addr. */
function storeQuad(rem: number, addr: Code, lo: number, hi: number): Code {
  return ifElse(
    ltS(get(rem), i32(4)),
    ifElse(ltS(get(rem), i32(2)), v128Store64Lane0(addr, get(lo)), [
      ...v128Store(addr, get(lo)),
      ...ifThen(eq(get(rem), i32(3)), v128Store64Lane0(addr, get(hi), 16)),
    ]),
    [...v128Store(addr, get(lo)), ...v128Store(addr, get(hi), 16)],
  );
}

/** dW[k×n] += X[m×k]ᵀ·dY[m×n] — dW rows (p) in pairs, columns in fours, each sum sequential over m from 0. */
function weightGrad(): { builder: FunctionBuilder; body: Code } {
  const f = new FunctionBuilder('weight_grad', 6);
  const [X, DY, DW, M, K, N] = [0, 1, 2, 3, 4, 5];
  const [p, j, jb, nb, kb, xq0, xq1, yq, r, dw0, dw1, rem] = f.locals32(12);
  const [s00, s01, s10, s11, xa, xb, d0, d1] = f.locals128(8);
  const body = [
    ...set(nb, shl(get(N), i32(3))),
    ...set(kb, shl(get(K), i32(3))),
    ...forLoop(set(p, i32(0)), ltS(get(p), get(K)), set(p, add(get(p), i32(2))), [
      ...set(dw0, add(get(DW), mul(get(p), get(nb)))),
      // An odd last dW row is computed as a pair of itself: both results are formed before either is stored.
      ...set(dw1, select(add(get(dw0), get(nb)), get(dw0), ltS(add(get(p), i32(1)), get(K)))),
      ...forLoop(set(j, i32(0)), ltS(get(j), get(N)), set(j, add(get(j), i32(4))), [
        ...set(jb, shl(get(j), i32(3))),
        ...set(s00, f64x2Zero()),
        ...set(s01, f64x2Zero()),
        ...set(s10, f64x2Zero()),
        ...set(s11, f64x2Zero()),
        ...set(xq0, add(get(X), shl(get(p), i32(3)))),
        ...set(xq1, select(add(get(xq0), i32(8)), get(xq0), ltS(add(get(p), i32(1)), get(K)))),
        ...forLoop(
          [...set(r, i32(0)), ...set(yq, add(get(DY), get(jb)))],
          ltS(get(r), get(M)),
          [
            ...set(r, add(get(r), i32(1))),
            ...set(xq0, add(get(xq0), get(kb))),
            ...set(xq1, add(get(xq1), get(kb))),
            ...set(yq, add(get(yq), get(nb))),
          ],
          [
            ...set(xa, load64Splat(get(xq0))),
            ...set(xb, load64Splat(get(xq1))),
            ...set(d0, v128Load(get(yq))),
            ...set(d1, v128Load(get(yq), 16)),
            ...mulAdd(s00, xa, d0),
            ...mulAdd(s01, xa, d1),
            ...mulAdd(s10, xb, d0),
            ...mulAdd(s11, xb, d1),
          ],
        ),
        // New values from the old ones, then the stores (row 1 may be row 0 again: same values).
        ...set(s00, f64x2Add(v128Load(add(get(dw0), get(jb))), get(s00))),
        ...set(s01, f64x2Add(v128Load(add(get(dw0), get(jb)), 16), get(s01))),
        ...set(s10, f64x2Add(v128Load(add(get(dw1), get(jb))), get(s10))),
        ...set(s11, f64x2Add(v128Load(add(get(dw1), get(jb)), 16), get(s11))),
        ...set(rem, sub(get(N), get(j))),
        ...storeQuad(rem, add(get(dw0), get(jb)), s00, s01),
        ...storeQuad(rem, add(get(dw1), get(jb)), s10, s11),
      ]),
    ]),
  ];
  return { builder: f, body };
}

/**
 * dX[m×k] = dY[m×n]·W[k×n]ᵀ — rows in pairs, four dX columns (W rows) at a time; each dot product runs over
 * j in lane pairs: (Σ even j) + (Σ odd j), plus the last term when n is odd.
 */
function inputGrad(): { builder: FunctionBuilder; body: Code } {
  const f = new FunctionBuilder('input_grad', 6);
  const [DY, W, DX, M, K, N] = [0, 1, 2, 3, 4, 5];
  const [r, p, nb, kb, n2b, jb, y0, y1, x0, x1, w0, w1, w2, w3, last] = f.locals32(15);
  const [s00, s01, s02, s03, s10, s11, s12, s13, d0, d1, v0, v1, v2, v3] = f.locals128(14);
  const clampRow = (q: Code) => select(q, sub(get(K), i32(1)), ltS(q, get(K)));
  const wRow = (q: Code) => add(get(W), mul(clampRow(q), get(nb)));
  // (lane 0 + lane 1) [+ dY[row, n−1]·W[q, n−1] when n is odd], stored as dX[row, q].
  const finish = (acc: number, yRow: number, wRowAddr: number, dst: Code): Code => {
    const reduced = f64Add(f64x2Lane(get(acc), 0), f64x2Lane(get(acc), 1));
    const withTail = f64Add(reduced, mulScalar(add(get(yRow), get(last)), add(get(wRowAddr), get(last))));
    return ifElse(eq(and(get(N), i32(1)), i32(1)), f64Store(dst, withTail), f64Store(dst, reduced));
  };
  const xAddr = (xRow: number, k: number) => add(get(xRow), shl(clampCol(k), i32(3)));
  const clampCol = (k: number) => select(add(get(p), i32(k)), sub(get(K), i32(1)), ltS(add(get(p), i32(k)), get(K)));
  const body = [
    ...set(nb, shl(get(N), i32(3))),
    ...set(kb, shl(get(K), i32(3))),
    ...set(n2b, shl(and(get(N), i32(-2)), i32(3))),
    ...set(last, sub(get(nb), i32(8))),
    ...forLoop(set(r, i32(0)), ltS(get(r), get(M)), set(r, add(get(r), i32(2))), [
      ...set(y0, add(get(DY), mul(get(r), get(nb)))),
      ...set(x0, add(get(DX), mul(get(r), get(kb)))),
      ...ifElse(
        ltS(add(get(r), i32(1)), get(M)),
        [...set(y1, add(get(y0), get(nb))), ...set(x1, add(get(x0), get(kb)))],
        [...set(y1, get(y0)), ...set(x1, get(x0))],
      ),
      ...forLoop(set(p, i32(0)), ltS(get(p), get(K)), set(p, add(get(p), i32(4))), [
        // Past the last W row, repeat it: the repeated results land on the same dX cell with the same value.
        ...set(w0, add(get(W), mul(get(p), get(nb)))),
        ...set(w1, wRow(add(get(p), i32(1)))),
        ...set(w2, wRow(add(get(p), i32(2)))),
        ...set(w3, wRow(add(get(p), i32(3)))),
        ...[s00, s01, s02, s03, s10, s11, s12, s13].flatMap((s) => set(s, f64x2Zero())),
        ...forLoop(set(jb, i32(0)), ltS(get(jb), get(n2b)), set(jb, add(get(jb), i32(16))), [
          ...set(d0, v128Load(add(get(y0), get(jb)))),
          ...set(d1, v128Load(add(get(y1), get(jb)))),
          ...set(v0, v128Load(add(get(w0), get(jb)))),
          ...set(v1, v128Load(add(get(w1), get(jb)))),
          ...set(v2, v128Load(add(get(w2), get(jb)))),
          ...set(v3, v128Load(add(get(w3), get(jb)))),
          ...mulAdd(s00, d0, v0),
          ...mulAdd(s01, d0, v1),
          ...mulAdd(s02, d0, v2),
          ...mulAdd(s03, d0, v3),
          ...mulAdd(s10, d1, v0),
          ...mulAdd(s11, d1, v1),
          ...mulAdd(s12, d1, v2),
          ...mulAdd(s13, d1, v3),
        ]),
        ...finish(s00, y0, w0, xAddr(x0, 0)),
        ...finish(s01, y0, w1, xAddr(x0, 1)),
        ...finish(s02, y0, w2, xAddr(x0, 2)),
        ...finish(s03, y0, w3, xAddr(x0, 3)),
        ...finish(s10, y1, w0, xAddr(x1, 0)),
        ...finish(s11, y1, w1, xAddr(x1, 1)),
        ...finish(s12, y1, w2, xAddr(x1, 2)),
        ...finish(s13, y1, w3, xAddr(x1, 3)),
      ]),
    ]),
  ];
  return { builder: f, body };
}

/**
 * ReLU in place, exactly as `if (x < 0) x = 0` (NaN and −0 pass through): pmax(x, 0) lane-wise.
 */
function reluForward(): { builder: FunctionBuilder; body: Code } {
  const f = new FunctionBuilder('relu', 2);
  const [A, LEN] = [0, 1];
  const [ib, pairs, addr] = f.locals32(3);
  const body = [
    ...set(pairs, shl(and(get(LEN), i32(-2)), i32(3))),
    ...forLoop(set(ib, i32(0)), ltS(get(ib), get(pairs)), set(ib, add(get(ib), i32(16))), [
      ...set(addr, add(get(A), get(ib))),
      ...v128Store(get(addr), f64x2Pmax(v128Load(get(addr)), f64x2Zero())),
    ]),
    ...ifThen(eq(and(get(LEN), i32(1)), i32(1)), [
      ...set(addr, add(get(A), get(pairs))),
      ...f64Store(get(addr), select(f64Zero(), f64Load(get(addr)), f64Lt(f64Load(get(addr)), f64Zero()))),
    ]),
  ];
  return { builder: f, body };
}

/** g ← g where y > 0, else +0 — exactly `if (!(y > 0)) g = 0` — by masking with y > 0. */
function reluBackward(): { builder: FunctionBuilder; body: Code } {
  const f = new FunctionBuilder('relu_grad', 3);
  const [Yp, G, LEN] = [0, 1, 2];
  const [ib, pairs] = f.locals32(2);
  const body = [
    ...set(pairs, shl(and(get(LEN), i32(-2)), i32(3))),
    ...forLoop(set(ib, i32(0)), ltS(get(ib), get(pairs)), set(ib, add(get(ib), i32(16))), [
      ...v128Store(
        add(get(G), get(ib)),
        v128And(v128Load(add(get(G), get(ib))), f64x2Gt(v128Load(add(get(Yp), get(ib))), f64x2Zero())),
      ),
    ]),
    ...ifThen(eq(and(get(LEN), i32(1)), i32(1)), [
      ...f64Store(
        add(get(G), get(pairs)),
        select(f64Load(add(get(G), get(pairs))), f64Zero(), f64Gt(f64Load(add(get(Yp), get(pairs))), f64Zero())),
      ),
    ]),
  ];
  return { builder: f, body };
}

/** f64 a·b from two addresses. */
function mulScalar(a: Code, b: Code): Code {
  return [...f64Load(a), ...f64Load(b), 0xa2];
}

let compiled: WebAssembly.Module | null | undefined;
let compileError: string | null = null;

/** The compiled kernel module, or null where WebAssembly SIMD is unavailable (kernelCompileError says why). */
export function kernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    if (typeof WebAssembly !== 'object') throw new Error('this runtime has no WebAssembly');
    const bytes = assembleModule([affineForward(), weightGrad(), inputGrad(), reluForward(), reluBackward()]);
    if (!WebAssembly.validate(bytes)) throw new Error('the runtime does not validate the module (no SIMD?)');
    compiled = new WebAssembly.Module(bytes);
  } catch (err) {
    compiled = null;
    compileError = err instanceof Error ? err.message : String(err);
  }
  return compiled;
}

/** Why kernelModule() is null (null when it compiled, or has not been tried). */
export function kernelCompileError(): string | null {
  return compileError;
}

export interface WasmKernelExports {
  affine(X: number, W: number, b: number, Y: number, m: number, k: number, n: number): void;
  weight_grad(X: number, dY: number, dW: number, m: number, k: number, n: number): void;
  input_grad(dY: number, W: number, dX: number, m: number, k: number, n: number): void;
  relu(a: number, len: number): void;
  relu_grad(y: number, g: number, len: number): void;
}

export function instantiateKernels(memory: WebAssembly.Memory): WasmKernelExports | null {
  const module = kernelModule();
  if (!module) return null;
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as WasmKernelExports;
}
