// seedrandom's Alea generator on its own (what Random uses): the package's index also loads
// its ARC4 generator, which asks for Node's crypto, a module no browser has.
declare module 'seedrandom/lib/alea' {
  /** A generator of uniform numbers in [0, 1), seeded by `seed`. */
  function alea(seed: string): () => number;
  export = alea;
}
