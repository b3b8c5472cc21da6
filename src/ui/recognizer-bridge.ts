import * as Comlink from 'comlink';
import type { InkImage, RgbaImage } from '../pipeline/types';
import type { LabelledCrop } from '../inference/classifier';
import type { ClassifierConnection, CrashMoment, ImageRecognition, LearnAnswer, Recognition, RecognizerApi, RecognizerReady, RecognizerStats } from '../worker/contract';
import { correctionBuffers } from '../worker/transfer';

/** Why the bridge gave up: the worker could not load, or it kept crashing. */
export type BridgeFailure = 'load' | 'crashes';

/** What the bridge tells the UI. */
export interface BridgeEvents {
  onReady(ready: RecognizerReady): void;
  /** The recogniser is not available until `retry()`; `message` is the technical cause. */
  onError(message: string, failure: BridgeFailure): void;
}

/** A request the worker never answered because it crashed or was stopped (a restart follows a crash). */
export class RecognizerStoppedError extends Error {}

/** How many times in a row a crashed worker is restarted before the bridge gives up. */
const MAX_RESTARTS = 3;

/**
 * Owns the recognition workers (the recogniser, and the classifier it calls): starts them,
 * restarts both after a crash of either, and keeps at most one request in flight. When ink
 * changes faster than the worker reads it, only the newest image is read; an older request's
 * caller gets `null` (superseded).
 */
export class RecognizerBridge {
  /** The recogniser worker; the page calls only it. */
  private worker: Worker | undefined;
  /** The classifier worker (tfjs and the model), which only the recogniser calls. */
  private classifierWorker: Worker | undefined;
  private api: Comlink.Remote<RecognizerApi> | undefined;
  private ready: Promise<RecognizerReady> | undefined;
  private restarts = 0;
  private inFlight: Promise<unknown> | undefined;
  /** The newest request not yet sent: its call to the worker, and its caller's promise. */
  private pending: { send: (api: Comlink.Remote<RecognizerApi>) => Promise<Recognition>; resolve: (r: Recognition | null) => void; reject: (e: Error) => void } | undefined;
  /** Rejects when the current worker is stopped or crashes: a dead worker never answers. */
  private died: { promise: Promise<never>; reject: (error: Error) => void } | undefined;

  constructor(
    private readonly modelUrl: string,
    private readonly events: BridgeEvents,
  ) {}

  /** Starts the worker (once) and resolves when OpenCV and the model are loaded. */
  start(): Promise<RecognizerReady> {
    this.ready ??= this.spawn();
    return this.ready;
  }

  /** Drops a failed start so `start()` tries again from scratch (the Retry button). */
  retry(): Promise<RecognizerReady> {
    this.shutdown();
    this.restarts = 0;
    return this.start();
  }

  /** Reads an image of ink; resolves null when a newer image replaced it before it was read. */
  recognize(image: InkImage): Promise<Recognition | null> {
    const buffers = [image.data.buffer, image.strokes?.points.buffer, image.strokes?.starts.buffer].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
    return this.enqueue((api) => api.recognize(Comlink.transfer(image, buffers)));
  }

  /**
   * Reads a decoded picture (its buffer is transferred); resolves null when newer ink or another
   * picture replaced it before it was read. One queue for both: the newest request wins.
   */
  recognizeImage(photo: RgbaImage): Promise<ImageRecognition | null> {
    const buffers = [photo.data.buffer].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
    return this.enqueue((api) => api.recognizeImage(Comlink.transfer(photo, buffers))) as Promise<ImageRecognition | null>;
  }

  private enqueue(send: (api: Comlink.Remote<RecognizerApi>) => Promise<Recognition>): Promise<Recognition | null> {
    this.pending?.resolve(null);
    return new Promise((resolve, reject) => {
      this.pending = { send, resolve, reject };
      void this.pump();
    });
  }

  /** Teaches the worker a person's corrections (their crops' and prototypes' buffers are transferred). */
  learnCorrections(corrections: LabelledCrop[]): Promise<LearnAnswer> {
    return this.call((api) => api.learnCorrections(Comlink.transfer(corrections, correctionBuffers(corrections))));
  }

