import * as Comlink from 'comlink';
import type { InkImage } from '../pipeline/types';
import type { Recognition, RecognizerApi, RecognizerReady, RecognizerStats } from '../worker/contract';

/** What the bridge tells the UI. */
export interface BridgeEvents {
  onReady(ready: RecognizerReady): void;
  onError(message: string, recoverable: boolean): void;
}

/** How many times in a row a crashed worker is restarted before the bridge gives up. */
const MAX_RESTARTS = 3;

/**
 * Owns the recognition worker: starts it, restarts it after a crash, and keeps at most one
 * request in flight. When ink changes faster than the worker reads it, only the newest image is
 * read; an older request's caller gets `null` (superseded).
 */
export class RecognizerBridge {
  private worker: Worker | undefined;
  private api: Comlink.Remote<RecognizerApi> | undefined;
  private ready: Promise<RecognizerReady> | undefined;
  private restarts = 0;
  private inFlight: Promise<unknown> | undefined;
  private pending: { image: InkImage; resolve: (r: Recognition | null) => void; reject: (e: Error) => void } | undefined;
  private abortInFlight: ((error: Error) => void) | undefined;
  private crashListeners: (() => void)[] = [];

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

  /** Reads an image; resolves null when a newer image replaced it before it was read. */
  recognize(image: InkImage): Promise<Recognition | null> {
    this.pending?.resolve(null);
    return new Promise((resolve, reject) => {
      this.pending = { image, resolve, reject };
      void this.pump();
    });
  }

  /** Worker counters, for tests and benchmarks. */
  async stats(): Promise<RecognizerStats> {
    await this.start();
    return this.api!.stats();
  }

  /** Called after the worker crashed and was restarted, so the UI can read the current ink again. */
  onRestart(listener: () => void): void {
    this.crashListeners.push(listener);
  }

  private async pump(): Promise<void> {
    if (this.inFlight || !this.pending) return;
    const { image, resolve, reject } = this.pending;
    this.pending = undefined;
    const work = (async () => {
      try {
        await this.start();
        // A dead worker never answers, so a crash must be able to end this wait.
        const aborted = new Promise<never>((_, abort) => (this.abortInFlight = abort));
        const call = this.api!.recognize(Comlink.transfer(image, [image.data.buffer]));
        resolve(await Promise.race([call, aborted]));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      } finally {
        this.abortInFlight = undefined;
      }
    })();
    this.inFlight = work;
    await work;
    this.inFlight = undefined;
    void this.pump();
  }

  private spawn(): Promise<RecognizerReady> {
    const worker = new Worker(new URL('../worker/recognizer.worker.ts', import.meta.url), {
      type: 'module',
      name: 'recognizer',
    });
    this.worker = worker;
    this.api = Comlink.wrap<RecognizerApi>(worker);
    worker.addEventListener('error', (event) => this.handleCrash(worker, event.message || 'the worker crashed'));
    const ready = this.api.init({ modelUrl: this.modelUrl });
    ready.then(
      (info) => {
        this.restarts = 0;
        this.events.onReady(info);
      },
      (error: unknown) => this.events.onError(error instanceof Error ? error.message : String(error), true),
    );
    return ready;
  }

  private handleCrash(worker: Worker, message: string): void {
    if (worker !== this.worker) return;
    this.shutdown();
    this.abortInFlight?.(new Error(`The recogniser crashed (${message}); restarting.`));
    if (this.restarts >= MAX_RESTARTS) {
      this.events.onError(`The recogniser stopped working (${message}).`, true);
      return;
    }
    this.restarts++;
    void this.start().then(() => this.crashListeners.forEach((listener) => listener()));
  }

  private shutdown(): void {
    this.api?.[Comlink.releaseProxy]();
    this.worker?.terminate();
    this.worker = undefined;
    this.api = undefined;
    this.ready = undefined;
  }
}
