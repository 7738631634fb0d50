// The training worker: the page sends settings and data, the worker trains with
// train-core and sends back copies (snapshots) for the pictures.
import {
  type DataFileDigest,
  isMaskgradError,
  modelFileToText,
  type MultiLabelDataset,
} from '../../src';
import { activeGemmKernel } from '../../src/core/kernels';
import type { RunConfig } from './config';
import type { DataInfo, DataSource, FromWorker, ToWorker } from './protocol';
import { toyDataset } from './toy';
import { parseDataFile, PlaygroundTrainer, prepareData } from './train-core';

const scope = self as unknown as {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};

let dataset: MultiLabelDataset | null = null;
let datasetName = '';
/** The loaded file's digest for the model file's record (none for the toy data). */
let datasetDigest: DataFileDigest[] = [];
/** The loaded file's id column, for the model file's record (undefined: none). */
let datasetId: string | undefined;
let trainer: PlaygroundTrainer | null = null;
let playing = false;
let patience = Infinity;
/** Set when play stopped by itself (sent with the next report). */
let earlyStop: { patience: number; epoch: number } | null = null;
let epochsLeft = 0;
let sentLosses = 0;
let epochStart = 0;
let epochMsPending: number[] = [];
let epochTrainMs = 0;
let lastPost = 0;

const post = (message: FromWorker) => scope.postMessage(message);

/** The buffers of a snapshot's or region weights' layers, to transfer rather than copy. */
function layerBuffers(layers: { weight: Float64Array; bias: Float64Array }[]): ArrayBuffer[] {
  return layers.flatMap((l) => [l.weight.buffer as ArrayBuffer, l.bias.buffer as ArrayBuffer]);
}

function fail(error: unknown, request: number | null = null): void {
  playing = false;
  const message = error instanceof Error ? error.message : String(error);
  const code = isMaskgradError(error) ? (error as { code: string }).code : null;
  post({ type: 'error', message, code, request });
}

/**
 * Loads and resets run one after another in the order they came: a reset sent while a file
 * is still being read waits for it, so it never restarts the data that was there before.
 */
let queue: Promise<void> = Promise.resolve();

/**
 * The data set a source names, with its name, digest and id column (set as the current one
 * only once it loads).
 */
function load(source: DataSource): {
  data: MultiLabelDataset;
  name: string;
  digest: DataFileDigest[];
  id: string | undefined;
} {
  if (source.kind === 'toy') return { data: toyDataset(), name: 'toy', digest: [], id: undefined };
  return {
    data: parseDataFile(source.name, source.text, source.labels, {
      delimiter: source.delimiter,
      ...(source.id !== undefined ? { id: source.id } : {}),
      ignore: source.ignore,
    }),
    name: source.name,
    digest: source.digest ? [source.digest] : [],
    id: source.id,
  };
}

function start(config: RunConfig, request: number): void {
  if (!dataset) throw new Error('no data set loaded');
  playing = false;
  epochsLeft = 0;
  const data = prepareData(dataset, config);
  trainer = new PlaygroundTrainer(data, config);
  sentLosses = 0;
  epochMsPending = [];
  epochTrainMs = 0;
  const mask = data.observed.mask;
  const [N, C] = mask.shape;
  const knownShare = Array.from({ length: C }, (_, c) => {
    let known = 0;
    for (let i = 0; i < N; i++) known += mask.data[i * C + c];
    return N > 0 ? known / N : 0;
  });
  const info: DataInfo = {
    name: datasetName,
    rows: dataset.x.shape[0],
    trainRows: N,
    valRows: data.val.x.shape[0],
    featureNames: data.featureNames,
    labelNames: data.labelNames,
    mean: data.mean,
    std: data.std,
    knownShare,
  };
  post({
    type: 'ready',
    info,
    snapshot: trainer.report(),
    config,
    kernel: activeGemmKernel(),
    request,
  });
}

function progress(): void {
  if (!trainer) return;
  const losses: Record<string, number[]> = {};
  let total = 0;
  for (const [strategy, log] of Object.entries(trainer.lossLog)) {
    losses[strategy] = log.slice(sentLosses);
    total = log.length;
  }
  sentLosses = total;
  const epochMs = epochMsPending;
  epochMsPending = [];
  lastPost = performance.now();
  post({ type: 'progress', snapshot: trainer.report(), losses, epochMs, playing, earlyStop });
  earlyStop = null;
}

