// Data: ARFF and CSV readers, multi-label data sets, preprocessing and batching.
export { parseArff } from './arff';
export type { ArffAttribute, ArffOptions, ParsedArff } from './arff';
export { parseCsv } from './csv';
export type { CsvOptions } from './csv';
export { CsvTokenizer } from './csv-tokenizer';
export type { CsvDelimiter } from './csv-tokenizer';
export { detectLabelColumns } from './detect-label-columns';
export type { ColumnKind, DetectedColumns } from './detect-label-columns';
export { datasetFromArff, takeRows } from './dataset';
export type { LabelSpec, MultiLabelDataset } from './dataset';
export { standardize } from './standardize';
export type { Standardized } from './standardize';
export { hideLabels } from './hide-labels';
export { keepOnePositive } from './single-positive';
export { splitRows } from './split-rows';
export { batches } from './batches';
export type { Batch, BatchOptions } from './batches';
