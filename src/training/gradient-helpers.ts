import { Worker } from 'node:worker_threads';
import type { DigitModelWidths } from '../inference/model';
import type { MnistSet } from './load-mnist';
import type { ShardGradients } from './shard-gradients';

/** What a helper thread is started with. */
export interface GradientHelperSetup {
  set: MnistSet;
  modelSeed: number;
  dropout: number;
  widths: DigitModelWidths;
  labelSmoothing: number;
  /** file: URL of gradient-worker.ts, imported by the .mjs entry after registering tsx. */
  tsEntry: string;
}

/** One shard of a batch for a helper: the current weights, which images, a seed per image. */
export interface ShardRequest {
  weights: Float32Array;
  indices: Uint32Array<ArrayBuffer>;
  imageSeeds: Uint32Array<ArrayBuffer>;
}

/** A helper's answer to a {@link ShardRequest}. */
export type ShardReply = { ok: true; shard: ShardGradients } | { ok: false; message: string };

/** A thread that computes shard gradients; one request at a time. */
export interface GradientHelper {
  computeShard(request: ShardRequest): Promise<ShardGradients>;
  close(): Promise<void>;
}

/**
 * Starts a Node worker thread with its own wasm backend and copy of the model, so a second core
 * computes part of every batch (the wasm backend runs one thread in Node).
 */
export async function startGradientHelper(setup: Omit<GradientHelperSetup, 'tsEntry'>): Promise<GradientHelper> {
  const worker = new Worker(new URL('./ts-worker-entry.mjs', import.meta.url), {
    workerData: { ...setup, tsEntry: new URL('./gradient-worker.ts', import.meta.url).href } satisfies GradientHelperSetup,
  });
  let pending: { resolve: (s: ShardGradients) => void; reject: (e: Error) => void } | undefined;
  let failed: Error | undefined;
  const fail = (error: Error) => {
    failed = error;
    pending?.reject(error);
    pending = undefined;
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`gradient helper thread exited (code ${code})`)));
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  worker.on('message', (reply: ShardReply) => {
    const current = pending;
    pending = undefined;
    if (!current) return;
    if (reply.ok) current.resolve(reply.shard);
    else current.reject(new Error(`gradient helper failed: ${reply.message}`));
  });
  return {
    computeShard(request) {
      if (failed) return Promise.reject(failed);
      if (pending) return Promise.reject(new Error('gradient helper is busy'));
      return new Promise((resolve, reject) => {
        pending = { resolve, reject };
        worker.postMessage(request, [request.indices.buffer, request.imageSeeds.buffer]);
      });
    },
    async close() {
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}