/** One batch of every strategy, timing the epoch's training (not the pictures' copies). */
function timedStep(t: PlaygroundTrainer): void {
  const epoch = t.epoch;
  epochStart = performance.now();
  t.trainStep();
  epochTrainMs += performance.now() - epochStart;
  if (t.epoch !== epoch) {
    epochMsPending.push(epochTrainMs);
    epochTrainMs = 0;
  }
}

/**
 * Trains in slices of about 30 ms, so pause and other messages get through in between, and
 * reports at most every 100 ms (and at the end of each epoch) so the page is not flooded.
 */
function loop(): void {
  const t = trainer;
  if (!t || !(playing || epochsLeft > 0)) return;
  try {
    const until = performance.now() + 30;
    let epochEnded = false;
    while (performance.now() < until) {
      const epoch = t.epoch;
      timedStep(t);
      if (t.epoch !== epoch) {
        epochEnded = true;
        if (epochsLeft > 0 && --epochsLeft === 0) {
          playing = false;
          break;
        }
        if (playing && t.epochsSinceBest() >= patience) {
          playing = false;
          earlyStop = { patience, epoch: t.epoch };
          break;
        }
      }
    }
    if (epochEnded || !(playing || epochsLeft > 0) || performance.now() - lastPost >= 100)
      progress();
  } catch (error) {
    fail(error);
    return;
  }
  if (playing || epochsLeft > 0) setTimeout(loop, 0);
}

scope.onmessage = (event) => {
  const message = event.data;
  try {
    switch (message.type) {
      case 'load': {
        const { source, config, request } = message;
        playing = false;
        queue = queue.then(() => {
          // A source that fails leaves the data set and the models that were there as they were.
          let loaded: ReturnType<typeof load>;
          try {
            loaded = load(source);
            const before = { dataset, datasetName, datasetDigest, datasetId };
            ({ data: dataset, name: datasetName, digest: datasetDigest, id: datasetId } = loaded);
            try {
              start(config, request);
            } catch (error) {
              ({ dataset, datasetName, datasetDigest, datasetId } = before);
              throw error;
            }
          } catch (error) {
            fail(error, request);
          }
        });
        break;
      }
      case 'reset': {
        const { config, request } = message;
        queue = queue.then(() => {
          try {
            start(config, request);
          } catch (error) {
            fail(error, request);
          }
        });
        break;
      }
      case 'play':
        patience = message.patience;
        if (trainer && !playing) {
          playing = true;
          loop();
        }
        break;
      case 'patience':
        patience = message.patience;
        break;
      case 'pause':
        playing = false;
        epochsLeft = 0;
        if (trainer) progress();
        break;
      case 'step':
        if (trainer) {
          playing = false;
          timedStep(trainer);
          progress();
        }
        break;
      case 'weights':
        if (trainer) {
          const weights = trainer.regionWeights();
          scope.postMessage(
            { type: 'weights', weights, request: message.request },
            weights.strategies.flatMap((s) => layerBuffers(s.layers)),
          );
        }
        break;
      case 'snapshot':
        if (trainer) {
          const snapshot = trainer.snapshot();
          scope.postMessage(
            { type: 'snapshot', snapshot, request: message.request },
            snapshot.strategies.flatMap((s) => layerBuffers(s.layers)),
          );
        }
        break;
      case 'model': {
        const answer = (): FromWorker => {
          if (!trainer)
            return {
              type: 'model',
              request: message.request,
              text: null,
              error: 'no model is trained yet',
            };
          try {
            const file = trainer.modelFile(message.strategy, datasetDigest, datasetId);
            return {
              type: 'model',
              request: message.request,
              text: modelFileToText(file),
              error: null,
            };
          } catch (error) {
            const text = error instanceof Error ? error.message : String(error);
            return { type: 'model', request: message.request, text: null, error: text };
          }
        };
        post(answer());
        break;
      }
      case 'probabilities':
        if (trainer && dataset) {
          const probabilities: Record<string, Float64Array> = {};
          for (const strategy of trainer.config.strategies) {
            probabilities[strategy] = trainer.probabilities(strategy, dataset.x);
          }
          scope.postMessage(
            {
              type: 'probabilities',
              request: message.request,
              rows: dataset.x.shape[0],
              labels: dataset.y.shape[1],
              probabilities,
            },
            Object.values(probabilities).map((p) => p.buffer as ArrayBuffer),
          );
        }
        break;
      case 'epochs':
        if (trainer) {
          playing = false;
          epochsLeft = message.epochs;
          loop();
        }
        break;
    }
  } catch (error) {
    fail(error);
  }
};
