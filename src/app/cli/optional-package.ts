/**
 * A package of the repository's dev dependencies (the chart, the progress bar), or null
 * where it is not installed (a package installed from npm): the command then draws without it.
 */
export function optionalPackage<T>(name: string): T | null {
  try {
    return require(name) as T;
  } catch {
    return null;
  }
}
