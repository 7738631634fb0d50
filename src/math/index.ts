// maskgrad's own elementary functions. JavaScript leaves the rounding of Math.exp, Math.log,
// Math.pow, ... to the engine, and engines differ in the last bit (Chromium's V8 and Node
// 20's do). These are computed from IEEE double operations only (+ - * /, sqrt, which every
// engine rounds the same way), so a training run gives the same bits in any engine. They follow
// Sun's fdlibm, which Node 20's V8 runs, and give Node 20's bits (spec/math.spec.ts checks
// them against a table made by Node 20: spec/fixtures/math-node20.json).
export { exp, expm1 } from './exp';
export { log, log1p } from './log';
export { pow } from './pow';
export { tanh } from './tanh';
export { sin, cos } from './trig';
