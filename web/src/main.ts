// The playground page: controls (kept in the URL), the training worker, and the pictures.
import {
  type CsvDelimiter,
  type DataFileDigest,
  type DetectedColumns,
  detectLabelColumns,
} from '../../src';
import { type Strategy, STRATEGIES } from '../../src/app';
import { type ColumnRole, columnChoice, defaultRoles, ROLE_TITLES, roleProblem } from './columns';
import {
  configFromQuery,
  configToQuery,
  DEFAULT_CONFIG,
  type DatasetName,
  type RunConfig,
} from './config';
import { drawBars, drawCurves, drawGradient, STRATEGY_STYLE, viridis } from './draw';
import {
  classesNote,
  MAX_CLASSES_DRAWN,
  MAX_TOY_MAPS,
  namesList,
  ToyRegions,
  TOY_WORK_PER_FRAME,
} from './frame-budget';
import { renderOneBatch } from './one-batch-view';
import type { DataInfo, DataSource, FromWorker, ToWorker } from './protocol';
import { toyDataset } from './toy';
import {
  isArffFile,
  PlaygroundTrainer,
  prepareData,
  type RegionWeights,
  type Snapshot,
} from './train-core';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const controls = {
  dataset: $<HTMLSelectElement>('dataset'),
  file: $<HTMLInputElement>('file-input'),
  labels: $<HTMLInputElement>('labels'),
  hide: $<HTMLInputElement>('hide-rate'),
  hideOut: $<HTMLOutputElement>('hide-rate-out'),
  regime: $<HTMLSelectElement>('regime'),
  strategy: $<HTMLSelectElement>('strategy'),
  hidden: $<HTMLInputElement>('hidden'),
  optimizer: $<HTMLSelectElement>('optimizer'),
  lr: $<HTMLInputElement>('lr'),
  batch: $<HTMLInputElement>('batch'),
  seed: $<HTMLInputElement>('seed'),
  patience: $<HTMLInputElement>('patience'),
  train: $<HTMLButtonElement>('train'),
  stop: $<HTMLButtonElement>('stop'),
  step: $<HTMLButtonElement>('step'),
  reset: $<HTMLButtonElement>('reset'),
};
const statusLine = $<HTMLParagraphElement>('status');

/** What the page knows, also readable by the e2e specs as window.__playground. */
const state = {
  config: DEFAULT_CONFIG as RunConfig,
  info: null as DataInfo | null,
  /** The worker's last report: no weights, the drawn classes' gradient rows (train-core's report()). */
  snapshot: null as Snapshot | null,
  /** The weights of the decision regions, asked for when they are drawn (null: none yet). */
  regionWeights: null as RegionWeights | null,
  playing: false,
  ready: false,
  /** Every batch's loss per strategy since the last reset, as the worker computed it. */
  lossLog: {} as Record<string, number[]>,
  /** Training milliseconds of each finished epoch, measured in the worker. */
  epochMs: [] as number[],
  /**
   * Wall-clock milliseconds of each finished epoch, measured on the page: from the previous
   * epoch's report, or from the `trainEpochs` call that asked for it.
   */
  epochWall: [] as number[],
  /** Longest gap between two animation frames while playing, in ms. */
  longestFrame: 0,
  /** Longest time one redraw of the pictures took, in ms. */
  longestDraw: 0,
  /** How long each redraw took, in ms (the first 2000). */
  drawMs: [] as number[],
  /**
   * The most the page drew in one frame since it loaded (frame-budget.ts bounds each): classes
   * in one bar chart or heatmap, decision-region maps, and the regions' multiply-adds.
   */
  frameWork: { classesDrawn: 0, toyMaps: 0, toyWork: 0, toyGrid: 0 },
  /** The file of your own the data set came from (what the selector's "your file" loads). */
  customFile: null as FileChoice | null,
  /** The file whose columns the picker lists: the last one chosen, loaded or not. */
  pickedFile: null as FileChoice | null,
  /** Set when play stopped by itself (no better validation mAP for `patience` epochs). */
  earlyStop: null as { patience: number; epoch: number } | null,
  /**
   * The model file of `strategy`'s network as it is now (the text "Download model" saves);
   * resolves when the worker answers.
   */
  modelText(strategy: Strategy): Promise<string> {
    const request = ++latestModelRequest;
    return new Promise((resolve, reject) => {
      modelWaiters.set(request, (answer) =>
        answer.text !== null ? resolve(answer.text) : reject(new Error(answer.error)),
      );
      send({ type: 'model', strategy, request });
    });
  },
  /**
   * Every strategy's probabilities for every row of the loaded data set, in the file's order:
   * what the page's networks compute (the spec compares them with maskgrad predict's).
   */
  probabilities(): Promise<{
    rows: number;
    labels: number;
    probabilities: Record<string, number[]>;
  }> {
    const request = ++latestModelRequest;
    return new Promise((resolve) => {
      probabilityWaiters.set(request, (answer) =>
        resolve({
          rows: answer.rows,
          labels: answer.labels,
          probabilities: Object.fromEntries(
            Object.entries(answer.probabilities).map(([k, v]) => [k, Array.from(v)]),
          ),
        }),
      );
      send({ type: 'probabilities', request });
    });
  },
  /** The gemm kernel the worker reported: 'wasm' or 'ts'. */
  kernel: null as 'wasm' | 'ts' | null,
  /** Trains `epochs` epochs in the worker as fast as it can, then stops (for measuring). */
  trainEpochs(epochs: number): void {
    lastEpochAt = performance.now();
    send({ type: 'epochs', epochs });
  },
  /**
   * The worker's full snapshot now: every layer's weights and all gradient rows (reports
   * leave them out). Resolves when the worker answers (it answers once a model is trained);
   * the bit-for-bit spec reads it.
   */
  fullSnapshot(): Promise<Snapshot> {
    const request = ++latestSnapshotRequest;
    return new Promise((resolve) => {
      snapshotWaiters.set(request, resolve);
      send({ type: 'snapshot', request });
    });
  },
  /**
   * The same run on the page's main thread with the toy data: the losses of `steps` batches
   * per strategy, to compare with the worker's (the same engine) bit for bit.
   */
  replayOnMainThread(steps: number): Record<string, number[]> {
    const trainer = new PlaygroundTrainer(prepareData(toyDataset(), this.config), this.config);
    for (let i = 0; i < steps; i++) trainer.trainStep();
    return trainer.lossLog;
  },
};
(window as unknown as { __playground: typeof state }).__playground = state;

