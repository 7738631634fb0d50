import { expect } from 'chai';

/** The error `run` throws (failing the test if none). */
export function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (e) {
    return e as Error;
  }
  expect.fail('expected an error, but none was thrown');
}
