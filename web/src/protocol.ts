// Messages between the page and its training worker.
import type { CsvDelimiter, DataFileDigest, LabelSpec } from '../../src';
import type { Strategy } from '../../src/app';
import type { RunConfig } from './config';
import type { RegionWeights, Snapshot } from './train-core';

/**
 * A data set to train on: the toy data, or a file's text (yeast's or the user's) with its
 * label columns (a count, or names), its id column and the columns left out (CSV, TSV), and
 * its digest for the model file's training record.
 */
export type DataSource =
  | { kind: 'toy' }
  | {
      kind: 'text';
      name: string;
      text: string;
      labels: LabelSpec;
      /** The text column kept as the rows' ids (recorded as the model's `training.idColumn`). */
      id?: string;
      /** The columns left out: neither features nor labels. */
      ignore: string[];
      delimiter: CsvDelimiter;
      /** Null where the browser cannot compute SHA-256 (no crypto.subtle). */
      digest: DataFileDigest | null;
    };

export type ToWorker =
  /** `request` numbers each load and reset; the worker's answer to it carries the number back. */
  | { type: 'load'; source: DataSource; config: RunConfig; request: number }
  | { type: 'reset'; config: RunConfig; request: number }
  /** Play; stops by itself after `patience` epochs without a better validation mAP. */
  | { type: 'play'; patience: number }
  /** A new patience for the run under way (no restart). */
  | { type: 'patience'; patience: number }
  | { type: 'pause' }
  | { type: 'step' }
  /** Train `epochs` epochs as fast as possible (for measuring), then pause. */
  | { type: 'epochs'; epochs: number }
  /**
   * The weights the decision regions need, now (answered with 'weights' carrying `request`
   * back; nothing while no model is trained): reports leave them out, as they are large.
   */
  | { type: 'weights'; request: number }
  /** A full snapshot, every layer's weights and gradient rows (answered with 'snapshot'). */
  | { type: 'snapshot'; request: number }
  /** The model file of one strategy's network as it is now (answered with 'model'). */
  | { type: 'model'; strategy: Strategy; request: number }
  /**
   * Every strategy's probabilities for every row of the loaded data set, in the file's order
   * (answered with 'probabilities'): what the spec compares with `maskgrad predict`.
   */
  | { type: 'probabilities'; request: number };

export interface DataInfo {
  name: string;
  rows: number;
  trainRows: number;
  valRows: number;
  featureNames: string[];
  labelNames: string[];
  /** Training mean and divisor of each feature (the toy regions are drawn in raw units). */
  mean: Float64Array;
  std: Float64Array;
  /** Per class, the share of training labels the regime leaves known. */
  knownShare: number[];
}

/**
 * The worker's reports ('ready', 'progress') carry PlaygroundTrainer.report(): no weights and
 * only the drawn classes' gradient rows, so a report is small at any allowed size; the
 * weights come only when the page asks ('weights', 'snapshot'), their buffers transferred.
 */
export type FromWorker =
  | {
      type: 'ready';
      info: DataInfo;
      snapshot: Snapshot;
      config: RunConfig;
      /** The gemm kernel the worker's products run on: 'wasm' or 'ts' (src/kernels). */
      kernel: 'wasm' | 'ts';
      /** The load or reset this answers. */
      request: number;
    }
  | {
      type: 'progress';
      snapshot: Snapshot;
      /** The losses of the batches since the last message, per strategy. */
      losses: Record<string, number[]>;
      /** Milliseconds of training in each epoch finished since the last message. */
      epochMs: number[];
      playing: boolean;
      /** Set when play stopped by itself: no better validation mAP for `patience` epochs. */
      earlyStop: { patience: number; epoch: number } | null;
    }
  /** The model file's text, or why there is none. */
  | { type: 'model'; request: number; text: string; error: null }
  | { type: 'model'; request: number; text: null; error: string }
  | {
      type: 'probabilities';
      request: number;
      rows: number;
      labels: number;
      /** Row-major [rows, labels] per strategy. */
      probabilities: Record<string, Float64Array>;
    }
  | { type: 'weights'; weights: RegionWeights; request: number }
  | { type: 'snapshot'; snapshot: Snapshot; request: number }
  /** `request`: the load or reset that failed, or null for a failure in training. */
  | { type: 'error'; message: string; code: string | null; request: number | null };
