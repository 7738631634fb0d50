// maskgrad's own elementary functions. JavaScript leaves the rounding of Math.exp, Math.log,
// Math.pow, ... to the engine, and engines differ in the last bit (Chromium's V8 and Node
// 20's do). These are computed from IEEE double operations only (+ - * /, sqrt, which every
// engine rounds the same way), so a training run gives the same bits in any engine. They follow
// Sun's fdlibm, which Node 20's V8 runs, and give Node 20's bits (spec/math.spec.ts checks
// them against a table made by Node 20: spec/fixtures/math-node20.json).
import * as expFamily from './exp';
import * as logFamily from './log';
import * as powFamily from './pow';
import * as tanhFamily from './tanh';
import * as trig from './trig';

// Constants rather than `export { exp } from './exp'`: compiled to CommonJS, a re-export is a
// getter, called on every use (math.exp(x) in a loop costs more then).
export const exp = expFamily.exp;
export const expm1 = expFamily.expm1;
export const log = logFamily.log;
export const log1p = logFamily.log1p;
export const pow = powFamily.pow;
export const tanh = tanhFamily.tanh;
export const sin = trig.sin;
export const cos = trig.cos;