/** A strategy's short name in the library's table ('unknown = negative (AN)'). */
const strategyTitle = (strategy: Strategy) => STRATEGIES[strategy].title;
const strategiesTitle = (strategies: readonly Strategy[]) =>
  strategies.map(strategyTitle).join(' vs ');

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function setStatus(text: string, kind: 'note' | 'error' = 'note'): void {
  statusLine.textContent = text;
  statusLine.dataset.kind = kind;
}

// ---- controls <-> config <-> URL ----

function showConfig(config: RunConfig): void {
  controls.dataset.value = config.dataset;
  controls.labels.value = String(config.labels);
  controls.hide.value = String(Math.round(config.hide * 100));
  controls.hideOut.textContent = `${Math.round(config.hide * 100)}%`;
  controls.regime.value = config.regime;
  controls.hide.disabled = config.regime === 'single-positive';
  const strategies = config.strategies.join(',');
  if (![...controls.strategy.options].some((o) => o.value === strategies)) {
    const option = document.createElement('option');
    option.value = strategies;
    option.textContent = strategiesTitle(config.strategies);
    controls.strategy.append(option);
  }
  controls.strategy.value = strategies;
  controls.hidden.value = config.hidden.join(', ');
  controls.optimizer.value = config.optimizer;
  controls.lr.value = String(config.lr);
  controls.batch.value = String(config.batch);
  controls.seed.value = String(config.seed);
  controls.patience.value = String(config.patience);
}

/** The settings on screen; problems (a bad number) are named and the last good value kept. */
function readControls(): { config: RunConfig; problems: string[] } {
  const params = new URLSearchParams();
  params.set('dataset', controls.dataset.value === 'custom' ? 'toy' : controls.dataset.value);
  params.set('labels', controls.labels.value);
  params.set('hide', String(Number(controls.hide.value) / 100));
  params.set('regime', controls.regime.value);
  params.set('strategies', controls.strategy.value);
  params.set('hidden', controls.hidden.value.replace(/\s+/g, ''));
  params.set('optimizer', controls.optimizer.value);
  params.set('lr', controls.lr.value);
  params.set('batch', controls.batch.value);
  params.set('seed', controls.seed.value);
  params.set('patience', controls.patience.value);
  const { config, problems } = configFromQuery(params.toString());
  config.dataset = controls.dataset.value as DatasetName;
  return { config, problems: problems.map((p) => p.replace(/^URL: /, '')) };
}

function writeUrl(config: RunConfig): void {
  const query = configToQuery(config.dataset === 'custom' ? { ...config, dataset: 'toy' } : config);
  const url = `${location.pathname}${query ? `?${query}` : ''}`;
  history.replaceState(null, '', url);
}

// ---- the worker ----

/**
 * How long the worker may stay silent while the page waits for it (a load, a reset, or
 * training) before the page says it may have stopped: a worker that closes sends nothing.
 * A spec shortens it by setting window.__playgroundWorkerSilenceMs before the page loads.
 */
const WORKER_SILENCE_MS =
  (window as unknown as { __playgroundWorkerSilenceMs?: number }).__playgroundWorkerSilenceMs ??
  10000;
let worker: Worker;
/** The number of the last load or reset sent; answers to earlier ones are stale. */
let latestRequest = 0;
/** Whether the page waits for the answer to latestRequest. */
let awaitingAnswer = false;
let lastHeardAt = 0;
/** The status line before the page said the worker had failed (restored if it answers after all). */
let statusBeforeSilence: { text: string; kind: 'note' | 'error' } | null = null;
const send = (message: ToWorker) => worker.postMessage(message);
/** The number of the last 'weights' request; an answer to an earlier one is stale. */
let latestWeightsRequest = 0;
/** The number of the last 'snapshot' request. */
let latestSnapshotRequest = 0;
/** Whether the page waits for region weights (asks for one set at a time). */
let weightsPending = false;
/** Who waits for which full snapshot (fullSnapshot()). */
const snapshotWaiters = new Map<number, (snapshot: Snapshot) => void>();
/** The number of the last 'model' or 'probabilities' request, and who waits for which. */
let latestModelRequest = 0;
const modelWaiters = new Map<number, (answer: Extract<FromWorker, { type: 'model' }>) => void>();
const probabilityWaiters = new Map<
  number,
  (answer: Extract<FromWorker, { type: 'probabilities' }>) => void
>();
const restartButton = $<HTMLButtonElement>('restart-worker');

/** Says the worker failed or went silent, and offers to start a new one. */
function showWorkerFailure(text: string): void {
  state.playing = false;
  state.ready = false;
  updateTrainButton();
  setStatus(`${text} Press "Restart the worker" to start again.`, 'error');
  restartButton.hidden = false;
}

/** The worker's code (web/scripts/build.ts puts it here as a string). */
declare const __MASKGRAD_WORKER_CODE__: string;

/**
 * Starts the worker from a blob: URL of its code: a page opened from disk (file://) may not
 * start a worker from a file, but may from a blob (web/scripts/build.ts says what was measured).
 */
