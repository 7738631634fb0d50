// Writes spec/fixtures/math-node20.json: inputs and the bits of Node 20's Math.exp,
// Math.expm1, Math.log, Math.log1p, Math.tanh, Math.sin, Math.cos and ** for them. This
// table is the contract of src/math (spec/math.spec.ts): maskgrad's own functions must give
// these bits in every engine. It is made by Node 20 (V8 11.3, whose Math functions are its
// port of fdlibm) and refuses to run under another Node.
//
//   npx ts-node --transpile-only scripts/make-math-fixture.ts
import { writeFileSync } from 'fs';
import { resolve } from 'path';

if (!process.version.startsWith('v20.')) {
  console.error(`make-math-fixture: the table is Node 20's; this is Node ${process.version}`);
  process.exit(1);
}

const view = new DataView(new ArrayBuffer(8));
const hex = (v: number) => {
  view.setFloat64(0, v);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
};
const fromBits = (hi: number, lo: number) => {
  view.setUint32(0, hi >>> 0);
  view.setUint32(4, lo >>> 0);
  return view.getFloat64(0);
};
/** The neighbours of v (next double down and up) and v itself. */
const around = (v: number) => {
  view.setFloat64(0, v);
  const b = view.getBigUint64(0);
  const at = (d: bigint) => {
    view.setBigUint64(0, BigInt.asUintN(64, b + d));
    return view.getFloat64(0);
  };
  return [at(-1n), v, at(1n)];
};

// A small seeded generator (xorshift32), so the table is the same each time it is made.
let state = 0x9e3779b9;
const u32 = () => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return state >>> 0;
};
const uniform = (lo: number, hi: number) => lo + (hi - lo) * (u32() / 2 ** 32);
const anyDouble = () => fromBits(u32(), u32()); // any bit pattern: every scale, NaNs too
const logScale = (loExp: number, hiExp: number) =>
  (u32() & 1 ? -1 : 1) * uniform(1, 2) * 2 ** Math.floor(uniform(loExp, hiExp));

const SPECIAL = [
  0,
  -0,
  Infinity,
  -Infinity,
  NaN,
  1,
  -1,
  2,
  -2,
  0.5,
  -0.5,
  5e-324,
  -5e-324,
  2.225073858507201e-308,
  2.2250738585072014e-308,
  -2.2250738585072014e-308,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.EPSILON,
  2 ** -28,
  2 ** -29,
  2 ** -54,
  2 ** -55,
  Math.LN2,
  Math.LN2 / 2,
  1.5 * Math.LN2,
  Math.PI,
  Math.PI / 2,
  Math.PI / 4,
  2 * Math.PI,
  22,
  -22,
];

/** Inputs for a one-argument function: specials, the function's thresholds, random ones. */
function unaryInputs(thresholds: number[], range: [number, number], count: number): number[] {
  const xs = [...SPECIAL, ...thresholds.flatMap(around)];
  while (xs.length < count) {
    const kind = xs.length % 5;
    if (kind === 0) xs.push(anyDouble());
    else if (kind === 1) xs.push(uniform(range[0], range[1]));
    else if (kind === 2) xs.push(logScale(-60, 12));
    else if (kind === 3)
      xs.push(Math.round(uniform(-1100, 1100)) * Math.LN2 + uniform(-1e-6, 1e-6));
    else xs.push(Math.round(uniform(-200, 200)) * (Math.PI / 2) * (1 + uniform(-1e-15, 1e-15)));
  }
  return xs;
}

// sin and cos: the double closest to a multiple of pi/2 (6381956970095103 2^797, where fdlibm's
// reduction needs more chunks of 2/pi), the largest doubles, and near 2^19 pi/2.
const HARD_TRIG = [6381956970095103 * 2 ** 797, 1e22, 2 ** 1023, 823550, 1e300];

