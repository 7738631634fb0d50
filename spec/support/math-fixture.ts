// The table of spec/fixtures/math-node20.json (Node 20's Math bits for chosen inputs) and
// the rule by which maskgrad's own functions are held to it, in Node and in a browser.
import { readFileSync } from 'fs';
import { resolve } from 'path';

export const UNARY = ['exp', 'expm1', 'log', 'log1p', 'tanh', 'sin', 'cos'] as const;
export type MathName = (typeof UNARY)[number] | 'pow';

/** Per function, the entries: the input(s) and Node 20's result, each as 16 hex digits. */
export function mathFixture(): Record<MathName, string[][]> {
  const path = resolve(__dirname, '..', 'fixtures', 'math-node20.json');
  const json = JSON.parse(readFileSync(path, 'utf8'));
  return Object.fromEntries(
    [...UNARY, 'pow'].map((name) => [name, (json[name] as string[]).map((e) => e.split(' '))]),
  ) as Record<MathName, string[][]>;
}

const view = new DataView(new ArrayBuffer(8));
export const fromHex = (h: string) => {
  view.setBigUint64(0, BigInt(`0x${h}`));
  return view.getFloat64(0);
};
export const toHex = (v: number) => {
  view.setFloat64(0, v);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
};

export interface Verdict {
  total: number;
  exact: number;
  /** Every result that differs from Node 20's (a line each): must be empty. */
  wrong: string[];
}

/**
 * Holds results (hex, in the order of the table's entries) to the table: the same bits,
 * where a NaN only needs to be a NaN (engines may differ in a NaN's payload).
 */
export function judge(name: MathName, entries: string[][], results: string[]): Verdict {
  const verdict: Verdict = { total: entries.length, exact: 0, wrong: [] };
  entries.forEach((entry, i) => {
    const expected = entry[entry.length - 1];
    const got = results[i];
    if (got === expected || (Number.isNaN(fromHex(got)) && Number.isNaN(fromHex(expected)))) {
      verdict.exact++;
    } else {
      const args = entry.slice(0, -1).map(fromHex).join(', ');
      verdict.wrong.push(`${name}(${args}): ${got} (Node 20: ${expected})`);
    }
  });
  return verdict;
}
