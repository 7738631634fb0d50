import fc from 'fast-check';
import { relative } from 'path';

/**
 * Every property runs with this seed, so `npm test` checks the same cases on every run.
 * To replay a failure, set the seed and path that the failure message prints:
 *
 *     MASKGRAD_FC_SEED=<seed> MASKGRAD_FC_PATH=<path> npx mocha <file> --fgrep '<title>'
 *
 * MASKGRAD_FC_SEED alone (any integer) runs the properties on other cases, and
 * MASKGRAD_FC_RUNS_SCALE=10 checks ten times as many (for a longer hunt than npm test).
 */
export const PROPERTY_SEED = 20250501;

function seedFromEnvironment(): number {
  const text = process.env.MASKGRAD_FC_SEED;
  if (text === undefined || text === '') return PROPERTY_SEED;
  const seed = Number(text);
  if (!Number.isInteger(seed)) {
    throw new Error(`MASKGRAD_FC_SEED must be an integer, got ${JSON.stringify(text)}`);
  }
  return seed;
}

/**
 * Defines a mocha test that checks `property` on `numRuns` cases with fast-check, seeded
 * (PROPERTY_SEED, or MASKGRAD_FC_SEED). On failure the message has fast-check's report
 * (the shrunk counterexample) and the command that replays exactly that case.
 */
export function itProperty<Ts>(title: string, numRuns: number, property: () => fc.IProperty<Ts>) {
  it(title, function () {
    const seed = seedFromEnvironment();
    const path = process.env.MASKGRAD_FC_PATH || undefined;
    const file = relative(process.cwd(), this.test?.file ?? 'spec/properties');
    const fullTitle = this.test?.fullTitle() ?? title;
    const scale = Number(process.env.MASKGRAD_FC_RUNS_SCALE || 1);
    fc.assert(property(), {
      seed,
      path,
      numRuns: Math.max(1, Math.round(numRuns * (scale > 0 ? scale : 1))),
      reporter(details) {
        if (!details.failed) return;
        const replay =
          `MASKGRAD_FC_SEED=${details.seed} MASKGRAD_FC_PATH=${details.counterexamplePath ?? ''} ` +
          `npx mocha ${file} --fgrep '${fullTitle.replace(/'/g, "'\\''")}'`;
        const cause = details.errorInstance;
        const why = cause instanceof Error ? cause.message : String(cause);
        throw new Error(
          `${fc.defaultReportMessage(details) ?? 'property failed'}\n` +
            `The failure on the shrunk counterexample:\n${why}\n\nReplay this case with:\n  ${replay}`,
        );
      },
    });
  });
}