const COUNT = 2000;
const unary: Record<string, [(x: number) => number, number[]]> = {
  exp: [
    Math.exp,
    unaryInputs(
      [
        709.782712893384,
        -745.1332191019411,
        -708.3964185322641,
        0.34657359027997264,
        1.0397207708399179,
        709.4361393031165,
        -1021 * Math.LN2,
      ],
      [-750, 750],
      COUNT,
    ),
  ],
  expm1: [
    Math.expm1,
    unaryInputs(
      [
        709.782712893384,
        -38.816242111356935,
        0.34657359027997264,
        1.0397207708399179,
        56 * Math.LN2,
      ],
      [-60, 60],
      COUNT,
    ),
  ],
  log: [
    Math.log,
    unaryInputs([1 + 2 ** -20, 1 - 2 ** -20, Math.SQRT2, Math.SQRT1_2], [0, 10], COUNT),
  ],
  log1p: [
    Math.log1p,
    unaryInputs(
      [-1, 2 ** -29, 2 ** 53, Math.SQRT2 - 1, Math.SQRT1_2 - 1, -0.2928932188134524],
      [-1, 10],
      COUNT,
    ),
  ],
  tanh: [Math.tanh, unaryInputs([22, 1, 2 ** -28, 2 ** -55], [-25, 25], COUNT)],
  sin: [
    Math.sin,
    unaryInputs(
      [0.7853981633974483, 2.356194490192345, 823549.6, 2 ** 19 * Math.PI, ...HARD_TRIG],
      [-10, 10],
      COUNT,
    ),
  ],
  cos: [
    Math.cos,
    unaryInputs(
      [
        0.7853981633974483,
        0.3,
        0.78125,
        2.356194490192345,
        823549.6,
        2 ** 19 * Math.PI,
        ...HARD_TRIG,
      ],
      [-10, 10],
      COUNT,
    ),
  ],
};

const table: Record<string, string[]> = {};
for (const [name, [f, xs]] of Object.entries(unary)) {
  table[name] = xs.map((x) => `${hex(x)} ${hex(f(x))}`);
}

// pow: special pairs, then random pairs of several kinds (integer exponents, x near 1 with
// large y, results near overflow and underflow, negative bases, any bits).
const powSpecial = [
  ...SPECIAL,
  3,
  -3,
  1.5,
  2 ** 53,
  2 ** 53 + 2,
  2 ** 31,
  2 ** 64,
  0.999,
  1 + 2 ** -30,
];
const pairs: [number, number][] = [];
for (const x of powSpecial) for (const y of powSpecial) pairs.push([x, y]);
while (pairs.length < COUNT + powSpecial.length ** 2) {
  const kind = pairs.length % 7;
  if (kind === 0) pairs.push([anyDouble(), anyDouble()]);
  else if (kind === 1) pairs.push([uniform(0, 10), uniform(-100, 100)]);
  else if (kind === 2) pairs.push([uniform(-10, 10), Math.round(uniform(-60, 60))]);
  else if (kind === 3) pairs.push([1 + uniform(-1, 1) * 2 ** -20, uniform(-1, 1) * 2 ** 40]);
  else if (kind === 4) pairs.push([logScale(-1074, 1023), uniform(-2, 2)]);
  else if (kind === 5) pairs.push([uniform(0.9, 1), Math.round(uniform(1, 100000))]);
  else pairs.push([uniform(1.5, 2.5), uniform(1020, 1030) * (u32() & 1 ? -1 : 1)]);
}
table.pow = pairs.map(([x, y]) => `${hex(x)} ${hex(y)} ${hex(x ** y)}`);

const out = {
  note:
    'Made by scripts/make-math-fixture.ts: inputs and the bits of Node 20 Math.* (V8 ' +
    `${process.versions.v8}) as 16 hex digits each, "x result" ("x y result" for pow).`,
  node: process.version,
  ...table,
};
const path = resolve(__dirname, '..', 'spec', 'fixtures', 'math-node20.json');
writeFileSync(path, JSON.stringify(out, null, 1) + '\n');
console.log(
  `wrote ${path}: ${Object.entries(table)
    .map(([k, v]) => `${k} ${v.length}`)
    .join(', ')}`,
);