let workerUrl = '';
function startWorker(): void {
  // A spec replaces the worker's code by setting window.__playgroundWorkerCode.
  const code =
    (window as unknown as { __playgroundWorkerCode?: string }).__playgroundWorkerCode ??
    __MASKGRAD_WORKER_CODE__;
  if (workerUrl) URL.revokeObjectURL(workerUrl);
  workerUrl = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
  worker = new Worker(workerUrl, { name: 'maskgrad training' });
  lastHeardAt = performance.now();
  worker.onmessage = onWorkerMessage;
  worker.onerror = (event: ErrorEvent) => {
    // Handled here: not an uncaught error of the page.
    event.preventDefault();
    statusBeforeSilence = null;
    showWorkerFailure(`The training worker failed: ${event.message || 'it could not start'}.`);
  };
  worker.onmessageerror = () => {
    statusBeforeSilence = null;
    showWorkerFailure('The training worker sent a message the page could not read.');
  };
}

setInterval(() => {
  const waiting = awaitingAnswer || state.playing;
  if (!waiting || statusBeforeSilence || !restartButton.hidden) return;
  if (performance.now() - lastHeardAt < WORKER_SILENCE_MS) return;
  statusBeforeSilence = {
    text: statusLine.textContent ?? '',
    kind: statusLine.dataset.kind === 'error' ? 'error' : 'note',
  };
  showWorkerFailure(
    `The training worker has not answered for ${Math.round(WORKER_SILENCE_MS / 1000)} s: it may have stopped.`,
  );
}, 500);

restartButton.addEventListener('click', () => {
  worker.terminate();
  restartButton.hidden = true;
  statusBeforeSilence = null;
  startWorker();
  restart(state.config, true);
});

let lastEpochAt = 0;

/** A file of your own, read in the page: its text, digest and its columns' roles. */
interface FileChoice {
  name: string;
  text: string;
  /** For the model file's training record (null where this browser has no crypto.subtle). */
  digest: DataFileDigest | null;
  arff: boolean;
  /** The delimiter detectLabelColumns found in the header line (',' for ARFF, unused). */
  delimiter: CsvDelimiter;
  /** The columns of a CSV or TSV file (null for ARFF, whose labels are a count). */
  detected: DetectedColumns | null;
  /** Each column's role as picked (CSV/TSV); ARFF files use the config's label count. */
  roles: ColumnRole[];
}

/** Loads a classic script once (it works from file://, as fetch does not) and returns the global it sets. */
const scripts = new Map<string, Promise<unknown>>();
function loadScript(src: string, global: string): Promise<unknown> {
  let loading = scripts.get(src);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const element = document.createElement('script');
      element.src = src;
      element.onload = () => resolve((window as unknown as Record<string, unknown>)[global]);
      element.onerror = () => {
        scripts.delete(src);
        element.remove();
        reject(new Error(`could not load ${src}`));
      };
      document.head.append(element);
    });
    scripts.set(src, loading);
  }
  return loading;
}

