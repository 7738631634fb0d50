/** maskgrad's version, as package.json gives it (spec/package.spec.ts holds the two equal). */
export const MASKGRAD_VERSION = '0.1.0';
