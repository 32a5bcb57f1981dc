/**
 * A tiny WebAssembly binary writer: just enough to assemble the SIMD matrix kernels in kernels.ts at load time
 * (no toolchain, no binary blob in the repo). Instructions are byte arrays composed operand-first, the way the
 * stack machine reads them: `add(get(a), get(b))` is `local.get a; local.get b; i32.add`.
 */
export type Code = number[];

export const I32 = 0x7f;
export const V128 = 0x7b;
export const F64 = 0x7c;
export type ValType = typeof I32 | typeof V128 | typeof F64;

export function uleb(n: number): Code {
  const out: Code = [];
  let v = n >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

export function sleb(n: number): Code {
  const out: Code = [];
  let v = n | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const cat = (...parts: Code[]): Code => parts.flat();
const name = (s: string): Code => cat(uleb(s.length), [...Buffer.from(s, 'utf8')]);
const vec = (items: Code[]): Code => cat(uleb(items.length), ...items);
const section = (id: number, body: Code): Code => cat([id], uleb(body.length), body);
const simd = (op: number): Code => cat([0xfd], uleb(op));
/** memarg: alignment hint 2^3 (8 bytes: every f64 is at least that aligned), then the offset. */
const mem = (offset: number): Code => cat([3], uleb(offset));

// Locals and constants
export const get = (i: number): Code => cat([0x20], uleb(i));
export const set = (i: number, value: Code): Code => cat(value, [0x21], uleb(i));
export const i32 = (v: number): Code => cat([0x41], sleb(v));

// i32 arithmetic and comparisons
export const add = (a: Code, b: Code): Code => cat(a, b, [0x6a]);
export const sub = (a: Code, b: Code): Code => cat(a, b, [0x6b]);
export const mul = (a: Code, b: Code): Code => cat(a, b, [0x6c]);
export const shl = (a: Code, b: Code): Code => cat(a, b, [0x74]);
export const and = (a: Code, b: Code): Code => cat(a, b, [0x71]);
export const ltS = (a: Code, b: Code): Code => cat(a, b, [0x48]);
export const ltU = (a: Code, b: Code): Code => cat(a, b, [0x49]);
export const geS = (a: Code, b: Code): Code => cat(a, b, [0x4e]);
export const eq = (a: Code, b: Code): Code => cat(a, b, [0x46]);
/** select(a, b, cond): a when cond ≠ 0, else b. */
export const select = (a: Code, b: Code, cond: Code): Code => cat(a, b, cond, [0x1b]);

// f64 scalars
export const f64Load = (addr: Code, offset = 0): Code => cat(addr, [0x2b], mem(offset));
export const f64Store = (addr: Code, value: Code, offset = 0): Code => cat(addr, value, [0x39], mem(offset));
export const f64Add = (a: Code, b: Code): Code => cat(a, b, [0xa0]);
export const f64Zero = (): Code => [0x44, 0, 0, 0, 0, 0, 0, 0, 0];
export const f64Lt = (a: Code, b: Code): Code => cat(a, b, [0x63]);
export const f64Gt = (a: Code, b: Code): Code => cat(a, b, [0x64]);

// v128 / f64x2
export const v128Load = (addr: Code, offset = 0): Code => cat(addr, simd(0x00), mem(offset));
export const v128Store = (addr: Code, value: Code, offset = 0): Code => cat(addr, value, simd(0x0b), mem(offset));
/** Stores lane 0 only (the 8 bytes at addr). */
export const v128Store64Lane0 = (addr: Code, value: Code, offset = 0): Code =>
  cat(addr, value, simd(0x5b), mem(offset), [0]);
export const load64Splat = (addr: Code, offset = 0): Code => cat(addr, simd(0x0a), mem(offset));
export const f64x2Zero = (): Code => cat(simd(0x0c), new Array(16).fill(0));
export const f64x2Add = (a: Code, b: Code): Code => cat(a, b, simd(0xf0));
export const f64x2Mul = (a: Code, b: Code): Code => cat(a, b, simd(0xf2));
export const f64x2Lane = (v: Code, lane: 0 | 1): Code => cat(v, simd(0x21), [lane]);
/** Lane-wise a < b ? b : a (WebAssembly's pseudo-max: keeps a's NaN and −0, unlike IEEE max). */
export const f64x2Pmax = (a: Code, b: Code): Code => cat(a, b, simd(0xf7));
export const f64x2Gt = (a: Code, b: Code): Code => cat(a, b, simd(0x4a));
export const v128And = (a: Code, b: Code): Code => cat(a, b, simd(0x4e));
/** acc ← acc + a·b (two roundings, like `acc += a * b` in JS: there is no fused multiply-add here). */
export const mulAdd = (acc: number, a: number, b: number): Code =>
  set(acc, f64x2Add(get(acc), f64x2Mul(get(a), get(b))));

// Control
export const ifThen = (cond: Code, then: Code): Code => cat(cond, [0x04, 0x40], then, [0x0b]);
export const ifElse = (cond: Code, then: Code, otherwise: Code): Code =>
  cat(cond, [0x04, 0x40], then, [0x05], otherwise, [0x0b]);
/** `init; while (cond) { body; step }` */
export const forLoop = (init: Code, cond: Code, step: Code, body: Code): Code =>
  cat(init, [0x02, 0x40, 0x03, 0x40], cond, [0x45, 0x0d, 1], body, step, [0x0c, 0, 0x0b, 0x0b]);

/** A tuple of `C` local indices, so destructuring them is typed without undefined. */
type Indices<C extends number, R extends number[] = []> = R['length'] extends C ? R : Indices<C, [...R, number]>;

/** A function under construction: i32 parameters first, then locals allocated by type. */
export class FunctionBuilder {
  private readonly locals: ValType[] = [];

  constructor(
    readonly exportName: string,
    readonly paramCount: number,
  ) {}

  local(type: ValType): number {
    this.locals.push(type);
    return this.paramCount + this.locals.length - 1;
  }

  locals32<C extends number>(count: C): Indices<C> {
    return Array.from({ length: count }, () => this.local(I32)) as Indices<C>;
  }

  locals128<C extends number>(count: C): Indices<C> {
    return Array.from({ length: count }, () => this.local(V128)) as Indices<C>;
  }

  encode(body: Code): Code {
    const groups = this.locals.map((t) => cat(uleb(1), [t]));
    const code = cat(vec(groups), body, [0x0b]);
    return cat(uleb(code.length), code);
  }
}

/** A module importing `env.memory` and exporting functions whose parameters are all i32 and that return nothing. */
export function assembleModule(functions: { builder: FunctionBuilder; body: Code }[]): Uint8Array<ArrayBuffer> {
  const types = functions.map(({ builder }) => cat([0x60], vec(new Array(builder.paramCount).fill([I32])), [0]));
  const bytes = cat(
    [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    section(1, vec(types)),
    section(2, vec([cat(name('env'), name('memory'), [0x02, 0x00], uleb(1))])),
    section(3, vec(functions.map((_, i) => uleb(i)))),
    section(7, vec(functions.map(({ builder }, i) => cat(name(builder.exportName), [0x00], uleb(i))))),
    section(10, vec(functions.map(({ builder, body }) => builder.encode(body)))),
  );
  return Uint8Array.from(bytes);
}