/** The SHA-256 of `bytes` as 64 hex digits, or null where the browser has no crypto.subtle. */
async function sha256Hex(bytes: ArrayBuffer | Uint8Array): Promise<string | null> {
  if (!globalThis.crypto?.subtle) return null;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function sourceFor(config: RunConfig, file: FileChoice | null): Promise<DataSource> {
  if (config.dataset === 'yeast') {
    const text = (await loadScript('data/yeast-train.js', 'maskgradYeastArff')) as string;
    const sha256 = await sha256Hex(new TextEncoder().encode(text));
    const name = 'yeast-train.arff';
    return {
      kind: 'text',
      name,
      text,
      labels: 14,
      ignore: [],
      delimiter: ',',
      digest: sha256 ? { role: 'train', file: name, sha256 } : null,
    };
  }
  if (config.dataset === 'custom' && file) {
    const columns = file.detected
      ? columnChoice(file.detected, file.roles)
      : { labels: config.labels, ignore: [] };
    return {
      kind: 'text',
      name: file.name,
      text: file.text,
      ...columns,
      delimiter: file.delimiter,
      digest: file.digest,
    };
  }
  return { kind: 'toy' };
}

/** What a load is of: a new key means the worker must read the data again. */
function sourceKey(config: RunConfig, file: FileChoice | null): string {
  if (config.dataset !== 'custom' || !file) return config.dataset;
  const columns = file.arff ? String(config.labels) : JSON.stringify(file.roles);
  return `custom:${file.name}:${file.digest?.sha256 ?? file.text.length}:${columns}`;
}

let loadedSource = '';
/** What was wrong with the settings (in the address or a control), shown once the data loads. */
let settingProblems = '';
/**
 * The load under way: what to show when it succeeds, and how to put back the page as it was
 * (data set, settings, selector) when it fails.
 */
let pendingLoad: {
  request: number;
  key: string;
  file: FileChoice | null;
  restore: () => void;
  /** Settings changed while loading: restart with them once the load is answered. */
  resetAfter: boolean;
} | null = null;

function restart(config: RunConfig, reload = false, file = state.customFile): void {
  if (pendingLoad && !reload) {
    pendingLoad.resetAfter = true;
    return;
  }
  if (state.playing) send({ type: 'pause' });
  state.playing = false;
  updateTrainButton();
  const key = sourceKey(config, file);
  if (reload || key !== loadedSource) {
    const before = { config: state.config, ready: state.ready, dataset: controls.dataset.value };
    const request = ++latestRequest;
    pendingLoad = {
      request,
      key,
      file: config.dataset === 'custom' ? file : null,
      resetAfter: false,
      // A load that replaces one under way goes back to what was there before either.
      restore: pendingLoad?.restore ?? restoreTo(before),
    };
    state.ready = false;
    setStatus(
      config.dataset === 'yeast'
        ? 'Loading yeast-train.arff…'
        : `Loading ${config.dataset === 'custom' && file ? file.name : 'data'}…`,
    );
    sourceFor(config, file).then(
      (source) => {
        if (request === latestRequest) send({ type: 'load', source, config, request });
      },
      (error: Error) => {
        if (request === latestRequest) loadFailed(error.message);
      },
    );
  } else {
    state.config = config;
    state.ready = false;
    state.lossLog = {};
    state.epochMs = [];
    state.epochWall = [];
    send({ type: 'reset', config, request: ++latestRequest });
  }
  awaitingAnswer = true;
  lastHeardAt = performance.now();
}

/** Puts back the settings, the selector and readiness a load found. */
function restoreTo(before: { config: RunConfig; ready: boolean; dataset: string }): () => void {
  return () => {
    state.config = before.config;
    state.ready = before.ready;
    showConfig(before.config);
    controls.dataset.value = before.dataset;
    writeUrl(before.config);
  };
}

/**
 * A load failed: the page goes back to the data set, settings and selector it had, and says
 * what failed (with the field to change, where the message names one).
 */
function loadFailed(message: string): void {
  const load = pendingLoad;
  pendingLoad = null;
  awaitingAnswer = false;
  if (!load) return;
  load.restore();
  controls.file.value = '';
  const what = load.file ? load.file.name : 'the data';
  const still = state.info ? ` The page still shows ${state.info.name}.` : '';
  setStatus(`Could not load ${what}: ${message}${still}`, 'error');
  if (load.resetAfter) restart(readControls().config);
}

function onWorkerMessage(event: MessageEvent<FromWorker>): void {
  const message = event.data;
  lastHeardAt = performance.now();
  if (statusBeforeSilence) {
    // Slow, not stopped: back to what the status said.
    setStatus(statusBeforeSilence.text, statusBeforeSilence.kind);
    statusBeforeSilence = null;
    restartButton.hidden = true;
  }
  // The answer to a load or reset the page has since replaced: not what the controls show.
  if ((message.type === 'ready' || message.type === 'error') && message.request !== null) {
    if (message.request !== latestRequest) return;
    awaitingAnswer = false;
  }
  if (message.type === 'weights') {
    if (message.request !== latestWeightsRequest || !weightsPending) return;
    weightsPending = false;
    state.regionWeights = message.weights;
    scheduleDraw();
    return;
  }
  if (message.type === 'snapshot') {
    snapshotWaiters.get(message.request)?.(message.snapshot);
    snapshotWaiters.delete(message.request);
    return;
  }
  if (message.type === 'error') {
    state.playing = false;
    updateTrainButton();
    if (message.code === 'ERR_DIVERGED') {
      // The models keep their last good weights on screen; stepping on needs a fresh start.
      state.ready = false;
      setStatus(
        `Training stopped: ${message.message}. Change a setting or press Reset to start again.`,
        'error',
      );
      return;
    }
    if (pendingLoad && message.request === pendingLoad.request) {
      loadFailed(message.message);
      return;
    }
    const where = state.config.dataset === 'custom' ? ` ${state.customFile?.name ?? ''}` : '';
    setStatus(`Could not use the data${where}: ${message.message}`, 'error');
    if (!state.ready) loadedSource = '';
    return;
  }
  if (message.type === 'model') {
    modelWaiters.get(message.request)?.(message);
    modelWaiters.delete(message.request);
    return;
  }
  if (message.type === 'probabilities') {
    probabilityWaiters.get(message.request)?.(message);
    probabilityWaiters.delete(message.request);
    return;
  }
  let resetAfter = false;
  if (message.type === 'ready' && pendingLoad && message.request === pendingLoad.request) {
    const load = pendingLoad;
    pendingLoad = null;
    loadedSource = load.key;
    resetAfter = load.resetAfter;
    if (load.file) {
      state.customFile = load.file;
      const custom = controls.dataset.querySelector<HTMLOptionElement>('option[value=custom]')!;
      custom.disabled = false;
      custom.textContent = `your file: ${load.file.name}`;
      controls.dataset.value = 'custom';
    }
  }
  if (message.type === 'ready') {
    state.config = message.config;
    state.lossLog = {};
    state.epochMs = [];
    state.epochWall = [];
    state.earlyStop = null;
    showDownloads(message.config.strategies);
    state.kernel = message.kernel;
    $<HTMLSpanElement>('kernel').textContent =
      message.kernel === 'wasm'
        ? "maskgrad's WebAssembly SIMD kernel"
        : "maskgrad's TypeScript kernel (this browser's WebAssembly has no SIMD)";
    state.info = message.info;
    state.snapshot = message.snapshot;
    // Weights asked for before are the last model's: ask again for this one's.
    state.regionWeights = null;
    weightsPending = false;
    toyJob = null;
    state.ready = true;
    lastEpochAt = performance.now();
    const info = message.info;
    const loaded =
      `Loaded ${info.name}: ${info.rows} rows (${info.trainRows} for training, ${info.valRows} for validation), ` +
      `${plural(info.featureNames.length, 'feature')}, ${plural(info.labelNames.length, 'label')}.`;
    // Problems with the settings stay in view beside the data's summary.
    if (settingProblems) setStatus(`${loaded} ${settingProblems}`, 'error');
    else setStatus(loaded);
    settingProblems = '';
    scheduleDraw();
    // Settings changed while loading: train with them (a Reset alone needs nothing more).
    const now = readControls().config;
    if (resetAfter && configToQuery(now) !== configToQuery(message.config)) restart(now);
    return;
  }
  const before = state.snapshot?.epoch ?? 0;
  state.snapshot = message.snapshot;
  for (const [strategy, losses] of Object.entries(message.losses)) {
    (state.lossLog[strategy] ??= []).push(...losses);
  }
  state.epochMs.push(...message.epochMs);
  if (message.snapshot.epoch !== before) {
    const now = performance.now();
    state.epochWall.push((now - lastEpochAt) / (message.snapshot.epoch - before));
    lastEpochAt = now;
  }
  if (state.playing && !message.playing) {
    state.playing = false;
    updateTrainButton();
  }
  if (stopRequested && !message.playing) {
    stopRequested = false;
    setStatus(
      `Stopped at epoch ${message.snapshot.epoch}. Download a model, press Play to go on, or Reset to start again.`,
    );
  }
  if (message.earlyStop) {
    state.earlyStop = message.earlyStop;
    setStatus(
      `Stopped early at epoch ${message.earlyStop.epoch}: the validation mAP has not improved for ` +
        `${plural(message.earlyStop.patience, 'epoch')} (the patience). Download a model, or raise the patience and press Play to go on.`,
    );
  }
  scheduleDraw();
}

function updateTrainButton(): void {
  controls.train.textContent = state.playing ? 'Pause' : 'Play';
  controls.train.setAttribute('aria-pressed', String(state.playing));
}

// ---- events ----

function onSettingsChanged(): void {
  controls.hideOut.textContent = `${controls.hide.value}%`;
  const { config, problems } = readControls();
  controls.hide.disabled = config.regime === 'single-positive';
  writeUrl(config);
  settingProblems = problems.join('; ');
  if (settingProblems) setStatus(settingProblems, 'error');
  restart(config);
}

for (const element of [
  controls.dataset,
  controls.regime,
  controls.strategy,
  controls.optimizer,
  controls.hide,
  controls.hidden,
  controls.lr,
  controls.batch,
  controls.seed,
]) {
  element.addEventListener('change', onSettingsChanged);
}
// The label count of an ARFF file of your own: read the file again with it.
controls.labels.addEventListener('change', () => {
  if (state.pickedFile) tryFile(state.pickedFile);
});
// The patience changes the run under way; it does not start a new one.
controls.patience.addEventListener('change', () => {
  const { config, problems } = readControls();
  if (problems.length > 0) {
    setStatus(problems.join('; '), 'error');
    return;
  }
  state.config = { ...state.config, patience: config.patience };
  writeUrl(state.config);
  send({ type: 'patience', patience: config.patience });
});
controls.hide.addEventListener('input', () => {
  controls.hideOut.textContent = `${controls.hide.value}%`;
});

controls.train.addEventListener('click', () => {
  if (!state.ready) return;
  state.playing = !state.playing;
  updateTrainButton();
  lastEpochAt = performance.now();
  send(state.playing ? { type: 'play', patience: state.config.patience } : { type: 'pause' });
  if (state.playing) watchFrames();
});
/** Stop was pressed: the worker's next report that is not playing ends the run. */
let stopRequested = false;
controls.stop.addEventListener('click', () => {
  if (!state.ready) return;
  state.playing = false;
  updateTrainButton();
  // The worker's answer to the pause is its last report: the status names that epoch.
  stopRequested = true;
  send({ type: 'pause' });
});
controls.step.addEventListener('click', () => {
  if (!state.ready) return;
  state.playing = false;
  updateTrainButton();
  send({ type: 'step' });
});
controls.reset.addEventListener('click', () => restart(readControls().config));

/**
 * Reads a file of your own (the delimiter detected from its header line, as parseCsv does),
 * lists its columns with the roles they start with, and loads it.
 */
async function useFile(file: File): Promise<void> {
  setStatus(`Reading ${file.name}…`);
  const bytes = await file.arrayBuffer();
  const text = new TextDecoder().decode(bytes);
  const sha256 = await sha256Hex(bytes);
  const arff = isArffFile(file.name, text);
  let detected: DetectedColumns | null = null;
  if (!arff) {
    try {
      detected = detectLabelColumns(text);
    } catch (error) {
      controls.file.value = '';
      const still = state.info ? ` The page still shows ${state.info.name}.` : '';
      setStatus(`Could not read ${file.name}: ${(error as Error).message}.${still}`, 'error');
      return;
    }
  }
  const choice: FileChoice = {
    name: file.name,
    text,
    digest: sha256 ? { role: 'train', file: file.name, sha256 } : null,
    arff,
    delimiter: detected ? detected.delimiter : ',',
    detected,
    roles: detected ? defaultRoles(detected) : [],
  };
  state.pickedFile = choice;
  showColumns(choice);
  tryFile(choice);
}

/** Loads `file` with its columns' roles as picked, unless the picker names a problem first. */
function tryFile(file: FileChoice): void {
  const problem = file.detected ? roleProblem(file.detected, file.roles) : null;
  if (problem) {
    controls.file.value = '';
    const still = state.info ? ` The page still shows ${state.info.name}.` : '';
    setStatus(`Could not load ${file.name}: ${problem}${still}`, 'error');
    return;
  }
  const { config } = readControls();
  restart({ ...config, dataset: 'custom' }, true, file);
}

const columnsBox = $<HTMLFieldSetElement>('columns');
/** The role picker of a CSV/TSV file's columns (the count field for ARFF). */
function showColumns(file: FileChoice): void {
  const detected = file.detected;
  $<HTMLDivElement>('labels-field').hidden = !file.arff;
  columnsBox.hidden = detected === null;
  if (!detected) return;
  const delimiterText = { ',': 'commas', '\t': 'tabs', ';': 'semicolons' } as const;
  $('columns-title').textContent =
    `Column roles of ${file.name} (separated by ${delimiterText[detected.delimiter]})`;
  const kindText = { label: '0/1/unknown', number: 'numbers', text: 'text' } as const;
  const list = $<HTMLDivElement>('column-list');
  list.replaceChildren(
    ...detected.columns.map((name, c) => {
      const label = document.createElement('label');
      const select = document.createElement('select');
      for (const role of Object.keys(ROLE_TITLES) as ColumnRole[]) {
        const option = document.createElement('option');
        option.value = role;
        option.textContent = ROLE_TITLES[role];
        select.append(option);
      }
      select.value = file.roles[c];
      select.dataset.column = name;
      // A new choice, not a change to this one: the file loaded last keeps its roles if the
      // new ones fail to load.
      select.addEventListener('change', () => {
        const roles = (state.pickedFile ?? file).roles.slice();
        roles[c] = select.value as ColumnRole;
        const next: FileChoice = { ...file, roles };
        state.pickedFile = next;
        tryFile(next);
      });
      const kind = document.createElement('small');
      kind.textContent = ` (${kindText[detected.kinds[c]]})`;
      label.append(select, ` ${name}`, kind);
      return label;
    }),
  );
}

controls.file.addEventListener('change', () => {
  const file = controls.file.files?.[0];
  if (file) void useFile(file);
});
const drop = $<HTMLDivElement>('drop');
for (const target of [document.body]) {
  target.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('dragging');
  });
  target.addEventListener('dragleave', () => drop.classList.remove('dragging'));
  target.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('dragging');
    const file = event.dataTransfer?.files[0];
    if (file) void useFile(file);
  });
}

