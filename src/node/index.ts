// maskgrad/node: what needs Node.js, files on disk. Everything else is in 'maskgrad'.
export { readCsv, readArff, loadDataset } from './read-data';
export type { LoadOptions } from './read-data';
export { readRowsForModel } from './input-rows';
export type { ReadRowsOptions, RowBatch } from './input-rows';
export { fileDigest, readModelFile, writeModelFile } from './model-file';
export { saveModule, loadModule } from './module-file';
