// seedrandom's Alea generator on its own: the package's index also loads the Node built-in
// crypto (for autoseeding, which maskgrad never uses), so a browser bundle of it needs a stub.
declare module 'seedrandom/lib/alea' {
  /** A generator seeded by `seed`: each call returns the next uniform number in [0, 1). */
  function alea(seed: string): () => number;
  export = alea;
}
