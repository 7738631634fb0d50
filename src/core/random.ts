import { MaskgradError } from './errors';
import { describeValue } from './describe-value';
import alea from 'seedrandom/lib/alea';
import { cos, log, sin } from './math';

/**
 * A seeded random generator. Every random number in maskgrad comes from one of
 * these, so the same seed gives the same numbers, bit for bit, on every run.
 */
export class Random {
  private readonly next: () => number;
  private spareNormal: number | null = null;

  constructor(readonly seed: number | string) {
    checkSeed('Random', seed);
    // Alea: fast, small state, and the same sequence on every platform.
    this.next = alea(String(seed));
  }

  /** A uniform number in [low, high). */
  uniform(low = 0, high = 1): number {
    if (typeof low !== 'number' || typeof high !== 'number') notNumbers('uniform', low, high);
    return low + (high - low) * this.next();
  }

  /** A normal number with the given mean and standard deviation (Box-Muller). */
  normal(mean = 0, std = 1): number {
    if (typeof mean !== 'number' || typeof std !== 'number') notNumbers('normal', mean, std);
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + std * z;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * log(u));
    this.spareNormal = r * sin(2 * Math.PI * v);
    return mean + std * r * cos(2 * Math.PI * v);
  }

  /** An integer in [0, n). */
  int(n: number): number {
    if (typeof n !== 'number') notNumbers('int', n);
    return Math.floor(this.next() * n);
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: any }>(items: T): T {
    if (!Array.isArray(items) && !ArrayBuffer.isView(items)) {
      throw new MaskgradError(
        `Random.shuffle: items must be an array or a typed array (shuffled in place), got ${describeValue(items)}`,
      );
    }
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    if (!Number.isInteger(n) || n < 0) {
      throw new MaskgradError(
        `Random.permutation: n must be a whole number >= 0 (the length), got ${describeValue(n)}`,
      );
    }
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }
}

/** The error of a Random method given something other than numbers. */
function notNumbers(method: string, ...values: unknown[]): never {
  throw new MaskgradError(
    `Random.${method}: expected numbers, got ${values.map(describeValue).join(' and ')}`,
  );
}

/** Throws unless `seed` is a finite number or a string: maskgrad never draws without a seed. */
export function checkSeed(where: string, seed: unknown): void {
  if (seed === undefined) {
    throw new MaskgradError(
      `${where}: pass a seed: maskgrad never draws random numbers without one`,
    );
  }
  if (typeof seed !== 'string' && !(typeof seed === 'number' && Number.isFinite(seed))) {
    throw new MaskgradError(
      `${where}: seed must be a finite number or a string, got ${describeValue(seed)}`,
    );
  }
}

/** Where random numbers come from: a seed, or a generator to keep drawing from. */
export type SeedOptions = { seed?: number | string; rng?: Random };

/**
 * The generator for `{ seed }` (a new Random) or `{ rng }` (that one): maskgrad's one seed
 * convention. Neither, both, or a bad value is an error naming `where`.
 */
export function randomFrom(where: string, options: SeedOptions | null | undefined): Random {
  if (options === null || typeof options !== 'object') {
    throw new MaskgradError(
      `${where}: pass { seed } or { rng }: maskgrad never draws random numbers without a seed (got ${describeValue(options)})`,
    );
  }
  const { seed, rng } = options;
  if (seed !== undefined && rng !== undefined) {
    throw new MaskgradError(`${where}: pass { seed } or { rng }, not both`);
  }
  if (rng !== undefined) {
    if (!(rng instanceof Random)) {
      throw new MaskgradError(
        `${where}: rng must be a Random (from new Random(seed)), got ${describeValue(rng)}`,
      );
    }
    return rng;
  }
  if (seed === undefined) {
    throw new MaskgradError(
      `${where}: pass { seed } or { rng }: maskgrad never draws random numbers without a seed`,
    );
  }
  checkSeed(where, seed);
  return new Random(seed);
}

/** Returns a generator for `seed`; a number or string, never implicit. */
export function createRandom(seed: number | string): Random {
  return new Random(seed);
}