/** Records the longest gap between animation frames while training plays. */
function watchFrames(): void {
  state.longestFrame = 0;
  state.longestDraw = 0;
  let last = performance.now();
  const tick = (now: number) => {
    state.longestFrame = Math.max(state.longestFrame, now - last);
    last = now;
    if (state.playing) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

// ---- pictures ----

let drawPending = false;
function scheduleDraw(): void {
  if (drawPending) return;
  drawPending = true;
  requestAnimationFrame(() => {
    drawPending = false;
    const start = performance.now();
    draw();
    const took = performance.now() - start;
    state.longestDraw = Math.max(state.longestDraw, took);
    if (state.drawMs.length < 2000) state.drawMs.push(took);
  });
}

const downloadsBox = $<HTMLDivElement>('downloads');
/** One "Download model" button per strategy trained (rebuilt only when the strategies change). */
function showDownloads(strategies: readonly Strategy[]): void {
  if (downloadsBox.dataset.strategies === strategies.join(',')) return;
  downloadsBox.dataset.strategies = strategies.join(',');
  downloadsBox.replaceChildren(
    ...strategies.map((strategy) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.testid = `download-${strategy}`;
      button.textContent =
        strategies.length === 1 ? 'Download model' : `Download model: ${strategyTitle(strategy)}`;
      button.addEventListener('click', () => void downloadModel(strategy));
      return button;
    }),
  );
}

async function downloadModel(strategy: Strategy): Promise<void> {
  const info = state.info;
  if (!state.ready || !info) return;
  let text: string;
  try {
    text = await state.modelText(strategy);
  } catch (error) {
    setStatus(`Could not make the model file: ${(error as Error).message}`, 'error');
    return;
  }
  const base = info.name.replace(/\.[^.]*$/, '') || 'model';
  const name = `${base}-${strategy}.model.json`;
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  setStatus(
    `Saved ${name}: the ${strategyTitle(strategy)} network at epoch ${state.snapshot?.epoch ?? 0}. ` +
      `Predict with: maskgrad predict --model ${name} --input ${info.name}`,
  );
}

const metricsBox = $<HTMLDivElement>('metrics');
const gradBox = $<HTMLDivElement>('grad-heatmap');
const legend = $<HTMLDivElement>('legend');

function draw(): void {
  const snapshot = state.snapshot;
  const info = state.info;
  if (!snapshot || !info) return;
  $('epoch').textContent = String(snapshot.epoch);
  $('batch-count').textContent = `${snapshot.batchInEpoch} of ${snapshot.batchesPerEpoch}`;
  $('data-note').textContent = `(${info.name}, step ${snapshot.step})`;
  const strategies = snapshot.strategies;

  metricsBox.replaceChildren(
    ...strategies.map((s) => {
      const p = document.createElement('p');
      const style = STRATEGY_STYLE[s.strategy];
      p.innerHTML = `<span class="swatch" style="background:${style.color}"></span>${strategyTitle(s.strategy)}: validation mAP `;
      const value = document.createElement('span');
      value.dataset.testid = `metric-map-${s.strategy}`;
      const map = s.valMap[s.valMap.length - 1];
      value.textContent = Number.isFinite(map) ? map.toFixed(4) : 'n/a';
      p.append(value);
      const loss = s.epochLoss[s.epochLoss.length - 1];
      p.append(`, last epoch's loss ${loss === undefined ? '—' : loss.toFixed(4)}`);
      return p;
    }),
  );
  legend.innerHTML = strategies
    .map(
      (s) =>
        `<span><span class="swatch${STRATEGY_STYLE[s.strategy].dash.length ? ' dashed' : ''}" style="border-color:${STRATEGY_STYLE[s.strategy].color}"></span>${strategyTitle(s.strategy)}</span>`,
    )
    .join('');

  drawCurves(
    $<HTMLCanvasElement>('loss-chart'),
    strategies.map((s) => ({ strategy: s.strategy, values: s.epochLoss })),
    { title: 'training loss', startAt: 1 },
  );
  drawCurves(
    $<HTMLCanvasElement>('map-chart'),
    strategies.map((s) => ({ strategy: s.strategy, values: s.valMap })),
    { title: 'validation mAP' },
  );
  const shown = Math.min(info.labelNames.length, MAX_CLASSES_DRAWN);
  state.frameWork.classesDrawn = Math.max(state.frameWork.classesDrawn, shown);
  drawBars(
    $<HTMLCanvasElement>('ap-bars'),
    info.labelNames.slice(0, shown),
    strategies.map((s) => ({ strategy: s.strategy, values: s.classAp.slice(0, shown) })),
    { max: 1, format: (v) => v.toFixed(2) },
  );
  $('ap-note').textContent = classesNote(info.labelNames.length);
  drawGradients(snapshot, info);
  drawToy(snapshot, info);
}

/**
 * The gradient heatmaps still to draw, by canvas (the latest data for each): one per animation
 * frame, as one heatmap of 40 classes by 512 units is about a frame's work by itself.
 */
const heatmapQueue = new Map<HTMLCanvasElement, () => void>();
let heatmapFramePending = false;

function queueHeatmap(canvas: HTMLCanvasElement, drawIt: () => void): void {
  heatmapQueue.set(canvas, drawIt);
  if (!heatmapFramePending) {
    heatmapFramePending = true;
    requestAnimationFrame(drawNextHeatmap);
  }
}

function drawNextHeatmap(): void {
  heatmapFramePending = false;
  const next = heatmapQueue.entries().next();
  if (next.done) return;
  const [canvas, drawIt] = next.value;
  heatmapQueue.delete(canvas);
  const start = performance.now();
  drawIt();
  state.longestDraw = Math.max(state.longestDraw, performance.now() - start);
  if (heatmapQueue.size > 0) {
    heatmapFramePending = true;
    requestAnimationFrame(drawNextHeatmap);
  }
}

function drawGradients(snapshot: Snapshot, info: DataInfo): void {
  const C = info.labelNames.length;
  // Rows drawn: the first MAX_CLASSES_DRAWN classes, all the report holds.
  const shown = Math.min(C, MAX_CLASSES_DRAWN, ...snapshot.strategies.map((s) => s.gradRows));
  $('grad-note').textContent = classesNote(C);
  const H = snapshot.hiddenUnits;
  const unobserved = snapshot.observedInBatch
    .map((n, c) => (n === 0 && snapshot.step > 0 ? c : -1))
    .filter((c) => c >= 0);
  let scale = 0;
  for (const s of snapshot.strategies) {
    for (let k = 0; k < shown * H; k++) scale = Math.max(scale, Math.abs(s.gradWeight[k]));
  }
  let maxChange = 1e-12;
  for (const s of snapshot.strategies) {
    for (let c = 0; c < shown; c++) maxChange = Math.max(maxChange, s.rowChange[c]);
  }
  const blocks = snapshot.strategies.map((s) => {
    let block = gradBox.querySelector<HTMLDivElement>(`[data-strategy="${s.strategy}"]`);
    if (!block) {
      block = document.createElement('div');
      block.className = 'grad-block';
      block.dataset.strategy = s.strategy;
      block.innerHTML =
        `<h4>${strategyTitle(s.strategy)}</h4>` +
        `<canvas class="grad" role="img"></canvas><p class="zero-note"></p>` +
        `<canvas class="change" role="img"></canvas>`;
    }
    // Found by the worker among all C classes (the report holds the drawn rows only).
    const zeroRows = snapshot.step > 0 ? s.zeroGradRows : [];
    block.dataset.zeroRows = zeroRows.join(',');
    block.dataset.unobservedRows = unobserved.join(',');
    const rowLabels = info.labelNames
      .slice(0, shown)
      .map((name, c) => `${name} (${snapshot.observedInBatch[c]}/${snapshot.batchRows})`);
    const gradCanvas = block.querySelector<HTMLCanvasElement>('canvas.grad')!;
    gradCanvas.setAttribute(
      'aria-label',
      `Output-layer gradient of the last batch under ${strategyTitle(s.strategy)}, ${shown} of ${C} classes by ${H} hidden units`,
    );
    // Before the first batch there is no gradient to show (not a gradient of zeros).
    gradCanvas.hidden = snapshot.step === 0;
    const grad = s.gradWeight;
    if (snapshot.step > 0)
      queueHeatmap(gradCanvas, () =>
        drawGradient(gradCanvas, grad, shown, H, rowLabels, scale || 1),
      );
    else heatmapQueue.delete(gradCanvas);
    block.querySelector('.zero-note')!.textContent =
      snapshot.step === 0
        ? 'No batch trained yet.'
        : zeroRows.length === 0
          ? 'No class has an all-zero gradient row in this batch.'
          : `Exactly zero gradient (hatched): ${namesList(zeroRows.map((c) => info.labelNames[c]))}.`;
    const changeCanvas = block.querySelector<HTMLCanvasElement>('canvas.change')!;
    changeCanvas.setAttribute(
      'aria-label',
      `Largest weight change of each output row since the start under ${strategyTitle(s.strategy)}`,
    );
    drawBars(
      changeCanvas,
      info.labelNames.slice(0, shown),
      [
        {
          strategy: s.strategy,
          values: Array.from(s.rowChange.subarray(0, shown)),
          labels: s.rowUnchanged
            .slice(0, shown)
            .map((same, c) => (same ? '0 (unchanged)' : s.rowChange[c].toExponential(2))),
        },
      ],
      { max: maxChange, format: (v) => v.toExponential(2) },
    );
    return block;
  });
  // Re-attach only when the strategies change: moving canvases costs a relayout.
  if (
    blocks.some((b, i) => gradBox.children[i] !== b) ||
    gradBox.children.length !== blocks.length
  ) {
    gradBox.replaceChildren(...blocks);
  }
  gradBox.setAttribute(
    'aria-label',
    `Classes with no known label in the last batch: ${namesList(unobserved.map((c) => info.labelNames[c])) || 'none'}`,
  );
}

const toyCanvases = new Map<string, HTMLCanvasElement>();
let toyDrawnAt = -Infinity;
/** The decision regions being computed, a slice per animation frame (frame-budget.ts). */
let toyJob: ToyRegions | null = null;
let toyFramePending = false;

/** The region weights the current (or last) job draws. */
let toyWeights: RegionWeights | null = null;

/**
 * One small probability map per strategy and each of the first MAX_TOY_MAPS labels, from the
 * region weights the page asks the worker for (reports leave them out): computed a slice per
 * frame; new weights are asked for when the last maps are done (or at once when not
 * playing), at most ~6 times a second, and a new job starts when they come.
 */
function drawToy(snapshot: Snapshot, info: DataInfo): void {
  const section = $<HTMLDivElement>('toy-section');
  const box = $<HTMLDivElement>('toy-maps');
  if (info.featureNames.length !== 2) {
    section.hidden = true;
    toyJob = null;
    return;
  }
  section.hidden = false;
  const weights = state.regionWeights;
  if (weights && weights !== toyWeights) {
    startToyJob(weights, info, box);
    return;
  }
  if (weights?.step === snapshot.step || weightsPending) return;
  const now = performance.now();
  if (state.playing && (now - toyDrawnAt < 150 || (toyJob && !toyJob.finished))) {
    scheduleDrawSoon();
    return;
  }
  weightsPending = true;
  send({ type: 'weights', request: ++latestWeightsRequest });
}

/** Starts computing the decision regions of `weights` (replacing any job under way). */
function startToyJob(weights: RegionWeights, info: DataInfo, box: HTMLDivElement): void {
  toyDrawnAt = performance.now();
  toyWeights = weights;
  const C = info.labelNames.length;
  const shown = Math.min(C, MAX_TOY_MAPS);
  $('toy-note').textContent =
    shown < C ? `Showing the first ${shown} of ${C} labels for each strategy.` : '';
  toyJob = new ToyRegions(weights.strategies, C, info.mean, info.std, viridis);
  const grid = toyJob.grid;
  const key = `${info.name}:${info.labelNames.slice(0, shown).join(',')}:${weights.strategies.map((s) => s.strategy).join(',')}:${grid}`;
  if (box.dataset.key !== key) {
    box.dataset.key = key;
    toyCanvases.clear();
    box.replaceChildren(
      ...weights.strategies.map((s) => {
        const row = document.createElement('div');
        row.className = 'toy-row';
        const title = document.createElement('p');
        title.textContent = strategyTitle(s.strategy);
        row.append(title);
        for (let c = 0; c < shown; c++) {
          const figure = document.createElement('figure');
          const canvas = document.createElement('canvas');
          canvas.width = grid;
          canvas.height = grid;
          canvas.className = 'toy-map';
          canvas.setAttribute('role', 'img');
          canvas.setAttribute(
            'aria-label',
            `${strategyTitle(s.strategy)}: probability of ${info.labelNames[c]} over the plane`,
          );
          const caption = document.createElement('figcaption');
          caption.textContent = `${info.labelNames[c]} (${Math.round(info.knownShare[c] * 100)}% known)`;
          figure.append(canvas, caption);
          row.append(figure);
          toyCanvases.set(`${s.strategy}:${c}`, canvas);
        }
        return row;
      }),
    );
  }
  state.frameWork.toyMaps = Math.max(state.frameWork.toyMaps, toyCanvases.size);
  state.frameWork.toyGrid = Math.max(state.frameWork.toyGrid, grid);
  toySlice(toyJob, weights);
}

/** Computes one slice of the regions and shows the maps of the strategies it finished. */
function toySlice(job: ToyRegions, weights: RegionWeights): void {
  if (job !== toyJob) return;
  const before = job.strategiesDone;
  const spent = job.advance(TOY_WORK_PER_FRAME);
  state.frameWork.toyWork = Math.max(state.frameWork.toyWork, spent);
  const after = job.finished ? weights.strategies.length : job.strategiesDone;
  for (let k = before; k < after; k++) {
    const s = weights.strategies[k];
    job.pixels[k].forEach((pixels, c) => {
      const image = new ImageData(pixels, job.grid, job.grid);
      toyCanvases.get(`${s.strategy}:${c}`)?.getContext('2d')!.putImageData(image, 0, 0);
    });
  }
  if (!job.finished && !toyFramePending) {
    toyFramePending = true;
    requestAnimationFrame(() => {
      toyFramePending = false;
      // The job under way then: a job started meanwhile goes on from here.
      if (toyJob && toyWeights) toySlice(toyJob, toyWeights);
    });
  } else if (job.finished && state.playing) {
    // Done: the next draw asks for newer weights.
    scheduleDrawSoon();
  }
}

let soonPending = false;
function scheduleDrawSoon(): void {
  if (soonPending) return;
  soonPending = true;
  setTimeout(() => {
    soonPending = false;
    scheduleDraw();
  }, 160);
}

// ---- the two views that load on demand ----

$<HTMLDetailsElement>('one-batch-view').addEventListener('toggle', (event) => {
  const details = event.currentTarget as HTMLDetailsElement;
  if (details.open && !$('one-batch').hasChildNodes()) renderOneBatch($('one-batch'));
});

$<HTMLDetailsElement>('graph-view').addEventListener('toggle', (event) => {
  const details = event.currentTarget as HTMLDetailsElement;
  if (!details.open || details.dataset.loaded) return;
  details.dataset.loaded = 'true';
  loadScript('assets/graph-view.js', 'maskgradGraphView')
    .then((view) => (view as { openGraphView(): Promise<void> }).openGraphView())
    .catch((error: Error) => setStatus(`Could not open the graph view: ${error.message}`, 'error'));
});

// ---- start ----

// The strategy choices are named by the library's table.
for (const option of controls.strategy.options) {
  const names = option.value.split(',');
  const unknown = names.filter((name) => !Object.prototype.hasOwnProperty.call(STRATEGIES, name));
  if (unknown.length > 0) {
    throw new Error(
      `playground: the strategy choice '${option.value}' names ${unknown.join(', ')}, not in the library's STRATEGIES`,
    );
  }
  option.textContent = strategiesTitle(names as Strategy[]);
}

startWorker();
const initial = configFromQuery(location.search);
showConfig(initial.config);
settingProblems = initial.problems.join('; ');
if (settingProblems) setStatus(settingProblems, 'error');
state.config = initial.config;
restart(initial.config);