  /** Replaces the corrections the worker holds (their crops' and prototypes' buffers are transferred). */
  setCorrections(corrections: LabelledCrop[]): Promise<LearnAnswer> {
    return this.call((api) => api.setCorrections(Comlink.transfer(corrections, correctionBuffers(corrections))));
  }

  /** Worker counters, for tests and benchmarks. */
  stats(): Promise<RecognizerStats> {
    return this.call((api) => api.stats());
  }

  /** Makes the running worker crash (see RecognizerApi.crashForTest); nothing if none runs. */
  crashForTest(when: CrashMoment): void {
    this.api?.crashForTest(when).catch(() => undefined);
  }

  private async pump(): Promise<void> {
    if (this.inFlight || !this.pending) return;
    const { send, resolve, reject } = this.pending;
    this.pending = undefined;
    const work = (async () => {
      try {
        resolve(await this.call(send));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    })();
    this.inFlight = work;
    await work;
    this.inFlight = undefined;
    void this.pump();
  }

  /**
   * Calls the worker once it is ready. Rejects if the worker dies first, so that no caller waits
   * forever on a worker that was terminated (a crash, a retry) with the call unanswered.
   */
  private async call<T>(method: (api: Comlink.Remote<RecognizerApi>) => Promise<T>): Promise<T> {
    await this.start();
    const { api, died } = this;
    if (!api || !died) throw new RecognizerStoppedError('The recogniser stopped.');
    return Promise.race([method(api), died.promise]);
  }

  private spawn(): Promise<RecognizerReady> {
    // Both started here, not the classifier by the recogniser: a worker's own worker starts only
    // after that worker's script has run, and tfjs with the model is the longer start-up.
    const worker = new Worker(new URL('../worker/recognizer.worker.ts', import.meta.url), {
      type: 'module',
      name: 'recognizer',
    });
    const classifierWorker = new Worker(new URL('../worker/classifier.worker.ts', import.meta.url), {
      type: 'module',
      name: 'classifier',
    });
    const channel = new MessageChannel();
    const connection: ClassifierConnection = { port: channel.port2 };
    classifierWorker.postMessage(connection, [channel.port2]);
    this.worker = worker;
    this.classifierWorker = classifierWorker;
    this.api = Comlink.wrap<RecognizerApi>(worker);
    let reject: (error: Error) => void = () => undefined;
    const promise = new Promise<never>((_, fail) => (reject = fail));
    promise.catch(() => undefined); // Only callers racing it care.
    this.died = { promise, reject };
    worker.addEventListener('error', (event) => this.handleCrash(worker, event.message || 'the worker crashed'));
    classifierWorker.addEventListener('error', (event) => this.handleCrash(worker, `the classifier crashed: ${event.message || 'no message'}`));
    // A crash while loading (out of memory, a wasm abort) ends the wait too.
    const init = this.api.init(Comlink.transfer({ modelUrl: this.modelUrl, classifierPort: channel.port1 }, [channel.port1]));
    const ready = Promise.race([init, promise]);
    ready.then(
      (info) => {
        this.restarts = 0;
        this.events.onReady(info);
      },
      (error: unknown) => {
        // A worker that was replaced (crash, retry) is no news: the new one reports for itself.
        if (worker === this.worker) this.events.onError(error instanceof Error ? error.message : String(error), 'load');
      },
    );
    return ready;
  }

  private handleCrash(worker: Worker, message: string): void {
    if (worker !== this.worker) return;
    this.shutdown(new RecognizerStoppedError(`The recogniser crashed (${message}); restarting.`));
    if (this.restarts >= MAX_RESTARTS) {
      this.events.onError(`The recogniser crashed ${MAX_RESTARTS + 1} times in a row (${message}).`, 'crashes');
      return;
    }
    this.restarts++;
    // The restarted worker reports through onReady like the first (the UI reads the ink again
    // there); a failed restart reaches the UI through onError. Nothing is left to catch here.
    this.start().catch(() => undefined);
  }

  private shutdown(reason: Error = new RecognizerStoppedError('The recogniser was stopped.')): void {
    this.died?.reject(reason);
    this.api?.[Comlink.releaseProxy]();
    this.worker?.terminate();
    this.classifierWorker?.terminate();
    this.worker = undefined;
    this.classifierWorker = undefined;
    this.api = undefined;
    this.died = undefined;
    this.ready = undefined;
  }
}
